/* teachers.c - the teacher pool's records (see teachers.h): read, list, create, update, retire.
 * The chain's steps live in teacher_chain.c, letters in letters.c. */
#include "teaching/teacher_internal.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "model/entity.h"
#include <stddef.h>
#include "orgs/orgs.h"
#include <string.h>

const char *const teacher_statuses[] = {"draft", "proposed", "returned", "certified", "filed", "city_pool",
                                        "retired", NULL};
const char *const teacher_pool_levels[] = {"district", "city", NULL};

static const char *const genders[] = {"male", "female", NULL};

#define T(member) offsetof(teacher, member)
static const field teacher_fields[] = {
    {"id", "t.id", FT_ID, T(id), .flags = 0},
    {"org_id", "t.org_id", FT_ID, T(org_id), .flags = FF_WRITE | FF_REQUIRED, .doc = "the unit (a point or district) keeping the record"},
    {"org_path", "t.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"name", "t.name", FT_TEXT, T(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50, .example = "\"王老师\""},
    {"gender", "t.gender", FT_ENUM, T(gender), .flags = FF_WRITE, .choices = genders, .doc = "from the ID number when not given"},
    {"unit", "t.unit", FT_TEXT, T(unit), .flags = FF_WRITE, .max = 100},
    {"title", "t.title", FT_TEXT, T(title), .flags = FF_WRITE, .max = 50},
    {"specialties", "t.specialties", FT_TEXT_LIST, T(specialties), .flags = FF_WRITE, .max = 20, .item_chars = 30},
    {"topics", "t.topics", FT_TEXT_LIST, T(topics), .flags = FF_WRITE, .max = 20, .item_chars = 30},
    {"id_number", "t.id_number_enc", FT_TEXT, T(id_number), .flags = FF_WRITE | FF_REQUIRED | FF_ENCRYPTED | FF_MASK_ID,
     .check = check_id_number, .doc = "GB 11643; stored encrypted, always shown masked; required on create and on every update"},
    {"phone", "t.phone_enc", FT_TEXT, T(phone), .flags = FF_WRITE | FF_ENCRYPTED | FF_MASK_PHONE, .check = check_phone},
    {"pool_level", "t.pool_level", FT_ENUM, T(pool_level), .flags = FF_FILTER, .choices = teacher_pool_levels},
    {"status", "t.status", FT_ENUM, T(status), .flags = FF_FILTER, .choices = teacher_statuses},
    {"created_by", "t.created_by", FT_INT_NULL, T(created_by), .flags = 0},
    {"created_at", "t.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "t.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

const error_row teacher_errors[] = {
    {TCH_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {TCH_DUPLICATE_ID, 409, "duplicate", "id_number", "该身份证号已在师资库中 / this ID number is already in the pool"},
    {DB_UNIQUE, 409, "duplicate", "id_number", "该身份证号已在师资库中 / this ID number is already in the pool"},
    {TCH_WRONG_STATE, 409, "wrong_state", "status", "当前状态不允许此操作 / not allowed in the current status"},
    {TCH_NOT_UPPER, 403, "forbidden", NULL, "须由上级单位（区县）办理，本单位不能认定自己推荐的教师 / "
                                            "only an upper level (the district) may do this, not the proposing unit"},
    {TCH_NOT_CITY, 403, "forbidden", NULL, "须由市级（总校）办理 / only the city may do this"},
    {TCH_NOT_DISTRICT, 403, "forbidden", NULL, "须由区县科协管理员推荐本辖区教师 / only a district admin nominates its teachers"},
    {TCH_NO_LETTER, 404, "not_found", NULL, "尚未颁发聘书 / no appointment letter issued"},
    {TCH_NO_TEACHER, 404, "not_found", "teacher_id", "教师不存在 / teacher not found"},
    {TCH_DUPLICATE, 409, "duplicate", "teacher_id", "该教师本年度已被推荐 / already nominated this year"},
    {TCH_BAD_PATTERN, 500, "internal", NULL, "聘书编号格式配置有误 / the serial pattern is misconfigured"},
    {0},
};

/* Another record (not id) holding the same ID number: the pool keeps one record per person. */
static int id_number_taken(db *c, const char *blind, int64_t id)
{
    int64_t one;
    qb q;
    qb_init(&q, "SELECT 1 FROM teachers WHERE id_number_blind = ? AND id <> ?");
    qb_text(&q, blind), qb_int(&q, id);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_OK ? TCH_DUPLICATE_ID : rc == DB_DONE ? DB_OK : rc;
}

int teachers_id_taken(db *c, arena *a, const char *id_number, bool *taken)
{
    int rc = id_number_taken(c, pii_blind(a, "id_number", id_number), 0);
    *taken = rc == TCH_DUPLICATE_ID;
    return *taken ? DB_OK : rc;
}

/* The tables that copy a teacher's org path: its steps, letters and nominations follow it in scope. */
static const char *const copies[] = {"teacher_steps", "teacher_letters", "teacher_selections"};

/* The teacher moved to another unit: its copies of the path follow. */
static int move_copies(db *c, int64_t id, const char *path)
{
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof copies / sizeof *copies; i++) {
        qb q;
        qb_init(&q, "UPDATE "), qb_sql(&q, copies[i]), qb_sql(&q, " SET org_path = ? WHERE teacher_id = ?");
        qb_text(&q, path), qb_int(&q, id);
        rc = qb_exec(c, &q, NULL);
    }
    return rc;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;            /* 0: create */
    const teacher *in;
    teacher *out;
};

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    teacher before;
    org o;
    int rc = w->id ? entity_get(c, &teacher_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc == DB_OK) rc = orgs_get(c, w->p, w->a, w->in->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return TCH_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    const char *id_blind = pii_blind(w->a, "id_number", w->in->id_number);
    if ((rc = id_number_taken(c, id_blind, w->id)) != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    teacher in = *w->in;
    in.specialties = in.specialties ? in.specialties : "[]";
    in.topics = in.topics ? in.topics : "[]";
    const entity_value more[] = {
        {"org_path", .text = o.path}, {"id_number_blind", .text = id_blind},
        {"phone_blind", .text = in.phone ? pii_blind(w->a, "phone", in.phone) : NULL}, {"updated_at", .text = now},
        /* an update stops here. The city keeps its own pool: a record owned by the root is a
         * city-level teacher. */
        {w->id ? NULL : "pool_level", .text = o.parent_id == 0 ? "city" : "district"}, {"status", .text = "draft"},
        {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now}, {0},
    };
    int64_t id = w->id;
    if ((rc = entity_store(c, &teacher_entity, "teachers", w->id, &in, more, w->a, &id)) != DB_OK) return rc;
    /* unscoped: the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &teacher_entity, w->a, id, w->out)) != DB_OK) return rc;
    if (!w->id) rc = teacher_step_record(c, w->p, id, o.path, "create", NULL, "draft", NULL);
    else if (strcmp(before.org_path, o.path)) rc = move_copies(c, id, o.path);
    if (rc == DB_OK) rc = entity_audit(c, &teacher_entity, actor_of(w->p), o.path, id, w->id ? "update" : "create",
                                              w->id ? &before : NULL, w->out);
    return rc;
}

int teachers_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, write_cb, &(struct write_args){p, a, 0, in, out});
}

static int teachers_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, write_cb, &(struct write_args){p, a, id, in, out});
}

int teacher_set_status(db *c, int64_t id, const char *status, const char *pool_level)
{
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE teachers SET status = ?, pool_level = COALESCE(?, pool_level), updated_at = ? WHERE id = ?");
    qb_text(&q, status), qb_text(&q, pool_level), qb_text(&q, now), qb_int(&q, id);
    return qb_exec(c, &q, NULL);
}

static int retire_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    teacher before;
    int rc = entity_get(c, &teacher_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!strcmp(before.status, "retired")) return TCH_WRONG_STATE;
    if ((rc = teacher_set_status(c, w->id, "retired", NULL)) == DB_OK) rc = letters_revoke_all(c, w->id);
    if (rc == DB_OK)
        rc = teacher_step_record(c, w->p, w->id, before.org_path, "retire", before.status, "retired", NULL);
    /* unscoped: the row this transaction read within the scope and just changed */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &teacher_entity, w->a, w->id, w->out);
    if (rc == DB_OK) rc = entity_audit(c, &teacher_entity, actor_of(w->p), w->out->org_path, w->id, "delete", &before,
                                              w->out);
    return rc;
}

/* Soft delete: status retired, its letters revoked, audited. */
static int teachers_retire(db *c, const principal *p, arena *a, int64_t id)
{
    teacher out;
    return db_transaction(c, retire_cb, &(struct write_args){p, a, id, NULL, &out});
}

void teachers_init(void)
{
    orgs_track_path_column("teachers", "org_path");
    for (size_t i = 0; i < sizeof copies / sizeof *copies; i++) orgs_track_path_column(copies[i], "org_path");
}

entity teacher_entity = {
    .name = "teacher", .doc = "A teacher of the pool (师资库); personal numbers masked",
    .from = " FROM teachers t JOIN orgs o ON o.id = t.org_id", .id_column = "t.id", .path_column = "t.org_path",
    .owner_column = "t.created_by", .order = " ORDER BY t.id DESC", .size = sizeof(teacher), .fields = teacher_fields,
    .not_found = TCH_NOT_FOUND, .org_not_found = TCH_ORG_NOT_FOUND, .errors = teacher_errors,
    .create = teachers_create, .update = teachers_update, .remove = teachers_retire, .input = teacher_input,
};
