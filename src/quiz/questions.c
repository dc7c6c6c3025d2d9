/* questions.c - the question bank's records (questions.h): the entity tables, create, update with
 * versions, delete, review and retire, each in one transaction with its audit. */
#include "quiz/questions.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "model/entity.h"
#include <stddef.h>
#include <string.h>

const char *const quiz_type_names[] = {"single", "multiple", "true_false", "fill_in", NULL};
const char *const quiz_status_names[] = {"drafted", "reviewed", "retired", NULL};
/* The codes of quiz_categories[], in its order (the field table needs a plain list). */
const char *const quiz_category_codes[] = {"clothing", "food", "housing", "travel", "daily_use", "birth", "growth",
                                           "ageing", "illness", "death", "emergency", "health", "anti_fraud",
                                           "environment", "digital", "other", "lit_knowledge", "lit_method",
                                           "lit_society", NULL};

/* options: an array of texts (the count and contents are quiz_check's, in question_input). */
static const char *check_options_json(arena *a, json_t *v, const char **out)
{
    if (json_is_null(v)) return *out = NULL, NULL;
    if (!json_is_array(v)) return "选项应为文字的数组 / options must be an array of texts";
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
        if (!json_is_string(e)) return "选项应为文字的数组 / options must be an array of texts";
    char *t = json_dumps(v, JSON_COMPACT);
    *out = arena_strdup(a, t);
    free(t);
    return NULL;
}

/* answer: a label, an array of labels or texts, or a boolean (its fit to the type: quiz_check). */
static const char *check_answer_json(arena *a, json_t *v, const char **out)
{
    if (!json_is_string(v) && !json_is_array(v) && !json_is_boolean(v))
        return "答案应为选项字母、字母数组、对错或文字数组 / answer must be a label, labels, a boolean or texts";
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    *out = arena_strdup(a, t);
    free(t);
    return NULL;
}

#define Q(member) offsetof(question, member)
static const field question_fields[] = {
    {"id", "x.id", FT_ID, Q(id), .flags = 0},
    {"org_id", "x.org_id", FT_ID, Q(org_id), .flags = FF_CREATE, .doc = "the bank's owner (default: the caller's node)"},
    {"org_path", "x.org_path", FT_TEXT, Q(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, Q(org_name), .flags = 0},
    {"type", "x.type", FT_ENUM, Q(type), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER, .choices = quiz_type_names,
     .doc = "single | multiple | true_false | fill_in; fixed once created"},
    {"category", "x.category", FT_ENUM, Q(category), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .choices = quiz_category_codes,
     .doc = "a course topic code or a literacy dimension (lit_knowledge, lit_method, lit_society)"},
    {"difficulty", "x.difficulty", FT_INT32, Q(difficulty), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .min = 1, .max = 5},
    {"status", "x.status", FT_ENUM, Q(status), .flags = FF_FILTER, .choices = quiz_status_names},
    {"version", "x.version", FT_INT32, Q(version), .flags = 0, .doc = "the current version's number"},
    {"stem", "x.stem", FT_MULTILINE, Q(stem), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 1000},
    {"options", "v.options", FT_JSON, Q(options), .flags = FF_WRITE, .check_json = check_options_json,
     .example = "[\"每天\",\"每周\",\"每月\"]", .doc = "choice types: 2..8 texts, labelled A, B, C ... in order"},
    {"answer", "v.answer", FT_JSON, Q(answer), .flags = FF_WRITE, .check_json = check_answer_json, .example = "\"B\"",
     .doc = "single \"B\"; multiple [\"A\",\"C\"]; true_false true|false; fill_in [\"text\", ...] (1..5)"},
    {"explanation", "v.explanation", FT_MULTILINE, Q(explanation), .flags = FF_WRITE, .max = 2000},
    {"source", "x.source", FT_TEXT, Q(source), .flags = FF_WRITE | FF_SEARCH, .max = 200},
    {"tags", "x.tags", FT_TEXT_LIST, Q(tags), .flags = FF_WRITE, .max = 10, .item_chars = 20},
    {"reviewed_by", "x.reviewed_by", FT_INT_NULL, Q(reviewed_by), .flags = 0},
    {"reviewed_at", "x.reviewed_at", FT_TIME, Q(reviewed_at), .flags = 0},
    {"created_by", "x.created_by", FT_INT_NULL, Q(created_by), .flags = 0},
    {"created_at", "x.created_at", FT_TIME, Q(created_at), .flags = 0},
    {"updated_at", "x.updated_at", FT_TIME, Q(updated_at), .flags = 0},
    {0},
};
#undef Q

static const error_row question_errors[] = {
    {QZ_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {QZ_WRONG_STATE, 409, "wrong_state", "status", "题目当前状态不允许此操作 / the question's status does not allow this"},
    {QZ_NOT_DELETABLE, 409, "not_deletable", "status",
     "题目已审核过（可能已被组卷），不能删除，请停用 / a question reviewed once may be in papers: retire it instead"},
    {QZ_INCOMPLETE, 422, "incomplete", "answer",
     "题目内容不完整或答案与选项不符 / the question is incomplete or its answer does not fit its options"},
    {0},
};

#define QUESTION_FROM " FROM questions x JOIN orgs o ON o.id = x.org_id " \
                      "JOIN question_versions v ON v.question_id = x.id AND v.version = x.version"

entity question_entity = {
    .name = "question",
    .doc = "A question of the bank (题库): its current version's text, options and answer",
    .from = QUESTION_FROM,
    .id_column = "x.id",
    .path_column = "x.org_path",
    .owner_column = "x.created_by",
    .order = " ORDER BY x.id DESC",
    .size = sizeof(question),
    .fields = question_fields,
    .not_found = QZ_NOT_FOUND,
    .org_not_found = QZ_ORG_NOT_FOUND,
    .errors = question_errors,
    .create = questions_create,
    .update = questions_update,
    .remove = questions_delete,
    .input = question_input,
};

/* Reads see more than writes: the banks of the scope's ancestors (a district's contests draw from
 * the city's bank, so its staff read those questions), besides the scope's own subtree. */
static void seen_in_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "x.org_path");
    qb_sql(q, ")");
    for (int i = 0; i < sc->n; i++) {
        qb_sql(q, " OR substr(CAST(? AS TEXT), 1, length(x.org_path)) = x.org_path");
        qb_text(q, sc->paths[i]);
    }
    qb_sql(q, ")");
}

entity question_seen_entity = {
    .name = "question",
    .from = QUESTION_FROM,
    .id_column = "x.id",
    .scope_rule = seen_in_scope,
    .order = " ORDER BY x.id DESC",
    .size = sizeof(question),
    .fields = question_fields,
    .not_found = QZ_NOT_FOUND,
    .org_not_found = QZ_ORG_NOT_FOUND,
    .errors = question_errors,
};

#define V(member) offsetof(question_version_rec, member)
static const field version_fields[] = {
    {"id", "v.id", FT_ID, V(id), .flags = 0},
    {"question_id", "v.question_id", FT_ID, V(question_id), .flags = 0},
    {"version", "v.version", FT_INT32, V(version), .flags = 0},
    {"stem", "v.stem", FT_MULTILINE, V(stem), .flags = 0},
    {"options", "v.options", FT_JSON, V(options), .flags = 0},
    {"answer", "v.answer", FT_JSON, V(answer), .flags = 0},
    {"explanation", "v.explanation", FT_MULTILINE, V(explanation), .flags = 0},
    {"created_by", "v.created_by", FT_INT_NULL, V(created_by), .flags = 0},
    {"created_at", "v.created_at", FT_TIME, V(created_at), .flags = 0},
    {0},
};
#undef V

/* Listed only under a question read in the caller's (seen) scope. */
entity question_version_entity = {
    .name = "question_version",
    .doc = "A version of a question: what it asked and the key it was scored by",
    .from = " FROM question_versions v JOIN questions x ON x.id = v.question_id",
    .id_column = "v.id",
    .path_column = "x.org_path",
    .order = " ORDER BY v.version DESC",
    .size = sizeof(question_version_rec),
    .fields = version_fields,
    .not_found = QZ_NOT_FOUND,
    .errors = question_errors,
};

/* ---- writes ---- */

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const question *in;
    question *out;
    const char *action;
};

static int add_version(db *c, int64_t question_id, int version, const question *q, int64_t user_id, const char *now)
{
    qb s;
    qb_init(&s, "INSERT INTO question_versions (question_id, version, stem, options, answer, explanation, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    qb_int(&s, question_id), qb_int(&s, version), qb_text(&s, q->stem), qb_text(&s, q->options);
    qb_text(&s, q->answer), qb_text(&s, q->explanation), qb_int_or_null(&s, user_id), qb_text(&s, now);
    return qb_exec(c, &s, NULL);
}

/* The row this transaction just wrote, then its audit entry. */
static int reread_and_audit(db *c, struct write_args *x, int64_t id, const question *before)
{
    int rc = entity_get_unscoped(c, &question_entity, x->a, id, x->out);
    if (rc != DB_OK) return rc;
    return entity_audit(c, &question_entity, actor_of(x->p), x->out->org_path, id, x->action, before, x->out);
}

static int create_cb(db *c, void *cls)
{
    struct write_args *x = cls;
    const question *in = x->in;
    const char *path = NULL;
    int64_t org_id = in->org_id ? in->org_id : x->p->org_id, id = 0;
    int rc = entity_org_path(c, &x->p->scope, x->a, org_id, QZ_ORG_NOT_FOUND, &path);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value cols[] = {
        {"org_id", .i = org_id, .is_int = true}, {"org_path", .text = path}, {"type", .text = in->type},
        {"category", .text = in->category}, {"difficulty", .i = in->difficulty, .is_int = true},
        {"status", .text = "drafted"}, {"version", .i = 1, .is_int = true}, {"stem", .text = in->stem},
        {"source", .text = in->source}, {"tags", .text = in->tags},
        {"created_by", .i = x->p->user_id, .is_int = true}, {"created_at", .text = now}, {"updated_at", .text = now},
        {0}};
    if ((rc = entity_store(c, &question_entity, "questions", 0, NULL, cols, x->a, &id)) != DB_OK) return rc;
    if ((rc = add_version(c, id, 1, in, x->p->user_id, now)) != DB_OK) return rc;
    return reread_and_audit(c, x, id, NULL);
}

int questions_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct write_args x = {p, a, 0, in, out, "create"};
    return db_transaction(c, create_cb, &x);
}

static bool same_text(const char *a, const char *b)
{
    return (!a || !*a) ? (!b || !*b) : b && strcmp(a, b) == 0;
}

static bool same_json(const char *a, const char *b)
{
    if (!a || !b) return !a == !b;
    json_t *x = json_loads(a, JSON_DECODE_ANY, NULL), *y = json_loads(b, JSON_DECODE_ANY, NULL);
    bool same = x && y && json_equal(x, y);
    json_decref(x), json_decref(y);
    return same;
}

/* Whether what is asked or what is right changed: a new version. */
static bool content_changed(const question *before, const question *in)
{
    return !same_text(before->stem, in->stem) || !same_json(before->options, in->options) ||
           !same_json(before->answer, in->answer) || !same_text(before->explanation, in->explanation);
}

static int update_cb(db *c, void *cls)
{
    struct write_args *x = cls;
    const question *in = x->in;
    question before;
    int rc = entity_get(c, &question_entity, &x->p->scope, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    if (!strcmp(before.status, "retired")) return QZ_WRONG_STATE;
    char now[32];
    time_now_rfc3339(now);
    bool bump = content_changed(&before, in);
    int version = before.version + (bump ? 1 : 0);
    /* an edited text must be reviewed again before a paper draws it */
    const char *status = bump ? "drafted" : before.status;
    entity_value cols[] = {
        {"category", .text = in->category}, {"difficulty", .i = in->difficulty, .is_int = true},
        {"source", .text = in->source}, {"tags", .text = in->tags}, {"stem", .text = in->stem},
        {"version", .i = version, .is_int = true}, {"status", .text = status}, {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &question_entity, "questions", x->id, NULL, cols, x->a, NULL)) != DB_OK) return rc;
    if (bump && (rc = add_version(c, x->id, version, in, x->p->user_id, now)) != DB_OK) return rc;
    return reread_and_audit(c, x, x->id, &before);
}

int questions_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct write_args x = {p, a, id, in, out, "update"};
    return db_transaction(c, update_cb, &x);
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *x = cls;
    question before;
    int rc = entity_get(c, &question_entity, &x->p->scope, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    /* reviewed once: a paper may point at one of its versions */
    if (strcmp(before.status, "drafted") != 0 || before.reviewed_at) return QZ_NOT_DELETABLE;
    qb q;
    qb_init(&q, "DELETE FROM question_versions WHERE question_id = ?");
    qb_int(&q, x->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    qb_init(&q, "DELETE FROM questions WHERE id = ?");
    qb_int(&q, x->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return entity_audit(c, &question_entity, actor_of(x->p), before.org_path, x->id, "delete", &before, NULL);
}

int questions_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct write_args x = {p, a, id, NULL, NULL, "delete"};
    return db_transaction(c, delete_cb, &x);
}

/* The stored content as quiz_check() reads it. */
static bool complete(const question *q)
{
    json_t *o = q->options ? json_loads(q->options, JSON_DECODE_ANY, NULL) : NULL;
    json_t *k = q->answer ? json_loads(q->answer, JSON_DECODE_ANY, NULL) : NULL;
    bool ok = quiz_check(q->type, q->stem, o, k, NULL) == NULL;
    json_decref(o), json_decref(k);
    return ok;
}

static int status_cb(db *c, void *cls)
{
    struct write_args *x = cls;
    question before;
    int rc = entity_get(c, &question_entity, &x->p->scope, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    bool review = !strcmp(x->action, "review");
    if (review ? strcmp(before.status, "drafted") != 0 : !strcmp(before.status, "retired")) return QZ_WRONG_STATE;
    if (review && !complete(&before)) return QZ_INCOMPLETE;
    char now[32];
    time_now_rfc3339(now);
    entity_value cols[] = {{"status", .text = review ? "reviewed" : "retired"}, {"updated_at", .text = now},
                           {"reviewed_by", .i = x->p->user_id, .is_int = true}, {"reviewed_at", .text = now}, {0}};
    if (!review) cols[2].column = NULL;
    if ((rc = entity_store(c, &question_entity, "questions", x->id, NULL, cols, x->a, NULL)) != DB_OK) return rc;
    return reread_and_audit(c, x, x->id, &before);
}

int questions_review(db *c, const principal *p, arena *a, int64_t id, question *out)
{
    struct write_args x = {p, a, id, NULL, out, "review"};
    return db_transaction(c, status_cb, &x);
}

int questions_retire(db *c, const principal *p, arena *a, int64_t id, question *out)
{
    struct write_args x = {p, a, id, NULL, out, "retire"};
    return db_transaction(c, status_cb, &x);
}
