/* resources_api.c - HTTP handlers of the resource library (docs/api.md "Resources (资源库)"):
 * the list with its filters, search and Excel export, CRUD, and the review flow (submit, review,
 * withdraw). Versions: resource_versions.c; uses and ratings: resource_uses.c. */
#include "resources/resources.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "orgs/orgs.h"
#include "teaching/teaching.h"
#include <string.h>

static bool used_by_course(request *r, db *c, qb *where)
{
    int64_t id = 0;
    bool present = false;
    if (!query_id(r, "used_by_course", &id, &present)) return false;
    if (!present) return true;
    course co;
    int rc = entity_get(c, &course_entity, &r->principal->scope, &r->arena, id, &co);   /* the course in scope */
    if (rc != DB_OK) {
        reply_error(r, 404, "not_found", "used_by_course", "课程不存在 / course not found");
        return false;
    }
    qb_sql(where, " AND EXISTS (SELECT 1 FROM resource_uses ru WHERE ru.resource_id = r.id AND ru.course_id = ?)");
    qb_int(where, id);
    return true;
}

/* ?topic= (one category code), ?q= (resources_search), ?used_by_org= (the resources courses of
 * that node, which the caller must see, linked) and ?used_by_course= (the resources the course,
 * read in the caller's scope, links: the course page's list). */
static bool list_filters(request *r, db *c, qb *where)
{
    const char *topic = req_query(r, "topic"), *q = req_query(r, "q"), *used = req_query(r, "used_by_org");
    if (topic && *topic) {
        qb_sql(where, " AND r.topics LIKE ? ESCAPE '\\'");
        qb_text(where, qb_like_pattern(&r->arena, arena_printf(&r->arena, "\"%s\"", topic)));
    }
    if (q && *q) resources_search(c, &r->arena, q, where);
    if (used && *used) {
        int64_t org_id = 0;
        bool present;
        const char *path = NULL;
        if (!query_id(r, "used_by_org", &org_id, &present)) return false;
        int rc = entity_org_path(c, &r->principal->scope, &r->arena, org_id, RES_ORG_NOT_FOUND, &path);
        if (rc != DB_OK) { entity_reply_error(r, &resource_entity, rc); return false; }
        qb_sql(where, " AND EXISTS (SELECT 1 FROM resource_uses ru WHERE ru.resource_id = r.id AND ru.org_path = ?)");
        qb_text(where, path);
    }
    return used_by_course(r, c, where);
}

static int export_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    static const char *const kinds[] = {"视频", "音频", "课件", "文档", "电子书", "图集"};
    static const char *const statuses[] = {"草稿", "待审核", "已通过", "已退回", "已撤回"};
    (void)s, (void)row;
    const resource *x = rec;
    xlsx *w = cls;
    xlsx_text(w, 0, x->title);
    xlsx_code(w, 1, x->kind, resource_kinds, kinds);
    xlsx_text(w, 2, x->org_name);
    xlsx_text(w, 3, x->authors);
    xlsx_code(w, 4, x->status, resource_statuses, statuses);
    xlsx_int(w, 5, x->views);
    xlsx_int(w, 6, x->rating_count);
    xlsx_text(w, 7, x->rating);
    xlsx_text(w, 8, x->premium ? "是" : "");
    xlsx_time(w, 9, x->created_at);
    xlsx_next_row(w);
    return DB_OK;
}

static void export_list(request *r, db *c)
{
    static const xlsx_col cols[] = {{"标题", 30}, {"类型", 8}, {"上传单位", 20}, {"作者", 16}, {"状态", 8},
                                    {"浏览", 8}, {"评分人数", 8}, {"平均评分", 8}, {"精品", 6}, {"上传时间", 18}};
    qb where;
    if (!entity_request_where(r, c, &resource_entity, &where)) return;
    if (!list_filters(r, c, &where)) { qb_free(&where); return; }
    xlsx *x = xlsx_open_table("资源", NULL, cols, 10);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    qb_sql(&where, " ORDER BY r.id DESC");
    int rc = entity_each(c, &resource_entity, NULL, &where, export_row, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &resource_entity, rc); return; }
    xlsx_reply(x, r, "资源库.xlsx");
}

bool resource_of_request(request *r, resource *out)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return false;
    db *c = db_thread();
    int rc = c ? resources_get(c, r->principal, &r->arena, id, out) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &resource_entity, rc); return false; }
    return true;
}

static void handle_list(request *r)
{
    static const char *const formats[] = {"json", "xlsx", NULL};
    db *c = db_thread();
    qb where;
    page pg;
    if (!query_choice(r, "format", formats)) return;
    const char *format = req_query(r, "format");
    if (format && !strcmp(format, "xlsx")) { export_list(r, c); return; }
    if (!entity_list_begin(r, c, &resource_entity, &where, &pg)) return;
    if (!list_filters(r, c, &where)) { qb_free(&where); return; }
    entity_reply_list(r, c, &resource_entity, &where, NULL, &pg);
}

static void handle_submit(request *r)
{
    int64_t id;
    resource x;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    entity_reply_result(r, &resource_entity, c ? resources_submit(c, r->principal, &r->arena, id, &x) : DB_ERR, 200, &x);
}

static void handle_withdraw(request *r)
{
    int64_t id;
    resource x;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    entity_reply_result(r, &resource_entity, c ? resources_withdraw(c, r->principal, &r->arena, id, &x) : DB_ERR, 200, &x);
}

/* {"decision": "approve" | "reject", "comments"?} */
static void handle_review(request *r)
{
    static const char *const allowed[] = {"decision", "comments", NULL};
    int64_t id;
    const char *decision = NULL, *comments = NULL;
    resource x;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_string(r, "decision", true, &decision) ||
        !body_string(r, "comments", false, &comments))
        return;
    if (comments && strlen(comments) > 2000) {
        reply_error(r, 422, "invalid_field", "comments", "审核意见过长（最多 2000 字节） / comments are too long (2000 bytes at most)");
        return;
    }
    db *c = db_thread();
    int rc = c ? resources_review(c, r->principal, &r->arena, id, decision, comments, &x) : DB_ERR;
    entity_reply_result(r, &resource_entity, rc, 200, &x);
}

static const struct route resource_routes[] = {
    {"GET", "/api/v1/resources", handle_list, RANK_MEMBER, 0,
     .summary = "Resources the caller reads: own side and shared down (?kind, topic, status, org_id, q, used_by_org, used_by_course, format=xlsx)",
     .entity = &resource_entity},
    {"GET", "/api/v1/resources/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "A resource", .entity = &resource_entity},
    {"POST", "/api/v1/resources", entity_handle_create, RANK_STAFF, 0, .summary = "Create a resource (a draft)",
     .entity = &resource_entity},
    {"PATCH", "/api/v1/resources/:id", entity_handle_update, RANK_STAFF, 0,
     .summary = "Change a resource's description (not while pending or withdrawn)", .entity = &resource_entity},
    {"DELETE", "/api/v1/resources/:id", entity_handle_delete, RANK_STAFF, 0,
     .summary = "Delete a draft or rejected resource never used (else withdraw it)", .entity = &resource_entity},
    {"POST", "/api/v1/resources/:id/submit", handle_submit, RANK_STAFF, 0,
     .summary = "Submit for review by the level above", .entity = &resource_entity},
    {"POST", "/api/v1/resources/:id/review", handle_review, RANK_STAFF, 0,
     .summary = "Approve (share down from the reviewer's node) or reject: a node above the uploader's",
     .entity = &resource_entity},
    {"POST", "/api/v1/resources/:id/withdraw", handle_withdraw, RANK_STAFF, 0,
     .summary = "Withdraw a resource (its sharing ends)", .entity = &resource_entity},
    {0},
};

void resources_init(void)
{
    orgs_track_path_column("resources", "org_path");
    orgs_track_path_column("resources", "shared_path");
    orgs_track_path_column("resource_versions", "org_path");
    orgs_track_path_column("resource_uses", "org_path");
    orgs_track_path_column("resource_view_days", "org_path");
    resource_uses_init();
}

void resources_register_routes(void)
{
    resources_init();
    router_add_table(resource_routes);
    resource_versions_register_routes();
    resource_uses_register_routes();
}
