/* review_api.c - HTTP side of review (issue 15, package B; docs/api.md: Calls, review): a call's
 * reviewers and assignments (its managers), the reviewer's own sheets (/reviews), reopening a
 * sheet and closing the round. The ranking's routes are in ranking.c. */
#include "calls/reviews_internal.h"
#include "files/files.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <string.h>

/* GET /calls/:id/reviewers and /calls/:id/assignments: the rows of a call its manager sees. */
static void handle_call_list(request *r)
{
    int64_t id, entry_id = 0;
    bool has_entry = false;
    call_rec call;
    page pg;
    qb where;
    db *c = db_thread();
    const entity *e = r->route->entity;
    if (!param_id(r, 0, &id) || !query_page(r, &pg) || !query_id(r, "entry_id", &entry_id, &has_entry)) return;
    int rc = c ? calls_get_managed(c, r->principal, &r->arena, id, &call) : DB_ERR;
    if (rc == DB_OK) qb_init(&where, ""), rc = entity_list_where(c, e, &r->principal->scope, &r->arena, 0, &where);
    if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
    qb_sql(&where, e == &call_reviewer_entity ? " AND v.call_id = ?" : " AND r.call_id = ?");
    qb_int(&where, id);
    if (has_entry && e != &call_reviewer_entity) qb_sql(&where, " AND r.entry_id = ?"), qb_int(&where, entry_id);
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    rc = entity_list_page(c, e, &where, NULL, pg.size, pg.offset, &r->arena, &w, &total, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* {user_id} an account, or {expert_id} a member of the expert pool (H) */
static void handle_add_reviewer(request *r)
{
    static const char *const allowed[] = {"user_id", "expert_id", NULL};
    int64_t id, user_id = 0, expert_id = 0;
    bool has_expert = false;
    db *c = db_thread();
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) ||
        !body_int(r, "expert_id", false, &expert_id, &has_expert) || !body_int(r, "user_id", !has_expert, &user_id, NULL))
        return;
    void *out = arena_alloc(&r->arena, call_reviewer_entity.size);
    int rc = c && out ? reviewers_add(c, r->principal, &r->arena, id, user_id, has_expert ? expert_id : 0, out) : DB_ERR;
    if (rc == EXPERT_NOT_FOUND) {
        reply_error(r, 404, "not_found", "expert_id", "专家库中没有该专家或已停用 / no such active expert in the pool");
        return;
    }
    entity_reply_result(r, &call_reviewer_entity, rc, 201, out);
}

/* {auto: true, per_entry?} assigns every entry under review; {entry_id, user_id} one sheet. */
static void handle_assign(request *r)
{
    static const char *const allowed[] = {"auto", "per_entry", "entry_id", "user_id", NULL};
    int64_t id, per_entry = 0, entry_id = 0, user_id = 0, assigned = 0;
    bool is_auto = false, has_per = false;
    db *c = db_thread();
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_bool(r, "auto", &is_auto, NULL) ||
        !body_int(r, "per_entry", false, &per_entry, &has_per))
        return;
    if (!c) { reply_db_error(r); return; }
    if (is_auto) {
        if (has_per && (per_entry < 1 || per_entry > 20)) {
            reply_error(r, 422, "invalid_field", "per_entry", "每项评审人数应为 1 至 20 / per_entry: 1 to 20");
            return;
        }
        int rc = reviews_assign_auto(c, r->principal, &r->arena, id, (int)per_entry, &assigned);
        if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
        jw w;
        jw_init(&w);
        jw_obj(&w);
        jw_key(&w, "assigned"), jw_int(&w, assigned);
        jw_obj_end(&w);
        reply_jw(r, 200, &w);
        return;
    }
    if (!body_int(r, "entry_id", true, &entry_id, NULL) || !body_int(r, "user_id", true, &user_id, NULL)) return;
    void *out = arena_alloc(&r->arena, call_review_managed_entity.size);
    int rc = out ? reviews_assign_one(c, r->principal, &r->arena, id, entry_id, user_id, out) : DB_ERR;
    entity_reply_result(r, &call_review_managed_entity, rc, 201, out);
}

/* PUT /reviews/:id (a draft) and POST /reviews/:id/submit: {scores: {key: {score, comment?}}, comment?}. */
static void handle_save(request *r)
{
    static const char *const allowed[] = {"scores", "comment", NULL};
    int64_t id;
    const char *comment = NULL;
    db *c = db_thread();
    bool submit = r->route->cls != NULL;
    if (!param_id(r, 0, &id)) return;
    if (r->json && !body_allow_fields(r, allowed, NULL)) return;
    if (!body_multiline_text(r, "comment", 2000, &comment)) return;
    void *out = arena_alloc(&r->arena, call_review_entity.size);
    int rc = c && out ? reviews_save(c, r->principal, &r->arena, id, json_object_get(r->json, "scores"), comment, submit, out)
                      : DB_ERR;
    entity_reply_result(r, &call_review_entity, rc, 200, out);
}

static void handle_reopen(request *r)
{
    static const char *const allowed[] = {"reason", NULL};
    int64_t id;
    const char *reason = NULL;
    db *c = db_thread();
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_name(r, "reason", true, 500, &reason)) return;
    void *out = arena_alloc(&r->arena, call_review_managed_entity.size);
    int rc = c && out ? reviews_reopen(c, r->principal, &r->arena, id, reason, out) : DB_ERR;
    entity_reply_result(r, &call_review_managed_entity, rc, 200, out);
}

static void handle_close_round(request *r)
{
    int64_t id, round_no;
    call_rec call;
    db *c = db_thread();
    if (!param_id(r, 0, &id) || !param_id(r, 1, &round_no)) return;
    int rc = c ? reviews_close_round(c, r->principal, &r->arena, id, round_no) : DB_ERR;
    if (rc == DB_OK) rc = calls_get_managed(c, r->principal, &r->arena, id, &call);
    if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
    entity_reply(r, &call_entity, 200, &call);
}

/* GET /reviews/:id/files/:fid: a file of the sheet's entry (its evidence), for the sheet's own
 * reviewer only (H); named 附件N (its place among the entry's files) whatever its upload name,
 * so that a blind review learns no name from it. Another's sheet or another entry's file: 404. */
static void handle_evidence(request *r)
{
    int64_t id, fid;
    review sheet;
    db *c = db_thread();
    if (!param_id(r, 0, &id) || !param_id(r, 1, &fid)) return;
    int rc = c ? entity_get(c, &call_review_entity, &r->principal->scope, &r->arena, id, &sheet) : DB_ERR;
    if (rc != DB_OK) { reply_error_row(r, review_errors, rc); return; }
    qb q;
    qb_init(&q, "SELECT f.sha256, f.mime, f.name, (SELECT COUNT(*) FROM call_entry_files g WHERE g.entry_id = f.entry_id "
                "AND g.id <= f.id) FROM call_entry_files f WHERE f.id = ? AND f.entry_id = ?");
    qb_int(&q, fid), qb_int(&q, sheet.entry_id);
    db_stmt *s = qb_prepare(&q, c);
    const char *sha = NULL, *mime = NULL, *ext = NULL;
    int64_t place = 0;
    if (s && db_step(s) == DB_ROW) {
        const char *dot = strrchr(db_col_text(s, 2), '.');
        sha = arena_strdup(&r->arena, db_col_text(s, 0)), mime = arena_strdup(&r->arena, db_col_text(s, 1));
        ext = arena_strdup(&r->arena, dot && strlen(dot) <= 6 ? dot : ""), place = db_col_int(s, 3);
    }
    if (s) db_finish(s);
    if (!s) { reply_db_error(r); return; }
    if (!sha) { reply_error(r, 404, "not_found", NULL, "附件不存在 / file not found"); return; }
    size_t size;
    int fd = files_open(sha, &size);
    if (fd < 0) {
        reply_error(r, 404, "file_missing", NULL, "文件内容已不在存储中 / the file's bytes are missing from the store");
        return;
    }
    reply_file(r, fd, size, &(file_meta){.type = mime, .etag = arena_printf(&r->arena, "\"%s\"", sha)});
    reply_header(r, "Content-Disposition", files_disposition(&r->arena, arena_printf(&r->arena, "附件%lld%s", (long long)place, ext)));
}

static const struct route review_routes[] = {
    {"GET", "/api/v1/calls/:id/reviewers", handle_call_list, RANK_ORG_ADMIN, 0,
     .summary = "A call's reviewers (评审专家) with their load and outlier flag", .entity = &call_reviewer_entity},
    {"POST", "/api/v1/calls/:id/reviewers", handle_add_reviewer, RANK_ORG_ADMIN, 0,
     .summary = "Name an account {user_id}, or a member of the expert pool {expert_id}, a reviewer of the call",
     .entity = &call_reviewer_entity},
    {"GET", "/api/v1/calls/:id/assignments", handle_call_list, RANK_ORG_ADMIN, 0,
     .summary = "A call's assignments (评审分配) and their sheets' status; ?entry_id=", .entity = &call_review_managed_entity},
    {"POST", "/api/v1/calls/:id/assignments", handle_assign, RANK_ORG_ADMIN, 0,
     .summary = "Assign by hand {entry_id, user_id}, or automatically {auto: true, per_entry}",
     .entity = &call_review_managed_entity},
    {"POST", "/api/v1/calls/:id/rounds/:n/close", handle_close_round, RANK_ORG_ADMIN, 0,
     .summary = "Close a review round (every sheet submitted): ranks stored, the call to deciding", .entity = &call_entity},
    {"GET", "/api/v1/reviews", entity_handle_list, RANK_REVIEWER, 0, .summary = "My review sheets (我的评审)",
     .entity = &call_review_entity},
    {"GET", "/api/v1/reviews/:id", entity_handle_get, RANK_REVIEWER, 0,
     .summary = "A sheet with its criteria and the entry (blind calls: no unit nor names)", .entity = &call_review_entity},
    {"PUT", "/api/v1/reviews/:id", handle_save, RANK_REVIEWER, 0, .summary = "Save a draft of my scores",
     .entity = &call_review_entity},
    {"POST", "/api/v1/reviews/:id/submit", handle_save, RANK_REVIEWER, 0,
     .summary = "Submit my scores (locked; every criterion scored)", .entity = &call_review_entity, .cls = "submit"},
    {"GET", "/api/v1/reviews/:id/files/:fid", handle_evidence, RANK_REVIEWER, 0,
     .summary = "A file of my sheet's entry (its evidence), named 附件N", .entity = &call_review_entity},
    {"POST", "/api/v1/reviews/:id/reopen", handle_reopen, RANK_ORG_ADMIN, 0,
     .summary = "Reopen a submitted sheet with a reason (audited)", .entity = &call_review_managed_entity},
    {0},
};

void reviews_init(void)
{
    static const char *const tables[][2] = {{"call_reviewers", "org_path"}, {"call_reviewers", "user_path"},
                                            {"call_reviewers", "branch_path"}, {"call_reviews", "entry_path"}};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) orgs_track_path_column(tables[i][0], tables[i][1]);
}

void reviews_register_routes(void)
{
    router_add_table(review_routes);
    ranking_register_routes();
}
