/* literacy_api.c - HTTP handlers of literacy surveys (docs/api.md "Literacy surveys (科学素质调查)
 * — issue 17 C"): CRUD by the generic entity handlers, the list's filters and its Excel export.
 * The rates themselves are statistics: /stats?metrics=literacy_rate (stats/ratios.c). */
#include "literacy/literacy.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include <string.h>

bool literacy_input(request *r, void *rec, bool creating)
{
    literacy_survey *s = rec;
    if (creating && !s->literate_rate) {
        reply_error(r, 422, "required", "literate_rate", "缺少必填字段 literate_rate / field is required");
        return false;
    }
    if (!creating) return true;   /* the group is fixed once entered (create-only fields) */
    if (!strcmp(s->group_dim, "all")) {
        if (s->group_value && *s->group_value) {
            reply_error(r, 422, "invalid_field", "group_value", "全体人群不填人群值 / no group_value for all");
            return false;
        }
        s->group_value = "";
    } else if (!s->group_value || !literacy_group_find(s->group_dim, s->group_value)) {
        reply_error(r, 422, "invalid_field", "group_value", "该维度下没有这个人群 / no such group in that dimension");
        return false;
    }
    return true;
}

static const char *group_label(const literacy_survey *s)
{
    const literacy_group *g = literacy_group_find(s->group_dim, s->group_value);
    return g ? g->label : s->group_value;
}

static int export_row(const void *rec, db_stmt *st, arena *row, void *cls)
{
    (void)st, (void)row;
    const literacy_survey *s = rec;
    xlsx *x = cls;
    xlsx_int(x, 0, s->year);
    xlsx_text(x, 1, s->org_name);
    xlsx_text(x, 2, literacy_dim_label(s->group_dim));
    xlsx_text(x, 3, group_label(s));
    xlsx_decimal(x, 4, (double)s->rate_bp / 100);
    xlsx_int(x, 5, s->sample_size);
    xlsx_int(x, 6, s->weight_population);
    xlsx_text(x, 7, s->source);
    xlsx_text(x, 8, s->note);
    xlsx_next_row(x);
    return DB_OK;
}

/* The list's rows (its filters: ?org_id, year, group_dim, group_value, q) as a workbook. */
static void handle_export(request *r)
{
    static const xlsx_col cols[] = {{"年度", 8}, {"单位", 24}, {"人群维度", 10}, {"人群", 16}, {"具备科学素质比例(%)", 18},
                                    {"样本量", 10}, {"代表人口", 12}, {"数据来源", 24}, {"备注", 30}};
    qb where;
    db *c = db_thread();
    if (!entity_request_where(r, c, &literacy_survey_entity, &where)) return;
    xlsx *x = xlsx_open_table("科学素质调查", NULL, cols, 9);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    qb_sql(&where, " ORDER BY s.year DESC, s.org_path, s.group_dim, s.group_value, s.id");
    int rc = entity_each(c, &literacy_survey_entity, NULL, &where, export_row, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &literacy_survey_entity, rc); return; }
    xlsx_reply(x, r, "科学素质调查.xlsx");
}

/* The groups and their labels, for forms and charts (a dictionary, no records). */
static void handle_groups(request *r)
{
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (const literacy_group *g = literacy_groups; g->dim; g++) {
        jw_obj(&w);
        jw_key(&w, "group_dim"), jw_str(&w, g->dim);
        jw_key(&w, "group_value"), jw_str(&w, g->value);
        jw_key(&w, "dim_label"), jw_str(&w, literacy_dim_label(g->dim));
        jw_key(&w, "label"), jw_str(&w, g->label);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route literacy_routes[] = {
    {"GET", "/api/v1/literacy/groups", handle_groups, RANK_MEMBER, 0, .summary = "Population groups of literacy surveys (人群) with labels"},
    {"GET", "/api/v1/literacy/surveys", entity_handle_list, RANK_STAFF, 0, .summary = "Literacy survey rows (科学素质调查) in scope (?year, group_dim, group_value, org_id, q)", .entity = &literacy_survey_entity},
    {"GET", "/api/v1/literacy/surveys/export", handle_export, RANK_STAFF, 0, .summary = "Literacy survey rows to Excel (the list's filters)", .entity = &literacy_survey_entity},
    {"GET", "/api/v1/literacy/surveys/:id", entity_handle_get, RANK_STAFF, 0, .summary = "One literacy survey row", .entity = &literacy_survey_entity},
    {"POST", "/api/v1/literacy/surveys", entity_handle_create, RANK_STAFF, 0, .summary = "Enter a literacy survey row (feeds literacy_rate)", .entity = &literacy_survey_entity},
    {"PATCH", "/api/v1/literacy/surveys/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a literacy survey row's figures", .entity = &literacy_survey_entity},
    {"DELETE", "/api/v1/literacy/surveys/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "Delete a literacy survey row", .entity = &literacy_survey_entity},
    {0},
};

void literacy_register_routes(void)
{
    literacy_init();
    router_add_table(literacy_routes);
    literacy_import_register_routes();
    orgs_track_path_column("literacy_surveys", "org_path");
}
