/* auth.h - passwords, session tokens and the request authenticator.
 *
 * Passwords: argon2id (OWASP: 19 MiB, t=2), at most two hashes at a time so that a burst of
 * logins cannot exhaust memory. Tokens: 256 random bits, base64url; only their SHA-256 is
 * stored. Sessions live in the database (several nodes share them) and expire after an idle
 * time and an absolute lifetime. */
#ifndef KEPU_AUTH_H
#define KEPU_AUTH_H
#include "auth/principal.h"
#include "db/db.h"
#include "http/request.h"

#define PASSWORD_HASH_MAX 128
#define TOKEN_CHARS 44          /* 43 base64url characters + NUL */
#define CSRF_CHARS 33           /* 32 hex characters + NUL */

/* Timeouts in seconds; defaults 1800 and 43200. */
void auth_configure(long idle_s, long absolute_s);

/* 0 on success; out holds a NUL-terminated encoded hash. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *hash, const char *password);
/* Spends the time of one verification, so unknown usernames answer as slowly as known ones. */
void password_burn(const char *password);

/* Creates a session; writes the bearer token and the CSRF token. DB_OK or a DB code. */
int session_create(db *c, int64_t user_id, const char *ip, char token[TOKEN_CHARS],
                   char csrf[CSRF_CHARS]);
int session_delete(db *c, int64_t session_id);
/* Ends the user's sessions except `keep` (0 for none). */
int session_delete_user(db *c, int64_t user_id, int64_t keep);

/* Loads a user's principal (role, org path, scope from home org and memberships).
 * DB_ROW when found and active, DB_DONE when not, or a DB error. Strings in the arena. */
int principal_load(db *c, arena *a, int64_t user_id, principal *p);

/* The router's authenticator (see router.h): bearer token or session cookie, with CSRF for
 * cookie-authenticated changes. Returns the role rank, or a negative value after replying. */
int auth_authenticate(request *r);

#endif
