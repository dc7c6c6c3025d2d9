/* session.c - session rows, principals and the request authenticator (see auth.h). */
#include "auth/auth.h"
#include "core/log.h"
#include "db/query.h"
#include "http/reply.h"
#include <sodium.h>
#include <string.h>
#include <time.h>

static long idle_timeout = 1800, absolute_timeout = 43200;
/* last_seen is written at most this often: a write per request would serialize readers. */
#define TOUCH_INTERVAL 60

void auth_configure(long idle_s, long absolute_s)
{
    if (idle_s > 0) idle_timeout = idle_s;
    if (absolute_s > 0) absolute_timeout = absolute_s;
}

static void token_digest(const char *token, char hex[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hex, 65, d, sizeof d);
}

int session_create(db *c, int64_t user_id, const char *ip, char token[TOKEN_CHARS],
                   char csrf[CSRF_CHARS])
{
    unsigned char raw[32], raw_csrf[16];
    randombytes_buf(raw, sizeof raw);
    randombytes_buf(raw_csrf, sizeof raw_csrf);
    sodium_bin2base64(token, TOKEN_CHARS, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_bin2hex(csrf, CSRF_CHARS, raw_csrf, sizeof raw_csrf);
    char hex[65];
    token_digest(token, hex);
    qb q;
    qb_init(&q, "INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen, ip) "
                "VALUES (?, ?, ?, ?, ?, ?)");
    int64_t now = time(NULL);
    qb_text(&q, hex);
    qb_text(&q, csrf);
    qb_int(&q, user_id);
    qb_int(&q, now);
    qb_int(&q, now);
    qb_text(&q, ip);
    return qb_exec(c, &q, NULL);
}

static int exec_ids(db *c, const char *sql, int64_t a, int64_t b, int nbind)
{
    qb q;
    qb_init(&q, sql);
    qb_int(&q, a);
    if (nbind > 1) qb_int(&q, b);
    return qb_exec(c, &q, NULL);
}

int session_delete(db *c, int64_t session_id)
{
    return exec_ids(c, "DELETE FROM sessions WHERE id = ?", session_id, 0, 1);
}

int session_delete_user(db *c, int64_t user_id, int64_t keep)
{
    return exec_ids(c, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", user_id, keep, 2);
}

static int load_memberships(db *c, arena *a, principal *p)
{
    db_stmt *s = db_prepare(c, "SELECT o.path FROM user_orgs m JOIN orgs o ON o.id = m.org_id "
                               "WHERE m.user_id = ? ORDER BY o.path");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, p->user_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) scope_add_path(a, &p->scope, db_col_text(s, 0));
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Columns of a user's principal, shared by principal_load() and the session lookup. */
#define PRINCIPAL_COLS "u.id, u.username, u.role, u.data_scope, u.org_id, o.path, u.active, " \
                       "(SELECT COUNT(*) FROM user_orgs m WHERE m.user_id = u.id)"
#define PRINCIPAL_NCOLS 8

/* Fills p from PRINCIPAL_COLS starting at column `at`; DB_DONE for a disabled account. */
static int read_principal(db_stmt *s, int at, arena *a, principal *p)
{
    if (db_col_int(s, at + 6) == 0) return DB_DONE;   /* disabled accounts are nobody */
    memset(p, 0, sizeof *p);
    p->user_id = db_col_int(s, at);
    p->username = arena_strdup(a, db_col_text(s, at + 1));
    p->role = arena_strdup(a, db_col_text(s, at + 2));
    p->rank = role_rank(p->role);
    p->scope.level = scope_level_of(db_col_text(s, at + 3));
    p->scope.user_id = p->user_id;
    p->org_id = db_col_int(s, at + 4);
    p->org_path = arena_strdup(a, db_col_text(s, at + 5));
    scope_add_path(a, &p->scope, p->org_path);
    return DB_ROW;
}

int principal_load(db *c, arena *a, int64_t user_id, principal *p)
{
    db_stmt *s = db_prepare(c, "SELECT " PRINCIPAL_COLS " FROM users u JOIN orgs o ON o.id = u.org_id "
                               "WHERE u.id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    int rc = db_step(s);
    int64_t members = 0;
    if (rc == DB_ROW) {
        members = db_col_int(s, 7);
        rc = read_principal(s, 0, a, p);
    }
    db_finish(s);
    if (rc == DB_ROW && members && load_memberships(c, a, p) != DB_OK) rc = DB_ERR;
    return rc;
}

static const char *request_token(request *r, bool *from_cookie)
{
    const char *h = req_header(r, "Authorization");
    *from_cookie = false;
    if (h && strncmp(h, "Bearer ", 7) == 0) return h + 7;
    const char *c = req_cookie(r, "kepu_session");
    if (c) *from_cookie = true;
    return c;
}

/* Finds the live session of a token and its user's principal in one query: DB_ROW when both
 * are live, DB_DONE when not. Expired sessions are removed on sight. */
static int session_lookup(db *c, arena *a, const char *token, principal *p)
{
    char hex[65];
    token_digest(token, hex);
    db_stmt *s = db_prepare(c, "SELECT s.id, s.csrf_token, s.created_at, s.last_seen, " PRINCIPAL_COLS
                               " FROM sessions s JOIN users u ON u.id = s.user_id "
                               "JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, hex);
    int rc = db_step(s);
    int64_t now = time(NULL), created = 0, seen = 0, members = 0;
    if (rc == DB_ROW && (rc = read_principal(s, 4, a, p)) == DB_ROW) {
        p->session_id = db_col_int(s, 0);
        p->csrf_token = arena_strdup(a, db_col_text(s, 1));
        created = db_col_int(s, 2);
        seen = db_col_int(s, 3);
        members = db_col_int(s, 4 + 7);
    }
    db_finish(s);
    if (rc != DB_ROW) return rc;
    if (now - seen > idle_timeout || now - created > absolute_timeout) {
        session_delete(c, p->session_id);
        return DB_DONE;
    }
    /* Best effort: inside a read-only request this write may find the database busy, and then
     * the next request touches the session instead. */
    if (now - seen >= TOUCH_INTERVAL)
        exec_ids(c, "UPDATE sessions SET last_seen = ? WHERE id = ?", now, p->session_id, 2);
    return members ? (load_memberships(c, a, p) == DB_OK ? DB_ROW : DB_ERR) : DB_ROW;
}

int auth_authenticate(request *r)
{
    bool from_cookie;
    const char *token = request_token(r, &from_cookie);
    if (!token || strlen(token) != TOKEN_CHARS - 1) return -1;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return -1; }
    principal *p = arena_alloc(&r->arena, sizeof *p);
    int rc = session_lookup(c, &r->arena, token, p);
    if (rc < 0) { reply_db_error(r); return -1; }
    if (rc != DB_ROW) return -1;
    /* a write authenticated by the cookie must carry the CSRF token */
    if (from_cookie && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        const char *sent = req_header(r, "X-CSRF-Token");
        if (!sent || strcmp(sent, p->csrf_token) != 0) {
            reply_error(r, 403, "csrf_required", NULL, "缺少或错误的 CSRF 令牌 / X-CSRF-Token header missing or wrong");
            return -1;
        }
    }
    p->request_id = r->request_id;
    p->ip = r->ip;
    r->principal = p;
    r->cookie_auth = from_cookie;
    return p->rank;
}
