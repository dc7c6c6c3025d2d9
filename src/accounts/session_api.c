/* session_api.c - login, logout, CSRF token, and the caller's own profile (/auth, /me).
 *
 * Throttling: an account locks for 10 minutes after 5 failed logins in a row (held in the
 * users table, so it holds on every node), and a client address gets at most a set number of
 * failed attempts per 10 minutes (held in memory: losing it on restart is harmless). */
#include "accounts/accounts.h"
#include "accounts/accounts_input.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOCK_AFTER_FAILURES 5
#define LOCK_SECONDS 600
#define IP_WINDOW 600
#define IP_SLOTS 1024

static struct ip_slot { char ip[64]; time_t window_start; int failures; } ip_slots[IP_SLOTS];
static pthread_mutex_t ip_lock = PTHREAD_MUTEX_INITIALIZER;

static int ip_failure_limit(void)
{
    const char *v = getenv("KEPU_LOGIN_IP_FAILURES");
    int n = v ? atoi(v) : 0;
    return n > 0 ? n : 50;
}

static struct ip_slot *ip_slot_for(const char *ip, time_t now)
{
    unsigned h = 5381;
    for (const char *p = ip; *p; p++) h = h * 33 + (unsigned char)*p;
    struct ip_slot *s = &ip_slots[h % IP_SLOTS];
    if (strcmp(s->ip, ip) != 0 || now - s->window_start >= IP_WINDOW) {
        snprintf(s->ip, sizeof s->ip, "%s", ip);
        s->window_start = now;
        s->failures = 0;
    }
    return s;
}

static bool ip_blocked(const char *ip)
{
    pthread_mutex_lock(&ip_lock);
    bool blocked = ip_slot_for(ip, time(NULL))->failures >= ip_failure_limit();
    pthread_mutex_unlock(&ip_lock);
    return blocked;
}

static void ip_failed(const char *ip)
{
    pthread_mutex_lock(&ip_lock);
    ip_slot_for(ip, time(NULL))->failures++;
    pthread_mutex_unlock(&ip_lock);
}

typedef struct login_row {
    int64_t id, locked_until;
    const char *hash, *org_path;
    int failures;
    bool active;
} login_row;

static int find_login(db *c, arena *a, const char *username, login_row *u)
{
    db_stmt *s = db_prepare(c, "SELECT u.id, u.password_hash, u.active, u.failed_logins, u.locked_until, "
                               "o.path FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, username);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        u->id = db_col_int(s, 0);
        u->hash = arena_strdup(a, db_col_text(s, 1));
        u->active = db_col_int(s, 2) != 0;
        u->failures = (int)db_col_int(s, 3);
        u->locked_until = db_col_int(s, 4);
        u->org_path = arena_strdup(a, db_col_text(s, 5));
    }
    db_finish(s);
    return rc;
}

/* One failure more; the fifth in a row locks the account. Done in SQL so that concurrent
 * attempts on several nodes all count. */
static void count_failure(db *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "UPDATE users SET failed_logins = failed_logins + 1, locked_until = "
                               "CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?");
    if (!s) return;
    db_bind_int(s, 1, LOCK_AFTER_FAILURES);
    db_bind_int(s, 2, (int64_t)time(NULL) + LOCK_SECONDS);
    db_bind_int(s, 3, id);
    db_exec_stmt(s);
    db_finish(s);
}

static int record_success(db *c, int64_t id)
{
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "UPDATE users SET failed_logins = 0, locked_until = 0, last_login_at = ? "
                               "WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, id);
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

static void login_failed(request *r, db *c, const char *username, const login_row *u, const char *why)
{
    ip_failed(r->ip);
    audit_login(c, username, u ? u->id : 0, u ? u->org_path : NULL, false, why, r->ip,
                req_header(r, "User-Agent"));
    reply_error(r, 401, "invalid_credentials", NULL, "用户名或密码错误 / wrong username or password");
}

static void set_session_cookie(request *r, const char *token, long max_age)
{
    char cookie[160];
    snprintf(cookie, sizeof cookie, "kepu_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld",
             token, max_age);
    reply_header(r, "Set-Cookie", cookie);
}

static void reply_logged_in(request *r, db *c, int64_t user_id)
{
    char token[TOKEN_CHARS], csrf[CSRF_CHARS], expires[32];
    user u;
    if (session_create(c, user_id, r->ip, token, csrf) != DB_OK ||
        accounts_get_any(c, &r->arena, user_id, &u) != DB_OK) {
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
    if (ip_blocked(r->ip)) {
        reply_error(r, 429, "too_many_attempts", NULL, "尝试次数过多，请 10 分钟后再试 / too many attempts, retry in 10 minutes");
        return;
    }
    db *c = db_thread();
    login_row u = {0};
    int rc = c ? find_login(c, &r->arena, username, &u) : DB_ERR;
    if (rc < 0) { reply_db_error(r); return; }
    if (rc != DB_ROW) {
        password_burn(password);
        login_failed(r, c, username, NULL, "unknown_user");
        return;
    }
    if (u.locked_until > time(NULL)) {
        char until[32];
        time_to_rfc3339((time_t)u.locked_until, until);
        audit_login(c, username, u.id, u.org_path, false, "locked", r->ip, req_header(r, "User-Agent"));
        reply_error(r, 429, "account_locked", NULL, "账号已锁定至 %.16s / account locked until %s",
                    until, until);
        return;
    }
    if (!password_verify(u.hash, password)) {
        count_failure(c, u.id);
        login_failed(r, c, username, &u, "wrong_password");
        return;
    }
    if (!u.active) { login_failed(r, c, username, &u, "disabled"); return; }
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
    if (!c || accounts_get_any(c, &r->arena, r->principal->user_id, &u) != DB_OK) { reply_db_error(r); return; }
    reply_json(r, 200, me_json(&u));
}

static void handle_me_update(request *r)
{
    user_input in;
    user u;
    if (!read_profile_input(r, &in)) return;
    db *c = db_thread();
    int rc = c ? accounts_update(c, r->principal, &r->arena, r->principal->user_id, &in, &u) : DB_ERR;
    if (rc != DB_OK) { reply_accounts_error(r, rc); return; }
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
    int rc = accounts_set_password(c, r->principal, &r->arena, r->principal->user_id, new_pw);
    if (rc != DB_OK) { reply_accounts_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route session_routes[] = {
    {"POST", "/api/v1/auth/login", handle_login, ROUTE_PUBLIC, 0},
    {"POST", "/api/v1/auth/logout", handle_logout, RANK_MEMBER, 0},
    {"GET", "/api/v1/auth/csrf", handle_csrf, RANK_MEMBER, 0},
    {"GET", "/api/v1/me", handle_me, RANK_MEMBER, 0},
    {"PATCH", "/api/v1/me", handle_me_update, RANK_MEMBER, 0},
    {"POST", "/api/v1/me/password", handle_me_password, RANK_MEMBER, 0},
    {NULL, NULL, NULL, 0, 0},
};

void session_register_routes(void) { router_add_table(session_routes); }
