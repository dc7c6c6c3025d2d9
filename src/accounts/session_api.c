/* session_api.c - login, logout, CSRF token, and the caller's own profile (/auth, /me).
 *
 * Throttling (auth/limiter.h; shared by all nodes on PostgreSQL), never a lock-out: anyone can
 * type any username, so a lock would let anyone shut the owner out. Instead:
 *  - per (account, address): after 5 failures within 15 minutes, each next attempt must wait
 *    2^(n-5) seconds (at most 60) after the latest failure;
 *  - per account across all addresses: past 100 failures in 10 minutes
 *    (KEPU_LOGIN_ACCOUNT_FAILURES) the same growing delay holds for every address;
 *  - per address: at most 50 failures in 10 minutes (KEPU_LOGIN_IP_FAILURES), whatever the names.
 * An attempt inside a delay is refused (429 with Retry-After) before any password is checked.
 * Keys are the lower-cased username whether or not it exists, and unknown and known names take
 * the same limiter calls, the same password work and the same answers, so that no answer tells
 * which usernames exist. A success clears its (account, address) count. */
#include "accounts/accounts.h"
#include "accounts/accounts_input.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/limiter.h"
#include "core/config.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define FREE_FAILURES 5     /* failures of a pair before the delay starts */
#define MAX_DELAY 60        /* seconds */

static const limit_rule ip_rule = {"login.ip", 50, 600, "KEPU_LOGIN_IP_FAILURES"};
static const limit_rule pair_rule = {"login.pair", FREE_FAILURES, 900, NULL};
static const limit_rule account_rule = {"login.account", 100, 600, "KEPU_LOGIN_ACCOUNT_FAILURES"};

typedef struct login_keys {
    char account[72];       /* lower-cased username */
    char pair[144];         /* account + "\n" + address */
} login_keys;

static void make_keys(const char *username, const char *ip, login_keys *k)
{
    size_t i = 0;
    for (; username[i] && i < 64; i++) k->account[i] = (char)tolower((unsigned char)username[i]);
    k->account[i] = 0;
    snprintf(k->pair, sizeof k->pair, "%s\n%s", k->account, ip);
}

/* Seconds still to wait before the next attempt of a key that has `failures` (`allowed` of them
 * free), the latest at last_at: 2^(failures - allowed) capped at MAX_DELAY; 0 when none. */
static int delay_left(int failures, int allowed, int64_t last_at)
{
    if (failures < allowed || last_at <= 0) return 0;
    int n = failures - allowed;
    int delay = n >= 6 ? MAX_DELAY : 1 << n;
    if (delay > MAX_DELAY) delay = MAX_DELAY;
    /* Times are whole seconds: one more makes the wait at least `delay` however late in its
     * second the failure came. */
    int64_t left = last_at + delay + 1 - (int64_t)time(NULL);
    return left > 0 ? (int)left : 0;
}

/* How long this attempt must wait (0: go on), or -1 when the limiter's store failed. */
static int login_wait(const char *ip, const login_keys *k)
{
    limit_state st;
    int rc = limit_peek(&ip_rule, ip, &st);
    if (rc == LIMIT_ERROR) return -1;
    if (rc == LIMIT_OVER) {
        int left = limit_retry_after(&ip_rule, &st);
        return left > 0 ? left : 1;
    }
    if (limit_peek(&pair_rule, k->pair, &st) == LIMIT_ERROR) return -1;
    int wait = delay_left(st.count, limit_max(&pair_rule), st.last_at);
    if (limit_peek(&account_rule, k->account, &st) == LIMIT_ERROR) return -1;
    int acc = delay_left(st.count, limit_max(&account_rule), st.last_at);
    return acc > wait ? acc : wait;
}

/* A failure counts against the address, the pair and the account. */
static void count_failure(const char *ip, const login_keys *k)
{
    limit_take(&ip_rule, ip, NULL);
    limit_take(&pair_rule, k->pair, NULL);
    limit_take(&account_rule, k->account, NULL);
}

static void reply_throttled(request *r, int wait)
{
    char after[16];
    snprintf(after, sizeof after, "%d", wait);
    /* The wait is in Retry-After only: the body stays the same for every name and moment. */
    reply_error(r, 429, "too_many_attempts", NULL, "尝试次数过多，请稍后再试 / too many attempts, retry later");
    reply_header(r, "Retry-After", after);
}

typedef struct login_row {
    int64_t id;
    const char *hash, *org_path;
    bool active;
} login_row;

static int find_login(db *c, arena *a, const char *username, login_row *u)
{
    db_stmt *s = db_prepare(c, "SELECT u.id, u.password_hash, u.active, o.path FROM users u "
                               "JOIN orgs o ON o.id = u.org_id WHERE u.username = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, username);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        u->id = db_col_int(s, 0);
        u->hash = arena_strdup(a, db_col_text(s, 1));
        u->active = db_col_int(s, 2) != 0;
        u->org_path = arena_strdup(a, db_col_text(s, 3));
    }
    db_finish(s);
    return rc;
}

/* failed_logins and locked_until stay in the table (older databases, exports) but are no
 * longer how logins are limited: a success only resets them and records the time. */
static int record_success(db *c, int64_t id)
{
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE users SET failed_logins = 0, locked_until = 0, last_login_at = ? WHERE id = ?");
    qb_text(&q, now);
    qb_int(&q, id);
    return qb_exec(c, &q, NULL);
}

static void login_failed(request *r, db *c, const char *username, const login_row *u, const char *why)
{
    audit_login(c, username, u ? u->id : 0, u ? u->org_path : NULL, false, why, r->ip,
                req_header(r, "User-Agent"));
    reply_error(r, 401, "invalid_credentials", NULL, "用户名或密码错误 / wrong username or password");
}

/* Served over HTTPS: the proxy says so (trusted only with KEPU_TRUST_PROXY=1), or the public
 * address is https. The cookie then carries Secure, so a browser never sends it in clear. */
static bool served_over_https(request *r)
{
    const char *proto = req_header(r, "X-Forwarded-Proto");
    if (strcmp(env_or("KEPU_TRUST_PROXY", "0"), "1") == 0 && proto && strcasecmp(proto, "https") == 0)
        return true;
    return strncasecmp(env_or("KEPU_PUBLIC_URL", ""), "https://", 8) == 0;
}

static void set_session_cookie(request *r, const char *token, long max_age)
{
    char cookie[180];
    snprintf(cookie, sizeof cookie, "kepu_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s",
             token, max_age, served_over_https(r) ? "; Secure" : "");
    reply_header(r, "Set-Cookie", cookie);
}

static void reply_logged_in(request *r, db *c, int64_t user_id)
{
    char token[TOKEN_CHARS], csrf[CSRF_CHARS], expires[32];
    user u;
    if (session_create(c, user_id, r->ip, token, csrf) != DB_OK ||
        entity_get_unscoped(c, &user_entity, &r->arena, user_id, &u) != DB_OK) {   /* the password was proved */
        reply_db_error(r);
        return;
    }
    time_to_rfc3339(time(NULL) + 43200, expires);
    reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:o}", "token", token, "csrf_token", csrf,
                                 "expires_at", expires, "user", user_json(&u, true)));
    set_session_cookie(r, token, 43200);
}

static void handle_login(request *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    const char *username, *password;
    if (!body_allow_fields(r, allowed, NULL) || !body_string(r, "username", true, &username) ||
        !body_string(r, "password", true, &password))
        return;
    login_keys k;
    make_keys(username, r->ip, &k);
    /* Refused attempts are not in the login log: they checked no password, and writing a row
     * for each would let one client grow the log without bound. */
    int wait = login_wait(r->ip, &k);
    if (wait < 0) { reply_db_error(r); return; }
    if (wait > 0) { reply_throttled(r, wait); return; }
    db *c = db_thread();
    login_row u = {0};
    int rc = c ? find_login(c, &r->arena, username, &u) : DB_ERR;
    if (rc < 0) { reply_db_error(r); return; }
    const login_row *known = rc == DB_ROW ? &u : NULL;
    /* The same password work whether or not the name exists: the time tells nothing. */
    bool ok = known ? password_verify(u.hash, password) : (password_burn(password), false);
    if (!ok || !u.active) {
        count_failure(r->ip, &k);
        login_failed(r, c, username, known, !known ? "unknown_user" : !ok ? "wrong_password" : "disabled");
        return;
    }
    limit_clear(&pair_rule, k.pair);
    if (record_success(c, u.id) != DB_OK) { reply_db_error(r); return; }
    audit_login(c, username, u.id, u.org_path, true, "ok", r->ip, req_header(r, "User-Agent"));
    reply_logged_in(r, c, u.id);
}

static void handle_logout(request *r)
{
    db *c = db_thread();
    if (!c || session_delete(c, r->principal->session_id) != DB_OK) { reply_db_error(r); return; }
    reply_empty(r, 204);
    set_session_cookie(r, "", 0);
}

static void handle_csrf(request *r)
{
    reply_json(r, 200, json_pack("{s:s}", "csrf_token", r->principal->csrf_token));
}

/* The caller's own record: the phone in clear, and its org's path. */
static json_t *me_json(const user *u)
{
    json_t *j = user_json(u, true);
    json_object_set_new(j, "org_path", json_string(u->org_path));
    return j;
}

static void handle_me(request *r)
{
    db *c = db_thread();
    user u;
    /* unscoped: the signed-in user reads its own account, whatever its scope */
    if (!c || entity_get_unscoped(c, &user_entity, &r->arena, r->principal->user_id, &u) != DB_OK) {
        reply_db_error(r);
        return;
    }
    reply_json(r, 200, me_json(&u));
}

static void handle_me_update(request *r)
{
    user_input in;
    user u;
    if (!read_profile_input(r, &in)) return;
    db *c = db_thread();
    int rc = c ? accounts_update(c, r->principal, &r->arena, r->principal->user_id, &in, &u) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &user_entity, rc); return; }
    reply_json(r, 200, me_json(&u));
}

static void handle_me_password(request *r)
{
    static const char *const allowed[] = {"old_password", "new_password", NULL};
    const char *old_pw, *new_pw;
    login_row u = {0};
    if (!body_allow_fields(r, allowed, NULL) || !body_string(r, "old_password", true, &old_pw) ||
        !body_string(r, "new_password", true, &new_pw) ||
        !check_password_policy(r, "new_password", new_pw, r->principal->username))
        return;
    db *c = db_thread();
    if (!c || find_login(c, &r->arena, r->principal->username, &u) != DB_ROW) { reply_db_error(r); return; }
    if (!password_verify(u.hash, old_pw)) {
        reply_error(r, 422, "invalid_field", "old_password", "原密码不正确 / the current password is wrong");
        return;
    }
    entity_reply_result(r, &user_entity, accounts_set_password(c, r->principal, &r->arena, r->principal->user_id, new_pw),
                        204, NULL);
}

static const struct route session_routes[] = {
    {"POST", "/api/v1/auth/login", handle_login, ROUTE_PUBLIC, 0, .summary = "Log in: token, CSRF token, user; sets the session cookie", .entity = &user_entity},
    {"POST", "/api/v1/auth/logout", handle_logout, RANK_REVIEWER, 0, .summary = "Log out: end the session"},
    {"GET", "/api/v1/auth/csrf", handle_csrf, RANK_REVIEWER, 0, .summary = "CSRF token of the current session"},
    {"GET", "/api/v1/me", handle_me, RANK_REVIEWER, 0, .summary = "The current user (phone unmasked, with org_path)", .entity = &user_entity},
    {"PATCH", "/api/v1/me", handle_me_update, RANK_REVIEWER, 0, .summary = "Change own name, phone, e-mail", .entity = &user_entity},
    {"POST", "/api/v1/me/password", handle_me_password, RANK_REVIEWER, 0, .summary = "Change own password (ends the user's other sessions)", .entity = &user_entity},
    {0},
};

void session_register_routes(void) { router_add_table(session_routes); }
