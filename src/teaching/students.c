/* students.c - the students' records (see students.h): read, list, export, create, update,
 * leave, enrolment by a public check-in, and a student's attendance history. */
#include "teaching/students.h"
#include "audit/audit.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <stdio.h>
#include <string.h>

const char *const student_age_groups[] = {"under18", "18_35", "36_59", "60_69", "70_plus", NULL};
const char *const student_statuses[] = {"active", "left", NULL};

#define S_COLS "s.id, s.org_id, s.org_path, o.name, s.name, s.gender, s.age_group, s.phone_enc, s.id_number_enc, " \
               "s.informant, s.status, s.source, s.created_by, s.created_at, s.updated_at, " \
               "(SELECT COUNT(*) FROM checkins k WHERE k.person_kind = 'student' AND k.person_id = s.id)"
#define S_FROM " FROM students s JOIN orgs o ON o.id = s.org_id"

static void read_student(db_stmt *st, arena *a, void *row)
{
    student *s = row;
    memset(s, 0, sizeof *s);
    s->id = db_col_int(st, 0);
    s->org_id = db_col_int(st, 1);
    s->org_path = arena_strdup(a, db_col_text(st, 2));
    s->org_name = arena_strdup(a, db_col_text(st, 3));
    s->name = arena_strdup(a, db_col_text(st, 4));
    s->gender = arena_strdup(a, db_col_text(st, 5));
    s->age_group = arena_strdup(a, db_col_text(st, 6));
    s->phone = pii_decrypt(a, db_col_text(st, 7));
    s->id_number = pii_decrypt(a, db_col_text(st, 8));
    s->informant = db_col_int(st, 9) != 0;
    s->status = arena_strdup(a, db_col_text(st, 10));
    s->source = arena_strdup(a, db_col_text(st, 11));
    s->created_by = db_col_null(st, 12) ? 0 : db_col_int(st, 12);
    s->created_at = arena_strdup(a, db_col_text(st, 13));
    s->updated_at = arena_strdup(a, db_col_text(st, 14));
    s->attendance = db_col_int(st, 15);
}

void student_write(jw *w, const student *s)
{
    char phone[32] = "", id[32] = "";
    if (s->phone) mask_phone(s->phone, phone, sizeof phone);
    if (s->id_number) mask_id_number(s->id_number, id, sizeof id);
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, s->id);
    jw_key(w, "org_id"), jw_int(w, s->org_id);
    jw_key(w, "org_name"), jw_str(w, s->org_name);
    jw_key(w, "name"), jw_str(w, s->name);
    jw_key(w, "gender"), jw_str(w, s->gender);
    jw_key(w, "age_group"), jw_str(w, s->age_group);
    jw_key(w, "phone"), jw_str(w, s->phone ? phone : NULL);
    jw_key(w, "id_number"), jw_str(w, s->id_number ? id : NULL);
    jw_key(w, "informant"), jw_bool(w, s->informant);
    jw_key(w, "status"), jw_str(w, s->status);
    jw_key(w, "source"), jw_str(w, s->source);
    jw_key(w, "attendance"), jw_int(w, s->attendance);
    jw_key(w, "created_by"), jw_int_or_null(w, s->created_by);
    jw_key(w, "created_at"), jw_str(w, s->created_at);
    jw_key(w, "updated_at"), jw_str(w, s->updated_at);
    jw_obj_end(w);
}

static json_t *student_json(const student *s)
{
    jw w;
    jw_init(&w);
    student_write(&w, s);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, student *out)
{
    qb q;
    qb_init(&q, "SELECT " S_COLS S_FROM " WHERE s.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "s.org_path", "s.created_by");
    return qb_get_one(c, &q, a, read_student, out, STU_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, student *out) { return get_scoped(c, NULL, a, id, out); }

int students_get(db *c, const principal *p, arena *a, int64_t id, student *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

static void list_where(qb *q, const principal *p, arena *a, const student_filter *f, const char *org_path)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, q, "s.org_path", "s.created_by");
    if (org_path) {
        qb_subtree(q, a, "s.org_path", org_path);
    }
    if (f->status && *f->status) qb_sql(q, " AND s.status = ?"), qb_text(q, f->status);
    if (f->age_group && *f->age_group) qb_sql(q, " AND s.age_group = ?"), qb_text(q, f->age_group);
    if (f->gender && *f->gender) qb_sql(q, " AND s.gender = ?"), qb_text(q, f->gender);
    if (f->informant >= 0) qb_sql(q, " AND s.informant = ?"), qb_int(q, f->informant);
    /* the exact phone through its blind index: the number itself is never searched or stored */
    if (f->phone && *f->phone) qb_sql(q, " AND s.phone_blind = ?"), qb_text(q, pii_blind(a, "phone", f->phone));
    if (f->q && *f->q) qb_sql(q, " AND s.name LIKE ? ESCAPE '\\'"), qb_text(q, qb_like_pattern(a, f->q));
}

static int filter_org(db *c, const principal *p, arena *a, const student_filter *f, const char **org_path)
{
    *org_path = NULL;
    if (!f->org_id) return DB_OK;
    org o;
    int rc = orgs_get(c, p, a, f->org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? STU_ORG_NOT_FOUND : rc;
    *org_path = o.path;
    return DB_OK;
}

/* One row of the list into its JSON array (qb_list_page's row callback). */
static void students_list_row(db_stmt *s, arena *a, void *items)
{
    student x;
    read_student(s, a, &x);
    student_write(items, &x);
}

int students_list(db *c, const principal *p, arena *a, const student_filter *f, int64_t limit, int64_t offset,
                  jw *items, int64_t *total)
{
    const char *org_path;
    int rc = filter_org(c, p, a, f, &org_path);
    if (rc != DB_OK) return rc;
    qb where;
    qb_init(&where, "");
    list_where(&where, p, a, f, org_path);
    jw_arr(items);
    rc = qb_list_page(c, S_COLS, S_FROM, &where,
                          " ORDER BY s.id DESC", limit, offset, total, students_list_row, a, items);
    jw_arr_end(items);
    return rc;
}

static const char *age_label(const char *code)
{
    static const char *const labels[] = {"18岁以下", "18-35岁", "36-59岁", "60-69岁", "70岁及以上"};
    for (int i = 0; code && student_age_groups[i]; i++)
        if (!strcmp(code, student_age_groups[i])) return labels[i];
    return "";
}

int students_export(db *c, const principal *p, arena *a, const student_filter *f, xlsx *out)
{
    const char *org_path;
    int rc = filter_org(c, p, a, f, &org_path);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "SELECT " S_COLS S_FROM);
    list_where(&q, p, a, f, org_path);
    qb_sql(&q, " ORDER BY s.org_path, s.id");
    db_stmt *st = qb_prepare(&q, c);
    if (!st) return DB_ERR;
    student s;
    arena row;
    arena_init(&row);
    while ((rc = db_step(st)) == DB_ROW) {
        read_student(st, &row, &s);
        char phone[32] = "", id[32] = "";
        if (s.phone) mask_phone(s.phone, phone, sizeof phone);
        if (s.id_number) mask_id_number(s.id_number, id, sizeof id);
        const char *gender = !s.gender ? "" : !strcmp(s.gender, "male") ? "男" : "女";
        const char *cells[] = {s.org_name, s.name, gender, age_label(s.age_group), phone, id,
                               s.informant ? "是" : "否", !strcmp(s.status, "active") ? "在读" : "已离开"};
        for (int i = 0; i < 8; i++) xlsx_text(out, i, cells[i]);
        xlsx_int(out, 8, s.attendance);
        xlsx_next_row(out);
        arena_free(&row);
        arena_init(&row);
    }
    arena_free(&row);
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Another student (not id) of the same point with this phone. */
static int phone_taken(db *c, int64_t org_id, const char *blind, int64_t id)
{
    db_stmt *st = db_prepare(c, "SELECT 1 FROM students WHERE org_id = ? AND phone_blind = ? AND id <> ?");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, org_id);
    db_bind_text(st, 2, blind);
    db_bind_int(st, 3, id);
    int rc = db_step(st);
    db_finish(st);
    return rc == DB_ROW ? STU_DUPLICATE : rc == DB_DONE ? DB_OK : rc;
}

static int audit_student(db *c, actor who, const char *action, const student *before, const student *after)
{
    json_t *b = before ? student_json(before) : NULL, *x = after ? student_json(after) : NULL;
    const student *s = after ? after : before;
    int rc = audit_record(c, who, s->org_path, "student", s->id, action, b, x);
    json_decref(b);
    json_decref(x);
    return rc;
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
    const student *in = w->in;
    const char *blind = pii_blind(w->a, "phone", in->phone);
    int rc = phone_taken(c, o->id, blind, w->id);
    if (rc != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    db_stmt *st = db_prepare(c, w->id
        ? "UPDATE students SET org_id = ?, org_path = ?, name = ?, gender = ?, age_group = ?, phone_enc = ?, "
          "phone_blind = ?, id_number_enc = ?, id_number_blind = ?, informant = ?, status = ?, updated_at = ? "
          "WHERE id = ? RETURNING id"
        : "INSERT INTO students (org_id, org_path, name, gender, age_group, phone_enc, phone_blind, id_number_enc, "
          "id_number_blind, informant, status, updated_at, source, created_by, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, o->id);
    db_bind_text(st, 2, o->path);
    db_bind_text(st, 3, in->name);
    db_bind_text(st, 4, in->gender);
    db_bind_text(st, 5, in->age_group);
    db_bind_text(st, 6, pii_encrypt(w->a, in->phone));
    db_bind_text(st, 7, blind);
    db_bind_text(st, 8, pii_encrypt(w->a, in->id_number));
    db_bind_text(st, 9, in->id_number ? pii_blind(w->a, "id_number", in->id_number) : NULL);
    db_bind_int(st, 10, in->informant);
    db_bind_text(st, 11, in->status ? in->status : "active");
    db_bind_text(st, 12, now);
    if (w->id) db_bind_int(st, 13, w->id);
    else {
        db_bind_text(st, 13, w->source);
        if (w->p && w->p->user_id) db_bind_int(st, 14, w->p->user_id);
        else db_bind_text(st, 14, NULL);
        db_bind_text(st, 15, now);
    }
    rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finish(st);
    if (rc == DB_UNIQUE) return STU_DUPLICATE;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    return get_unscoped(c, w->a, id, w->out);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    student before;
    org o;
    int rc = w->id ? students_get(c, w->p, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    rc = orgs_get(c, w->p, w->a, w->in->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return STU_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (strcmp(o.type, "point")) return STU_NOT_POINT;
    if ((rc = store(c, w, &o)) != DB_OK) return rc;
    return audit_student(c, actor_of(w->p), w->id ? "update" : "create", w->id ? &before : NULL, w->out);
}

int students_create(db *c, const principal *p, arena *a, const student *in, student *out)
{
    struct write_args w = {p, a, 0, in, out, "staff"};
    return db_transaction(c, write_cb, &w);
}

int students_update(db *c, const principal *p, arena *a, int64_t id, const student *in, student *out)
{
    struct write_args w = {p, a, id, in, out, "staff"};
    return db_transaction(c, write_cb, &w);
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    student before;
    char now[40];
    time_now_rfc3339(now);
    int rc = students_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    db_stmt *st = db_prepare(c, "UPDATE students SET status = 'left', updated_at = ? WHERE id = ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, now);
    db_bind_int(st, 2, w->id);
    rc = db_exec_stmt(st);
    db_finish(st);
    if (rc == DB_OK) rc = get_unscoped(c, w->a, w->id, w->out);
    if (rc == DB_OK) rc = audit_student(c, actor_of(w->p), "delete", &before, w->out);
    return rc;
}

int students_delete(db *c, const principal *p, arena *a, int64_t id)
{
    student out;
    struct write_args w = {p, a, id, NULL, &out, NULL};
    return db_transaction(c, delete_cb, &w);
}

int students_enrol_checkin(db *c, actor who, arena *a, const char *org_path, const char *name,
                           const char *phone, bool create, int64_t *id, bool *enrolled, const char **known_name)
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
    struct write_args w = {NULL, a, 0, &in, &out, "checkin"};   /* no user: created_by stays NULL */
    if ((rc = store(c, &w, &o)) != DB_OK) return rc;
    *id = out.id;
    *enrolled = true;
    return audit_student(c, who, "create", NULL, &out);
}

int students_attendance(db *c, const principal *p, arena *a, int64_t id, jw *w)
{
    student s;
    int rc = students_get(c, p, a, id, &s);
    if (rc != DB_OK) return rc;
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
