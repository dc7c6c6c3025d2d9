/* contests_api.c - HTTP handlers of contests for signed-in staff (docs/api.md "Contests"): CRUD
 * of the record and the list's Excel export (a draft deleted only), publish and close, the rankings of persons and districts
 * (JSON and Excel), the attempts (names masked), a staff member's own attempt (then the public
 * answer and submit routes with its token), and the module's init and route tables. */
#include "contests/contests_internal.h"
#include "checkin/checkin.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "docs/xlsx.h"
#include "orgs/orgs.h"
#include <stdio.h>
#include <string.h>

void contests_reply_active(request *r, int64_t active_id)
{
    reply_error(r, 409, "attempt_active", "attempt_id",
                "您有一份未交的答卷（编号 %lld），请继续作答 / attempt %lld is in progress; resume it",
                (long long)active_id, (long long)active_id);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)active_id);
    reply_header(r, "X-Attempt-Id", id);
}

static void reply_contest(request *r, int rc, const contest *ct)
{
    entity_reply_result(r, &contest_entity, rc, 200, ct);
}

static int export_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    static const char *const kinds[] = {"知识竞赛", "科学素质自测"};
    static const char *const statuses[] = {"草稿", "进行中", "已结束"};
    (void)s, (void)row;
    const contest *x = rec;
    xlsx *w = cls;
    xlsx_text(w, 0, x->title);
    xlsx_code(w, 1, x->kind, contest_kinds, kinds);
    xlsx_text(w, 2, x->org_name);
    xlsx_time(w, 3, x->opens_at);
    xlsx_time(w, 4, x->closes_at);
    xlsx_code(w, 5, x->status, contest_statuses, statuses);
    xlsx_time(w, 6, x->published_at);
    xlsx_next_row(w);
    return DB_OK;
}

/* GET /contests: the generic list, or with ?format=xlsx every contest the filters select as an
 * Excel sheet (the list's columns, labels in Chinese, newest first). */
static void handle_list(request *r)
{
    static const char *const formats[] = {"json", "xlsx", NULL};
    static const xlsx_col cols[] = {{"名称", 30}, {"类型", 14}, {"主办单位", 20}, {"开始时间", 18},
                                    {"结束时间", 18}, {"状态", 8}, {"发布时间", 18}};
    if (!query_choice(r, "format", formats)) return;
    const char *format = req_query(r, "format");
    if (!format || strcmp(format, "xlsx")) { entity_handle_list(r); return; }
    db *c = db_thread();
    qb where;
    if (!entity_request_where(r, c, &contest_entity, &where)) return;
    xlsx *x = xlsx_open_table("竞赛", NULL, cols, 7);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    qb_sql(&where, " ORDER BY ct.id DESC");
    int rc = entity_each(c, &contest_entity, NULL, &where, export_row, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &contest_entity, rc); return; }
    xlsx_reply(x, r, "竞赛与自测.xlsx");
}

static void handle_publish(request *r)
{
    int64_t id;
    contest ct;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    reply_contest(r, c ? contests_publish(c, r->principal, &r->arena, id, &ct) : DB_ERR, &ct);
}

static void handle_close(request *r)
{
    int64_t id;
    contest ct;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    reply_contest(r, c ? contests_close(c, r->principal, &r->arena, id, &ct) : DB_ERR, &ct);
}

/* The contest of the path as the caller's scope sees it; replies and returns false otherwise. */
static bool load(request *r, db **c, contest *ct)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return false;
    *c = db_thread();
    int rc = *c ? contests_get(*c, r->principal, &r->arena, id, ct) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &contest_entity, rc); return false; }
    return true;
}

static bool wants_xlsx(request *r)
{
    const char *f = req_query(r, "format");
    return f && !strcmp(f, "xlsx");
}

static void handle_ranking_persons(request *r)
{
    db *c;
    contest ct;
    page pg;
    if (!load(r, &c, &ct) || !query_page(r, &pg)) return;
    if (!strcmp(ct.kind, "self_assessment")) { entity_reply_error(r, &contest_entity, CT_NOT_SELF); return; }
    int rc = attempts_sweep(c, &r->arena, ct.id, 64);
    if (rc != DB_OK) { entity_reply_error(r, &contest_entity, rc); return; }
    if (wants_xlsx(r)) {
        static const xlsx_col cols[] = {{"名次", 6}, {"姓名", 10}, {"区县", 16}, {"最好成绩", 10}, {"用时（秒）", 10}};
        xlsx *x = xlsx_open_table("个人排名", ct.title, cols, 5);
        if (!x) { reply_export_failed(r); return; }
        if ((rc = ranking_persons_xlsx(c, &r->arena, &ct, x)) != DB_OK) { xlsx_abort(x); entity_reply_error(r, &contest_entity, rc); return; }
        xlsx_reply(x, r, "竞赛个人排名.xlsx");
        return;
    }
    jw w;
    jw_init(&w);
    if ((rc = ranking_persons(c, &r->arena, &ct, pg.size, pg.offset, &w)) != DB_OK) { jw_free(&w); entity_reply_error(r, &contest_entity, rc); return; }
    reply_jw(r, 200, &w);
}

static void handle_ranking_districts(request *r)
{
    db *c;
    contest ct;
    if (!load(r, &c, &ct)) return;
    int rc = attempts_sweep(c, &r->arena, ct.id, 64);
    if (rc != DB_OK) { entity_reply_error(r, &contest_entity, rc); return; }
    if (wants_xlsx(r)) {
        static const xlsx_col cols[] = {{"区县", 16}, {"常住人口", 12}, {"参与人数", 10}, {"每万人参与", 10},
                                        {"平均分", 8}, {"参与率排名", 10}, {"平均分排名", 10}};
        xlsx *x = xlsx_open_table("区县排名", ct.title, cols, 7);
        if (!x) { reply_export_failed(r); return; }
        if ((rc = ranking_districts_xlsx(c, &r->arena, &ct, x)) != DB_OK) { xlsx_abort(x); entity_reply_error(r, &contest_entity, rc); return; }
        xlsx_reply(x, r, "竞赛区县排名.xlsx");
        return;
    }
    jw w;
    jw_init(&w);
    if ((rc = ranking_districts(c, &r->arena, &ct, &w)) != DB_OK) { jw_free(&w); entity_reply_error(r, &contest_entity, rc); return; }
    reply_jw(r, 200, &w);
}

/* A page of the contest's attempts, names masked: {items: [{id, person_kind, name, district,
 * status, score, max_score, correct, total, started_at, submitted_at, used_s}], total, page, page_size}. */
static void handle_attempts(request *r)
{
    db *c;
    contest ct;
    page pg;
    if (!load(r, &c, &ct) || !query_page(r, &pg)) return;
    int64_t total = 0;
    qb q;
    qb_init(&q, "SELECT COUNT(*) FROM contest_attempts WHERE contest_id = ?");
    qb_int(&q, ct.id);
    int rc = qb_exec(c, &q, &total);
    db_stmt *s = rc == DB_OK ? db_prepare(c, "SELECT t.id, t.person_kind, t.person_name, o.name, t.status, t.score, "
                                             "t.max_score, t.correct, t.total, t.started_at, t.submitted_at, t.used_s FROM "
                                             "contest_attempts t JOIN orgs o ON o.id = t.org_id WHERE t.contest_id = ? "
                                             "ORDER BY t.id DESC LIMIT ? OFFSET ?")
                             : NULL;
    if (!s) { entity_reply_error(r, &contest_entity, rc == DB_OK ? DB_ERR : rc); return; }
    db_bind_int(s, 1, ct.id), db_bind_int(s, 2, pg.size), db_bind_int(s, 3, pg.offset);
    jw w;
    jw_list_open(&w);   /* it starts the buffer */
    jw_arr(&w);
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(&w);
        jw_key(&w, "id"), jw_int(&w, db_col_int(s, 0));
        jw_key(&w, "person_kind"), jw_str(&w, db_col_text(s, 1));
        jw_key(&w, "name"), jw_str(&w, contest_mask_name(&r->arena, db_col_text(s, 2)));
        jw_key(&w, "district"), jw_str(&w, db_col_text(s, 3));
        jw_key(&w, "status"), jw_str(&w, db_col_text(s, 4));
        jw_key(&w, "score"), db_col_null(s, 5) ? jw_null(&w) : jw_int(&w, db_col_int(s, 5));
        jw_key(&w, "max_score"), jw_int(&w, db_col_int(s, 6));
        jw_key(&w, "correct"), db_col_null(s, 7) ? jw_null(&w) : jw_int(&w, db_col_int(s, 7));
        jw_key(&w, "total"), jw_int(&w, db_col_int(s, 8));
        jw_key(&w, "started_at"), jw_str(&w, db_col_text(s, 9));
        jw_key(&w, "submitted_at"), jw_str(&w, db_col_text(s, 10));
        jw_key(&w, "used_s"), db_col_null(s, 11) ? jw_null(&w) : jw_int(&w, db_col_int(s, 11));
        jw_obj_end(&w);
    }
    db_finish(s);
    jw_arr_end(&w);
    if (rc != DB_DONE) { jw_free(&w); entity_reply_error(r, &contest_entity, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* A staff member's own attempt (audience staff): the paper and a token for the answer routes. */
static void handle_my_attempt(request *r)
{
    int64_t id;
    contest ct;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? contests_get_to_take(c, r->principal, &r->arena, id, &ct) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &contest_entity, rc); return; }
    if (!contest_has_audience(&ct, "staff")) { entity_reply_error(r, &contest_entity, CT_AUDIENCE); return; }
    contest_person pp = {.kind = "staff", .id = r->principal->user_id};
    jw w;
    jw_init(&w);
    int64_t active = 0;
    rc = attempts_start(c, &r->arena, actor_of(r->principal), &ct, &pp, &w, &active);
    if (rc == CT_ATTEMPT_ACTIVE && active) { jw_free(&w); contests_reply_active(r, active); return; }
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &contest_entity, rc); return; }
    reply_jw(r, 201, &w);
}

static void handle_preview(request *r)
{
    db *c;
    contest ct;
    if (!load(r, &c, &ct)) return;
    jw w;
    jw_init(&w);
    int rc = attempts_preview(c, &r->arena, &ct, &w);
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &contest_entity, rc); return; }
    reply_jw(r, 200, &w);
}

static const struct route contest_routes[] = {
    {"GET", "/api/v1/contests", handle_list, RANK_STAFF, 0, .summary = "Contests in scope (?status, kind, q, org_id; ?format=xlsx: all of them as an Excel sheet)", .entity = &contest_entity},
    {"GET", "/api/v1/contests/:id", entity_handle_get, RANK_STAFF, 0, .summary = "A contest", .entity = &contest_entity},
    {"POST", "/api/v1/contests", entity_handle_create, RANK_STAFF, 0, .summary = "Create a contest (a draft)", .entity = &contest_entity},
    {"PUT", "/api/v1/contests/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a contest (rules and kind only while a draft)", .entity = &contest_entity},
    {"DELETE", "/api/v1/contests/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "Delete a draft contest", .entity = &contest_entity},
    {"POST", "/api/v1/contests/:id/publish", handle_publish, RANK_STAFF, 0, .summary = "Publish a draft: open to its audience in its window", .entity = &contest_entity},
    {"POST", "/api/v1/contests/:id/close", handle_close, RANK_STAFF, 0, .summary = "Close a published contest", .entity = &contest_entity},
    {"GET", "/api/v1/contests/:id/ranking/persons", handle_ranking_persons, RANK_STAFF, 0, .summary = "Persons by best attempt (masked names; ?format=xlsx)", .entity = &contest_entity},
    {"GET", "/api/v1/contests/:id/ranking/districts", handle_ranking_districts, RANK_STAFF, 0, .summary = "Districts: participants, per 10,000 residents, average score (?format=xlsx)", .entity = &contest_entity},
    {"GET", "/api/v1/contests/:id/attempts", handle_attempts, RANK_STAFF, 0, .summary = "The contest's attempts (masked names)", .entity = &contest_entity},
    {"POST", "/api/v1/contests/:id/my-attempts", handle_my_attempt, RANK_STAFF, 0, .summary = "Start the caller's own attempt (audience staff; any contest whose org holds the caller's): the paper and its token", .entity = &contest_entity},
    {"GET", "/api/v1/contests/:id/preview", handle_preview, RANK_STAFF, 0, .summary = "A sample paper with its answers (staff of the contest)", .entity = &contest_entity},
    {0},
};

void contests_init(void)
{
    checkin_init();
    orgs_track_path_column("contests", "org_path");
    orgs_track_path_column("contest_players", "org_path");
    orgs_track_path_column("contest_attempts", "org_path");
    orgs_track_path_column("contest_attempts", "contest_path");
    orgs_track_path_column("contest_best", "org_path");
    orgs_track_path_column("contest_districts", "org_path");
    orgs_track_path_column("contest_certificates", "org_path");
}

void contests_register_routes(void)
{
    contests_init();
    router_add_table(contest_routes);
    contests_public_register_routes();
    contests_cert_register_routes();
    contests_find_register_routes();
}
