/* questions_api.c - HTTP handlers of the question bank (docs/api.md "Question bank (题库)"): the
 * list with its filters and Excel export, one question with its current version, create and edit
 * (a new version when the content changes), delete of a never-reviewed draft, review, retire and
 * the version history. The import is questions_import.c. */
#include "quiz/questions.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "orgs/orgs.h"
#include <stdlib.h>
#include <string.h>

static json_t *load_or_null(const char *text)
{
    return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

/* After the field table: the whole content as quiz_check() wants it (the stored record with the
 * body applied, on an update), so a question is never saved with an answer its options lack. */
bool question_input(request *r, void *rec, bool creating)
{
    question *q = rec;
    (void)creating;
    json_t *o = load_or_null(q->options), *k = load_or_null(q->answer);
    const char *bad = NULL, *msg = quiz_check(q->type, q->stem, o, k, &bad);
    json_t *key = msg ? NULL : quiz_answer_canonical(q->type, k);
    json_decref(o), json_decref(k);
    if (msg) {
        reply_error(r, 422, "invalid_field", bad, "%s", msg);
        return false;
    }
    /* stored canonical: ["c","a","a"] and ["A","C"] are one key, so an edit that only respells
     * it makes no version */
    char *text = key ? json_dumps(key, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (text) q->answer = arena_strdup(&r->arena, text);
    free(text);
    json_decref(key);
    if (strcmp(q->type, "single") != 0 && strcmp(q->type, "multiple") != 0) q->options = NULL;
    return true;
}

static const char *type_label(const char *t)
{
    static const char *const labels[] = {"单选", "多选", "判断", "填空"};
    for (int i = 0; quiz_type_names[i]; i++)
        if (!strcmp(t, quiz_type_names[i])) return labels[i];
    return t;
}

static const char *status_label(const char *s)
{
    static const char *const labels[] = {"草稿", "已审核", "已停用"};
    for (int i = 0; quiz_status_names[i]; i++)
        if (!strcmp(s, quiz_status_names[i])) return labels[i];
    return s;
}

/* The key as the import's answer column writes it: B, AC, 对/错, 答案1|答案2. */
static const char *answer_text(arena *a, const char *type, const char *answer)
{
    json_t *k = load_or_null(answer);
    const char *out = "";
    if (json_is_string(k)) out = arena_strdup(a, json_string_value(k));
    else if (json_is_boolean(k)) out = json_is_true(k) ? "对" : "错";
    else if (json_is_array(k)) {
        sbuf b;
        sbuf_init(&b);
        size_t i;
        json_t *e;
        bool fill = !strcmp(type, "fill_in");
        json_array_foreach(k, i, e) sbuf_printf(&b, "%s%s", fill && i ? "|" : "", json_string_value(e) ? json_string_value(e) : "");
        out = arena_strdup(a, b.s ? b.s : "");
        sbuf_free(&b);
    }
    json_decref(k);
    return out;
}

enum { EXPORT_OPTIONS = 8 };

static int export_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    (void)s;
    const question *q = rec;
    xlsx *x = cls;
    const quiz_category *k = quiz_category_find(q->category);
    xlsx_text(x, 0, type_label(q->type));
    xlsx_text(x, 1, k ? k->zh : q->category);
    xlsx_int(x, 2, q->difficulty);
    xlsx_text(x, 3, q->stem);
    json_t *o = load_or_null(q->options);
    for (int i = 0; i < EXPORT_OPTIONS; i++) xlsx_text(x, 4 + i, json_string_value(json_array_get(o, (size_t)i)));
    json_decref(o);
    xlsx_text(x, 12, answer_text(row, q->type, q->answer));
    xlsx_text(x, 13, q->explanation);
    xlsx_text(x, 14, q->source);
    xlsx_text(x, 15, status_label(q->status));
    xlsx_int(x, 16, q->version);
    xlsx_text(x, 17, q->org_name);
    xlsx_next_row(x);
    return DB_OK;
}

/* The list's rows as a workbook whose first columns are the import template's. */
static void reply_export(request *r, db *c, qb *where)
{
    static const xlsx_col cols[] = {{"题型", 8}, {"分类", 12}, {"难度", 6}, {"题干", 40}, {"选项A", 16}, {"选项B", 16},
                                    {"选项C", 16}, {"选项D", 16}, {"选项E", 16}, {"选项F", 16}, {"选项G", 16},
                                    {"选项H", 16}, {"答案", 12}, {"解析", 30}, {"来源", 16}, {"状态", 8}, {"版本", 6},
                                    {"所属单位", 16}};
    xlsx *x = xlsx_open_table("题库", NULL, cols, (int)(sizeof cols / sizeof *cols));
    if (!x) { qb_free(where); reply_export_failed(r); return; }
    qb_sql(where, " ORDER BY x.id DESC");
    int rc = entity_each(c, &question_entity, NULL, where, export_row, x);   /* where holds the scope */
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &question_entity, rc); return; }
    xlsx_reply(x, r, "题库.xlsx");
}

/* The questions the caller reads (its subtree's and its ancestors' banks), filtered by type,
 * category, difficulty, status and ?q=; ?format=xlsx gives them all as a workbook. */
static void handle_list(request *r)
{
    static const char *const formats[] = {"json", "xlsx", NULL};
    db *c = db_thread();
    qb where;
    page pg;
    if (!query_choice(r, "format", formats)) return;
    const char *format = req_query(r, "format");
    /* ?org_id= narrows to a subtree the caller writes (404 outside it), which the plain rule
     * says; without it, everything the caller reads */
    const char *under = req_query(r, "org_id");
    const entity *e = under && *under ? &question_entity : &question_seen_entity;
    if (format && !strcmp(format, "xlsx")) {
        if (entity_request_where(r, c, e, &where)) reply_export(r, c, &where);
        return;
    }
    if (!entity_list_begin(r, c, e, &where, &pg)) return;
    entity_reply_list(r, c, e, &where, NULL, &pg);
}

static void handle_state(request *r)
{
    int64_t id;
    question q;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    bool review = r->route->cls != NULL;
    int rc = !c ? DB_ERR : review ? questions_review(c, r->principal, &r->arena, id, &q)
                                  : questions_retire(c, r->principal, &r->arena, id, &q);
    entity_reply_result(r, &question_entity, rc, 200, &q);
}

/* Every version of a question read in the caller's (seen) scope, newest first. */
static void handle_versions(request *r)
{
    int64_t id;
    question q;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &question_seen_entity, &r->principal->scope, &r->arena, id, &q) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &question_entity, rc); return; }
    qb where;
    qb_init(&where, " WHERE v.question_id = ?");
    qb_int(&where, id);
    jw w;
    jw_list_open(&w);
    rc = entity_list_all(c, &question_version_entity, &where, NULL, &r->arena, &w, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route question_routes[] = {
    {"GET", "/api/v1/questions", handle_list, RANK_STAFF, 0,
     .summary = "Questions the caller reads (its banks and its ancestors'); filters, ?q=, ?format=xlsx",
     .entity = &question_seen_entity},
    {"GET", "/api/v1/questions/:id", entity_handle_get, RANK_STAFF, 0,
     .summary = "One question with its current version's options, answer and explanation",
     .entity = &question_seen_entity},
    {"POST", "/api/v1/questions", entity_handle_create, RANK_STAFF, 0, .summary = "Add a question (drafted, version 1)",
     .entity = &question_entity},
    {"PATCH", "/api/v1/questions/:id", entity_handle_update, RANK_STAFF, 0,
     .summary = "Edit a question: a changed text, options, answer or explanation adds a version",
     .entity = &question_entity},
    {"DELETE", "/api/v1/questions/:id", entity_handle_delete, RANK_STAFF, 0,
     .summary = "Delete a question never reviewed (else retire it)", .entity = &question_entity},
    {"POST", "/api/v1/questions/:id/review", handle_state, RANK_ORG_ADMIN, 0,
     .summary = "Review a drafted question (checked complete): it may then be drawn", .entity = &question_entity,
     .cls = "review"},
    {"POST", "/api/v1/questions/:id/retire", handle_state, RANK_STAFF, 0,
     .summary = "Retire a question: never drawn again, old papers still scored", .entity = &question_entity},
    {"GET", "/api/v1/questions/:id/versions", handle_versions, RANK_STAFF, 0,
     .summary = "A question's versions, newest first (what each asked and its key)",
     .entity = &question_version_entity},
    {0},
};

void quiz_register_routes(void)
{
    /* not in the registry: question_entity names the schema */
    entity_prepare(&question_seen_entity);
    router_add_table(question_routes);
    quiz_import_register_routes();
    orgs_track_path_column("questions", "org_path");
}
