/* password_policy.c - the password strength rules (see password_policy.h). */
#include "core/password_policy.h"
#include "core/validate.h"
#include <ctype.h>
#include <pthread.h>
#include <pwquality.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MIN_CHARS 10
#define MAX_BYTES 200

static pthread_once_t once = PTHREAD_ONCE_INIT;
/* cracklib keeps state of its own while it looks a word up: one check at a time. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pwquality_settings_t *settings;
static bool dict_ok;

/* Common passwords that cracklib's English dictionary does not know (pinyin, Chinese web
 * habits); compared case-insensitively after trailing digits and punctuation are dropped. */
static const char *const common_words[] = {
    "woaini", "iloveyou", "nihao", "wodemima", "mima", "kepu", "admin", "administrator", "password",
    "passw0rd", "qwerty", "qwertyuiop", "asdfgh", "zxcvbn", "abc", "abcd", "aini", "zhang", "wang",
    "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "test", "user", "root", "guest",
    "welcome", "letmein", "china", "beijing", "shanghai", "chongqing", "baobao", "laopo", "laogong",
    NULL,
};

static void setup(void)
{
    settings = pwquality_default_settings();
    if (!settings) return;
    pwquality_set_int_value(settings, PWQ_SETTING_MIN_LENGTH, MIN_CHARS);
    pwquality_set_int_value(settings, PWQ_SETTING_MAX_REPEAT, 4);
    pwquality_set_int_value(settings, PWQ_SETTING_MAX_SEQUENCE, 5);
    /* pwquality's own user check refuses any password containing the username ("admin" in
     * "AdminPass-2026"); ours (below) refuses only the username with digits or punctuation. */
    pwquality_set_int_value(settings, PWQ_SETTING_USER_CHECK, 0);
    pwquality_set_int_value(settings, PWQ_SETTING_GECOS_CHECK, 0);
    void *aux = NULL;
    int rc = pwquality_check(settings, "Kx7#vLq2!mTz", NULL, NULL, &aux);
    dict_ok = rc >= 0;
    if (!dict_ok) {
        char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
        fprintf(stderr, "kepu: WARNING: the password dictionary cannot be used (%s); install "
                        "cracklib-runtime (scripts/deps.sh). Passwords are checked without it.\n",
                pwquality_strerror(buf, sizeof buf, rc, aux));
        pwquality_set_int_value(settings, PWQ_SETTING_DICT_CHECK, 0);
    }
}

int password_policy_init(void)
{
    pthread_once(&once, setup);
    return settings && dict_ok ? 0 : -1;
}

/* Letters left after the leading/trailing digits and ASCII punctuation are dropped. */
static size_t core_of(const char *pw, const char **start)
{
    size_t n = strlen(pw), i = 0;
    while (i < n && (isdigit((unsigned char)pw[i]) || ispunct((unsigned char)pw[i]))) i++;
    while (n > i && (isdigit((unsigned char)pw[n - 1]) || ispunct((unsigned char)pw[n - 1]))) n--;
    *start = pw + i;
    return n - i;
}

/* "P@ssw0rd" reads as "password": the usual letter-for-symbol swaps, lower case. */
static char unleet(char ch)
{
    switch (ch) {
    case '@': case '4': return 'a';
    case '0': return 'o';
    case '1': case '!': return 'i';
    case '3': return 'e';
    case '$': case '5': return 's';
    case '7': return 't';
    default: return (char)tolower((unsigned char)ch);
    }
}

static bool same_word(const char *core, size_t n, const char *word)
{
    if (strlen(word) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (unleet(core[i]) != word[i] && tolower((unsigned char)core[i]) != word[i]) return false;
    return true;
}

static bool is_common(const char *pw)
{
    const char *core;
    size_t n = core_of(pw, &core);
    for (int i = 0; common_words[i]; i++)
        if (same_word(core, n, common_words[i])) return true;
    return false;
}

static bool is_username_plus(const char *pw, const char *username)
{
    if (!username || !*username) return false;
    if (strcasecmp(pw, username) == 0) return true;
    const char *core;
    size_t n = core_of(pw, &core);
    return n == strlen(username) && strncasecmp(core, username, n) == 0;
}

static const char *pwquality_reason(int rc)
{
    switch (rc) {
    case PWQ_ERROR_PALINDROME: return "是回文 / it is a palindrome";
    case PWQ_ERROR_MAX_CONSECUTIVE: return "同一字符连续重复过多 / too many repeated characters";
    case PWQ_ERROR_MAX_SEQUENCE: return "含过长的连续序列（如 123456） / it contains a long sequence (like 123456)";
    case PWQ_ERROR_CRACKLIB_CHECK:
        return "基于字典词、常见键盘序列或过于简单 / it is based on a dictionary word, a keyboard pattern or is too simple";
    case PWQ_ERROR_MIN_LENGTH: return "少于 10 个字符 / shorter than 10 characters";
    default: return "不符合密码强度要求 / it fails the strength rules";
    }
}

const char *password_weakness(const char *pw, const char *username)
{
    if (!pw || !utf8_valid(pw, strlen(pw)) || utf8_chars(pw) < MIN_CHARS)
        return "少于 10 个字符 / shorter than 10 characters";
    if (strlen(pw) > MAX_BYTES) return "超过 200 字节 / longer than 200 bytes";
    if (is_username_plus(pw, username)) return "与用户名相同或仅多数字符号 / it is the username, or the username and digits";
    const char *core;
    if (core_of(pw, &core) == 0)
        return "只有数字或符号（如手机号、生日） / digits and symbols only (like a phone number or a birthday)";
    if (is_common(pw)) return "是常见密码 / it is a common password";
    if (password_policy_init() != 0 && !settings) return NULL;   /* out of memory at start: the rules above hold */
    void *aux = NULL;
    pthread_mutex_lock(&lock);
    int rc = pwquality_check(settings, pw, NULL, NULL, &aux);
    pthread_mutex_unlock(&lock);
    if (rc >= 0) return NULL;
    char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
    pwquality_strerror(buf, sizeof buf, rc, aux);   /* frees aux */
    return pwquality_reason(rc);
}
