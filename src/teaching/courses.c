/* courses.c - courses (课程) at teaching points and the figures they give the statistics (see
 * teaching.h). A held course counts as keyed counters under its point and every ancestor:
 * courses 1, attendance, teaching_hours. Every write that changes what a held course counts
 * takes the old figures out and puts the new ones in, inside its own transaction, and the key
 * source below lets `kepu stats verify` recompute them from the records. */
#include "teaching/teaching.h"
#include "audit/audit.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What verify and rebuild recompute the keyed counters from: one row per held course and key
 * (zero values left out: they add nothing, and the writers skip them too). */
static const char key_source[] =
    "SELECT org_path, day, 'courses' AS key, 1 AS n FROM courses WHERE status = 'held' "
    "UNION ALL SELECT org_path, day, 'attendance', attendance FROM courses WHERE status = 'held' AND attendance <> 0 "
    "UNION ALL SELECT org_path, day, 'teaching_hours', hours FROM courses WHERE status = 'held' AND hours <> 0";

/* Two ASCII digits at p (sscanf's %2d would take " 7" or "+7"). */
static bool two_digits(const char *p, int *v)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return false;
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return true;
}

bool course_time_parse(const char *s, time_t *out)
{
    int h, m, sec = 0, oh = 0, om = 0;
    char day[11];
    if (!s || strlen(s) < 16 || s[10] != 'T') return false;
    memcpy(day, s, 10);
    day[10] = 0;
    time_t midnight = time_parse_date(day);
    if (midnight < 0 || !two_digits(s + 11, &h) || s[13] != ':' || !two_digits(s + 14, &m)) return false;
    const char *p = s + 16;
    if (*p == ':') {
        if (!two_digits(p + 1, &sec)) return false;
        p += 3;
        if (*p == '.') for (p++; *p >= '0' && *p <= '9'; p++) {}
    }
    int sign = 0;
    if (*p == 'Z' && !p[1]) sign = 1;
    else if ((*p == '+' || *p == '-') && strlen(p) == 6 && two_digits(p + 1, &oh) && p[3] == ':' &&
             two_digits(p + 4, &om))
        sign = *p == '+' ? 1 : -1;
    if (!sign || h > 23 || m > 59 || sec > 59 || oh > 14 || om > 59) return false;
    /* midnight is the Shanghai instant of the day: the same wall time in UTC is 8 hours later */
    *out = midnight + SHANGHAI_OFFSET + h * 3600 + m * 60 + sec - sign * (oh * 3600 + om * 60);
    return true;
}

int64_t course_hours(int64_t seconds) { return seconds <= 0 ? 0 : (seconds + 1800) / 3600; }

#define COURSE_COLS "x.id, x.org_id, x.org_path, o.name, x.plan_item_id, x.title, x.topic, x.category, x.starts_at, " \
                    "x.ends_at, x.day, x.place, x.capacity, x.teachers, x.audience, x.materials, x.status, x.record, " \
                    "x.attendance, x.hours, x.held_at, x.cancel_reason, x.created_by, x.created_at, x.updated_at, " \
                    "k.name, (SELECT i.plan_id FROM teaching_plan_items i WHERE i.id = x.plan_item_id), " \
                    "(SELECT COUNT(*) FROM course_ratings r WHERE r.course_id = x.id), " \
                    "(SELECT COALESCE(SUM(r.stars), 0) FROM course_ratings r WHERE r.course_id = x.id)"
#define COURSE_FROM " FROM courses x JOIN orgs o ON o.id = x.org_id LEFT JOIN teaching_categories k ON k.code = x.category"

static void read_course(db_stmt *s, arena *a, void *row)
{
    course *x = row;
    memset(x, 0, sizeof *x);
    x->id = db_col_int(s, 0);
    x->org_id = db_col_int(s, 1);
    x->org_path = arena_strdup(a, db_col_text(s, 2));
    x->org_name = arena_strdup(a, db_col_text(s, 3));
    x->plan_item_id = db_col_null(s, 4) ? 0 : db_col_int(s, 4);
    x->title = arena_strdup(a, db_col_text(s, 5));
    x->topic = arena_strdup(a, db_col_text(s, 6));
    x->category = arena_strdup(a, db_col_text(s, 7));
    x->starts_at = arena_strdup(a, db_col_text(s, 8));
    x->ends_at = arena_strdup(a, db_col_text(s, 9));
    x->day = arena_strdup(a, db_col_text(s, 10));
    x->place = arena_strdup(a, db_col_text(s, 11));
    x->capacity = db_col_int(s, 12);
    x->teachers = arena_strdup(a, db_col_text(s, 13));
    x->audience = arena_strdup(a, db_col_text(s, 14));
    x->materials = arena_strdup(a, db_col_text(s, 15));
    x->status = arena_strdup(a, db_col_text(s, 16));
    x->record = arena_strdup(a, db_col_text(s, 17));
    x->attendance = db_col_int(s, 18);
    x->hours = db_col_int(s, 19);
    x->held_at = arena_strdup(a, db_col_text(s, 20));
    x->cancel_reason = arena_strdup(a, db_col_text(s, 21));
    x->created_by = db_col_null(s, 22) ? 0 : db_col_int(s, 22);
    x->created_at = arena_strdup(a, db_col_text(s, 23));
    x->updated_at = arena_strdup(a, db_col_text(s, 24));
    x->category_name = arena_strdup(a, db_col_text(s, 25));
    x->plan_id = db_col_null(s, 26) ? 0 : db_col_int(s, 26);
    x->rating_count = db_col_int(s, 27);
    x->rating_sum = db_col_int(s, 28);
}

void course_write(jw *w, const course *x)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "org_id"), jw_int(w, x->org_id);
    jw_key(w, "org_name"), jw_str(w, x->org_name);
    jw_key(w, "plan_item_id"), jw_int_or_null(w, x->plan_item_id);
    jw_key(w, "plan_id"), jw_int_or_null(w, x->plan_id);
    jw_key(w, "title"), jw_str(w, x->title);
    jw_key(w, "topic"), jw_str(w, x->topic);
    jw_key(w, "category"), jw_str(w, x->category);
    jw_key(w, "category_name"), jw_str(w, x->category_name);
    jw_key(w, "starts_at"), jw_str(w, x->starts_at);
    jw_key(w, "ends_at"), jw_str(w, x->ends_at);
    jw_key(w, "day"), jw_str(w, x->day);
    jw_key(w, "place"), jw_str(w, x->place);
    jw_key(w, "capacity"), jw_int(w, x->capacity);
    /* our own serialization, validated on the way in */
    jw_key(w, "teachers"), jw_raw(w, x->teachers && x->teachers[0] == '[' ? x->teachers : "[]");
    jw_key(w, "audience"), jw_str(w, x->audience);
    jw_key(w, "materials"), jw_str(w, x->materials);
    jw_key(w, "status"), jw_str(w, x->status);
    jw_key(w, "record"), jw_str(w, x->record);
    jw_key(w, "attendance"), jw_int(w, x->attendance);
    jw_key(w, "teaching_hours"), jw_int(w, x->hours);
    jw_key(w, "held_at"), jw_str(w, x->held_at);
    jw_key(w, "cancel_reason"), jw_str(w, x->cancel_reason);
    jw_key(w, "rating_avg"), course_rating_avg_write(w, x->rating_sum, x->rating_count);
    jw_key(w, "rating_count"), jw_int(w, x->rating_count);
    jw_key(w, "created_by"), jw_int_or_null(w, x->created_by);
    jw_key(w, "created_at"), jw_str(w, x->created_at);
    jw_key(w, "updated_at"), jw_str(w, x->updated_at);
    jw_obj_end(w);
}

static json_t *course_json(const course *x)
{
    jw w;
    jw_init(&w);
    course_write(&w, x);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, course *out)
{
    qb q;
    qb_init(&q, "SELECT " COURSE_COLS COURSE_FROM " WHERE x.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "x.org_path", "x.created_by");
    return qb_get_one(c, &q, a, read_course, out, TEACH_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, course *out) { return get_scoped(c, NULL, a, id, out); }

int courses_get(db *c, const principal *p, arena *a, int64_t id, course *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

int courses_get_unscoped(db *c, arena *a, int64_t id, course *out)
{
    return get_unscoped(c, a, id, out);
}

static void list_where(qb *q, const principal *p, arena *a, const course_filter *f, const char *org_path)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, q, "x.org_path", "x.created_by");
    if (org_path) {
        qb_subtree(q, a, "x.org_path", org_path);
    }
    if (f->plan_id)
        qb_sql(q, " AND x.plan_item_id IN (SELECT id FROM teaching_plan_items WHERE plan_id = ?)"), qb_int(q, f->plan_id);
    if (f->status && *f->status) qb_sql(q, " AND x.status = ?"), qb_text(q, f->status);
    if (f->from && *f->from) qb_sql(q, " AND x.day >= ?"), qb_text(q, f->from);
    if (f->to && *f->to) qb_sql(q, " AND x.day <= ?"), qb_text(q, f->to);
    if (f->q && *f->q) {
        char *pat = qb_like_pattern(a, f->q);
        qb_sql(q, " AND (x.title LIKE ? ESCAPE '\\' OR x.topic LIKE ? ESCAPE '\\' OR x.place LIKE ? ESCAPE '\\')");
        qb_text(q, pat), qb_text(q, pat), qb_text(q, pat);
    }
}

/* One row of the list into its JSON array (qb_list_page's row callback). */
static void courses_list_row(db_stmt *s, arena *a, void *items)
{
    course x;
    read_course(s, a, &x);
    course_write(items, &x);
}

int courses_list(db *c, const principal *p, arena *a, const course_filter *f, int64_t limit, int64_t offset,
                 const char *order, jw *items, int64_t *total)
{
    const char *org_path = NULL;
    if (f->org_id) {
        org o;
        int rc = orgs_get(c, p, a, f->org_id, &o);
        if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TEACH_ORG_NOT_FOUND : rc;
        org_path = o.path;
    }
    qb where;
    qb_init(&where, "");
    list_where(&where, p, a, f, org_path);
    jw_arr(items);
    const char *by = order && !strcmp(order, "asc") ? " ORDER BY x.starts_at, x.id" : " ORDER BY x.starts_at DESC, x.id DESC";
    int rc = qb_list_page(c, COURSE_COLS, COURSE_FROM, &where,
                          by, limit, offset, total, courses_list_row, a, items);
    jw_arr_end(items);
    return rc;
}

int courses_plan_item(db *c, const principal *p, arena *a, int64_t item_id, plan_item *out, int64_t *org_id,
                      const char **plan_status)
{
    qb q;
    qb_init(&q, "SELECT i.id, i.topic, i.category, i.teacher_name, i.teacher_id, i.planned_date, i.place, x.org_id, "
                "x.status FROM teaching_plan_items i JOIN teaching_plans x ON x.id = i.plan_id WHERE i.id = ?");
    qb_int(&q, item_id);
    scope_filter_owned(&p->scope, &q, "x.org_path", "x.created_by");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->id = db_col_int(s, 0);
        out->topic = arena_strdup(a, db_col_text(s, 1));
        out->category = arena_strdup(a, db_col_text(s, 2));
        out->teacher_name = arena_strdup(a, db_col_text(s, 3));
        out->teacher_id = db_col_null(s, 4) ? 0 : db_col_int(s, 4);
        out->planned_date = arena_strdup(a, db_col_text(s, 5));
        out->place = arena_strdup(a, db_col_text(s, 6));
        *org_id = db_col_int(s, 7);
        *plan_status = arena_strdup(a, db_col_text(s, 8));
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? TEACH_ITEM_NOT_FOUND : rc;
}

/* The figures a course gives the statistics: only a held course counts. */
static int course_figures(db *c, const course *x, int sign)
{
    if (strcmp(x->status, "held") != 0) return DB_OK;
    stats_key keys[3];
    int n = 0;
    keys[n++] = (stats_key){"courses", 1};
    if (x->attendance) keys[n++] = (stats_key){"attendance", x->attendance};
    if (x->hours) keys[n++] = (stats_key){"teaching_hours", x->hours};
    return stats_add_keys(c, x->org_path, x->day, keys, n, sign);
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;               /* 0: create */
    const course *x;
    const char *text;         /* hold: the record; cancel: the reason */
    int64_t attendance;
    course *out;
};

static int audit_course(db *c, const struct write_args *w, const course *before, const char *action)
{
    json_t *b = before ? course_json(before) : NULL, *after = w->out ? course_json(w->out) : NULL;
    int rc = audit_record(c, actor_of(w->p), w->out ? w->out->org_path : before->org_path, "course",
                          w->out ? w->out->id : before->id, action, b, after);
    json_decref(b);
    json_decref(after);
    return rc;
}

/* The org of a course: a teaching point in scope, and the plan item's point when from one. */
static int check_org(db *c, const struct write_args *w, course *x, org *o)
{
    if (x->plan_item_id) {
        plan_item it;
        int64_t item_org;
        const char *status;
        int rc = courses_plan_item(c, w->p, w->a, x->plan_item_id, &it, &item_org, &status);
        if (rc != DB_OK) return rc;
        if (strcmp(status, "approved")) return TEACH_PLAN_NOT_APPROVED;
        if (!x->org_id) x->org_id = item_org;
        if (x->org_id != item_org) return TEACH_ITEM_OTHER_ORG;
        if (!x->title) x->title = it.topic;
        if (!x->topic) x->topic = it.topic;
        if (!x->category) x->category = it.category;
        if (!x->place) x->place = it.place;
        if (!x->teachers) {
            json_t *t = it.teacher_name ? json_pack("[{s:s, s:o}]", "name", it.teacher_name, "id",
                                                    it.teacher_id ? json_integer(it.teacher_id) : json_null())
                                        : json_array();
            char *text = json_dumps(t, JSON_COMPACT);
            x->teachers = arena_strdup(w->a, text);
            free(text);
            json_decref(t);
        }
    }
    int rc = orgs_get(c, w->p, w->a, x->org_id, o);
    if (rc == ORGS_NOT_FOUND) return TEACH_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    return strcmp(o->type, "point") ? TEACH_NOT_POINT : DB_OK;
}

static void bind_course(db_stmt *s, const course *x, const char *org_path, int64_t hours, const char *now)
{
    db_bind_int(s, 1, x->org_id);
    db_bind_text(s, 2, org_path);
    if (x->plan_item_id) db_bind_int(s, 3, x->plan_item_id);
    else db_bind_text(s, 3, NULL);
    db_bind_text(s, 4, x->title);
    db_bind_text(s, 5, x->topic);
    db_bind_text(s, 6, x->category);
    db_bind_text(s, 7, x->starts_at);
    db_bind_text(s, 8, x->ends_at);
    db_bind_text(s, 9, x->day);
    db_bind_text(s, 10, x->place);
    db_bind_int(s, 11, x->capacity);
    db_bind_text(s, 12, x->teachers ? x->teachers : "[]");
    db_bind_text(s, 13, x->audience);
    db_bind_text(s, 14, x->materials);
    db_bind_text(s, 15, x->record);
    db_bind_int(s, 16, x->attendance);
    db_bind_int(s, 17, hours);
    db_bind_text(s, 18, now);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    course before, x = *w->x;
    org o;
    time_t t0 = 0, t1 = 0;
    int rc = w->id ? courses_get(c, w->p, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    if (w->id && !strcmp(before.status, "cancelled")) return TEACH_BAD_STATE;
    if ((rc = check_org(c, w, &x, &o)) != DB_OK) return rc;
    if (!x.title || !x.category) return DB_ERR;   /* the API requires them without an item */
    course_time_parse(x.starts_at, &t0);
    course_time_parse(x.ends_at, &t1);
    char now[40];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, w->id
        ? "UPDATE courses SET org_id = ?, org_path = ?, plan_item_id = ?, title = ?, topic = ?, category = ?, "
          "starts_at = ?, ends_at = ?, day = ?, place = ?, capacity = ?, teachers = ?, audience = ?, materials = ?, "
          "record = ?, attendance = ?, hours = ?, updated_at = ? WHERE id = ? RETURNING id"
        : "INSERT INTO courses (org_id, org_path, plan_item_id, title, topic, category, starts_at, ends_at, day, place, "
          "capacity, teachers, audience, materials, record, attendance, hours, updated_at, status, created_by, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    bind_course(s, &x, o.path, course_hours((int64_t)(t1 - t0)), now);
    if (w->id) db_bind_int(s, 19, w->id);
    else {
        if (w->p->user_id) db_bind_int(s, 19, w->p->user_id);
        else db_bind_text(s, 19, NULL);
        db_bind_text(s, 20, now);
    }
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    /* the teachers' pages follow the teachers JSON (course_teachers.c) */
    rc = courses_link_teachers(c, id, x.teachers);
    /* a held course's figures move with it: the old ones out, the new ones in */
    if (rc == DB_OK && w->id) rc = course_figures(c, &before, -1);
    if (rc == DB_OK) rc = get_unscoped(c, w->a, id, w->out);
    if (rc == DB_OK) rc = course_figures(c, w->out, +1);
    if (rc == DB_OK) rc = audit_course(c, w, w->id ? &before : NULL, w->id ? "update" : "create");
    return rc;
}

int courses_create(db *c, const principal *p, arena *a, const course *x, course *out)
{
    struct write_args w = {p, a, 0, x, NULL, 0, out};
    return db_transaction(c, write_cb, &w);
}

int courses_update(db *c, const principal *p, arena *a, int64_t id, const course *x, course *out)
{
    struct write_args w = {p, a, id, x, NULL, 0, out};
    return db_transaction(c, write_cb, &w);
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    course before;
    int rc = courses_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    static const char *const sqls[] = {"DELETE FROM course_files WHERE course_id = ?", "DELETE FROM courses WHERE id = ?"};
    for (int i = 0; rc == DB_OK && i < 2; i++) {
        db_stmt *s = db_prepare(c, sqls[i]);
        if (!s) return DB_ERR;
        db_bind_int(s, 1, w->id);
        rc = db_exec_stmt(s);
        db_finish(s);
    }
    if (rc == DB_OK) rc = course_figures(c, &before, -1);
    if (rc == DB_OK) rc = audit_course(c, w, &before, "delete");
    return rc;
}

int courses_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct write_args w = {p, a, id, NULL, NULL, 0, NULL};
    return db_transaction(c, delete_cb, &w);
}

/* hold (w->text the record) or cancel (w->text the reason), told apart by w->attendance >= 0. */
static int status_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    course before;
    bool hold = w->attendance >= 0;
    int rc = courses_get(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (hold ? strcmp(before.status, "scheduled") != 0 : !strcmp(before.status, "cancelled")) return TEACH_BAD_STATE;
    time_t starts;
    if (hold && course_time_parse(before.starts_at, &starts) && starts > time(NULL)) return TEACH_NOT_STARTED;
    char now[40];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, hold
        ? "UPDATE courses SET status = 'held', record = ?, attendance = ?, held_at = ?, updated_at = ? WHERE id = ?"
        : "UPDATE courses SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, w->text);
    /* check-ins counted before the course was held are not lost by a smaller figure */
    if (hold) db_bind_int(s, 2, w->attendance < before.attendance ? before.attendance : w->attendance),
              db_bind_text(s, 3, now), db_bind_text(s, 4, now), db_bind_int(s, 5, w->id);
    else db_bind_text(s, 2, now), db_bind_int(s, 3, w->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc == DB_OK) rc = course_figures(c, &before, -1);     /* cancelling a held course */
    if (rc == DB_OK) rc = get_unscoped(c, w->a, w->id, w->out);
    if (rc == DB_OK) rc = course_figures(c, w->out, +1);      /* holding one */
    if (rc == DB_OK) rc = audit_course(c, w, &before, hold ? "hold" : "cancel");
    return rc;
}

/* One attendant more (delta 1) or less (-1), in the caller's transaction (a check-in): the
 * column and the keyed counter move together. Relative updates, so concurrent check-ins of one
 * course serialize on its row. The first attendant of a scheduled course that has started
 * marks it held: students checking in are the course taking place. */
int courses_add_attendance(db *c, arena *a, int64_t id, int64_t delta)
{
    char now[40];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, delta > 0
        ? "UPDATE courses SET attendance = attendance + 1, updated_at = ? WHERE id = ? AND status <> 'cancelled' "
          "RETURNING status, org_path, day, starts_at"
        : "UPDATE courses SET attendance = attendance - 1, updated_at = ? WHERE id = ? AND status <> 'cancelled' "
          "AND attendance > 0 RETURNING status, org_path, day, starts_at");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, id);
    int rc = db_step(s);
    bool held = rc == DB_ROW && !strcmp(db_col_text(s, 0), "held");
    const char *path = rc == DB_ROW ? arena_strdup(a, db_col_text(s, 1)) : NULL;
    const char *day = rc == DB_ROW ? arena_strdup(a, db_col_text(s, 2)) : NULL;
    time_t starts = 0;
    bool started = rc == DB_ROW && !held && course_time_parse(db_col_text(s, 3), &starts) && starts <= time(NULL);
    db_finish(s);
    if (rc == DB_DONE) return DB_OK;   /* cancelled, or nothing left to take away */
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if (held) {
        stats_key k = {"attendance", 1};
        return stats_add_keys(c, path, day, &k, 1, delta > 0 ? 1 : -1);
    }
    if (delta < 0 || !started) return DB_OK;   /* counted when the course is held */
    if (!(s = db_prepare(c, "UPDATE courses SET status = 'held', held_at = ?, updated_at = ? WHERE id = ? "
                            "AND status = 'scheduled' RETURNING id")))
        return DB_ERR;
    db_bind_text(s, 1, now);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    rc = db_step(s);
    db_finish(s);
    if (rc == DB_DONE) return DB_OK;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    course after;
    if ((rc = get_unscoped(c, a, id, &after)) != DB_OK) return rc;
    if ((rc = course_figures(c, &after, +1)) != DB_OK) return rc;
    json_t *x = json_pack("{s:s, s:s}", "status", "held", "held_by", "checkin");
    rc = audit_record(c, actor_system(), after.org_path, "course", id, "hold", NULL, x);
    json_decref(x);
    return rc;
}

int courses_hold(db *c, const principal *p, arena *a, int64_t id, const char *record, int64_t attendance,
                 course *out)
{
    struct write_args w = {p, a, id, NULL, record, attendance < 0 ? 0 : attendance, out};
    return db_transaction(c, status_cb, &w);
}

int courses_cancel(db *c, const principal *p, arena *a, int64_t id, const char *reason, course *out)
{
    struct write_args w = {p, a, id, NULL, reason, -1, out};
    return db_transaction(c, status_cb, &w);
}

void courses_init(void)
{
    static const char *const metrics[] = {"courses", "attendance", "teaching_hours"};
    for (int i = 0; i < 3; i++) stats_register_keyed_metric(metrics[i]);
    stats_register_key_source(key_source);
    orgs_track_path_column("teaching_plans", "org_path");
    orgs_track_path_column("courses", "org_path");
    orgs_track_path_column("course_files", "org_path");
    orgs_track_path_column("course_ratings", "org_path");
}
