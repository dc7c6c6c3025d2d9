/* students.c - the students' records (see students.h): read, list, export, create, update,
 * leave, enrolment by a public check-in, and a student's attendance history. */
#include "teaching/students.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const student_age_groups[] = {"under18", "18_35", "36_59", "60_69", "70_plus", NULL};
const char *const student_statuses[] = {"active", "left", NULL};

static const char *const genders[] = {"male", "female", NULL};

#define T(member) offsetof(student, member)
static const field student_fields[] = {
    {"id", "s.id", FT_ID, T(id), .flags = 0},
    {"org_id", "s.org_id", FT_ID, T(org_id), .flags = FF_WRITE | FF_REQUIRED, .doc = "the teaching point"},
    {"org_path", "s.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"name", "s.name", FT_TEXT, T(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50, .example = "\"张桂兰\""},
    {"gender", "s.gender", FT_ENUM, T(gender), .flags = FF_WRITE | FF_FILTER, .choices = genders},
    {"age_group", "s.age_group", FT_ENUM, T(age_group), .flags = FF_WRITE | FF_FILTER, .choices = student_age_groups},
    {"phone", "s.phone_enc", FT_TEXT, T(phone), .flags = FF_WRITE | FF_REQUIRED | FF_ENCRYPTED | FF_MASK_PHONE,
     .check = check_phone, .doc = "unique per point; stored encrypted, always shown masked; ?phone= finds the whole number"},
    {"id_number", "s.id_number_enc", FT_TEXT, T(id_number), .flags = FF_WRITE | FF_ENCRYPTED | FF_MASK_ID,
     .check = check_id_number, .doc = "optional, GB 11643; stored encrypted, always shown masked"},
    {"informant", "s.informant", FT_BOOL, T(informant), .flags = FF_WRITE | FF_FILTER, .doc = "a 科普中国信息员"},
    {"status", "s.status", FT_ENUM, T(status), .flags = FF_WRITE | FF_FILTER, .choices = student_statuses},
    {"source", "s.source", FT_TEXT, T(source), .flags = 0, .doc = "staff, checkin (enrolled by a public check-in) or portal (enrolled in a course on the portal)"},
    {"attendance", "(SELECT COUNT(*) FROM checkins k WHERE k.person_kind = 'student' AND k.person_id = s.id)",
     FT_INT, T(attendance), .flags = 0, .doc = "check-ins at courses"},
    {"created_by", "s.created_by", FT_INT_NULL, T(created_by), .flags = 0},
    {"created_at", "s.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "s.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

static const error_row student_errors[] = {
    {STU_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {STU_NOT_POINT, 422, "invalid_field", "org_id", "学员应登记在教学点 / students enrol at a teaching point"},
    {STU_DUPLICATE, 409, "duplicate", "phone", "该手机号已是本教学点的学员 / this phone is already a student here"},
    {0},
};

static const char *age_label(const char *code)
{
    static const char *const labels[] = {"18岁以下", "18-35岁", "36-59岁", "60-69岁", "70岁及以上"};
    for (int i = 0; code && student_age_groups[i]; i++)
        if (!strcmp(code, student_age_groups[i])) return labels[i];
    return "";
}

/* One student into the roster's row (entity_each's callback), numbers masked. */
static int export_row(const void *rec, db_stmt *st, arena *row, void *out)
{
    (void)st, (void)row;
    const student *s = rec;
    char phone[32] = "", id[32] = "";
    if (s->phone) mask_phone(s->phone, phone, sizeof phone);
    if (s->id_number) mask_id_number(s->id_number, id, sizeof id);
    const char *gender = !s->gender ? "" : !strcmp(s->gender, "male") ? "男" : "女";
    const char *cells[] = {s->org_name, s->name, gender, age_label(s->age_group), phone, id,
                           s->informant ? "是" : "否", !strcmp(s->status, "active") ? "在读" : "已离开"};
    for (int i = 0; i < 8; i++) xlsx_text(out, i, cells[i]);
    xlsx_int(out, 8, s->attendance);
    xlsx_next_row(out);
    return DB_OK;
}

int students_export(db *c, qb *where, xlsx *out)
{
    qb_sql(where, " ORDER BY s.org_path, s.id");
    return entity_each(c, &student_entity, NULL, where, export_row, out);
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const student *in;
    student *out;
    const char *source;
};

/* Inserts or updates one student (org already checked); the caller's transaction. */
static int store(db *c, struct write_args *w, const org *o)
{
    student in = *w->in;
    in.org_id = o->id;
    in.status = in.status ? in.status : "active";
    char now[40];
    time_now_rfc3339(now);
    bool by_user = w->p && w->p->user_id;
    const entity_value more[] = {
        {"org_path", .text = o->path}, {"phone_blind", .text = pii_blind(w->a, "phone", in.phone)},
        {"id_number_blind", .text = in.id_number ? pii_blind(w->a, "id_number", in.id_number) : NULL},
        {"updated_at", .text = now}, {w->id ? NULL : "source", .text = w->source},   /* an update stops here */
        by_user ? (entity_value){"created_by", .i = w->p->user_id, .is_int = true}
                : (entity_value){"created_by", .text = NULL},
        {"created_at", .text = now}, {0},
    };
    int64_t id = w->id;
    int rc = entity_store(c, &student_entity, "students", w->id, &in, more, w->a, &id);
    if (rc == DB_UNIQUE) return STU_DUPLICATE;   /* UNIQUE (org_id, phone_blind): one student per phone and point */
    if (rc != DB_OK) return rc;
    /* the row this transaction just wrote (a check-in's enrolment has no caller's scope) */
    return entity_get_unscoped(c, &student_entity, w->a, id, w->out);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    student before;
    org o;
    int rc = w->id ? entity_get(c, &student_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    rc = orgs_get(c, w->p, w->a, w->in->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return STU_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (strcmp(o.type, "point")) return STU_NOT_POINT;
    if ((rc = store(c, w, &o)) != DB_OK) return rc;
    return entity_audit(c, &student_entity, actor_of(w->p), o.path, w->out->id, w->id ? "update" : "create",
                        w->id ? &before : NULL, w->out);
}

int students_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, write_cb, &(struct write_args){p, a, 0, in, out, "staff"});
}

static int students_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, write_cb, &(struct write_args){p, a, id, in, out, "staff"});
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    student before;
    char now[40];
    time_now_rfc3339(now);
    int rc = entity_get(c, &student_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "UPDATE students SET status = 'left', updated_at = ? WHERE id = ?");
    qb_text(&q, now), qb_int(&q, w->id);
    rc = qb_exec(c, &q, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &student_entity, w->a, w->id, w->out);   /* just written */
    if (rc == DB_OK) rc = entity_audit(c, &student_entity, actor_of(w->p), before.org_path, w->id, "delete", &before, w->out);
    return rc;
}

/* Soft delete: status left, audited as delete; the attendance history stays. */
static int students_delete(db *c, const principal *p, arena *a, int64_t id)
{
    student out;
    return db_transaction(c, delete_cb, &(struct write_args){p, a, id, NULL, &out, NULL});
}

int students_enrol_checkin(db *c, actor who, arena *a, const char *org_path, const char *name, const char *phone,
                           const char *source, bool create, int64_t *id, bool *enrolled, const char **known_name)
{
    db_stmt *st = db_prepare(c, "SELECT s.id, o.id, s.name FROM orgs o LEFT JOIN students s ON s.org_id = o.id AND "
                                "s.phone_blind = ? WHERE o.path = ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, pii_blind(a, "phone", phone));
    db_bind_text(st, 2, org_path);
    int rc = db_step(st);
    int64_t found = rc == DB_ROW && !db_col_null(st, 0) ? db_col_int(st, 0) : 0;
    org o = {.id = rc == DB_ROW ? db_col_int(st, 1) : 0, .path = org_path};
    *known_name = found ? arena_strdup(a, db_col_text(st, 2)) : NULL;
    db_finish(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STU_ORG_NOT_FOUND : rc;
    *enrolled = !found;
    *id = found;
    if (found || !create) { *enrolled = false; return DB_OK; }   /* the phone is a student there, or may not enrol */
    student in = {.name = name, .phone = phone, .status = "active"}, out;
    struct write_args w = {NULL, a, 0, &in, &out, source};   /* no user: created_by stays NULL */
    if ((rc = store(c, &w, &o)) != DB_OK) return rc;
    *id = out.id;
    *enrolled = true;
    return entity_audit(c, &student_entity, who, org_path, out.id, "create", NULL, &out);
}

static int attendance_write(db *c, const principal *p, arena *a, const void *rec, jw *w)
{
    (void)p, (void)a;
    int64_t id = ((const student *)rec)->id;
    int rc;
    db_stmt *st = db_prepare(c, "SELECT x.id, x.title, x.starts_at, x.place, k.method, k.at, o.name FROM checkins k "
                                "JOIN checkin_sessions ses ON ses.id = k.session_id AND ses.owner_kind = 'course' "
                                "JOIN courses x ON x.id = ses.owner_id JOIN orgs o ON o.id = x.org_id "
                                "WHERE k.person_kind = 'student' AND k.person_id = ? ORDER BY x.starts_at DESC, x.id DESC");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, id);
    jw_obj(w);
    jw_key(w, "student_id"), jw_int(w, id);
    jw_key(w, "items"), jw_arr(w);
    while ((rc = db_step(st)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "course_id"), jw_int(w, db_col_int(st, 0));
        jw_key(w, "title"), jw_str(w, db_col_text(st, 1));
        jw_key(w, "starts_at"), jw_str(w, db_col_text(st, 2));
        jw_key(w, "place"), jw_str(w, db_col_text(st, 3));
        jw_key(w, "method"), jw_str(w, db_col_text(st, 4));
        jw_key(w, "at"), jw_str(w, db_col_text(st, 5));
        jw_key(w, "org_name"), jw_str(w, db_col_text(st, 6));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}

const entity_writer student_attendance_writer = {&student_entity, attendance_write};

entity student_entity = {
    .name = "student", .doc = "A student (学员) of a teaching point; personal numbers masked",
    .from = " FROM students s JOIN orgs o ON o.id = s.org_id", .id_column = "s.id",
    .path_column = "s.org_path", .owner_column = "s.created_by", .order = " ORDER BY s.id DESC",
    .size = sizeof(student), .fields = student_fields, .errors = student_errors,
    .not_found = STU_NOT_FOUND, .org_not_found = STU_ORG_NOT_FOUND,
    .create = students_create, .update = students_update, .remove = students_delete, .input = student_input,
};
