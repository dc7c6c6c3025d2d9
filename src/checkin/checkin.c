/* checkin.c - check-in sessions and their records (see checkin.h): the owner kinds' registry,
 * opening and closing sessions in the caller's scope, and the attendance records staff mark.
 * Every record goes through checkin_record(), which runs the owner kind's hook in the same
 * transaction, so the owner's figures never drift from the records. */
#include "checkin/checkin_internal.h"
#include "audit/audit.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define MAX_KINDS 8
static const checkin_kind *kinds[MAX_KINDS];
static int nkinds;

void checkin_register_kind(const checkin_kind *k)
{
    for (int i = 0; i < nkinds; i++)
        if (!strcmp(kinds[i]->kind, k->kind)) return;
    if (nkinds < MAX_KINDS) kinds[nkinds++] = k;
}

const checkin_kind *checkin_kind_find(const char *kind)
{
    for (int i = 0; kind && i < nkinds; i++)
        if (!strcmp(kinds[i]->kind, kind)) return kinds[i];
    return NULL;
}

void checkin_session_write(jw *w, const checkin_session *s, bool with_code)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, s->id);
    jw_key(w, "kind"), jw_str(w, s->owner_kind);
    jw_key(w, "owner_id"), jw_int(w, s->owner_id);
    jw_key(w, "title"), jw_str(w, s->owner.title);
    jw_key(w, "place"), jw_str(w, s->owner.place);
    jw_key(w, "starts_at"), jw_str(w, s->owner.starts_at);
    jw_key(w, "ends_at"), jw_str(w, s->owner.ends_at);
    char t[40];
    time_to_rfc3339(s->owner.opens, t);
    jw_key(w, "opens_at"), jw_str(w, t);
    time_to_rfc3339(s->owner.closes, t);
    jw_key(w, "closes_at"), jw_str(w, t);
    jw_key(w, "status"), jw_str(w, s->status);
    jw_key(w, "window_open"), jw_bool(w, checkin_window_open(s));
    jw_key(w, "checked_in"), jw_int(w, s->checked_in);
    if (with_code) jw_key(w, "code"), jw_str(w, s->code);
    jw_key(w, "created_at"), jw_str(w, s->created_at);
    jw_key(w, "updated_at"), jw_str(w, s->updated_at);
    jw_obj_end(w);
}

bool checkin_window_open(const checkin_session *s)
{
    time_t now = time(NULL);
    return !strcmp(s->status, "open") && !s->owner.cancelled && now >= s->owner.opens && now <= s->owner.closes;
}

static json_t *session_json(const checkin_session *s)
{
    jw w;
    jw_init(&w);
    checkin_session_write(&w, s, false);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

#define S_COLS "id, owner_kind, owner_id, org_path, code, status, checked_in, created_by, created_at, updated_at"

/* One session by id or by owner, within sc (NULL: any), with its owner loaded. */
static int read_session(db *c, const scope *sc, arena *a, int64_t id, const char *kind, int64_t owner_id,
                        checkin_session *out)
{
    qb q;
    if (id) qb_init(&q, "SELECT " S_COLS " FROM checkin_sessions WHERE id = ?"), qb_int(&q, id);
    else qb_init(&q, "SELECT " S_COLS " FROM checkin_sessions WHERE owner_kind = ? AND owner_id = ?"),
         qb_text(&q, kind), qb_int(&q, owner_id);
    if (sc) scope_filter(sc, &q, "org_path");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int(s, 0);
        out->owner_kind = arena_strdup(a, db_col_text(s, 1));
        out->owner_id = db_col_int(s, 2);
        out->org_path = arena_strdup(a, db_col_text(s, 3));
        out->code = arena_strdup(a, db_col_text(s, 4));
        out->status = arena_strdup(a, db_col_text(s, 5));
        out->checked_in = db_col_int(s, 6);
        out->created_by = db_col_null(s, 7) ? 0 : db_col_int(s, 7);
        out->created_at = arena_strdup(a, db_col_text(s, 8));
        out->updated_at = arena_strdup(a, db_col_text(s, 9));
    }
    db_finish(s);
    if (rc != DB_ROW) return rc == DB_DONE ? CHK_NOT_FOUND : rc;
    const checkin_kind *k = checkin_kind_find(out->owner_kind);
    rc = k ? k->load(c, a, out->owner_id, &out->owner) : CHK_UNKNOWN_KIND;
    /* scope self sees the sessions of the owners it recorded, as it sees those owners */
    if (rc == DB_OK && sc && sc->level == SCOPE_SELF && out->owner.created_by != sc->user_id) return CHK_NOT_FOUND;
    return rc;
}

/* The session of an owner (kind, owner_id) or by id with no scope: only to re-read a row the
 * caller's transaction just wrote, or whose owner it already checked within the caller's scope. */
static int read_session_unscoped(db *c, arena *a, int64_t id, const char *kind, int64_t owner_id,
                                 checkin_session *out)
{
    return read_session(c, NULL, a, id, kind, owner_id, out);
}

int checkin_session_read_unscoped(db *c, arena *a, int64_t id, checkin_session *out)
{
    return read_session_unscoped(c, a, id, NULL, 0, out);
}

int checkin_get(db *c, const principal *p, arena *a, int64_t id, checkin_session *out)
{
    return read_session(c, &p->scope, a, id, NULL, 0, out);
}

int checkin_of_owner(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, checkin_session *out)
{
    return read_session(c, &p->scope, a, 0, kind, owner_id, out);
}

struct open_args {
    const principal *p;
    arena *a;
    const char *kind;
    int64_t owner_id, id;
    checkin_session *out;
};

static int open_cb(db *c, void *cls)
{
    struct open_args *w = cls;
    const checkin_kind *k = checkin_kind_find(w->kind);
    checkin_owner o;
    if (!k) return CHK_UNKNOWN_KIND;
    int rc = k->load(c, w->a, w->owner_id, &o);
    if (rc != DB_OK) return rc;
    if (!scope_covers(&w->p->scope, o.org_path)) return CHK_NOT_FOUND;
    if (w->p->scope.level == SCOPE_SELF && o.created_by != w->p->user_id) return CHK_NOT_FOUND;   /* not its own */
    if (o.cancelled) return CHK_WINDOW_CLOSED;
    checkin_session before;
    char now[40];
    time_now_rfc3339(now);
    rc = read_session_unscoped(c, w->a, 0, w->kind, w->owner_id, &before);
    if (rc == DB_OK && !strcmp(before.status, "open")) { *w->out = before; return DB_OK; }
    if (rc != DB_OK && rc != CHK_NOT_FOUND) return rc;
    bool exists = rc == DB_OK;
    char code[8];
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    db_stmt *s = db_prepare(c, exists
        ? "UPDATE checkin_sessions SET status = 'open', org_path = ?, updated_at = ?, code = ? WHERE id = ? "
          "RETURNING id"
        : "INSERT INTO checkin_sessions (org_path, updated_at, owner_kind, owner_id, code, status, created_by, "
          "created_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, o.org_path);
    db_bind_text(s, 2, now);
    if (exists) db_bind_text(s, 3, code), db_bind_int(s, 4, before.id);
    else {
        db_bind_text(s, 3, w->kind);
        db_bind_int(s, 4, w->owner_id);
        db_bind_text(s, 5, code);
        if (w->p->user_id) db_bind_int(s, 6, w->p->user_id);
        else db_bind_text(s, 6, NULL);
        db_bind_text(s, 7, now);
    }
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = read_session_unscoped(c, w->a, id, NULL, 0, w->out)) != DB_OK) return rc;
    json_t *b = exists ? session_json(&before) : NULL, *x = session_json(w->out);
    rc = audit_record(c, actor_of(w->p), o.org_path, "checkin_session", id, exists ? "open" : "create", b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

int checkin_open(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, checkin_session *out)
{
    struct open_args w = {p, a, kind, owner_id, 0, out};
    return db_transaction(c, open_cb, &w);
}

static int close_cb(db *c, void *cls)
{
    struct open_args *w = cls;
    checkin_session before;
    char now[40];
    time_now_rfc3339(now);
    int rc = checkin_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, "UPDATE checkin_sessions SET status = 'closed', updated_at = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, w->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc == DB_OK) rc = read_session_unscoped(c, w->a, w->id, NULL, 0, w->out);
    if (rc != DB_OK) return rc;
    json_t *b = session_json(&before), *x = session_json(w->out);
    rc = audit_record(c, actor_of(w->p), before.org_path, "checkin_session", w->id, "close", b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

int checkin_close(db *c, const principal *p, arena *a, int64_t id, checkin_session *out)
{
    struct open_args w = {p, a, NULL, 0, id, out};
    return db_transaction(c, close_cb, &w);
}

int checkin_record(db *c, arena *a, const checkin_kind *k, const checkin_session *ses, int64_t person_id,
                   const char *method, int64_t by, bool *already)
{
    char now[40];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "INSERT INTO checkins (session_id, org_path, person_kind, person_id, method, created_by, "
                               "at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, person_kind, person_id) "
                               "DO NOTHING RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, ses->id);
    db_bind_text(s, 2, ses->org_path);
    db_bind_text(s, 3, k->person_kind);
    db_bind_int(s, 4, person_id);
    db_bind_text(s, 5, method);
    if (by) db_bind_int(s, 6, by);
    else db_bind_text(s, 6, NULL);
    db_bind_text(s, 7, now);
    int rc = db_step(s);
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    *already = rc == DB_DONE;   /* counted once: the second scan changes nothing */
    if (*already) return DB_OK;
    if (!(s = db_prepare(c, "UPDATE checkin_sessions SET checked_in = checked_in + 1, updated_at = ? WHERE id = ?")))
        return DB_ERR;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, ses->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    return rc == DB_OK ? k->on_checkin(c, a, ses->owner_id, person_id) : rc;
}

struct mark_args {
    const principal *p;
    arena *a;
    const checkin_kind *k;
    checkin_session *ses;
    const int64_t *persons;
    int n, added, already;
    int64_t person;      /* unmark */
};

static int mark_cb(db *c, void *cls)
{
    struct mark_args *w = cls;
    json_t *ids = json_array();
    int rc = DB_OK;
    w->added = w->already = 0;
    for (int i = 0; rc == DB_OK && i < w->n; i++) {
        bool already = false;
        rc = w->k->person_visible(c, w->p, w->a, w->persons[i]);
        if (rc == DB_OK) rc = checkin_record(c, w->a, w->k, w->ses, w->persons[i], "staff", w->p->user_id, &already);
        if (rc == DB_OK && !already) json_array_append_new(ids, json_integer(w->persons[i]));
        if (already) w->already++;
        else if (rc == DB_OK) w->added++;
    }
    json_t *after = json_pack("{s:s, s:o}", "person_kind", w->k->person_kind, "added", ids);
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), w->ses->org_path, "checkin_session", w->ses->id, "mark", NULL, after);
    json_decref(after);
    return rc;
}

int checkin_mark(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, const int64_t *persons,
                 int n, int *added, int *already)
{
    checkin_session ses;
    const checkin_kind *k = checkin_kind_find(kind);
    if (!k) return CHK_UNKNOWN_KIND;
    /* marking after the course is fine: the window is for phones, not for the teacher */
    int rc = checkin_of_owner(c, p, a, kind, owner_id, &ses);
    if (rc == CHK_NOT_FOUND) rc = checkin_open(c, p, a, kind, owner_id, &ses);
    if (rc != DB_OK) return rc;
    struct mark_args w = {p, a, k, &ses, persons, n, 0, 0, 0};
    rc = db_transaction(c, mark_cb, &w);
    *added = w.added;
    *already = w.already;
    return rc;
}

static int unmark_cb(db *c, void *cls)
{
    struct mark_args *w = cls;
    char now[40];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "DELETE FROM checkins WHERE session_id = ? AND person_kind = ? AND person_id = ? "
                               "RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, w->ses->id);
    db_bind_text(s, 2, w->k->person_kind);
    db_bind_int(s, 3, w->person);
    int rc = db_step(s);
    db_finish(s);
    if (rc == DB_DONE) return CHK_PERSON_NOT_FOUND;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if (!(s = db_prepare(c, "UPDATE checkin_sessions SET checked_in = checked_in - 1, updated_at = ? WHERE id = ?")))
        return DB_ERR;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, w->ses->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc == DB_OK) rc = w->k->on_checkout(c, w->a, w->ses->owner_id, w->person);
    json_t *before = json_pack("{s:s, s:I}", "person_kind", w->k->person_kind, "person_id", (json_int_t)w->person);
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), w->ses->org_path, "checkin_session", w->ses->id, "unmark", before, NULL);
    json_decref(before);
    return rc;
}

int checkin_unmark(db *c, const principal *p, arena *a, const char *kind, int64_t owner_id, int64_t person_id)
{
    checkin_session ses;
    const checkin_kind *k = checkin_kind_find(kind);
    if (!k) return CHK_UNKNOWN_KIND;
    int rc = checkin_of_owner(c, p, a, kind, owner_id, &ses);
    if (rc == CHK_NOT_FOUND) return CHK_PERSON_NOT_FOUND;
    if (rc != DB_OK) return rc;
    struct mark_args w = {p, a, k, &ses, NULL, 0, 0, 0, person_id};
    return db_transaction(c, unmark_cb, &w);
}

void checkin_init(void)
{
    orgs_track_path_column("checkin_sessions", "org_path");
    orgs_track_path_column("checkins", "org_path");
}

int checkin_daily_counts(db *c, const principal *p, arena *a, const char *kind, const char *org_path,
                         const char *from, int ndays, int64_t *counts)
{
    char to[11], day[11];
    day_add(from, ndays, to);   /* times of the last day sort below the next day */
    memset(counts, 0, (size_t)ndays * sizeof *counts);
    qb q;
    qb_init(&q, "SELECT substr(k.at, 1, 10), COUNT(*) FROM checkins k JOIN checkin_sessions s ON s.id = k.session_id "
                "WHERE s.owner_kind = ?");
    qb_text(&q, kind);
    qb_subtree(&q, a, "k.org_path", org_path);
    qb_sql(&q, " AND k.at >= ? AND k.at < ?");
    qb_text(&q, from);
    qb_text(&q, to);
    scope_filter(&p->scope, &q, "k.org_path");
    qb_sql(&q, " GROUP BY substr(k.at, 1, 10)");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *d = db_col_text(s, 0);
        for (int i = 0; d && i < ndays; i++) {
            day_add(from, i, day);
            if (!strcmp(day, d)) { counts[i] = db_col_int(s, 1); break; }
        }
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}
