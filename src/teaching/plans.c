/* plans.c - teaching plans (教学计划) and their review workflow (see teaching.h): the model,
 * its SQL, the steps table and the category dictionary. */
#include "teaching/teaching.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/steps.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <stddef.h>
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
    qb q;
    int64_t one;
    qb_init(&q, "SELECT 1 FROM teaching_categories WHERE code = ?");
    qb_text(&q, code);
    return qb_exec(c, &q, &one) == DB_OK;
}

/* The module's codes, for plans and courses alike (TEACH_NOT_FOUND is a plain 404). */
const error_row teaching_errors[] = {
    {TEACH_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {TEACH_NOT_POINT, 422, "invalid_field", "org_id", "应为教学点 / must be a teaching point"},
    {TEACH_BAD_STATE, 409, "invalid_state", "status", "当前状态不允许此操作 / not allowed in the current status"},
    {TEACH_OWN_UNIT, 403, "forbidden", NULL, "须由上级单位审核 / only an upper level reviews a plan"},
    {TEACH_DUPLICATE, 409, "duplicate", "term", "该教学点本学期已有教学计划 / this point has a plan for the term"},
    {TEACH_NO_ITEMS, 422, "required", "items", "教学计划至少需要一项课程 / a plan needs at least one item"},
    {TEACH_ITEM_NOT_FOUND, 404, "not_found", "plan_item_id", "计划课程不存在 / plan item not found"},
    {TEACH_PLAN_NOT_APPROVED, 409, "plan_not_approved", "plan_item_id", "教学计划尚未审核通过 / the plan is not approved"},
    {TEACH_ITEM_OTHER_ORG, 422, "invalid_field", "org_id", "计划课程属于其他教学点 / the plan item belongs to another point"},
    {TEACH_NOT_STARTED, 409, "not_started", "starts_at", "课程尚未开始 / the course has not started yet"},
    {TEACH_TOO_MANY_FILES, 409, "too_many_files", NULL, "附件过多 / too many files"},
    {TEACH_TEACHER_NOT_IN_POOL, 422, "invalid_field", "teachers",
     "授课教师应从师资库选择，库外讲师请标为外聘 / pick teachers from the pool; others are guest speakers"},
    {0},
};

/* The category dictionary: the same for every unit, so its scope rule adds nothing. */
static void whole_dictionary(const scope *sc, qb *q) { (void)sc, (void)q; }

static const field category_fields[] = {
    {"code", "code", FT_TEXT, offsetof(teaching_category, code), .flags = 0},
    {"name", "name", FT_TEXT, offsetof(teaching_category, name), .flags = 0},
    {"sort", "sort", FT_INT, offsetof(teaching_category, sort), .flags = 0},
    {0},
};

entity teaching_category_entity = {
    .name = "teaching_category", .doc = "A course category (课程类别) of the dictionary",
    .from = " FROM teaching_categories", .id_column = "code", .scope_rule = whole_dictionary,
    .order = " ORDER BY sort, code", .size = sizeof(teaching_category), .fields = category_fields,
    .not_found = TEACH_NOT_FOUND, .errors = teaching_errors,
};

static const char *const plan_statuses[] = {"draft", "submitted", "approved", "returned", NULL};

/* The items' own JSON shape is read by teaching_api.c; here only that it is a short array. */
static const char *check_items(arena *a, json_t *v, const char **out)
{
    (void)a, (void)out;
    if (!json_is_array(v)) return "应为数组 / must be an array";
    return json_array_size(v) > PLAN_MAX_ITEMS ? "至多 200 项 / at most 200 items" : NULL;
}

#define T(member) offsetof(plan, member)
static const field plan_fields[] = {
    {"id", "x.id", FT_ID, T(id), .flags = 0},
    {"org_id", "x.org_id", FT_ID, T(org_id), .flags = FF_CREATE | FF_REQUIRED, .doc = "a teaching point"},
    {"org_path", "x.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"year", "x.year", FT_INT, T(year), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .min = 2000, .max = 2100},
    {"term", "x.term", FT_ENUM, T(term), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .choices = teaching_terms},
    {"term_from", "x.term_from", FT_DAY, T(term_from), .flags = 0},
    {"term_to", "x.term_to", FT_DAY, T(term_to), .flags = 0},
    {"title", "x.title", FT_TEXT, T(title), .flags = FF_WRITE | FF_REQUIRED, .max = 100},
    {"status", "x.status", FT_ENUM, T(status), .flags = FF_FILTER, .choices = plan_statuses},
    {"returned_reason", "x.returned_reason", FT_TEXT, T(returned_reason), .flags = 0},
    {"submitted_at", "x.submitted_at", FT_TIME, T(submitted_at), .flags = 0},
    {"reviewed_at", "x.reviewed_at", FT_TIME, T(reviewed_at), .flags = 0},
    {"reviewed_by", "x.reviewed_by", FT_INT_NULL, T(reviewed_by), .flags = 0},
    {"item_count", "(SELECT COUNT(*) FROM teaching_plan_items i WHERE i.plan_id = x.id)", FT_INT, T(item_count),
     .flags = 0},
    {"created_by", "x.created_by", FT_INT_NULL, T(created_by), .flags = 0},
    {"created_at", "x.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "x.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {"items", NULL, FT_JSON, T(items_body), .flags = FF_WRITE | FF_HIDDEN | FF_NO_SELECT, .check_json = check_items,
     .doc = "the items (replacing the stored ones when given); the detail lists them with their courses"},
    {0},
};
#undef T

#define I(member) offsetof(plan_item, member)
static const field plan_item_fields[] = {
    {"id", "i.id", FT_ID, I(id), .flags = 0},
    {"seq", "i.seq", FT_INT, I(seq), .flags = 0},
    {"topic", "i.topic", FT_TEXT, I(topic), .flags = FF_CREATE},
    {"category", "i.category", FT_TEXT, I(category), .flags = FF_CREATE},
    {"category_name", "k.name", FT_TEXT, I(category_name), .flags = 0},
    {"teacher_name", "i.teacher_name", FT_TEXT, I(teacher_name), .flags = FF_CREATE},
    {"teacher_id", "i.teacher_id", FT_INT_NULL, I(teacher_id), .flags = FF_CREATE},
    {"planned_date", "i.planned_date", FT_DAY, I(planned_date), .flags = FF_CREATE},
    {"place", "i.place", FT_TEXT, I(place), .flags = FF_CREATE},
    {"course_id", "(SELECT MAX(cs.id) FROM courses cs WHERE cs.plan_item_id = i.id AND cs.status <> 'cancelled')",
     FT_INT_NULL, I(course_id), .flags = 0, .doc = "the latest course from the item not cancelled"},
    {"held", "(SELECT COUNT(*) FROM courses cs WHERE cs.plan_item_id = i.id AND cs.status = 'held')", FT_BOOL,
     I(held), .flags = 0},
    {"plan_org_id", "x.org_id", FT_ID, I(plan_org_id), .flags = FF_HIDDEN},
    {"plan_status", "x.status", FT_TEXT, I(plan_status), .flags = FF_HIDDEN},
    {0},
};
#undef I

/* An item is seen through its plan: the plan's scope rule. */
entity plan_item_entity = {
    .name = "teaching_plan_item", .doc = "An item of a teaching plan: a course planned",
    .from = " FROM teaching_plan_items i JOIN teaching_plans x ON x.id = i.plan_id "
            "LEFT JOIN teaching_categories k ON k.code = i.category",
    .id_column = "i.id", .path_column = "x.org_path", .owner_column = "x.created_by",
    .order = " ORDER BY i.seq, i.id", .size = sizeof(plan_item), .fields = plan_item_fields,
    .not_found = TEACH_ITEM_NOT_FOUND, .errors = teaching_errors,
};

#define S(member) offsetof(plan_step, member)
static const field plan_step_fields[] = {
    {"id", "s.id", FT_ID, S(id), .flags = 0},
    {"action", "s.action", FT_TEXT, S(action), .flags = 0},
    {"from_status", "s.from_status", FT_TEXT, S(from_status), .flags = 0},
    {"to_status", "s.to_status", FT_TEXT, S(to_status), .flags = 0},
    {"reason", "s.reason", FT_TEXT, S(reason), .flags = 0},
    {"user_id", "s.user_id", FT_INT_NULL, S(user_id), .flags = 0},
    {"username", "s.username", FT_TEXT, S(username), .flags = 0},
    {"at", "s.at", FT_TIME, S(at), .flags = 0},
    {0},
};
#undef S

entity plan_step_entity = {
    .name = "teaching_plan_step", .doc = "A step of a plan's review (its timeline)",
    .from = " FROM teaching_plan_steps s JOIN teaching_plans x ON x.id = s.plan_id", .id_column = "s.id",
    .path_column = "x.org_path", .owner_column = "x.created_by", .order = " ORDER BY s.id",
    .size = sizeof(plan_step), .fields = plan_step_fields, .not_found = TEACH_NOT_FOUND, .errors = teaching_errors,
};

/* "<sql> WHERE <column> = plan_id": a plan's children (read within the caller's scope). */
static qb *of_plan(qb *q, const char *sql, const char *column, int64_t plan_id)
{
    qb_init(q, sql);
    qb_sql(q, " WHERE ");
    qb_sql(q, column);
    qb_sql(q, " = ?");
    qb_int(q, plan_id);
    return q;
}

/* Counts the items written, and those held, for the plan's completion. */
static void count_item(jw *w, const entity *e, const void *rec, void *cls)
{
    int64_t *n = cls;
    n[0]++;
    n[1] += ((const plan_item *)rec)->held;
    entity_write(w, e, rec);
}

/* The plan with its items (each with its courses' state) and, with detail, its steps and
 * completion; x was read within the caller's scope, and its items and steps follow it. */
static int plans_write_detail(db *c, arena *a, const plan *x, bool detail, jw *w)
{
    int64_t n[2] = {0, 0};
    qb q;
    jw_obj(w);
    entity_write_fields(w, &plan_entity, x);
    jw_key(w, "items");
    int rc = entity_list_all(c, &plan_item_entity, of_plan(&q, "", "i.plan_id", x->id), NULL, a, w, count_item, n);
    if (detail) {
        jw_key(w, "steps");
        if (rc == DB_OK) rc = entity_list_all(c, &plan_step_entity, of_plan(&q, "", "s.plan_id", x->id), NULL, a, w, NULL, NULL);
        jw_key(w, "completion"), jw_obj(w);
        jw_key(w, "planned"), jw_int(w, n[0]);
        jw_key(w, "held"), jw_int(w, n[1]);
        jw_key(w, "rate"), jw_raw(w, teaching_rate(a, n[0], n[1]));
        jw_obj_end(w);
    }
    jw_obj_end(w);
    return rc;
}

/* The audit form: the plan with its items, so that a diff shows what the revision changed (none
 * when they cannot be read). */
static json_t *plan_audit_json(db *c, arena *a, const plan *x)
{
    jw w;
    jw_init(&w);
    json_t *j = plans_write_detail(c, a, x, false, &w) == DB_OK ? jw_to_json(&w) : NULL;
    jw_free(&w);
    return j;
}

struct collect {
    plan_item *items;
    int n, max;
};

static void collect_item(jw *w, const entity *e, const void *rec, void *cls)
{
    (void)w, (void)e;
    struct collect *k = cls;
    if (k->n < k->max) k->items[k->n++] = *(const plan_item *)rec;
}

int plans_items(db *c, arena *a, const plan *x, plan_item **out, int *n)
{
    qb q;
    struct collect k = {arena_alloc(a, (size_t)(x->item_count > 0 ? x->item_count : 1) * sizeof **out), 0,
                        (int)x->item_count};
    int rc = entity_list_all(c, &plan_item_entity, of_plan(&q, "", "i.plan_id", x->id), NULL, a, NULL, collect_item, &k);
    *out = k.items;
    *n = k.n;
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
static int replace_items(db *c, arena *a, int64_t plan_id, const plan *in)
{
    qb q;
    int rc = qb_exec(c, of_plan(&q, "DELETE FROM teaching_plan_items", "plan_id", plan_id), NULL);
    for (int i = 0; rc == DB_OK && i < in->nitems; i++) {
        const entity_value more[] = {{"plan_id", .i = plan_id, .is_int = true}, {"seq", .i = i + 1, .is_int = true},
                                     {0}};
        rc = entity_store(c, &plan_item_entity, "teaching_plan_items", 0, &in->items[i], more, a, NULL);
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
    json_t *after = plan_audit_json(c, w->a, w->out);
    int rc = audit_record(c, actor_of(w->p), w->out->org_path, "teaching_plan", w->out->id, action, before, after);
    json_decref(after);
    return rc;
}

int teaching_point(db *c, const principal *p, arena *a, int64_t org_id, org *o)
{
    int rc = orgs_get(c, p, a, org_id, o);
    if (rc == ORGS_NOT_FOUND) return TEACH_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    return strcmp(o->type, "point") ? TEACH_NOT_POINT : DB_OK;
}

static bool editable(const plan *x) { return !strcmp(x->status, "draft") || !strcmp(x->status, "returned"); }

/* Creates a plan (w->id 0) at a point in scope, or revises an editable one; the items replaced. */
static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    plan before;
    org o;
    json_t *bj = NULL;
    char now[40], from[11], to[11];
    int rc = w->id ? entity_get(c, &plan_entity, &w->p->scope, w->a, w->id, &before)
                   : teaching_point(c, w->p, w->a, w->in->org_id, &o);
    if (rc != DB_OK) return rc;
    if (w->id && !editable(&before)) return TEACH_BAD_STATE;
    if (w->id) bj = plan_audit_json(c, w->a, &before);
    teaching_term_range((int)w->in->year, w->in->term, from, to);
    time_now_rfc3339(now);
    qb q;
    int64_t id = w->id;
    qb_init(&q, w->id ? "UPDATE teaching_plans SET year = ?, term = ?, term_from = ?, term_to = ?, title = ?, "
                        "updated_at = ?, status = 'draft' WHERE id = ? RETURNING id"
                      : "INSERT INTO teaching_plans (year, term, term_from, term_to, title, updated_at, status, org_id, "
                        "org_path, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id");
    qb_int(&q, w->in->year), qb_text(&q, w->in->term), qb_text(&q, from), qb_text(&q, to);
    qb_text(&q, w->in->title), qb_text(&q, now);
    if (w->id) qb_int(&q, w->id);
    else qb_int(&q, o.id), qb_text(&q, o.path), qb_int_or_null(&q, w->p->user_id), qb_text(&q, now);
    rc = qb_exec(c, &q, &id);
    if (rc == DB_UNIQUE) rc = TEACH_DUPLICATE;
    else if (rc != DB_OK) rc = rc < 0 ? rc : DB_ERR;
    if (rc == DB_OK) rc = replace_items(c, w->a, id, w->in);
    if (rc == DB_OK && !w->id) rc = add_step(c, w->p, id, "create", NULL, "draft", NULL, now);
    /* revising a returned plan is a step of the workflow: it is a draft again */
    else if (rc == DB_OK && !strcmp(before.status, "returned"))
        rc = add_step(c, w->p, w->id, "revise", "returned", "draft", NULL, now);
    /* unscoped: the row this transaction just wrote (or read within the scope and changed) */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &plan_entity, w->a, id, w->out);
    if (rc == DB_OK) rc = audit_plan(c, w, bj, w->id ? "update" : "create");
    json_decref(bj);
    return rc;
}

int plans_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, write_cb, &(struct write_args){p, a, 0, in, NULL, NULL, out});
}

/* Changes title, year, term and replaces the items (drafts and returned plans only; a returned
 * plan becomes a draft again, a step "revise"). */
static int plans_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, write_cb, &(struct write_args){p, a, id, in, NULL, NULL, out});
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    plan before;
    int rc = entity_get(c, &plan_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft")) return TEACH_BAD_STATE;
    json_t *bj = plan_audit_json(c, w->a, &before);
    static const char *const from[][2] = {{"DELETE FROM teaching_plan_steps", "plan_id"},
                                          {"DELETE FROM teaching_plan_items", "plan_id"},
                                          {"DELETE FROM teaching_plans", "id"}};
    qb q;
    for (int i = 0; rc == DB_OK && i < 3; i++) rc = qb_exec(c, of_plan(&q, from[i][0], from[i][1], w->id), NULL);
    if (rc == DB_OK) rc = audit_record(c, actor_of(w->p), before.org_path, "teaching_plan", w->id, "delete", bj, NULL);
    json_decref(bj);
    return rc;
}

static int plans_delete(db *c, const principal *p, arena *a, int64_t id)
{
    return db_transaction(c, delete_cb, &(struct write_args){p, a, id, NULL, NULL, NULL, NULL});
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
    int rc = entity_get(c, &plan_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    bool submit = !strcmp(w->action, "submit"), approve = !strcmp(w->action, "approve");
    const char *to = submit ? "submitted" : approve ? "approved" : "returned";
    if (!submit && !upper_level_of(w->p, before.org_path)) return TEACH_OWN_UNIT;
    if (submit ? !editable(&before) : strcmp(before.status, "submitted") != 0) return TEACH_BAD_STATE;
    if (submit && before.item_count == 0) return TEACH_NO_ITEMS;
    json_t *bj = plan_audit_json(c, w->a, &before);
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, submit ? "UPDATE teaching_plans SET status = ?, returned_reason = ?, submitted_at = ?, updated_at = ?"
                       : "UPDATE teaching_plans SET status = ?, returned_reason = ?, reviewed_at = ?, updated_at = ?, "
                         "reviewed_by = ?");
    /* a resubmitted plan keeps the last return's reason on record in its steps only */
    qb_text(&q, to), qb_text(&q, submit || approve ? NULL : w->reason), qb_text(&q, now), qb_text(&q, now);
    if (!submit) qb_int_or_null(&q, w->p->user_id);
    qb_sql(&q, " WHERE id = ?"), qb_int(&q, w->id);
    rc = qb_exec(c, &q, NULL);
    if (rc == DB_OK) rc = add_step(c, w->p, w->id, w->action, before.status, to, w->reason, now);
    /* unscoped: the row this transaction read within the scope and just changed */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &plan_entity, w->a, w->id, w->out);
    if (rc == DB_OK) rc = audit_plan(c, w, bj, w->action);
    json_decref(bj);
    return rc;
}

int plans_transition(db *c, const principal *p, arena *a, int64_t id, const char *action, const char *reason,
                     plan *out)
{
    return db_transaction(c, transition_cb, &(struct write_args){p, a, id, NULL, action, reason, out});
}

/* plan_entity.write: a plan in detail, as every answer about one plan gives it. */
static int write_detail(db *c, arena *a, const void *rec, jw *w)
{
    return plans_write_detail(c, a, rec, true, w);
}

entity plan_entity = {
    .name = "teaching_plan", .doc = "A teaching plan (教学计划) of a point for a term",
    .from = " FROM teaching_plans x JOIN orgs o ON o.id = x.org_id", .id_column = "x.id",
    .path_column = "x.org_path", .owner_column = "x.created_by",
    .order = " ORDER BY x.year DESC, x.term_from DESC, x.id DESC", .size = sizeof(plan), .fields = plan_fields,
    .not_found = TEACH_NOT_FOUND, .org_not_found = TEACH_ORG_NOT_FOUND, .errors = teaching_errors,
    .create = plans_create, .update = plans_update, .remove = plans_delete, .input = plan_input,
    .write = write_detail,
};
