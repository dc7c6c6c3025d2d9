/* selection.c - the excellent-teacher selection's model (see selection.h). */
#include "teaching/selection.h"
#include "teaching/teacher_internal.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <string.h>

#define S_COLS "s.id, s.year, s.teacher_id, s.nominator_org_id, t.name, o.name, t.unit, t.title, n.name, " \
               "s.org_path, s.reason, s.status, s.decision_reason, s.nominated_at, s.decided_at"
#define S_FROM " FROM teacher_selections s JOIN teachers t ON t.id = s.teacher_id JOIN orgs o ON o.id = t.org_id " \
               "LEFT JOIN orgs n ON n.id = s.nominator_org_id"

static void read_selection(db_stmt *s, arena *a, void *row)
{
    selection *x = row;
    memset(x, 0, sizeof *x);
    x->id = db_col_int(s, 0);
    x->year = db_col_int(s, 1);
    x->teacher_id = db_col_int(s, 2);
    x->nominator_org_id = db_col_null(s, 3) ? 0 : db_col_int(s, 3);
    x->teacher_name = arena_strdup(a, db_col_text(s, 4));
    x->teacher_org_name = arena_strdup(a, db_col_text(s, 5));
    x->teacher_unit = arena_strdup(a, db_col_text(s, 6));
    x->teacher_title = arena_strdup(a, db_col_text(s, 7));
    x->nominator_org_name = arena_strdup(a, db_col_text(s, 8));
    x->org_path = arena_strdup(a, db_col_text(s, 9));
    x->reason = arena_strdup(a, db_col_text(s, 10));
    x->status = arena_strdup(a, db_col_text(s, 11));
    x->decision_reason = arena_strdup(a, db_col_text(s, 12));
    x->nominated_at = arena_strdup(a, db_col_text(s, 13));
    x->decided_at = arena_strdup(a, db_col_text(s, 14));
}

void selection_write(jw *w, const selection *x)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "year"), jw_int(w, x->year);
    jw_key(w, "teacher_id"), jw_int(w, x->teacher_id);
    jw_key(w, "teacher_name"), jw_str(w, x->teacher_name);
    jw_key(w, "teacher_org_name"), jw_str(w, x->teacher_org_name);
    jw_key(w, "teacher_unit"), jw_str(w, x->teacher_unit);
    jw_key(w, "teacher_title"), jw_str(w, x->teacher_title);
    jw_key(w, "nominator_org_id"), jw_int_or_null(w, x->nominator_org_id);
    jw_key(w, "nominator_org_name"), jw_str(w, x->nominator_org_name);
    jw_key(w, "reason"), jw_str(w, x->reason);
    jw_key(w, "status"), jw_str(w, x->status);
    jw_key(w, "decision_reason"), jw_str(w, x->decision_reason);
    jw_key(w, "nominated_at"), jw_str(w, x->nominated_at);
    jw_key(w, "decided_at"), jw_str(w, x->decided_at);
    jw_obj_end(w);
}

static json_t *selection_json(const selection *x)
{
    jw w;
    jw_init(&w);
    selection_write(&w, x);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, selection *out)
{
    qb q;
    qb_init(&q, "SELECT " S_COLS S_FROM " WHERE s.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "s.org_path", "t.created_by");   /* scope self: its own teachers' */
    return qb_get_one(c, &q, a, read_selection, out, TCH_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, selection *out) { return get_scoped(c, NULL, a, id, out); }

int selections_get(db *c, const principal *p, arena *a, int64_t id, selection *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

int selections_list(db *c, const principal *p, arena *a, int64_t year, const char *status, jw *items)
{
    qb q;
    qb_init(&q, "SELECT " S_COLS S_FROM " WHERE 1 = 1");
    scope_filter_owned(&p->scope, &q, "s.org_path", "t.created_by");   /* scope self: its own teachers' */
    if (year) qb_sql(&q, " AND s.year = ?"), qb_int(&q, year);
    if (status && *status) qb_sql(&q, " AND s.status = ?"), qb_text(&q, status);
    qb_sql(&q, " ORDER BY s.year DESC, s.id LIMIT 1000");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    selection x;
    jw_arr(items);
    while ((rc = db_step(s)) == DB_ROW) {
        read_selection(s, a, &x);
        selection_write(items, &x);
    }
    jw_arr_end(items);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int teacher_selections_of(db *c, int64_t teacher_id, jw *w)
{
    arena a;
    arena_init(&a);
    db_stmt *s = db_prepare(c, "SELECT " S_COLS S_FROM " WHERE s.teacher_id = ? ORDER BY s.year DESC");
    int rc = s ? DB_OK : DB_ERR;
    selection x;
    if (s) db_bind_int(s, 1, teacher_id);
    jw_arr(w);
    while (s && (rc = db_step(s)) == DB_ROW) {
        read_selection(s, &a, &x);
        selection_write(w, &x);
    }
    jw_arr_end(w);
    db_finish(s);
    arena_free(&a);
    return rc == DB_DONE ? DB_OK : rc;
}

/* A district's org_admin (or the city's, or an admin) nominates within its own subtree. */
static int check_nominator(db *c, const principal *p, arena *a, const teacher *t)
{
    if (p->rank >= RANK_ADMIN) return DB_OK;
    size_t n = p->org_path ? strlen(p->org_path) : 0;
    if (p->rank < RANK_ORG_ADMIN || !n || strncmp(p->org_path, t->org_path, n)) return TCH_NOT_DISTRICT;
    org own;
    int rc = orgs_get(c, p, a, p->org_id, &own);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TCH_NOT_DISTRICT : rc;
    return !strcmp(own.type, "district") || own.parent_id == 0 ? DB_OK : TCH_NOT_DISTRICT;
}

struct nominate_args {
    const principal *p;
    arena *a;
    int64_t year, teacher_id, id;
    const char *reason;
    bool approve;
    selection *out;
};

static int nominate_cb(db *c, void *cls)
{
    struct nominate_args *x = cls;
    teacher t;
    int rc = teachers_get(c, x->p, x->a, x->teacher_id, &t);
    if (rc != DB_OK) return rc;
    if ((rc = check_nominator(c, x->p, x->a, &t)) != DB_OK) return rc;
    if (strcmp(t.status, "certified") && strcmp(t.status, "filed") && strcmp(t.status, "city_pool"))
        return TCH_WRONG_STATE;
    int64_t nominator = x->p->org_id;
    const char *ignored;
    if (!nominator && (rc = teachers_district_of(c, x->a, t.org_path, &nominator, &ignored)) != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "INSERT INTO teacher_selections (year, teacher_id, org_path, nominator_org_id, reason, "
                               "status, nominated_by, nominated_at) VALUES (?, ?, ?, ?, ?, 'nominated', ?, ?) "
                               "ON CONFLICT (year, teacher_id) DO NOTHING RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->year);
    db_bind_int(s, 2, t.id);
    db_bind_text(s, 3, t.org_path);
    db_bind_int(s, 4, nominator);
    db_bind_text(s, 5, x->reason);
    if (x->p->user_id) db_bind_int(s, 6, x->p->user_id);
    else db_bind_text(s, 6, NULL);
    db_bind_text(s, 7, now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc == DB_DONE || rc == DB_UNIQUE) return TCH_DUPLICATE;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = get_unscoped(c, x->a, id, x->out)) != DB_OK) return rc;
    json_t *after = selection_json(x->out);
    rc = audit_record(c, actor_of(x->p), t.org_path, "teacher_selection", id, "nominate", NULL, after);
    json_decref(after);
    return rc;
}

int selections_nominate(db *c, const principal *p, arena *a, int64_t year, int64_t teacher_id, const char *reason,
                        selection *out)
{
    struct nominate_args x = {p, a, year, teacher_id, 0, reason, false, out};
    return db_transaction(c, nominate_cb, &x);
}

static int decide_cb(db *c, void *cls)
{
    struct nominate_args *x = cls;
    selection before;
    int rc = selections_get(c, x->p, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    if (!teachers_caller_is_city(x->p)) return TCH_NOT_CITY;
    if (strcmp(before.status, "nominated")) return TCH_WRONG_STATE;
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "UPDATE teacher_selections SET status = ?, decision_reason = ?, decided_by = ?, "
                               "decided_at = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, x->approve ? "approved" : "rejected");
    db_bind_text(s, 2, x->reason);
    if (x->p->user_id) db_bind_int(s, 3, x->p->user_id);
    else db_bind_text(s, 3, NULL);
    db_bind_text(s, 4, now);
    db_bind_int(s, 5, x->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc == DB_OK) rc = get_unscoped(c, x->a, x->id, x->out);
    if (rc != DB_OK) return rc;
    json_t *b = selection_json(&before), *after = selection_json(x->out);
    rc = audit_record(c, actor_of(x->p), before.org_path, "teacher_selection", x->id, x->approve ? "approve" : "reject", b, after);
    json_decref(b);
    json_decref(after);
    return rc;
}

int selections_decide(db *c, const principal *p, arena *a, int64_t id, bool approve, const char *reason,
                      selection *out)
{
    struct nominate_args x = {p, a, 0, 0, id, reason, approve, out};
    return db_transaction(c, decide_cb, &x);
}
