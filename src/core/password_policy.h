/* password_policy.h - whether a new password is strong enough (issue 12: "1234567890" and
 * "aaaaaaaaaa" used to pass a length-only rule).
 *
 * At least 10 characters (code points), at most 200 bytes, valid UTF-8; not the username, nor
 * the username with only digits or punctuation added; not digits only (a phone number, a
 * birthday); not a common password; and libpwquality's checks with its cracklib dictionary
 * (dictionary words, palindromes, sequences, repeats). The system's /etc/security/pwquality.conf
 * is not read: the rules are the same on every machine. Thread-safe. */
#ifndef KEPU_PASSWORD_POLICY_H
#define KEPU_PASSWORD_POLICY_H

/* NULL when the password is acceptable, else a static "中文 / English" reason without the
 * "密码太弱" prefix (e.g. "少于 10 个字符 / shorter than 10 characters"). username may be NULL. */
const char *password_weakness(const char *password, const char *username);

/* Checks once that the dictionary loads; when it does not (cracklib-runtime missing) prints a
 * warning on standard error and goes on without the dictionary check. Returns 0 when the
 * dictionary is in use, -1 otherwise. Called on start; password_weakness() calls it too. */
int password_policy_init(void);

#endif
