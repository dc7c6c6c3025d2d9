/* plans.c - teaching plans (教学计划) and their review workflow (see teaching.h): the model,
 * its SQL, the steps table and the category dictionary. */
#include "teaching/teaching.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/steps.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <stdio.h>
#include <string.h>

const char *const teaching_terms[] = {"spring", "autumn", "year", NULL};

bool teaching_term_range(int year, const char *term, char from[11], char to[11])
{
    unsigned y = (unsigned)year % 10000u;
    if (!term) return false;
    if (!strcmp(term, "spring")) snprintf(from, 11, "%04u-03-01", y), snprintf(to, 11, "%04u-07-31", y);
    else if (!strcmp(term, "autumn")) snprintf(from, 11, "%04u-09-01", y), snprintf(to, 11, "%04u-01-31", (y + 1) % 10000u);
    else if (!strcmp(term, "year")) snprintf(from, 11, "%04u-01-01", y), snprintf(to, 11, "%04u-12-31", y);
    else return false;
    return true;
}

bool teaching_category_exists(db *c, const char *code)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM teaching_categories WHERE code = ?");
    if (!s) return false;
    db_bind_text(s, 1, code);
    bool found = db_step(s) == DB_ROW;
    db_finish(s);
    return found;
}

int teaching_categories_write(db *c, jw *w)
{
    db_stmt *s = db_prepare(c, "SELECT code, name, sort FROM teaching_categories ORDER BY sort, code");
    if (!s) return DB_ERR;
    int rc;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "code"), jw_str(w, db_col_text(s, 0));
        jw_key(w, "name"), jw_str(w, db_col_text(s, 1));
        jw_key(w, "sort"), jw_int(w, db_col_int(s, 2));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

#define PLAN_COLS "x.id, x.org_id, x.org_path, o.name, x.year, x.term, x.term_from, x.term_to, x.title, x.status, " \
                  "x.returned_reason, x.submitted_at, x.reviewed_at, x.reviewed_by, x.created_by, x.created_at, " \
                  "x.updated_at, (SELECT COUNT(*) FROM teaching_plan_items i WHERE i.plan_id = x.id)"
#define PLAN_FROM " FROM teaching_plans x JOIN orgs o ON o.id = x.org_id"

static void read_plan(db_stmt *s, arena *a, void *row)
{
    plan *x = row;
    memset(x, 0, sizeof *x);
    x->id = db_col_int(s, 0);
    x->org_id = db_col_int(s, 1);
    x->org_path = arena_strdup(a, db_col_text(s, 2));
    x->org_name = arena_strdup(a, db_col_text(s, 3));
    x->year = db_col_int(s, 4);
    x->term = arena_strdup(a, db_col_text(s, 5));
    x->term_from = arena_strdup(a, db_col_text(s, 6));
    x->term_to = arena_strdup(a, db_col_text(s, 7));
    x->title = arena_strdup(a, db_col_text(s, 8));
    x->status = arena_strdup(a, db_col_text(s, 9));
    x->returned_reason = arena_strdup(a, db_col_text(s, 10));
    x->submitted_at = arena_strdup(a, db_col_text(s, 11));
    x->reviewed_at = arena_strdup(a, db_col_text(s, 12));
    x->reviewed_by = db_col_null(s, 13) ? 0 : db_col_int(s, 13);
    x->created_by = db_col_null(s, 14) ? 0 : db_col_int(s, 14);
    x->created_at = arena_strdup(a, db_col_text(s, 15));
    x->updated_at = arena_strdup(a, db_col_text(s, 16));
    x->item_count = db_col_int(s, 17);
}

static void plan_fields(jw *w, const plan *x)
{
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "org_id"), jw_int(w, x->org_id);
    jw_key(w, "org_name"), jw_str(w, x->org_name);
    jw_key(w, "year"), jw_int(w, x->year);
    jw_key(w, "term"), jw_str(w, x->term);
    jw_key(w, "term_from"), jw_str(w, x->term_from);
    jw_key(w, "term_to"), jw_str(w, x->term_to);
    jw_key(w, "title"), jw_str(w, x->title);
    jw_key(w, "status"), jw_str(w, x->status);
    jw_key(w, "returned_reason"), jw_str(w, x->returned_reason);
    jw_key(w, "submitted_at"), jw_str(w, x->submitted_at);
    jw_key(w, "reviewed_at"), jw_str(w, x->reviewed_at);
    jw_key(w, "reviewed_by"), jw_int_or_null(w, x->reviewed_by);
    jw_key(w, "item_count"), jw_int(w, x->item_count);
    jw_key(w, "created_by"), jw_int_or_null(w, x->created_by);
    jw_key(w, "created_at"), jw_str(w, x->created_at);
    jw_key(w, "updated_at"), jw_str(w, x->updated_at);
}

void plan_write(jw *w, const plan *x)
{
    jw_obj(w);
    plan_fields(w, x);
    jw_obj_end(w);
}

/* Items with the state of their courses: the latest course not cancelled, and whether one was
 * held. *planned and *held count them for the plan's completion. */
static int write_items(db *c, int64_t plan_id, jw *w, int64_t *planned, int64_t *held)
{
    db_stmt *s = db_prepare(c,
        "SELECT i.id, i.seq, i.topic, i.category, k.name, i.teacher_name, i.teacher_id, i.planned_date, i.place, "
        "(SELECT MAX(x.id) FROM courses x WHERE x.plan_item_id = i.id AND x.status <> 'cancelled'), "
        "(SELECT COUNT(*) FROM courses x WHERE x.plan_item_id = i.id AND x.status = 'held') "
        "FROM teaching_plan_items i LEFT JOIN teaching_categories k ON k.code = i.category "
        "WHERE i.plan_id = ? ORDER BY i.seq, i.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, plan_id);
    int rc;
    *planned = *held = 0;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        bool done = db_col_int(s, 10) > 0;
        ++*planned;
        *held += done;
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "seq"), jw_int(w, db_col_int(s, 1));
        jw_key(w, "topic"), jw_str(w, db_col_text(s, 2));
        jw_key(w, "category"), jw_str(w, db_col_text(s, 3));
        jw_key(w, "category_name"), jw_str(w, db_col_text(s, 4));
        jw_key(w, "teacher_name"), jw_str(w, db_col_text(s, 5));
        jw_key(w, "teacher_id"), jw_int_or_null(w, db_col_null(s, 6) ? 0 : db_col_int(s, 6));
        jw_key(w, "planned_date"), jw_str(w, db_col_text(s, 7));
        jw_key(w, "place"), jw_str(w, db_col_text(s, 8));
        jw_key(w, "course_id"), jw_int_or_null(w, db_col_null(s, 9) ? 0 : db_col_int(s, 9));
        jw_key(w, "held"), jw_bool(w, done);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static int write_steps(db *c, int64_t plan_id, jw *w)
{
    db_stmt *s = db_prepare(c, "SELECT id, action, from_status, to_status, reason, user_id, username, at "
                               "FROM teaching_plan_steps WHERE plan_id = ? ORDER BY id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, plan_id);
    int rc;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "action"), jw_str(w, db_col_text(s, 1));
        jw_key(w, "from_status"), jw_str(w, db_col_text(s, 2));
        jw_key(w, "to_status"), jw_str(w, db_col_text(s, 3));
        jw_key(w, "reason"), jw_str(w, db_col_text(s, 4));
        jw_key(w, "user_id"), jw_int_or_null(w, db_col_null(s, 5) ? 0 : db_col_int(s, 5));
        jw_key(w, "username"), jw_str(w, db_col_text(s, 6));
        jw_key(w, "at"), jw_str(w, db_col_text(s, 7));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int plans_write_detail(db *c, const principal *p, arena *a, const plan *x, jw *w)
{
    (void)p;   /* x was read within the caller's scope; its items and steps follow it */
    int64_t planned = 0, held = 0;
    jw_obj(w);
    plan_fields(w, x);
    jw_key(w, "items");
    int rc = write_items(c, x->id, w, &planned, &held);
    jw_key(w, "steps");
    if (rc == DB_OK) rc = write_steps(c, x->id, w);
    jw_key(w, "completion");
    jw_obj(w);
    jw_key(w, "planned"), jw_int(w, planned);
    jw_key(w, "held"), jw_int(w, held);
    jw_key(w, "rate");
    if (planned) jw_raw(w, arena_printf(a, "%.3f", (double)held / (double)planned));
    else jw_null(w);
    jw_obj_end(w);
    jw_obj_end(w);
    return rc;
}

/* The audit form: the plan with its items, so that a diff shows what the revision changed. */
static json_t *plan_audit_json(db *c, const plan *x)
{
    jw w;
    int64_t planned, held;
    jw_init(&w);
    jw_obj(&w);
    plan_fields(&w, x);
    jw_key(&w, "items");
    if (write_items(c, x->id, &w, &planned, &held) != DB_OK) jw_null(&w);
    jw_obj_end(&w);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, plan *out)
{
    qb q;
    qb_init(&q, "SELECT " PLAN_COLS PLAN_FROM " WHERE x.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "x.org_path", "x.created_by");
    return qb_get_one(c, &q, a, read_plan, out, TEACH_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, plan *out) { return get_scoped(c, NULL, a, id, out); }

int plans_get(db *c, const principal *p, arena *a, int64_t id, plan *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

int plans_find(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term, plan *out)
{
    qb q;
    qb_init(&q, "SELECT " PLAN_COLS PLAN_FROM " WHERE x.org_id = ? AND x.year = ? AND x.term = ?");
    qb_int(&q, org_id);
    qb_int(&q, year);
    qb_text(&q, term);
    scope_filter_owned(&p->scope, &q, "x.org_path", "x.created_by");
    return qb_get_one(c, &q, a, read_plan, out, TEACH_NOT_FOUND);
}

int plans_items(db *c, arena *a, const plan *x, plan_item **out, int *n)
{
    db_stmt *s = db_prepare(c, "SELECT id, topic, category, teacher_name, teacher_id, planned_date, place "
                               "FROM teaching_plan_items WHERE plan_id = ? ORDER BY seq, id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->id);
    *out = arena_alloc(a, (size_t)(x->item_count > 0 ? x->item_count : 1) * sizeof **out);
    *n = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < x->item_count) {
        plan_item *it = &(*out)[(*n)++];
        it->id = db_col_int(s, 0);
        it->topic = arena_strdup(a, db_col_text(s, 1));
        it->category = arena_strdup(a, db_col_text(s, 2));
        it->teacher_name = arena_strdup(a, db_col_text(s, 3));
        it->teacher_id = db_col_null(s, 4) ? 0 : db_col_int(s, 4);
        it->planned_date = arena_strdup(a, db_col_text(s, 5));
        it->place = arena_strdup(a, db_col_text(s, 6));
    }
    db_finish(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

static void list_where(qb *q, const principal *p, arena *a, const plan_filter *f, const char *org_path)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, q, "x.org_path", "x.created_by");
    if (org_path) {
        qb_subtree(q, a, "x.org_path", org_path);
    }
    if (f->year) qb_sql(q, " AND x.year = ?"), qb_int(q, f->year);
    if (f->term && *f->term) qb_sql(q, " AND x.term = ?"), qb_text(q, f->term);
    if (f->status && *f->status) qb_sql(q, " AND x.status = ?"), qb_text(q, f->status);
}

/* One row of the list into its JSON array (qb_list_page's row callback). */
static void plans_list_row(db_stmt *s, arena *a, void *items)
{
    plan x;
    read_plan(s, a, &x);
    plan_write(items, &x);
}

int plans_list(db *c, const principal *p, arena *a, const plan_filter *f, int64_t limit, int64_t offset,
               jw *items, int64_t *total)
{
    const char *org_path = NULL;
    if (f->org_id) {
        org o;
        int rc = orgs_get(c, p, a, f->org_id, &o);
        if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TEACH_ORG_NOT_FOUND : rc;
        org_path = o.path;
    }
    qb where;
    qb_init(&where, "");
    list_where(&where, p, a, f, org_path);
    jw_arr(items);
    const char *by = f->oldest_submitted_first ? " ORDER BY x.submitted_at, x.id"
                                               : " ORDER BY x.year DESC, x.term_from DESC, x.id DESC";
    int rc = qb_list_page(c, PLAN_COLS, PLAN_FROM, &where, by, limit, offset, total, plans_list_row, a, items);
    jw_arr_end(items);
    return rc;
}

static int add_step(db *c, const principal *p, int64_t plan_id, const char *action, const char *from,
                    const char *to, const char *reason, const char *now)
{
    static const db_steps history = {"teaching_plan_steps", "plan_id", NULL, "user_id", "username", NULL};
    const db_step_entry st = {plan_id, NULL, action, from, to, reason, p->user_id, p->username, 0, now};
    return db_steps_add(c, &history, &st);
}

/* The plan's items become exactly in->items (numbered from 1). Only drafts and returned plans
 * change, and no course starts from an item of those, so nothing refers to the old rows. */
static int replace_items(db *c, int64_t plan_id, const plan *in)
{
    db_stmt *s = db_prepare(c, "DELETE FROM teaching_plan_items WHERE plan_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, plan_id);
    int rc = db_exec_stmt(s);
    db_finish(s);
    for (int i = 0; rc == DB_OK && i < in->nitems; i++) {
        const plan_item *it = &in->items[i];
        s = db_prepare(c, "INSERT INTO teaching_plan_items (plan_id, seq, topic, category, teacher_name, teacher_id, "
                          "planned_date, place) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, plan_id);
        db_bind_int(s, 2, i + 1);
        db_bind_text(s, 3, it->topic);
        db_bind_text(s, 4, it->category);
        db_bind_text(s, 5, it->teacher_name);
        if (it->teacher_id) db_bind_int(s, 6, it->teacher_id);
        else db_bind_text(s, 6, NULL);
        db_bind_text(s, 7, it->planned_date);
        db_bind_text(s, 8, it->place);
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    return rc;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;               /* 0: create */
    const plan *in;
    const char *action, *reason;
    plan *out;
};

static int audit_plan(db *c, const struct write_args *w, json_t *before, const char *action)
{
    json_t *after = plan_audit_json(c, w->out);
    int rc = audit_record(c, actor_of(w->p), w->out->org_path, "teaching_plan", w->out->id, action, before, after);
    json_decref(after);
    return rc;
}

/* A plan belongs to a teaching point in the caller's scope. */
static int point_in_scope(db *c, const principal *p, arena *a, int64_t org_id, org *o)
{
    int rc = orgs_get(c, p, a, org_id, o);
    if (rc == ORGS_NOT_FOUND) return TEACH_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    return strcmp(o->type, "point") ? TEACH_NOT_POINT : DB_OK;
}

static int create_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    org o;
    char now[40], from[11], to[11];
    int rc = point_in_scope(c, w->p, w->a, w->in->org_id, &o);
    if (rc != DB_OK) return rc;
    teaching_term_range((int)w->in->year, w->in->term, from, to);
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "INSERT INTO teaching_plans (org_id, org_path, year, term, term_from, term_to, title, "
                               "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) "
                               "RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, o.id);
    db_bind_text(s, 2, o.path);
    db_bind_int(s, 3, w->in->year);
    db_bind_text(s, 4, w->in->term);
    db_bind_text(s, 5, from);
    db_bind_text(s, 6, to);
    db_bind_text(s, 7, w->in->title);
    if (w->p->user_id) db_bind_int(s, 8, w->p->user_id);
    else db_bind_text(s, 8, NULL);
    db_bind_text(s, 9, now);
    db_bind_text(s, 10, now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc == DB_UNIQUE) return TEACH_DUPLICATE;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    rc = replace_items(c, id, w->in);
    if (rc == DB_OK) rc = add_step(c, w->p, id, "create", NULL, "draft", NULL, now);
    if (rc == DB_OK) rc = get_unscoped(c, w->a, id, w->out);
    if (rc == DB_OK) rc = audit_plan(c, w, NULL, "create");
    return rc;
}

int plans_create(db *c, const principal *p, arena *a, const plan *in, plan *out)
{
    struct write_args w = {p, a, 0, in, NULL, NULL, out};
    return db_transaction(c, create_cb, &w);
}

static bool editable(const plan *x) { return !strcmp(x->status, "draft") || !strcmp(x->status, "returned"); }

static int update_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    plan before;
    char now[40], from[11], to[11];
    int rc = plans_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!editable(&before)) return TEACH_BAD_STATE;
    json_t *bj = plan_audit_json(c, &before);
    teaching_term_range((int)w->in->year, w->in->term, from, to);
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "UPDATE teaching_plans SET year = ?, term = ?, term_from = ?, term_to = ?, title = ?, "
                               "status = 'draft', updated_at = ? WHERE id = ?");
    rc = s ? DB_OK : DB_ERR;
    if (s) {
        db_bind_int(s, 1, w->in->year);
        db_bind_text(s, 2, w->in->term);
        db_bind_text(s, 3, from);
        db_bind_text(s, 4, to);
        db_bind_text(s, 5, w->in->title);
        db_bind_text(s, 6, now);
        db_bind_int(s, 7, w->id);
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    if (rc == DB_UNIQUE) rc = TEACH_DUPLICATE;
    if (rc == DB_OK) rc = replace_items(c, w->id, w->in);
    /* revising a returned plan is a step of the workflow: it is a draft again */
    if (rc == DB_OK && !strcmp(before.status, "returned"))
        rc = add_step(c, w->p, w->id, "revise", "returned", "draft", NULL, now);
    if (rc == DB_OK) rc = get_unscoped(c, w->a, w->id, w->out);
    if (rc == DB_OK) rc = audit_plan(c, w, bj, "update");
    json_decref(bj);
    return rc;
}

int plans_update(db *c, const principal *p, arena *a, int64_t id, const plan *in, plan *out)
{
    struct write_args w = {p, a, id, in, NULL, NULL, out};
    return db_transaction(c, update_cb, &w);
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    plan before;
    int rc = plans_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft")) return TEACH_BAD_STATE;
    json_t *bj = plan_audit_json(c, &before);
    static const char *const sqls[] = {"DELETE FROM teaching_plan_steps WHERE plan_id = ?",
                                       "DELETE FROM teaching_plan_items WHERE plan_id = ?",
                                       "DELETE FROM teaching_plans WHERE id = ?"};
    for (int i = 0; rc == DB_OK && i < 3; i++) {
        db_stmt *s = db_prepare(c, sqls[i]);
        if (!s) { rc = DB_ERR; break; }
        db_bind_int(s, 1, w->id);
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), before.org_path, "teaching_plan", w->id, "delete", bj, NULL);
    json_decref(bj);
    return rc;
}

int plans_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct write_args w = {p, a, id, NULL, NULL, NULL, NULL};
    return db_transaction(c, delete_cb, &w);
}

/* Reviewers sit strictly above the plan's point: their home org's path is a proper prefix. */
static bool upper_level_of(const principal *p, const char *org_path)
{
    size_t n = p->org_path ? strlen(p->org_path) : 0;
    return n > 0 && strlen(org_path) > n && !strncmp(p->org_path, org_path, n);
}

static int transition_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    plan before;
    char now[40];
    int rc = plans_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    bool submit = !strcmp(w->action, "submit"), approve = !strcmp(w->action, "approve");
    const char *to = submit ? "submitted" : approve ? "approved" : "returned";
    if (!submit && !upper_level_of(w->p, before.org_path)) return TEACH_OWN_UNIT;
    if (submit ? !editable(&before) : strcmp(before.status, "submitted") != 0) return TEACH_BAD_STATE;
    if (submit && before.item_count == 0) return TEACH_NO_ITEMS;
    json_t *bj = plan_audit_json(c, &before);
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, submit
        ? "UPDATE teaching_plans SET status = ?, returned_reason = ?, submitted_at = ?, updated_at = ? WHERE id = ?"
        : "UPDATE teaching_plans SET status = ?, returned_reason = ?, reviewed_at = ?, updated_at = ?, reviewed_by = ? "
          "WHERE id = ?");
    rc = s ? DB_OK : DB_ERR;
    if (s) {
        db_bind_text(s, 1, to);
        /* a resubmitted plan keeps the last return's reason on record in its steps only */
        db_bind_text(s, 2, submit || approve ? NULL : w->reason);
        db_bind_text(s, 3, now);
        db_bind_text(s, 4, now);
        if (submit) db_bind_int(s, 5, w->id);
        else {
            if (w->p->user_id) db_bind_int(s, 5, w->p->user_id);
            else db_bind_text(s, 5, NULL);
            db_bind_int(s, 6, w->id);
        }
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    if (rc == DB_OK) rc = add_step(c, w->p, w->id, w->action, before.status, to, w->reason, now);
    if (rc == DB_OK) rc = get_unscoped(c, w->a, w->id, w->out);
    if (rc == DB_OK) rc = audit_plan(c, w, bj, w->action);
    json_decref(bj);
    return rc;
}

int plans_transition(db *c, const principal *p, arena *a, int64_t id, const char *action, const char *reason,
                     plan *out)
{
    struct write_args w = {p, a, id, NULL, action, reason, out};
    return db_transaction(c, transition_cb, &w);
}
