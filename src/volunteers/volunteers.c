/* volunteers.c - the volunteers' records (see volunteers.h): read, list, export, register (by
 * staff, an import or the volunteer), update, leave, reveal, and the registered_volunteers
 * counter of the statistics engine, moved in the writer's transaction. */
#include "volunteers/volunteers_internal.h"
#include "volunteers/projects.h"
#include "audit/audit.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/counter.h"
#include "db/query.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const volunteer_statuses[] = {"active", "suspended", "left", NULL};
static const char *const volunteer_availability[] = {"weekdays", "weekends", "evenings", "holidays", NULL};

static const char *const genders[] = {"male", "female", NULL};

#define V(member) offsetof(volunteer, member)
/* The public form: numbers masked, no birth date (the mask hides it on purpose). */
static const field volunteer_fields[] = {
    {"id", "v.id", FT_ID, V(id), .flags = 0},
    {"volunteer_no", "v.volunteer_no", FT_TEXT, V(volunteer_no), .flags = FF_SEARCH, .example = "\"KP2026000001\""},
    {"org_id", "v.org_id", FT_ID, V(org_id), .flags = FF_WRITE | FF_REQUIRED, .doc = "the registering org"},
    {"org_path", "v.org_path", FT_TEXT, V(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, V(org_name), .flags = 0},
    {"name", "v.name", FT_TEXT, V(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50, .example = "\"张三\""},
    {"gender", "v.gender", FT_ENUM, V(gender), .flags = FF_WRITE, .choices = genders, .doc = "from the ID number when not given"},
    {"birth_date", "v.birth_date", FT_DAY, V(birth_date), .flags = FF_HIDDEN},
    {"id_number", "v.id_number_enc", FT_TEXT, V(id_number), .flags = FF_WRITE | FF_REQUIRED | FF_ENCRYPTED | FF_MASK_ID,
     .check = check_id_number, .doc = "GB 11643; stored encrypted, always shown masked; given again on every update"},
    {"phone", "v.phone_enc", FT_TEXT, V(phone), .flags = FF_WRITE | FF_REQUIRED | FF_ENCRYPTED | FF_MASK_PHONE,
     .check = check_phone, .doc = "mainland mobile; stored encrypted, shown masked; given again on every update"},
    {"skills", "v.skills", FT_TEXT_LIST, V(skills), .flags = FF_WRITE, .max = 20, .item_chars = 30},
    {"fields", "v.fields", FT_TEXT_LIST, V(fields), .flags = FF_WRITE, .max = 20, .item_chars = 30},
    {"availability", "v.availability", FT_TEXT_LIST, V(availability), .flags = FF_WRITE, .max = 20, .item_chars = 30,
     .choices = volunteer_availability},
    {"status", "v.status", FT_ENUM, V(status), .flags = FF_WRITE | FF_NONEMPTY | FF_FILTER, .choices = volunteer_statuses},
    {"source", "v.source", FT_TEXT, V(source), .flags = 0, .doc = "staff, self or import"},
    {"created_by", "v.created_by", FT_INT_NULL, V(created_by), .flags = 0},
    {"created_at", "v.created_at", FT_TIME, V(created_at), .flags = 0},
    {"updated_at", "v.updated_at", FT_TIME, V(updated_at), .flags = 0},
    {0},
};
#undef V

#define STR_(x) #x
#define STR(x) STR_(x)
/* The whole module's codes (teams and memberships too); projects.h's part has its own. */
const error_row vol_errors[] = {
    {VOL_NOT_FOUND, 404, "not_found", NULL, "未找到 / not found"},
    {VOL_MEMBER_NOT_FOUND, 404, "not_found", NULL, "未找到 / not found"},
    {VOL_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {VOL_TEAM_NOT_FOUND, 404, "not_found", "team_id", "服务队不存在 / team not found"},
    {VOL_VOLUNTEER_NOT_FOUND, 404, "not_found", "volunteer_id", "志愿者不存在 / volunteer not found"},
    {VOL_BAD_CATEGORY, 422, "invalid_field", "category", "服务队类别无效 / unknown team category"},
    {VOL_DUPLICATE_ID, 409, "duplicate", "id_number",
     "该身份证号已注册为科技志愿者，请勿重复注册 / a volunteer with this ID number is already registered"},
    {VOL_DUPLICATE_NAME, 409, "duplicate", "name", "已有同名服务队 / a team of this name exists"},
    {DB_UNIQUE, 409, "duplicate", "name", "已有同名服务队 / a team of this name exists"},
    {VOL_TEAM_LIMIT, 409, "team_limit", "volunteer_id", "该志愿者已加入 " STR(VOL_MAX_TEAMS)
     " 支服务队，达到上限 / the volunteer is already in " STR(VOL_MAX_TEAMS) " teams, the limit"},
    {VOL_ALREADY_MEMBER, 409, "already_member", "volunteer_id",
     "该志愿者已在本队或已有待处理的申请/邀请 / already a member, or an application or invitation is open"},
    {VOL_BAD_STATE, 409, "wrong_state", "status", "当前状态不允许此操作 / not allowed in the current status"},
    {VOL_TEAM_CLOSED, 409, "team_closed", "team_id", "服务队已暂停或解散 / the team is suspended or dissolved"},
    {VOL_NOT_ACTIVE, 409, "volunteer_inactive", "volunteer_id", "志愿者已暂停或退出 / the volunteer is suspended or left"},
    {0},
};

/* "["a","b"]" -> "a、b" for a spreadsheet cell. */
static const char *joined(arena *a, const char *json_text)
{
    json_t *v = json_text ? json_loads(json_text, 0, NULL) : NULL;
    sbuf b;
    sbuf_init(&b);
    size_t i;
    json_t *e;
    if (json_is_array(v))
        json_array_foreach(v, i, e) sbuf_printf(&b, "%s%s", i ? "、" : "", json_string_value(e));
    json_decref(v);
    const char *out = arena_strdup(a, b.s ? b.s : "");
    sbuf_free(&b);
    return out;
}

static const char *status_label(const char *s)
{
    return !strcmp(s, "active") ? "在册" : !strcmp(s, "suspended") ? "暂停" : "已退出";
}

/* One volunteer into the workbook; the extra column (see volunteers_export) counts its teams. */
static int export_row(const void *rec, db_stmt *s, arena *a, void *out)
{
    const volunteer *v = rec;
    char phone[32] = "", id[32] = "";
    if (v->phone) mask_phone(v->phone, phone, sizeof phone);
    if (v->id_number) mask_id_number(v->id_number, id, sizeof id);
    const char *gender = !v->gender ? "" : !strcmp(v->gender, "male") ? "男" : "女";
    const char *cells[] = {v->volunteer_no, v->org_name, v->name, gender, id, phone, joined(a, v->skills),
                           joined(a, v->fields), status_label(v->status)};
    for (int i = 0; i < 9; i++) xlsx_text(out, i, cells[i]);
    xlsx_time(out, 9, v->created_at);   /* a date cell: YEAR() works on it */
    xlsx_int(out, 10, db_col_int(s, volunteer_entity.ncols));
    xlsx_next_row(out);
    return DB_OK;
}

int volunteers_export(db *c, qb *where, xlsx *out)
{
    qb_sql(where, " ORDER BY v.org_path, v.id");
    return entity_each(c, &volunteer_entity, "(SELECT COUNT(*) FROM volunteer_members m JOIN volunteer_teams t "
                       "ON t.id = m.team_id WHERE m.volunteer_id = v.id AND m.status = 'active' AND t.status <> 'dissolved')",
                       where, export_row, out);
}

int volunteers_id_taken(db *c, arena *a, const char *id_number, int64_t except, bool *taken)
{
    qb q;
    int64_t one;
    qb_init(&q, "SELECT 1 FROM volunteers WHERE id_number_blind = ? AND id <> ?");
    qb_text(&q, pii_blind(a, "id_number", id_number)), qb_int(&q, except);
    int rc = qb_exec(c, &q, &one);
    *taken = rc == DB_OK;
    return rc == DB_DONE ? DB_OK : rc;
}

/* The registered_volunteers counter: a volunteer counts at the registering org on the day of
 * registration while not left. */
static int figures(db *c, const volunteer *v, int sign)
{
    if (!strcmp(v->status, "left")) return DB_OK;
    char day[11];
    snprintf(day, sizeof day, "%.10s", v->created_at);
    stats_key k = {"registered_volunteers", 1};
    return stats_add_keys(c, v->org_path, day, &k, 1, sign);
}

int vol_audit(db *c, const principal *p, const entity *e, const char *path, int64_t id, const char *action,
              const void *before, const void *after)
{
    return entity_audit(c, e, p && p->user_id ? actor_of(p) : actor_system(), path, id, action, before, after);
}

/* KP + year + 6-digit serial, the serial advanced inside the registering transaction. */
static int next_number(db *c, arena *a, const char *now, const char **out)
{
    int year = (now[0] - '0') * 1000 + (now[1] - '0') * 100 + (now[2] - '0') * 10 + (now[3] - '0');
    static const db_counter counter = {"volunteer_counters", {"year", NULL}, NULL};
    const int64_t key[] = {year};
    int64_t seq = 0;
    int rc = db_counter_next(c, &counter, key, NULL, a, &seq, NULL);
    if (rc == DB_OK) *out = arena_printf(a, "KP%d%06lld", year, (long long)seq);
    return rc;
}

struct write_args {
    const principal *p;     /* who acts: NULL on the public page (nobody signed in), the system */
    arena *a;
    int64_t id;
    const volunteer *in;
    const char *source;
    volunteer *out;
    bool unscoped;          /* volunteers_create_unscoped: the org is the one the public page names */
};

/* The org a volunteer registers at: in the caller's scope, or (volunteers_create_unscoped) the
 * org the public page names, read without a scope since nobody is signed in. */
static int target_org(db *c, const struct write_args *w, org *o)
{
    int rc = w->unscoped ? orgs_get_unscoped(c, w->a, w->in->org_id, o) : orgs_get(c, w->p, w->a, w->in->org_id, o);
    return rc == ORGS_NOT_FOUND ? VOL_ORG_NOT_FOUND : rc;
}

static int store(db *c, struct write_args *w, const org *o)
{
    volunteer v = *w->in;
    char now[40], birth[11];
    time_now_rfc3339(now);
    const char *number = NULL;
    bool taken;
    /* one volunteer per person: another record with this ID number is a duplicate */
    int rc = volunteers_id_taken(c, w->a, v.id_number, w->id, &taken);
    if (rc == DB_OK && taken) return VOL_DUPLICATE_ID;
    if (rc == DB_OK && !w->id) rc = next_number(c, w->a, now, &number);
    if (rc != DB_OK) return rc;
    id_number_birth_day(v.id_number, birth);
    v.org_id = o->id;
    v.skills = v.skills ? v.skills : "[]";
    v.fields = v.fields ? v.fields : "[]";
    v.availability = v.availability ? v.availability : "[]";
    v.status = v.status ? v.status : "active";
    int64_t by = w->p ? w->p->user_id : 0;
    entity_value more[] = {{"org_path", .text = o->path}, {"birth_date", .text = birth},
                           {"id_number_blind", .text = pii_blind(w->a, "id_number", v.id_number)},
                           {"phone_blind", .text = pii_blind(w->a, "phone", v.phone)}, {"updated_at", .text = now},
                           /* on create only */
                           {w->id ? NULL : "volunteer_no", .text = number}, {"source", .text = w->source},
                           {"created_by", .i = by, .is_int = by != 0}, {"created_at", .text = now}, {0}};
    int64_t id = w->id;
    rc = entity_store(c, &volunteer_entity, "volunteers", w->id, &v, more, w->a, &id);
    if (rc == DB_UNIQUE) return VOL_DUPLICATE_ID;
    if (rc != DB_OK) return rc;
    /* the row this transaction just wrote */
    return entity_get_unscoped(c, &volunteer_entity, w->a, id, w->out);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    volunteer before;
    org o;
    int rc = w->id ? entity_get(c, &volunteer_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    /* no input: the soft delete (status left; memberships stay as history) */
    if (!w->in) rc = vol_set_status(c, &volunteer_entity, "volunteers", w->a, w->id, "left", w->out);
    else if ((rc = target_org(c, w, &o)) == DB_OK) rc = store(c, w, &o);
    if (rc != DB_OK) return rc;
    if (w->id && (rc = figures(c, &before, -1)) != DB_OK) return rc;
    if ((rc = figures(c, w->out, +1)) != DB_OK) return rc;
    return vol_audit(c, w->p, &volunteer_entity, w->out->org_path, w->out->id,
                     !w->in ? "delete" : w->id ? "update" : "create", w->id ? &before : NULL, w->out);
}

int volunteers_create(db *c, const principal *p, arena *a, const void *in, const char *source, void *out)
{
    struct write_args w = {p, a, 0, in, source, out, false};
    return db_transaction(c, write_cb, &w);
}

int volunteers_create_unscoped(db *c, arena *a, const volunteer *in, volunteer *out)
{
    struct write_args w = {NULL, a, 0, in, "self", out, true};
    return db_transaction(c, write_cb, &w);
}

static int volunteers_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct write_args w = {p, a, id, in, NULL, out, false};
    return db_transaction(c, write_cb, &w);
}

static int volunteers_delete(db *c, const principal *p, arena *a, int64_t id)
{
    volunteer out;
    struct write_args w = {p, a, id, NULL, NULL, &out, false};
    return db_transaction(c, write_cb, &w);
}

int vol_set_status(db *c, const entity *e, const char *table, arena *a, int64_t id, const char *status, void *out)
{
    char now[40];
    time_now_rfc3339(now);
    entity_value soft[] = {{"status", .text = status}, {"updated_at", .text = now}, {0}};
    int rc = entity_store(c, e, table, id, NULL, soft, a, NULL);
    return rc == DB_OK ? entity_get_unscoped(c, e, a, id, out) : rc;   /* the row this transaction just wrote */
}

/* volunteer_entity's create hook: staff register a volunteer. */
static int create_by_staff(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return volunteers_create(c, p, a, in, "staff", out);
}

entity volunteer_entity = {
    .name = "volunteer",
    .doc = "A science-and-technology volunteer (科技志愿者); personal numbers masked",
    .from = " FROM volunteers v JOIN orgs o ON o.id = v.org_id",
    .id_column = "v.id",
    .path_column = "v.org_path",
    .owner_column = "v.created_by",
    .order = " ORDER BY v.id DESC",
    .size = sizeof(volunteer),
    .fields = volunteer_fields,
    .not_found = VOL_NOT_FOUND,
    .org_not_found = VOL_ORG_NOT_FOUND,
    .errors = vol_errors,
    .create = create_by_staff,
    .update = volunteers_update,
    .remove = volunteers_delete,
    .input = vol_input,
};

static int reveal_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    int rc = entity_get(c, &volunteer_entity, &w->p->scope, w->a, w->id, w->out);
    if (rc != DB_OK) return rc;
    /* who looked, and at what: the fields, never the numbers */
    json_t *x = json_pack("{s:[s,s]}", "revealed", "id_number", "phone");
    rc = audit_record(c, actor_of(w->p), w->out->org_path, "volunteer", w->id, "reveal", NULL, x);
    json_decref(x);
    return rc;
}

int volunteers_reveal(db *c, const principal *p, arena *a, int64_t id, volunteer *out)
{
    struct write_args w = {p, a, id, NULL, NULL, out, false};
    return db_transaction(c, reveal_cb, &w);
}

void volunteers_init(void)
{
    static const char *const key_source =
        "SELECT org_path, substr(created_at, 1, 10) AS day, 'registered_volunteers' AS key, 1 AS n FROM volunteers "
        "WHERE status <> 'left' UNION ALL "
        "SELECT org_path, substr(created_at, 1, 10) AS day, 'volunteer_teams' AS key, 1 AS n FROM volunteer_teams "
        "WHERE status <> 'dissolved'";
    stats_register_keyed_metric("registered_volunteers");
    stats_register_keyed_metric("volunteer_teams");
    stats_register_metric_label("registered_volunteers", "注册志愿者");
    stats_register_metric_label("volunteer_teams", "志愿服务队");
    stats_register_key_source(key_source);
    orgs_track_path_column("volunteers", "org_path");
    orgs_track_path_column("volunteer_teams", "org_path");
    orgs_track_path_column("volunteer_members", "org_path");
    vp_init();       /* part 2's statistics sources, for serve, stats verify/rebuild and the demo */
}

void volunteers_register(void)
{
    volunteers_init();
    volunteers_register_routes();
    teams_register_routes();
    volunteers_import_register_routes();
    volunteers_public_register_routes();
    vp_register();   /* part 2: projects, sign-up, hours, certificates, duty (projects.h) */
}
