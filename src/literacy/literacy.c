/* literacy.c - literacy survey rows: the declared record, their writes (each audited and fed to
 * the statistics in the write's transaction), the no-double-counting rule and the module's
 * statistics registration (see literacy.h). */
#include "literacy/literacy.h"
#include "core/timeutil.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const literacy_dims[] = {"all", "age", "gender", "area", "education", "occupation", NULL};

/* The groups of the national survey (中国公民科学素质抽样调查): ages 18..69 in five bands, gender,
 * urban/rural residence, education and occupation. */
const literacy_group literacy_groups[] = {
    {"all", "", "全体"},
    {"age", "18_29", "18-29岁"}, {"age", "30_39", "30-39岁"}, {"age", "40_49", "40-49岁"},
    {"age", "50_59", "50-59岁"}, {"age", "60_69", "60-69岁"},
    {"gender", "male", "男"}, {"gender", "female", "女"},
    {"area", "urban", "城镇"}, {"area", "rural", "农村"},
    {"education", "primary", "小学及以下"}, {"education", "junior", "初中"}, {"education", "senior", "高中（中专）"},
    {"education", "college", "大学专科"}, {"education", "bachelor", "大学本科及以上"},
    {"occupation", "leader", "单位负责人"}, {"occupation", "professional", "专业技术人员"},
    {"occupation", "clerk", "办事人员"}, {"occupation", "service", "商业及服务业人员"},
    {"occupation", "farmer", "农业生产人员"}, {"occupation", "worker", "生产制造及有关人员"},
    {"occupation", "other", "其他"},
    {NULL, NULL, NULL},
};

const literacy_group *literacy_group_find(const char *dim, const char *value)
{
    for (const literacy_group *g = literacy_groups; g->dim; g++)
        if (!strcmp(g->dim, dim) && !strcmp(g->value, value ? value : "")) return g;
    return NULL;
}

const char *literacy_dim_label(const char *dim)
{
    static const char *const labels[] = {"全体", "年龄", "性别", "城乡", "文化程度", "职业"};
    for (int i = 0; literacy_dims[i]; i++)
        if (!strcmp(dim, literacy_dims[i])) return labels[i];
    return dim;
}

bool literacy_rate_bp(const char *text, int64_t *bp)
{
    return text && stats_ratio_parse_text(text, bp) && *bp <= 10000;
}

/* The API's literate_rate: a number 0..100 with at most 2 decimals, kept as its text. */
static const char *check_rate(arena *a, json_t *v, const char **out)
{
    int64_t bp;
    if (!stats_ratio_from_json(v, &bp) || bp > 10000)
        return "比例应为 0 至 100 之间、至多两位小数的百分数 / a percentage 0..100 with at most 2 decimals";
    char text[32];
    stats_ratio_format(bp, text);
    *out = arena_strdup(a, text);
    return NULL;
}

static void survey_on_read(void *rec, arena *a)
{
    literacy_survey *s = rec;
    char text[32];
    stats_ratio_format(s->rate_bp, text);
    s->literate_rate = arena_strdup(a, text);
}

#define S(member) offsetof(literacy_survey, member)
static const field survey_fields[] = {
    {"id", "s.id", FT_ID, S(id), .flags = 0},
    {"org_id", "s.org_id", FT_ID, S(org_id), .flags = FF_CREATE | FF_REQUIRED, .doc = "the node surveyed (a district or any node)"},
    {"org_path", "s.org_path", FT_TEXT, S(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, S(org_name), .flags = 0},
    {"year", "s.year", FT_INT, S(year), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER, .min = 2000, .max = 2100, .example = "2025"},
    {"group_dim", "s.group_dim", FT_ENUM, S(group_dim), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER, .choices = literacy_dims,
     .doc = "all: the whole population; else the dimension of a group"},
    {"group_value", "s.group_value", FT_TEXT, S(group_value), .flags = FF_CREATE | FF_FILTER, .max = 16,
     .example = "\"female\"", .doc = "the group's code (docs/domain.md, literacy groups); empty for all"},
    {"sample_size", "s.sample_size", FT_INT, S(sample_size), .flags = FF_WRITE, .min = 0, .max = 10000000},
    {"rate_bp", "s.rate_bp", FT_INT, S(rate_bp), .flags = FF_HIDDEN},
    {"literate_rate", NULL, FT_JSON, S(literate_rate), .flags = FF_WRITE | FF_NO_SELECT, .check_json = check_rate,
     .example = "14.37", .doc = "具备科学素质的比例, a percentage with 2 decimals (required on create)"},
    {"weight_population", "s.weight_population", FT_INT, S(weight_population), .flags = FF_WRITE, .min = 0, .max = 100000000,
     .doc = "the population the row stands for; for all, 0 or absent takes the node's population (orgs.population)"},
    {"source", "s.source", FT_TEXT, S(source), .flags = FF_WRITE | FF_SEARCH, .max = 100},
    {"note", "s.note", FT_MULTILINE, S(note), .flags = FF_WRITE, .max = 500},
    {"created_by", "s.created_by", FT_INT_NULL, S(created_by), .flags = FF_HIDDEN},
    {"created_at", "s.created_at", FT_TIME, S(created_at), .flags = 0},
    {"updated_at", "s.updated_at", FT_TIME, S(updated_at), .flags = 0},
    {0},
};
#undef S

static const error_row survey_errors[] = {
    {LIT_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {LIT_DUPLICATE, 409, "duplicate", "group_value", "该单位本年度已有此人群的调查数据 / this node already has a row of that year and group"},
    {LIT_OVERLAP, 422, "literacy_overlap", "org_id",
     "上级或下级单位已录入同年度同人群的数据，汇总会重复计算 / an ancestor or descendant already has a row of that year and group"},
    {LIT_NO_POPULATION, 422, "required", "weight_population",
     "该单位未填写常住人口，请填写代表人口 / the node has no population: give weight_population"},
    {0},
};

/* The keyed counters of a row: "literacy.num" / "literacy.den" for all, with ".<dim>.<value>" for a
 * group. The key source below computes the same from the table (kepu stats verify, rebuild). */
static int feed(db *c, const literacy_survey *s, int sign)
{
    char num[64], den[64], day[11];
    bool all = !strcmp(s->group_dim, "all");
    snprintf(num, sizeof num, all ? "literacy.num" : "literacy.num.%s.%s", s->group_dim, s->group_value);
    snprintf(den, sizeof den, all ? "literacy.den" : "literacy.den.%s.%s", s->group_dim, s->group_value);
    snprintf(day, sizeof day, "%04d-12-31", (int)s->year);
    stats_key keys[2] = {{num, (s->rate_bp * s->weight_population + 5000) / 10000}, {den, s->weight_population}};
    return stats_add_keys(c, s->org_path, day, keys, 2, sign);
}

static const char key_source[] =
    "SELECT org_path, CAST(year AS TEXT) || '-12-31' AS day, CASE WHEN group_dim = 'all' THEN 'literacy.num' "
    "ELSE 'literacy.num.' || group_dim || '.' || group_value END AS key, (rate_bp * weight_population + 5000) / 10000 AS n "
    "FROM literacy_surveys UNION ALL "
    "SELECT org_path, CAST(year AS TEXT) || '-12-31' AS day, CASE WHEN group_dim = 'all' THEN 'literacy.den' "
    "ELSE 'literacy.den.' || group_dim || '.' || group_value END AS key, weight_population AS n FROM literacy_surveys";

/* Whether a row of the same year and group sits at an ancestor or a descendant of path. Unscoped:
 * a district's row must not join a row its city entered above it, which the district cannot see;
 * the answer tells only that one exists. */
static int overlap_unscoped(db *c, const literacy_survey *s, const char *path, bool *out)
{
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM literacy_surveys WHERE year = ? AND group_dim = ? AND group_value = ? AND org_path <> ? "
                "AND (substr(CAST(? AS TEXT), 1, length(org_path)) = org_path OR substr(org_path, 1, length(CAST(? AS TEXT))) = ?) "
                "LIMIT 1");
    qb_int(&q, s->year), qb_text(&q, s->group_dim), qb_text(&q, s->group_value), qb_text(&q, path);
    qb_text(&q, path), qb_text(&q, path), qb_text(&q, path);
    int rc = qb_exec(c, &q, &one);
    *out = one == 1;
    return rc == DB_DONE ? DB_OK : rc;
}

struct save_args {
    const principal *p;
    arena *a;
    int64_t id;
    const literacy_survey *in;
    literacy_survey *out;
};

/* The row to store: its node's path (in p's scope) and, for all without a weight, the node's
 * population; then the no-double-counting rule. */
static int place(db *c, const principal *p, arena *a, literacy_survey *s)
{
    org o;
    int rc = orgs_get(c, p, a, s->org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? LIT_ORG_NOT_FOUND : rc;
    s->org_path = o.path;
    bool overlap;
    if ((rc = overlap_unscoped(c, s, o.path, &overlap)) != DB_OK) return rc;
    if (overlap) return LIT_OVERLAP;
    if (s->weight_population <= 0 && !strcmp(s->group_dim, "all")) s->weight_population = o.population;
    return s->weight_population > 0 ? DB_OK : LIT_NO_POPULATION;
}

int literacy_entry_problem(db *c, const principal *p, arena *a, const literacy_survey *in, const char **org_path)
{
    literacy_survey s = *in;
    int rc = place(c, p, a, &s);
    if (rc != DB_OK) return rc;
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM literacy_surveys WHERE year = ? AND org_id = ? AND group_dim = ? AND group_value = ?");
    qb_int(&q, s.year), qb_int(&q, s.org_id), qb_text(&q, s.group_dim), qb_text(&q, s.group_value);
    rc = qb_exec(c, &q, &one);
    if (rc != DB_OK && rc != DB_DONE) return rc;
    if (one == 1) return LIT_DUPLICATE;
    *org_path = s.org_path;
    return DB_OK;
}

static int save_cb(db *c, void *cls)
{
    struct save_args *x = cls;
    literacy_survey before, s = *x->in;
    int rc = x->id ? entity_get(c, &literacy_survey_entity, &x->p->scope, x->a, x->id, &before) : DB_OK;
    if (rc == DB_OK && !s.literate_rate) rc = DB_ERR;   /* the input rule requires it */
    if (rc == DB_OK && !literacy_rate_bp(s.literate_rate, &s.rate_bp)) rc = DB_ERR;
    if (rc == DB_OK) rc = place(c, x->p, x->a, &s);
    if (rc == DB_OK && x->id) rc = feed(c, &before, -1);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"org_path", .text = s.org_path}, {"rate_bp", .i = s.rate_bp, .is_int = true},
                           {"updated_at", .text = now}, {"created_by", .i = x->p->user_id, .is_int = true},
                           {"created_at", .text = now}, {0}};
    if (x->id) more[3].column = NULL;   /* an update keeps the author and the first time */
    int64_t id = 0;
    rc = entity_store(c, &literacy_survey_entity, "literacy_surveys", x->id, &s, more, x->a, &id);
    if (rc == DB_UNIQUE) return LIT_DUPLICATE;
    /* the row this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &literacy_survey_entity, x->a, id, x->out);
    if (rc == DB_OK) rc = feed(c, x->out, +1);
    if (rc != DB_OK) return rc;
    return entity_audit(c, &literacy_survey_entity, actor_of(x->p), x->out->org_path, id, x->id ? "update" : "create",
                        x->id ? &before : NULL, x->out);
}

static int survey_save(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    literacy_survey spare;
    struct save_args x = {p, a, id, in, out ? out : &spare};
    return db_transaction(c, save_cb, &x);
}

int literacy_create(db *c, const principal *p, arena *a, const literacy_survey *in, literacy_survey *out)
{
    literacy_survey s = *in;
    char text[32];
    if (!s.literate_rate) stats_ratio_format(s.rate_bp, text), s.literate_rate = text;
    return survey_save(c, p, a, 0, &s, out);
}

static int create_survey(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return survey_save(c, p, a, 0, in, out);
}

static int delete_cb(db *c, void *cls)
{
    struct save_args *x = cls;
    literacy_survey before;
    int rc = entity_get(c, &literacy_survey_entity, &x->p->scope, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "DELETE FROM literacy_surveys WHERE id = ?");
    qb_int(&q, x->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = feed(c, &before, -1)) != DB_OK) return rc;
    return entity_audit(c, &literacy_survey_entity, actor_of(x->p), before.org_path, x->id, "delete", &before, NULL);
}

static int survey_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct save_args x = {p, a, id, NULL, NULL};
    return db_transaction(c, delete_cb, &x);
}

/* After the field table: the rate on create, the group against its dimension. */
bool literacy_input(struct request *r, void *rec, bool creating);

entity literacy_survey_entity = {
    .name = "literacy_survey",
    .doc = "A literacy survey row (科学素质调查): a year, a node and a population group's literate share",
    .from = " FROM literacy_surveys s JOIN orgs o ON o.id = s.org_id",
    .id_column = "s.id",
    .path_column = "s.org_path",
    .order = " ORDER BY s.year DESC, s.org_path, s.group_dim, s.group_value, s.id",
    .size = sizeof(literacy_survey),
    .fields = survey_fields,
    .not_found = LIT_NOT_FOUND,
    .org_not_found = LIT_ORG_NOT_FOUND,
    .errors = survey_errors,
    .create = create_survey,
    .update = survey_save,
    .remove = survey_delete,
    .input = literacy_input,
    .on_read = survey_on_read,
};

/* The rule above for a move (orgs_register_move_check): a row in the moving subtree and a row at
 * the new parent or above it, of one year and group, would count twice. Unscoped like the rule:
 * the mover may not see the rows above, and learns only that there is one. */
static int move_check_unscoped(db *c, const char *path, const char *new_parent_path)
{
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM literacy_surveys d JOIN literacy_surveys u ON u.year = d.year AND u.group_dim = d.group_dim "
                "AND u.group_value = d.group_value WHERE substr(d.org_path, 1, length(CAST(? AS TEXT))) = ? "
                "AND substr(CAST(? AS TEXT), 1, length(u.org_path)) = u.org_path LIMIT 1");
    qb_text(&q, path), qb_text(&q, path), qb_text(&q, new_parent_path);
    int rc = qb_exec(c, &q, &one);
    if (rc == DB_DONE) return DB_OK;
    return rc == DB_OK ? ORGS_MOVE_DOUBLE_COUNT : rc;
}

void literacy_init(void)
{
    orgs_register_move_check(move_check_unscoped);
    stats_register_ratio_metric("literacy_rate", "literacy.num", "literacy.den", 100);
    stats_register_metric_label("literacy_rate", "公民具备科学素质比例(%)");
    stats_register_key_source(key_source);
}
