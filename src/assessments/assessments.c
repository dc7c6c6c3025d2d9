/* assessments.c - the assessment schemes (考核方案) and their indicators, the manual scores and
 * their evidence, and the routes (assessments.h; docs/api.md "District assessment"). */
#include "assessments/assessments.h"
#include "assessments/sources.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "files/attachments.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include "assessments/assess_sql.h"
#include <stddef.h>
#include <string.h>

static const char *const statuses[] = {"draft", "open", "final", NULL};

#define S(m) offsetof(asm_scheme, m)
static const field scheme_fields[] = {
    {"id", "s.id", FT_ID, S(id), .flags = 0},
    {"org_id", "s.org_id", FT_ID, S(org_id), .flags = FF_CREATE | FF_REQUIRED, .doc = "the assessing unit (the city)"},
    {"org_path", "s.org_path", FT_TEXT, S(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, S(org_name), .flags = 0},
    {"year", "s.year", FT_INT, S(year), .flags = FF_WRITE | FF_REQUIRED, .min = 2000, .max = 2100},
    {"title", "s.title", FT_TEXT, S(title), .flags = FF_WRITE | FF_REQUIRED, .max = 100},
    {"unit_type", "s.unit_type", FT_TEXT, S(unit_type), .flags = FF_CREATE, .max = 30,
     .doc = "the type of the assessed units below org_id (default district)"},
    {"status", "s.status", FT_ENUM, S(status), .flags = FF_FILTER, .choices = statuses},
    {"frozen_at", "s.frozen_at", FT_TIME, S(frozen_at), .flags = 0},
    {"created_by", "s.created_by", FT_INT_NULL, S(created_by), .flags = 0},
    {"created_at", "s.created_at", FT_TIME, S(created_at), .flags = 0},
    {"updated_at", "s.updated_at", FT_TIME, S(updated_at), .flags = 0},
    {"indicators", NULL, FT_JSON, S(indicators), .flags = FF_NO_SELECT | FF_WRITE | FF_BODY_OWN | FF_OMIT_NULL,
     .doc = "[{id?, name, source (a source key or manual), param?, weight, max_points?, description?}]"},
    {0},
};
#undef S

static const error_row asm_errors[] = {
    {ASM_NOT_FOUND, 404, "not_found", NULL, "考核方案不存在 / assessment not found"},
    {ASM_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {ASM_STATE, 409, "assessment_state", NULL, "考核方案当前状态不允许此操作 / the assessment's status does not allow this"},
    {ASM_NOT_OWNER, 403, "forbidden", NULL, "仅考核单位可办理 / only the assessing unit may do this"},
    {ASM_NOT_UNIT, 422, "invalid_field", "org_id", "该单位不是本方案的考核对象 / the unit is not assessed by this scheme"},
    {ASM_NO_INDICATOR, 422, "invalid_field", "indicator_id", "不是本方案的人工评分指标 / not a manually scored item of this scheme"},
    {ASM_SCORE_NOT_FOUND, 404, "not_found", NULL, "评分不存在 / score not found"},
    {0},
};

/* The owner's scope sees every scheme of its own; the units below the owner see the open and
 * final ones (an assessed district reads its scores through them). */
static void scheme_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((s.status <> 'draft' AND (1 = 0");
    for (int i = 0; i < sc->n; i++) {
        qb_sql(q, " OR substr(?, 1, length(s.org_path)) = s.org_path");
        qb_text(q, sc->paths[i]);
    }
    qb_sql(q, ")) OR (1 = 1");
    scope_filter(sc, q, "s.org_path");
    qb_sql(q, "))");
}

static int scheme_write(db *c, arena *a, const void *rec, jw *w);

entity assessment_entity = {
    .name = "assessment",
    .doc = "A district assessment scheme (考核方案) of a year with its weighted indicators",
    .from = " FROM assessment_schemes s JOIN orgs o ON o.id = s.org_id",
    .id_column = "s.id",
    .path_column = "s.org_path",
    .scope_rule = scheme_scope,
    .order = " ORDER BY s.year DESC, s.id DESC",
    .size = sizeof(asm_scheme),
    .fields = scheme_fields,
    .not_found = ASM_NOT_FOUND,
    .org_not_found = ASM_ORG_NOT_FOUND,
    .errors = asm_errors,
    .write = scheme_write,
};

/* ---- manual scores ---- */

typedef struct asm_score {
    int64_t id, scheme_id, indicator_id, org_id, score_e2, scored_by, created_by;
    const char *org_path, *org_name, *note, *scored_at;
} asm_score;

#define M(m) offsetof(asm_score, m)
static const field score_fields[] = {
    {"id", "m.id", FT_ID, M(id), .flags = 0},
    {"scheme_id", "m.scheme_id", FT_ID, M(scheme_id), .flags = 0},
    {"indicator_id", "m.indicator_id", FT_ID, M(indicator_id), .flags = 0},
    {"org_id", "m.org_id", FT_ID, M(org_id), .flags = 0},
    {"org_path", "m.org_path", FT_TEXT, M(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, M(org_name), .flags = 0},
    {"score_e2", "m.score_e2", FT_INT, M(score_e2), 0, .doc = "the score in hundredths of a point"},
    {"note", "m.note", FT_TEXT, M(note), .flags = 0},
    {"scored_by", "m.scored_by", FT_INT_NULL, M(scored_by), .flags = 0},
    {"scored_at", "m.scored_at", FT_TIME, M(scored_at), .flags = 0},
    {"created_by", "m.created_by", FT_INT_NULL, M(created_by), .flags = FF_HIDDEN},
    {0},
};
#undef M

entity assessment_score_entity = {
    .name = "assessment_score",
    .doc = "A manually scored item of an assessment for one unit, with its evidence files",
    .from = " FROM assessment_manual_scores m JOIN orgs o ON o.id = m.org_id",
    .id_column = "m.id",
    .path_column = "m.org_path",
    .order = " ORDER BY m.id",
    .size = sizeof(asm_score),
    .fields = score_fields,
    .not_found = ASM_SCORE_NOT_FOUND,
    .org_not_found = ASM_ORG_NOT_FOUND,
    .errors = asm_errors,
};

bool asm_manages(const principal *p, const asm_scheme *s)
{
    return p->rank >= RANK_ORG_ADMIN && scope_covers(&p->scope, s->org_path);
}

/* The scheme of a score managed by p (evidence is added and deleted by the assessing unit). */
static int evidence_writable(db *c, const principal *p, arena *a, int64_t score_id)
{
    asm_score m;
    asm_scheme s;
    int rc = entity_get(c, &assessment_score_entity, &p->scope, a, score_id, &m);
    if (rc == DB_OK) rc = entity_get(c, &assessment_entity, &p->scope, a, m.scheme_id, &s);
    if (rc == DB_OK && (!asm_manages(p, &s) || !strcmp(s.status, "final"))) rc = ASM_SCORE_NOT_FOUND;
    return rc == ASM_NOT_FOUND ? ASM_SCORE_NOT_FOUND : rc;
}

const attachment_kind assessment_evidence = {
    .table = "assessment_evidence", .owner_table = "assessment_manual_scores", .owner_col = "score_id",
    .audit_entity = "assessment_evidence", .noun = "每项评分", .max_per_owner = 10, .owner = &assessment_score_entity,
    .path = "/api/v1/assessment-scores/:id/evidence", .what = "a manual score (its evidence)",
    .writable = evidence_writable, .read_through_owner = true,
};

/* ---- indicators ---- */

int asm_indicators(db *c, arena *a, int64_t scheme_id, asm_indicator **out, int *n)
{
    qb q;
    qb_init(&q, "SELECT id, no, name, source, param, weight, max_points, description FROM assessment_indicators "
                "WHERE scheme_id = ? ORDER BY no, id");
    qb_int(&q, scheme_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    asm_indicator *v = arena_alloc(a, sizeof(asm_indicator) * ASM_MAX_INDICATORS);
    int rc, k = 0;
    if (!v) { db_finish(s); return DB_ERR; }
    while ((rc = db_step(s)) == DB_ROW && k < ASM_MAX_INDICATORS) {
        asm_indicator *x = &v[k++];
        x->id = db_col_int(s, 0), x->no = db_col_int(s, 1);
        x->name = arena_strdup(a, db_col_text(s, 2)), x->source = arena_strdup(a, db_col_text(s, 3));
        x->param = arena_strdup(a, db_col_text(s, 4));
        x->weight = db_col_int(s, 5), x->max_points = db_col_int(s, 6);
        x->description = arena_strdup(a, db_col_text(s, 7));
    }
    db_finish(s);
    *out = v, *n = k;
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

static void write_indicator(jw *w, const asm_indicator *x)
{
    const assessment_source *src = assessment_source_find(x->source);
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "no"), jw_int(w, x->no);
    jw_key(w, "name"), jw_str(w, x->name);
    jw_key(w, "source"), jw_str(w, x->source);
    jw_key(w, "source_label"), jw_str(w, src ? src->label : !strcmp(x->source, "manual") ? "人工评分 / Scored by hand" : NULL);
    jw_key(w, "unit"), jw_str(w, src ? (src->unit == ASSESS_RATIO ? "ratio" : "count") : "manual");
    jw_key(w, "param"), jw_str(w, x->param);
    jw_key(w, "weight"), jw_int(w, x->weight);
    jw_key(w, "max_points"), jw_int(w, x->max_points);
    jw_key(w, "description"), jw_str(w, x->description);
    jw_obj_end(w);
}

/* The scheme with its indicators, the weights' sum and whether it is 100. */
static int scheme_write(db *c, arena *a, const void *rec, jw *w)
{
    const asm_scheme *s = rec;
    asm_indicator *ind;
    int n;
    int rc = asm_indicators(c, a, s->id, &ind, &n);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    entity_write_fields(w, &assessment_entity, s);
    int64_t sum = 0;
    jw_key(w, "indicators"), jw_arr(w);
    for (int i = 0; i < n; i++) write_indicator(w, &ind[i]), sum += ind[i].weight;
    jw_arr_end(w);
    jw_key(w, "weight_sum"), jw_int(w, sum);
    jw_key(w, "weight_warning"), jw_str(w, sum == 100 ? NULL : "权重合计不是 100 分 / the weights do not add up to 100");
    jw_obj_end(w);
    return DB_OK;
}

MESSAGE(msg_no_param, "该来源没有参数 / this source takes no parameter");

/* Reads and checks the body's indicators into v (at most ASM_MAX_INDICATORS); false after a 422. */
static bool read_indicators(request *r, db *c, json_t *arr, asm_indicator *v, int *n)
{
    if (!json_is_array(arr) || json_array_size(arr) > ASM_MAX_INDICATORS) {
        reply_error(r, 422, "invalid_field", "indicators", "指标应为数组，至多 30 项 / indicators: an array of up to 30");
        return false;
    }
    size_t i;
    json_t *it;
    *n = 0;
    json_array_foreach(arr, i, it) {
        asm_indicator *x = &v[(*n)++];
        memset(x, 0, sizeof *x);
        json_t *id = json_object_get(it, "id"), *w = json_object_get(it, "weight"), *mx = json_object_get(it, "max_points");
        const char *name = json_string_value(json_object_get(it, "name"));
        const char *src = json_string_value(json_object_get(it, "source"));
        const char *param = json_string_value(json_object_get(it, "param"));
        const char *desc = json_string_value(json_object_get(it, "description"));
        x->no = (int64_t)i + 1;
        x->id = json_is_integer(id) ? json_integer_value(id) : 0;
        if (!json_is_object(it) || !name || !*name || strlen(name) > 300) {
            reply_error(r, 422, "invalid_field", "indicators", "每项指标须有名称（至多 100 字） / each indicator needs a name");
            return false;
        }
        bool manual = src && !strcmp(src, "manual");
        const assessment_source *s = manual ? NULL : assessment_source_find(src);
        if (!manual && !s) {
            reply_error(r, 422, "invalid_field", "indicators", "指标来源不存在 / unknown source of an indicator");
            return false;
        }
        if (!json_is_integer(w) || json_integer_value(w) < 0 || json_integer_value(w) > 1000) {
            reply_error(r, 422, "invalid_field", "indicators", "分值应为 0 至 1000 的整数 / weight: a whole number 0..1000");
            return false;
        }
        x->weight = json_integer_value(w);
        x->max_points = manual ? x->weight : 0;
        if (manual && mx && !json_is_null(mx)) {
            if (!json_is_integer(mx) || json_integer_value(mx) < 0 || json_integer_value(mx) > 1000) {
                reply_error(r, 422, "invalid_field", "indicators", "最高分应为 0 至 1000 的整数 / max_points: 0..1000");
                return false;
            }
            x->max_points = json_integer_value(mx);
        }
        if (param && !*param) param = NULL;
        const char *bad = s && param && s->param_doc ? (s->check_param ? s->check_param(c, &r->arena, param) : NULL)
                          : s && param ? msg_no_param : NULL;
        if (bad) { reply_error(r, 422, "invalid_field", "indicators", "%s", bad); return false; }
        x->name = name, x->source = manual ? "manual" : s->key, x->param = manual ? NULL : param;
        x->description = desc && strlen(desc) <= 2000 ? desc : NULL;
    }
    return true;
}

/* Replaces the indicators of a scheme with v: those named by id are updated, the others inserted,
 * the ones left out deleted (with their manual scores). */
static int store_indicators(db *c, int64_t scheme_id, const asm_indicator *v, int n)
{
    qb q;
    qb_init(&q, "DELETE FROM assessment_manual_scores WHERE scheme_id = ? AND indicator_id NOT IN (0");
    qb_int(&q, scheme_id);
    for (int i = 0; i < n; i++) qb_sql(&q, ", ?"), qb_int(&q, v[i].id);
    qb_sql(&q, ")");
    int rc = qb_exec(c, &q, NULL);
    qb_init(&q, "DELETE FROM assessment_indicators WHERE scheme_id = ? AND id NOT IN (0");
    qb_int(&q, scheme_id);
    for (int i = 0; i < n; i++) qb_sql(&q, ", ?"), qb_int(&q, v[i].id);
    qb_sql(&q, ")");
    if (rc == DB_OK) rc = qb_exec(c, &q, NULL);
    else qb_free(&q);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        const asm_indicator *x = &v[i];
        int64_t found = 0;
        if (x->id) {
            qb_init(&q, "UPDATE assessment_indicators SET no = ?, name = ?, source = ?, param = ?, weight = ?, max_points = ?, "
                        "description = ? WHERE id = ? AND scheme_id = ? RETURNING id");
            qb_int(&q, x->no), qb_text(&q, x->name), qb_text(&q, x->source), qb_text(&q, x->param);
            qb_int(&q, x->weight), qb_int(&q, x->max_points), qb_text(&q, x->description), qb_int(&q, x->id);
            qb_int(&q, scheme_id);
            rc = qb_exec(c, &q, &found);
            if (rc == DB_DONE) rc = ASM_NO_INDICATOR;
            continue;
        }
        qb_init(&q, "INSERT INTO assessment_indicators (scheme_id, no, name, source, param, weight, max_points, description) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        qb_int(&q, scheme_id), qb_int(&q, x->no), qb_text(&q, x->name), qb_text(&q, x->source), qb_text(&q, x->param);
        qb_int(&q, x->weight), qb_int(&q, x->max_points), qb_text(&q, x->description);
        rc = qb_exec(c, &q, NULL);
    }
    return rc;
}

/* ---- handlers ---- */

/* The scheme in the caller's scope and managed by it (a unit below sees it: the same 404 as
 * for one it does not see is not right for a district that reads it, so 403). */
static int scheme_managed(request *r, db *c, int64_t id, asm_scheme *s)
{
    int rc = entity_get(c, &assessment_entity, &r->principal->scope, &r->arena, id, s);
    if (rc == DB_OK && !asm_manages(r->principal, s)) rc = ASM_NOT_OWNER;
    return rc;
}

static void reply_scheme(request *r, db *c, int status, int64_t id)
{
    asm_scheme s;
    /* the scheme this request just wrote, managed by the caller */
    int rc = entity_get_unscoped(c, &assessment_entity, &r->arena, id, &s);
    if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
    entity_reply(r, &assessment_entity, status, &s);
}

/* POST /assessments and PATCH /assessments/:id (not once final). */
static void handle_write(request *r)
{
    bool creating = !strcmp(r->method, "POST");
    int64_t id = 0;
    asm_scheme s = {0}, before = {0};
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!creating) {
        if (!param_id(r, 0, &id)) return;
        int rc = scheme_managed(r, c, id, &before);
        if (rc == DB_OK && !strcmp(before.status, "final")) rc = ASM_STATE;
        if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
        s = before;
    }
    if (!entity_read_body(r, &assessment_entity, &s, creating)) return;
    asm_indicator ind[ASM_MAX_INDICATORS];
    int n = 0;
    json_t *arr = r->json ? json_object_get(r->json, "indicators") : NULL;
    if (arr && !read_indicators(r, c, arr, ind, &n)) return;
    if (creating) {
        if (!s.unit_type || !*s.unit_type) s.unit_type = "district";
        int rc = entity_org_path(c, &r->principal->scope, &r->arena, s.org_id, ASM_ORG_NOT_FOUND, &s.org_path);
        if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
    }
    char now[32];
    time_now_rfc3339(now);
    int rc = db_begin(c);
    if (rc != DB_OK) { reply_db_error(r); return; }
    entity_value create_more[] = {{"org_path", .text = s.org_path},
                                  {"status", .text = "draft"}, {"created_by", .i = r->principal->user_id, .is_int = true},
                                  {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    entity_value update_more[] = {{"updated_at", .text = now}, {0}};
    rc = entity_store(c, &assessment_entity, "assessment_schemes", id, &s, creating ? create_more : update_more, &r->arena,
                      creating ? &id : NULL);
    if (rc == DB_OK && arr) rc = store_indicators(c, id, ind, n);
    asm_scheme after;
    /* the row this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &assessment_entity, &r->arena, id, &after);
    if (rc == DB_OK)
        rc = entity_audit(c, &assessment_entity, actor_of(r->principal), after.org_path, id, creating ? "create" : "update",
                          creating ? NULL : &before, &after);
    if (rc == DB_OK) rc = db_commit(c);
    else db_rollback(c);
    if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
    reply_scheme(r, c, creating ? 201 : 200, id);
}

/* POST /assessments/:id/open: draft -> open (the units below then see it). */
static void handle_open(request *r)
{
    int64_t id;
    asm_scheme s, after;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? scheme_managed(r, c, id, &s) : DB_ERR;
    if (rc == DB_OK && strcmp(s.status, "draft") != 0) rc = ASM_STATE;
    if (rc == DB_OK) rc = db_begin(c);
    if (rc == DB_OK) {
        char now[32];
        time_now_rfc3339(now);
        qb q;
        qb_init(&q, "UPDATE assessment_schemes SET status = 'open', updated_at = ? WHERE id = ?");
        qb_text(&q, now), qb_int(&q, id);
        rc = qb_exec(c, &q, NULL);
        /* the row this transaction just changed */
        if (rc == DB_OK) rc = entity_get_unscoped(c, &assessment_entity, &r->arena, id, &after);
        if (rc == DB_OK) rc = entity_audit(c, &assessment_entity, actor_of(r->principal), s.org_path, id, "open", &s, &after);
        if (rc == DB_OK) rc = db_commit(c);
        else db_rollback(c);
    }
    if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
    reply_scheme(r, c, 200, id);
}

/* DELETE /assessments/:id: a draft only. */
static void handle_delete(request *r)
{
    int64_t id;
    asm_scheme s;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? scheme_managed(r, c, id, &s) : DB_ERR;
    if (rc == DB_OK && strcmp(s.status, "draft") != 0) rc = ASM_STATE;
    if (rc == DB_OK) rc = db_begin(c);
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, "DELETE FROM assessment_indicators WHERE scheme_id = ?");
        qb_int(&q, id);
        rc = qb_exec(c, &q, NULL);
        qb_init(&q, "DELETE FROM assessment_schemes WHERE id = ?");
        qb_int(&q, id);
        if (rc == DB_OK) rc = qb_exec(c, &q, NULL);
        else qb_free(&q);
        if (rc == DB_OK) rc = entity_audit(c, &assessment_entity, actor_of(r->principal), s.org_path, id, "delete", &s, NULL);
        if (rc == DB_OK) rc = db_commit(c);
        else db_rollback(c);
    }
    entity_reply_result(r, &assessment_entity, rc, 204, NULL);
}

/* GET /assessments/:id/scores */
static void handle_scores(request *r)
{
    int64_t id;
    asm_scheme s;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &assessment_entity, &r->principal->scope, &r->arena, id, &s) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
    jw w;
    jw_init(&w);
    rc = asm_scores_write(c, r->principal, &r->arena, &s, &w);
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &assessment_entity, rc); return; }
    reply_jw(r, 200, &w);
}

/* POST /assessments/:id/finalize */
static void handle_finalize(request *r)
{
    int64_t id;
    asm_scheme s, after;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? scheme_managed(r, c, id, &s) : DB_ERR;
    if (rc == DB_OK && strcmp(s.status, "open") != 0) rc = ASM_STATE;
    if (rc == DB_OK) rc = asm_finalize(c, r->principal, &r->arena, &s, &after);
    if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
    reply_scheme(r, c, 200, id);
}

/* Whether org_id is one of the scheme's assessed units; its path into *path. */
static int assessed_unit(db *c, arena *a, const asm_scheme *s, int64_t org_id, const char **path)
{
    qb q;
    qb_init(&q, "SELECT path FROM orgs WHERE id = ? AND type = ? AND substr(path, 1, length(?)) = ? AND path <> ?");
    qb_int(&q, org_id), qb_text(&q, s->unit_type), qb_text(&q, s->org_path), qb_text(&q, s->org_path);
    qb_text(&q, s->org_path);
    db_stmt *st = qb_prepare(&q, c);
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *path = arena_strdup(a, db_col_text(st, 0)), rc = DB_OK;
    else if (rc == DB_DONE) rc = ASM_NOT_UNIT;
    db_finish(st);
    return rc;
}

/* The manual indicator of the scheme (its max points), or ASM_NO_INDICATOR. */
static int manual_indicator(db *c, int64_t scheme_id, int64_t ind_id, int64_t *max_points)
{
    qb q;
    qb_init(&q, "SELECT max_points FROM assessment_indicators WHERE id = ? AND scheme_id = ? AND source = 'manual'");
    qb_int(&q, ind_id), qb_int(&q, scheme_id);
    db_stmt *st = qb_prepare(&q, c);
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *max_points = db_col_int(st, 0), rc = DB_OK;
    else if (rc == DB_DONE) rc = ASM_NO_INDICATOR;
    db_finish(st);
    return rc;
}

/* Reads body "score": a number with at most two decimals, into hundredths; false after a 422. */
static bool body_score(request *r, int64_t max_points, int64_t *e2)
{
    json_t *v = r->json ? json_object_get(r->json, "score") : NULL;
    if (!json_is_number(v)) {
        reply_error(r, 422, "required", "score", "请填写得分 / score is required");
        return false;
    }
    double d = json_number_value(v);
    if (!(d >= 0) || d > (double)max_points) {
        reply_error(r, 422, "invalid_field", "score", "得分应在 0 与该项最高分之间 / score: 0 up to the item's max points");
        return false;
    }
    *e2 = (int64_t)asm_round(d * 100.0);
    return true;
}

/* PUT /assessments/:id/manual-scores {indicator_id, org_id, score, note?}: sets one unit's score
 * of a manual item (while open); answers the score with its id (evidence goes under it). */
static void handle_manual(request *r)
{
    int64_t id, ind = 0, unit = 0, max_points = 0, e2 = 0, score_id = 0;
    bool has;
    asm_scheme s;
    const char *note = NULL, *path = NULL;
    if (!param_id(r, 0, &id) || !body_int(r, "indicator_id", true, &ind, &has) || !body_int(r, "org_id", true, &unit, &has) ||
        !body_text(r, "note", 500, &note))
        return;
    db *c = db_thread();
    int rc = c ? scheme_managed(r, c, id, &s) : DB_ERR;
    if (rc == DB_OK && strcmp(s.status, "final") == 0) rc = ASM_STATE;
    if (rc == DB_OK) rc = manual_indicator(c, id, ind, &max_points);
    if (rc == DB_OK) rc = assessed_unit(c, &r->arena, &s, unit, &path);
    if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
    if (!body_score(r, max_points, &e2)) return;
    char now[32];
    time_now_rfc3339(now);
    asm_score before = {0}, after;
    bool had = false;
    rc = db_begin(c);
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, " AND m.indicator_id = ? AND m.org_id = ?");
        qb_int(&q, ind), qb_int(&q, unit);
        /* the scheme is the caller's (managed above): its scores whatever the unit */
        rc = entity_get_where_unscoped(c, &assessment_score_entity, &r->arena, &q, &before);
        had = rc == DB_OK;
        if (rc == ASM_SCORE_NOT_FOUND) rc = DB_OK;
    }
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, "INSERT INTO assessment_manual_scores (scheme_id, indicator_id, org_id, org_path, score_e2, note, scored_by, "
                    "scored_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, org_id) DO UPDATE SET "
                    "score_e2 = excluded.score_e2, note = excluded.note, scored_by = excluded.scored_by, "
                    "scored_at = excluded.scored_at RETURNING id");
        qb_int(&q, id), qb_int(&q, ind), qb_int(&q, unit), qb_text(&q, path), qb_int(&q, e2), qb_text(&q, note);
        qb_int(&q, r->principal->user_id), qb_text(&q, now), qb_int(&q, r->principal->user_id);
        rc = qb_exec(c, &q, &score_id);
    }
    /* the row this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &assessment_score_entity, &r->arena, score_id, &after);
    if (rc == DB_OK)
        rc = entity_audit(c, &assessment_score_entity, actor_of(r->principal), path, score_id, "score", had ? &before : NULL,
                          &after);
    if (rc == DB_OK) rc = db_commit(c);
    else db_rollback(c);
    if (rc != DB_OK) { entity_reply_error(r, &assessment_entity, rc); return; }
    entity_reply(r, &assessment_score_entity, 200, &after);
}

/* GET /assessment-sources: the figure sources an indicator may name, with labels and, where the
 * parameter is a choice, its choices (the editor never shows a raw key). */
static void handle_sources(request *r)
{
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items"), jw_arr(&w);
    for (int i = 0; i < assessment_source_count(); i++) {
        const assessment_source *s = assessment_source_at(i);
        jw_obj(&w);
        jw_key(&w, "key"), jw_str(&w, s->key);
        jw_key(&w, "label"), jw_str(&w, s->label);
        jw_key(&w, "unit"), jw_str(&w, s->unit == ASSESS_RATIO ? "ratio" : "count");
        jw_key(&w, "param_doc"), jw_str(&w, s->param_doc);
        jw_obj_end(&w);
    }
    jw_obj(&w);
    jw_key(&w, "key"), jw_str(&w, "manual");
    jw_key(&w, "label"), jw_str(&w, "人工评分 / Scored by hand");
    jw_key(&w, "unit"), jw_str(&w, "manual");
    jw_key(&w, "param_doc"), jw_null(&w);
    jw_obj_end(&w);
    jw_arr_end(&w);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route asm_routes[] = {
    {"GET", "/api/v1/assessment-sources", handle_sources, RANK_STAFF, 0,
     .summary = "The figure sources an assessment indicator may name, with their labels", .entity = &assessment_entity},
    {"GET", "/api/v1/assessments", entity_handle_list, RANK_STAFF, 0,
     .summary = "Assessment schemes in scope (the assessing unit's, and the open ones above an assessed unit)",
     .entity = &assessment_entity},
    {"POST", "/api/v1/assessments", handle_write, RANK_ORG_ADMIN, 0,
     .summary = "Create an assessment scheme (draft) with its indicators", .entity = &assessment_entity},
    {"GET", "/api/v1/assessments/:id", entity_handle_get, RANK_STAFF, 0, .summary = "One assessment scheme with its indicators",
     .entity = &assessment_entity},
    {"PATCH", "/api/v1/assessments/:id", handle_write, RANK_ORG_ADMIN, 0,
     .summary = "Change a scheme and its indicators (not once final)", .entity = &assessment_entity},
    {"DELETE", "/api/v1/assessments/:id", handle_delete, RANK_ORG_ADMIN, 0, .summary = "Delete a draft scheme",
     .entity = &assessment_entity},
    {"POST", "/api/v1/assessments/:id/open", handle_open, RANK_ORG_ADMIN, 0,
     .summary = "Open a scheme: the assessed units see their scores", .entity = &assessment_entity},
    {"GET", "/api/v1/assessments/:id/scores", handle_scores, RANK_STAFF, 0,
     .summary = "Scores per unit and indicator, total and rank (live while open, frozen once final)",
     .entity = &assessment_entity},
    {"PUT", "/api/v1/assessments/:id/manual-scores", handle_manual, RANK_ORG_ADMIN, 0,
     .summary = "Score a unit on a manual item (the assessing unit)", .entity = &assessment_score_entity},
    {"POST", "/api/v1/assessments/:id/finalize", handle_finalize, RANK_ORG_ADMIN, 0,
     .summary = "Freeze the scores (final): later figures change nothing", .entity = &assessment_entity},
    {"GET", "/api/v1/assessments/:id/report.xlsx", asm_handle_xlsx, RANK_STAFF, 0,
     .summary = "The ranking as an Excel workbook (the units the caller sees)", .entity = &assessment_entity},
    {"GET", "/api/v1/assessments/:id/report.pdf", asm_handle_pdf, RANK_STAFF, 0,
     .summary = "The ranking as a PDF (the units the caller sees)", .entity = &assessment_entity},
    {0},
};

void assessments_init(void)
{
    orgs_track_path_column("assessment_schemes", "org_path");
    orgs_track_path_column("assessment_manual_scores", "org_path");
    orgs_track_path_column("assessment_evidence", "org_path");
    orgs_track_path_column("assessment_results", "org_path");
}

void assessments_register_routes(void)
{
    assessments_init();
    entity_prepare(&assessment_score_entity);
    router_add_table(asm_routes);
}
