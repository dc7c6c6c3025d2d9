/* students.h - students (学员) of the community science university (docs/domain.md §2.1): residents
 * enrolled at a teaching point, with their attendance history, some registered as 科普中国信息员
 * (science information officers).
 *
 * Personal numbers: the phone (required, a mainland mobile; one student per phone and point)
 * and the optional ID number are stored with pii_encrypt and found by pii_blind; the model holds
 * them in clear only in memory, every written form masks them. Every function takes the
 * caller's principal; students outside its scope do not exist. Strings of a returned student
 * live in the given arena. */
#ifndef KEPU_STUDENTS_H
#define KEPU_STUDENTS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/query.h"
#include "docs/xlsx.h"
#include "http/entity_http.h"
#include "http/request.h"
#include "http/router.h"
#include "core/jsonw.h"
#include <stdbool.h>

enum {
    STU_NOT_FOUND = -900,
    STU_ORG_NOT_FOUND = -901,   /* org outside scope or missing */
    STU_NOT_POINT = -902,       /* students enrol at teaching points */
    STU_DUPLICATE = -903,       /* the phone is already a student of that point */
};

typedef struct student {
    int64_t id, org_id, created_by, attendance;
    const char *org_path, *org_name, *name, *gender, *age_group;
    const char *phone, *id_number;        /* in clear, in memory only; NULL when absent or unreadable */
    bool informant;
    const char *status, *source, *created_at, *updated_at;
} student;

extern const char *const student_age_groups[];   /* NULL-terminated */
extern const char *const student_statuses[];     /* active, left */

/* The declared records (model/entity.h): a student (numbers masked; the list filters status,
 * age_group, gender and informant, ?q= its name), one student's check-in at a course
 * (attendance.c) and a student's rating of a course (course_ratings.c, the audit's form). */
extern struct entity student_entity, course_attendance_entity, course_rating_entity;

/* The route table of students_api.c (students_register adds it). */
extern const struct route student_routes[];
/* The students where selects (entity_list_where() and filters, released) into a workbook, by
 * point, numbers masked. */
int students_export(db *c, qb *where, xlsx *out);
/* The entity's create hook (students.c has update and delete): in and out are students. */
int students_create(db *c, const principal *p, arena *a, const void *in, void *out);
/* The body's rules after the field table's (students_api.c): an update must give the phone. */
bool student_input(request *r, void *rec, bool creating);
/* Inside the caller's transaction (a public check-in, an enrolment on the portal): the student of
 * this phone at the point at org_path (*known_name: its name, in the arena), or, when create, one
 * enrolled there (with source, "checkin" or "portal", audited as who; *enrolled). Without create
 * an unknown phone gives *id 0, nothing written. */
int students_enrol_checkin(db *c, actor who, arena *a, const char *org_path, const char *name, const char *phone,
                           const char *source, bool create, int64_t *id, bool *enrolled, const char **known_name);
/* GET /students/:id/attendance's writer (entity_handle_write): {"student_id", "items": [{"course_id",
 * "title", "starts_at", "place", "method", "at", "org_name"}]} newest first. */
extern const entity_writer student_attendance_writer;

/* ---- courses' attendance (attendance.c) ---- */
/* The course owner kind of the check-in module, and the courses' attendance routes. */
void attendance_init(void);
extern const struct checkin_kind course_checkin_kind;   /* a course's attendance (attendance.c) */
/* Students, attendance and check-in routes; registers the course kind. */
void students_register(void);

#endif
