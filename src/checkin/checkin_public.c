/* checkin_public.c - what a phone does without an account (see checkin.h): look at a session
 * through a scanned token, check in with the token or the session's code, as a remembered
 * person (one tap) or as a newcomer by name and phone, and afterwards rate the owner with the
 * remembered key. Nothing personal is ever answered here but the person's own key. */
#include "checkin/checkin_internal.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include <sodium.h>
#include <string.h>

int checkin_public_view(db *c, arena *a, int64_t session_id, const char *token, checkin_session *out)
{
    int rc = checkin_session_read(c, NULL, a, session_id, out);
    if (rc != DB_OK) return rc;
    if ((rc = checkin_token_check(session_id, token)) != DB_OK) return rc;
    return checkin_window_open(out) ? DB_OK : CHK_WINDOW_CLOSED;
}

struct pub_args {
    arena *a;
    int64_t session_id;
    const checkin_input *in;
    checkin_result *out;
};

int checkin_person_of_key(db *c, arena *a, const char *person_kind, const char *person_key, int64_t *person_id)
{
    db_stmt *s = db_prepare(c, "SELECT person_id FROM checkin_keys WHERE key_hash = ? AND person_kind = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, checkin_key_hash(a, person_key));
    db_bind_text(s, 2, person_kind);
    int rc = db_step(s);
    if (rc == DB_ROW) *person_id = db_col_int(s, 0);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? CHK_BAD_KEY : rc;
}

int checkin_issue_key(db *c, arena *a, const char *person_kind, int64_t person_id, const char **person_key)
{
    const char *hash;
    char now[40];
    checkin_new_key(a, person_key, &hash);
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "INSERT INTO checkin_keys (key_hash, person_kind, person_id, created_at) "
                               "VALUES (?, ?, ?, ?)");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, hash);
    db_bind_text(s, 2, person_kind);
    db_bind_int(s, 3, person_id);
    db_bind_text(s, 4, now);
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

/* Wrong codes so far for the session (>= 0), or a DB code. */
static int code_failures(db *c, int64_t session_id)
{
    db_stmt *s = db_prepare(c, "SELECT code_failures FROM checkin_sessions WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, session_id);
    int rc = db_step(s);
    int n = rc == DB_ROW ? (int)db_col_int(s, 0) : 0;
    db_finish(s);
    return rc == DB_ROW ? n : rc == DB_DONE ? 0 : rc;
}

/* Check-out of a remembered person: only after a check-in, once; the kind's on_leave hook runs
 * in the same transaction. */
static int checkout_cb(db *c, struct pub_args *w, const checkin_kind *k, const checkin_session *ses,
                       const principal *who)
{
    checkin_result *out = w->out;
    char now[40];
    time_now_rfc3339(now);
    if (!k->on_leave) return CHK_NO_CHECKOUT;
    int rc = checkin_person_of_key(c, w->a, k->person_kind, w->in->person_key, &out->person_id);
    if (rc != DB_OK) return rc;
    out->person_key = w->in->person_key;
    out->out = true;
    out->title = ses->owner.title;
    out->checked_in = ses->checked_in;
    db_stmt *s = db_prepare(c, "SELECT out_at FROM checkins WHERE session_id = ? AND person_kind = ? AND person_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, ses->id);
    db_bind_text(s, 2, k->person_kind);
    db_bind_int(s, 3, out->person_id);
    rc = db_step(s);
    bool left = rc == DB_ROW && !db_col_null(s, 0);
    db_finish(s);
    if (rc == DB_DONE) return CHK_NOT_CHECKED_IN;
    if (rc != DB_ROW) return rc;
    if (left) { out->already = true; return DB_OK; }
    if (!(s = db_prepare(c, "UPDATE checkins SET out_at = ? WHERE session_id = ? AND person_kind = ? AND person_id = ?")))
        return DB_ERR;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, ses->id);
    db_bind_text(s, 3, k->person_kind);
    db_bind_int(s, 4, out->person_id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc == DB_OK) rc = k->on_leave(c, w->a, ses->owner_id, out->person_id, now);
    if (rc != DB_OK) return rc;
    json_t *after = json_pack("{s:s, s:I, s:s}", "person_kind", k->person_kind, "person_id",
                              (json_int_t)out->person_id, "method", w->in->token ? "qr" : "code");
    rc = audit_record(c, who, ses->org_path, "checkin_session", ses->id, "checkout", NULL, after);
    json_decref(after);
    return rc;
}

static int public_cb(db *c, void *cls)
{
    struct pub_args *w = cls;
    const checkin_input *in = w->in;
    checkin_session ses;
    int rc = checkin_session_read(c, NULL, w->a, w->session_id, &ses);
    if (rc != DB_OK) return rc;
    const checkin_kind *k = checkin_kind_find(ses.owner_kind);
    if (!k) return CHK_UNKNOWN_KIND;
    if (in->token) rc = checkin_token_check(ses.id, in->token);
    else if ((rc = code_failures(c, ses.id)) >= CHECKIN_CODE_MAX_FAILURES) rc = CHK_CODE_LOCKED;
    else if (rc >= 0) rc = strlen(in->code) == 6 && sodium_memcmp(in->code, ses.code, 6) == 0 ? DB_OK : CHK_CODE_INVALID;
    if (rc != DB_OK) return rc;
    if (!checkin_window_open(&ses)) return CHK_WINDOW_CLOSED;
    /* the public check-in acts as nobody: the audit log says so, with the request's origin */
    principal who = {.username = "public_checkin", .request_id = in->request_id, .ip = in->ip};
    checkin_result *out = w->out;
    bool enrolled = false;
    memset(out, 0, sizeof *out);
    if (in->out) return checkout_cb(c, w, k, &ses, &who);
    if (in->person_key) {
        rc = checkin_person_of_key(c, w->a, k->person_kind, in->person_key, &out->person_id);
        out->person_key = in->person_key;
    } else {
        rc = k->enrol(c, &who, w->a, &ses.owner, in->name, in->phone, &out->person_id, &enrolled);
        if (rc == DB_OK) rc = checkin_issue_key(c, w->a, k->person_kind, out->person_id, &out->person_key);
    }
    if (rc == DB_OK) rc = checkin_record(c, w->a, k, &ses, out->person_id, in->token ? "qr" : "code", 0, &out->already);
    if (rc != DB_OK) return rc;
    out->checked_in = ses.checked_in + (out->already ? 0 : 1);
    out->title = ses.owner.title;
    if (out->already) return DB_OK;
    json_t *after = json_pack("{s:s, s:I, s:s, s:b}", "person_kind", k->person_kind, "person_id",
                              (json_int_t)out->person_id, "method", in->token ? "qr" : "code", "enrolled", enrolled);
    rc = audit_record(c, &who, ses.org_path, "checkin_session", ses.id, "checkin", NULL, after);
    json_decref(after);
    return rc;
}

int checkin_public(db *c, arena *a, int64_t session_id, const checkin_input *in, checkin_result *out)
{
    struct pub_args w = {a, session_id, in, out};
    int rc = db_transaction(c, public_cb, &w);
    if (rc == CHK_CODE_INVALID) {
        /* counted outside the refused transaction, which rolled back */
        db_stmt *s = db_prepare(c, "UPDATE checkin_sessions SET code_failures = code_failures + 1 WHERE id = ?");
        if (s) db_bind_int(s, 1, session_id), db_exec_stmt(s), db_finish(s);
    }
    return rc;
}

/* ---- ratings ---- */

struct rate_args {
    arena *a;
    int64_t session_id;
    const checkin_rating_input *in;
    bool *replaced;
    const char **title;
};

/* Whether the person checked in to the session (by phone or marked by staff). */
static int attended(db *c, const checkin_session *ses, const char *person_kind, int64_t person_id)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM checkins WHERE session_id = ? AND person_kind = ? AND person_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, ses->id);
    db_bind_text(s, 2, person_kind);
    db_bind_int(s, 3, person_id);
    int rc = db_step(s);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? CHK_NOT_ATTENDED : rc;
}

static int rate_cb(db *c, void *cls)
{
    struct rate_args *w = cls;
    checkin_session ses;
    int64_t person_id = 0;
    int rc = checkin_session_read(c, NULL, w->a, w->session_id, &ses);
    if (rc != DB_OK) return rc;
    const checkin_kind *k = checkin_kind_find(ses.owner_kind);
    if (!k) return CHK_UNKNOWN_KIND;
    if (!k->on_rating) return CHK_NOT_RATABLE;
    /* the key first: a stranger learns nothing about the session's window or attendance */
    if ((rc = checkin_person_of_key(c, w->a, k->person_kind, w->in->person_key, &person_id)) != DB_OK) return rc;
    if ((rc = attended(c, &ses, k->person_kind, person_id)) != DB_OK) return rc;
    if (ses.owner.cancelled || time(NULL) > ses.owner.closes + CHECKIN_RATING_DAYS * 86400) return CHK_RATING_CLOSED;
    principal who = {.username = "public_checkin", .request_id = w->in->request_id, .ip = w->in->ip};
    *w->title = ses.owner.title;
    return k->on_rating(c, &who, w->a, ses.owner_id, person_id, w->in->stars, w->in->comment, w->replaced);
}

int checkin_rate(db *c, arena *a, int64_t session_id, const checkin_rating_input *in, bool *replaced,
                 const char **title)
{
    struct rate_args w = {a, session_id, in, replaced, title};
    *replaced = false;
    *title = NULL;
    return db_transaction(c, rate_cb, &w);
}
