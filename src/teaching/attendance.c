/* attendance.c - courses as owners of check-in sessions (see checkin.h), and the courses'
 * attendance routes: who attended, and the teacher marking students in bulk. A check-in's hook
 * moves the course's attendance column and the keyed counter `attendance` together
 * (courses_add_attendance), so the key source of courses.c stays the one truth for verify. */
#include "teaching/students.h"
#include "teaching/teaching.h"
#include "checkin/checkin.h"
#include "model/entity.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define GRACE_MINUTES 30   /* a phone may check in this long before the start and after the end */
#define MAX_MARK 500

static int course_load(db *c, arena *a, int64_t id, checkin_owner *out)
{
    course x;
    /* unscoped: the check-in module's public pages need the owner (checkin_kind.load) */
    int rc = entity_get_unscoped(c, &course_entity, a, id, &x);
    if (rc != DB_OK) return rc == TEACH_NOT_FOUND ? CHK_NOT_FOUND : rc;
    memset(out, 0, sizeof *out);
    out->org_path = x.org_path;
    out->created_by = x.created_by;
    out->title = x.title;
    out->place = x.place;
    out->starts_at = x.starts_at;
    out->ends_at = x.ends_at;
    course_time_parse(x.starts_at, &out->opens);
    course_time_parse(x.ends_at, &out->closes);
    out->opens -= GRACE_MINUTES * 60;
    out->closes += GRACE_MINUTES * 60;
    out->cancelled = !strcmp(x.status, "cancelled");
    return DB_OK;
}

static int course_enrol(db *c, actor who, arena *a, const checkin_owner *o, checkin_enrolment *e)
{
    int rc = students_enrol_checkin(c, who, a, o->org_path, e->name, e->phone, "checkin", e->create, &e->person_id, &e->enrolled,
                                    &e->known_name);
    return rc == DB_OK && !e->person_id ? CHK_NEWCOMER : rc;
}

static int student_visible(db *c, const principal *p, arena *a, int64_t id)
{
    student s;
    int rc = entity_get(c, &student_entity, &p->scope, a, id, &s);
    return rc == STU_NOT_FOUND ? CHK_PERSON_NOT_FOUND : rc;
}

static int course_checkin(db *c, arena *a, int64_t owner_id, int64_t person_id)
{
    (void)person_id;
    return courses_add_attendance(c, a, owner_id, 1);
}

static int course_checkout(db *c, arena *a, int64_t owner_id, int64_t person_id)
{
    (void)person_id;
    return courses_add_attendance(c, a, owner_id, -1);
}

const checkin_kind course_checkin_kind = {
    .kind = "course",
    .person_kind = "student",
    .load = course_load,
    .enrol = course_enrol,
    .person_visible = student_visible,
    .on_checkin = course_checkin,
    .on_checkout = course_checkout,
    .on_rating = courses_rate,
};

/* One check-in of a course's session. A student outside the caller's scope is shown without
 * details: write_attendance() puts the scope into the students' join (the end of .from). */
typedef struct attendance_row {
    int64_t student_id;
    const char *name, *phone, *org_name, *method, *at;
} attendance_row;

#define T(member) offsetof(attendance_row, member)
static const field attendance_fields[] = {
    {"student_id", "k.person_id", FT_ID, T(student_id), .flags = 0},
    {"name", "s.name", FT_TEXT, T(name), .flags = 0, .doc = "null when the student is outside the caller's scope"},
    {"phone", "s.phone_enc", FT_TEXT, T(phone), .flags = FF_ENCRYPTED | FF_MASK_PHONE},
    {"org_name", "(SELECT name FROM orgs WHERE id = s.org_id)", FT_TEXT, T(org_name), .flags = 0},
    {"method", "k.method", FT_TEXT, T(method), .flags = 0},
    {"at", "k.at", FT_TIME, T(at), .flags = 0},
    {0},
};
#undef T

entity course_attendance_entity = {
    .name = "course_attendance", .doc = "A student's check-in at a course",
    .from = " FROM checkins k LEFT JOIN students s ON s.id = k.person_id", .id_column = "k.id",
    .path_column = "s.org_path", .owner_column = "s.created_by", .order = " ORDER BY k.at, k.id",
    .size = sizeof(attendance_row), .fields = attendance_fields, .not_found = CHK_NOT_FOUND,
};

/* {"course_id", "attendance", "session": {...} | null, "items": [{student, method, at}]}: the
 * answer of GET and POST /courses/:id/attendance (entity_handle_write). The session's read gives
 * no code of its own but CHK_NOT_FOUND (no session yet). */
static int write_attendance(db *c, const principal *p, arena *a, const void *rec, jw *w)
{
    const course *x = rec;
    checkin_session ses;
    qb where;
    int rc = checkin_of_owner(c, p, a, "course", x->id, &ses);
    if (rc != DB_OK && rc != CHK_NOT_FOUND) return rc;
    bool has = rc == DB_OK;
    jw_obj(w);
    jw_key(w, "course_id"), jw_int(w, x->id);
    jw_key(w, "attendance"), jw_int(w, x->attendance);
    jw_key(w, "session");
    if (has) checkin_session_write(w, &ses, false);
    else jw_null(w);
    jw_key(w, "items");
    qb_init(&where, "");
    entity_scope_filter(&course_attendance_entity, &p->scope, &where);   /* the join's ON */
    qb_sql(&where, " WHERE k.session_id = ? AND k.person_kind = 'student'");
    qb_int(&where, has ? ses.id : 0);   /* no session: no items */
    rc = entity_list_all(c, &course_attendance_entity, &where, NULL, a, w, NULL, NULL);
    jw_obj_end(w);
    return rc;
}

static const entity_writer attendance_writer = {&course_entity, write_attendance};

static void handle_mark(request *r)
{
    static const char *const fields[] = {"student_ids", NULL};
    int64_t id, ids[MAX_MARK];
    course x;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL)) return;
    json_t *v = json_object_get(r->json, "student_ids"), *e;
    size_t i, n = json_is_array(v) ? json_array_size(v) : 0;
    bool ok = n > 0 && n <= MAX_MARK;
    json_array_foreach(v, i, e) {
        ok = ok && json_is_integer(e) && json_integer_value(e) > 0;
        if (ok) ids[i] = json_integer_value(e);
    }
    if (!ok) {
        reply_error(r, 422, v ? "invalid_field" : "required", "student_ids",
                    "student_ids 应为 1 至 %d 个学员编号 / 1 to %d student ids", MAX_MARK, MAX_MARK);
        return;
    }
    db *c = db_thread();
    int added = 0, already = 0;
    int rc = c ? entity_get(c, &course_entity, &r->principal->scope, &r->arena, id, &x) : DB_ERR;
    if (rc == DB_OK && !strcmp(x.status, "cancelled")) rc = TEACH_BAD_STATE;
    if (rc != DB_OK) { entity_reply_error(r, &course_entity, rc); return; }
    rc = checkin_mark(c, r->principal, &r->arena, "course", id, ids, (int)n, &added, &already);
    if (rc != DB_OK) { checkin_reply_error(r, rc); return; }
    entity_handle_write(r);   /* the attendance as GET answers it */
}

static void handle_unmark(request *r)
{
    int64_t id, student_id;
    course x;
    if (!param_id(r, 0, &id) || !param_id(r, 1, &student_id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &course_entity, &r->principal->scope, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &course_entity, rc); return; }
    rc = checkin_unmark(c, r->principal, &r->arena, "course", id, student_id);
    if (rc != DB_OK) { checkin_reply_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route attendance_routes[] = {
    {"GET", "/api/v1/courses/:id/attendance", entity_handle_write, RANK_MEMBER, 0, .summary = "Who attended a course", .entity = &course_attendance_entity, .cls = &attendance_writer},
    {"POST", "/api/v1/courses/:id/attendance", handle_mark, RANK_STAFF, 0, .summary = "Mark students as attending (bulk)", .entity = &course_attendance_entity, .cls = &attendance_writer},
    {"DELETE", "/api/v1/courses/:id/attendance/:student_id", handle_unmark, RANK_STAFF, 0, .summary = "Remove one attendance", .entity = &course_attendance_entity},
    {0},
};

void attendance_init(void)
{
    checkin_init();
    orgs_track_path_column("students", "org_path");
}

void students_register(void)
{
    router_add_table(student_routes);
    router_add_table(attendance_routes);
    checkin_register_routes();
}
