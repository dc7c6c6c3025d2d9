/* courses.c - courses (课程) at teaching points and the figures they give the statistics (see
 * teaching.h). A held course counts as keyed counters under its point and every ancestor:
 * courses 1, attendance, teaching_hours. Every write that changes what a held course counts
 * takes the old figures out and puts the new ones in, inside its own transaction, and the key
 * source below lets `kepu stats verify` recompute them from the records. */
#include "teaching/teaching.h"
#include "teaching/signoffs.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stddef.h>
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

/* Whole hours of a session, half up: 90 minutes -> 2, 89 -> 1. */
static int64_t course_hours(int64_t seconds) { return seconds <= 0 ? 0 : (seconds + 1800) / 3600; }

const char *const course_statuses[] = {"scheduled", "held", "cancelled", NULL};

/* A time in RFC 3339, kept in Shanghai time (+08:00). */
static const char *check_time(arena *a, const char **v)
{
    time_t t;
    if (!course_time_parse(*v, &t))
        return "时间格式应为 RFC 3339，如 2026-05-18T09:30:00+08:00 / time must be RFC 3339";
    char *buf = arena_alloc(a, 32);
    time_to_rfc3339(t, buf);
    *v = buf;
    return NULL;
}

/* [{"name", "id"?, "guest"?}], at most 10; stored as compact JSON text of ours. A teacher is one
 * of the pool (an id, checked against the caller's pool when written: courses_resolve_teachers)
 * or, free text without an id, a guest speaker (外聘): stored with "guest": true. */
static const char *check_teachers(arena *a, json_t *v, const char **out)
{
    if (json_is_null(v)) { *out = "[]"; return NULL; }
    bool ok = json_is_array(v) && json_array_size(v) <= COURSE_MAX_TEACHERS;
    json_t *clean = json_array(), *e;
    size_t i;
    if (ok) json_array_foreach(v, i, e) {
        json_t *name = json_object_get(e, "name"), *id = json_object_get(e, "id");
        const char *k;
        json_t *kv;
        if (!json_is_object(e) || !json_is_string(name) || !valid_name(json_string_value(name), 50) ||
            (id && !json_is_null(id) && (!json_is_integer(id) || json_integer_value(id) <= 0))) { ok = false; break; }
        json_object_foreach(e, k, kv) ok &= !strcmp(k, "name") || !strcmp(k, "id") || (!strcmp(k, "guest") && json_is_boolean(kv));
        bool guest = !id || json_is_null(id);
        json_array_append_new(clean, json_pack("{s:O, s:O, s:b}", "name", name, "id", id ? id : json_null(), "guest", guest));
    }
    char *text = ok ? json_dumps(clean, JSON_COMPACT) : NULL;
    *out = text ? arena_strdup(a, text) : NULL;
    free(text);
    json_decref(clean);
    return ok ? NULL : "teachers 应为至多 10 位教师 [{\"name\", \"id\", \"guest\"}] / at most 10 teachers [{\"name\", \"id\", \"guest\"}]";
}

void course_rating_fill(void *rec, arena *a)
{
    course *x = rec;
    x->rating_avg = course_rating_avg(a, x->rating_sum, x->rating_count);
}

#define T(member) offsetof(course, member)
static const field course_fields[] = {
    {"id", "x.id", FT_ID, T(id), .flags = 0},
    {"org_id", "x.org_id", FT_ID, T(org_id), .flags = FF_WRITE, .doc = "a teaching point; the plan item's when from one"},
    {"org_path", "x.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"plan_item_id", "x.plan_item_id", FT_INT_NULL, T(plan_item_id), .flags = FF_CREATE},
    {"plan_id", "(SELECT i.plan_id FROM teaching_plan_items i WHERE i.id = x.plan_item_id)", FT_INT_NULL, T(plan_id),
     .flags = 0},
    {"title", "x.title", FT_TEXT, T(title), .flags = FF_WRITE | FF_NONEMPTY | FF_SEARCH, .max = 200,
     .doc = "required without a plan item"},
    {"topic", "x.topic", FT_MULTILINE, T(topic), .flags = FF_WRITE | FF_SEARCH, .max = 100},
    {"category", "x.category", FT_TEXT, T(category), .flags = FF_WRITE | FF_NONEMPTY, .max = 32,
     .doc = "a code of the category dictionary; required without a plan item"},
    {"category_name", "k.name", FT_TEXT, T(category_name), .flags = 0},
    {"starts_at", "x.starts_at", FT_TIME, T(starts_at), .flags = FF_WRITE | FF_REQUIRED, .check = check_time},
    {"ends_at", "x.ends_at", FT_TIME, T(ends_at), .flags = FF_WRITE | FF_REQUIRED, .check = check_time},
    {"day", "x.day", FT_DAY, T(day), .flags = 0},
    {"place", "x.place", FT_MULTILINE, T(place), .flags = FF_WRITE | FF_SEARCH, .max = 200},
    {"capacity", "x.capacity", FT_INT, T(capacity), .flags = FF_WRITE, .min = 0, .max = COURSE_MAX_COUNT},
    {"teachers", "x.teachers", FT_JSON, T(teachers), .flags = FF_WRITE, .check_json = check_teachers,
     .doc = "[{\"name\", \"id\", \"guest\"}]: id a teacher of the pool in scope (its name is the pool's), or null for a guest speaker (外聘, guest true)"},
    {"audience", "x.audience", FT_MULTILINE, T(audience), .flags = FF_WRITE, .max = 100},
    {"materials", "x.materials", FT_MULTILINE, T(materials), .flags = FF_WRITE, .max = 2000},
    {"status", "x.status", FT_ENUM, T(status), .flags = FF_FILTER, .choices = course_statuses},
    {"record", "x.record", FT_MULTILINE, T(record), .flags = FF_UPDATE, .max = 2000},
    {"attendance", "x.attendance", FT_INT, T(attendance), .flags = FF_UPDATE, .min = 0, .max = COURSE_MAX_COUNT},
    {"teaching_hours", "x.hours", FT_INT, T(hours), .flags = 0, .doc = "whole hours of its duration, half up"},
    {"held_at", "x.held_at", FT_TIME, T(held_at), .flags = 0},
    {"cancel_reason", "x.cancel_reason", FT_MULTILINE, T(cancel_reason), .flags = 0},
    {"rating_avg", NULL, FT_JSON, T(rating_avg), .flags = FF_NO_SELECT, .doc = "the students' stars, two decimals"},
    {"rating_count", RATINGS("COUNT(*)"), FT_INT, T(rating_count), .flags = 0},
    {"rating_sum", RATINGS("COALESCE(SUM(r.stars), 0)"), FT_INT, T(rating_sum), .flags = FF_HIDDEN},
    {"created_by", "x.created_by", FT_INT_NULL, T(created_by), .flags = 0},
    {"created_at", "x.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "x.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

void courses_where(qb *q, const course_filter *f)
{
    if (f->plan_id)
        qb_sql(q, " AND x.plan_item_id IN (SELECT id FROM teaching_plan_items WHERE plan_id = ?)"), qb_int(q, f->plan_id);
    if (f->status && *f->status) qb_sql(q, " AND x.status = ?"), qb_text(q, f->status);
    if (f->from && *f->from) qb_sql(q, " AND x.day >= ?"), qb_text(q, f->from);
    if (f->to && *f->to) qb_sql(q, " AND x.day <= ?"), qb_text(q, f->to);
}

const char *courses_order(const char *order)
{
    return order && !strcmp(order, "asc") ? " ORDER BY x.starts_at, x.id" : NULL;
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
    const course *x = w->out ? w->out : before;
    return entity_audit(c, &course_entity, actor_of(w->p), x->org_path, x->id, action, before, w->out);
}

/* The org of a course: a teaching point in scope, and the plan item's point when from one. */
static int check_org(db *c, const struct write_args *w, course *x, org *o)
{
    if (x->plan_item_id) {
        plan_item it;
        int rc = entity_get(c, &plan_item_entity, &w->p->scope, w->a, x->plan_item_id, &it);
        if (rc != DB_OK) return rc;
        if (strcmp(it.plan_status, "approved")) return TEACH_PLAN_NOT_APPROVED;
        if (!x->org_id) x->org_id = it.plan_org_id;
        if (x->org_id != it.plan_org_id) return TEACH_ITEM_OTHER_ORG;
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
    return teaching_point(c, w->p, w->a, x->org_id, o);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    course before, x = *w->x;
    org o;
    time_t t0 = 0, t1 = 0;
    int rc = w->id ? entity_get(c, &course_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    if (w->id && !strcmp(before.status, "cancelled")) return TEACH_BAD_STATE;
    if ((rc = check_org(c, w, &x, &o)) != DB_OK) return rc;
    if (!x.title || !x.category) return DB_ERR;   /* the API requires them without an item */
    course_time_parse(x.starts_at, &t0);
    course_time_parse(x.ends_at, &t1);
    char now[40];
    time_now_rfc3339(now);
    x.teachers = x.teachers ? x.teachers : "[]";
    /* teachers come from the caller's pool; checked when they change (an old course keeps its own) */
    if (!w->id || !before.teachers || strcmp(before.teachers, x.teachers))
        if ((rc = courses_resolve_teachers(c, w->p, w->a, o.path, &x.teachers)) != DB_OK) return rc;
    const entity_value more[] = {
        {"org_path", .text = o.path}, {"day", .text = x.day},
        {"hours", .i = course_hours((int64_t)(t1 - t0)), .is_int = true}, {"updated_at", .text = now},
        {w->id ? NULL : "status", .text = "scheduled"},   /* an update stops here */
        w->p->user_id ? (entity_value){"created_by", .i = w->p->user_id, .is_int = true}
                      : (entity_value){"created_by", .text = NULL},
        {"created_at", .text = now}, {0},
    };
    int64_t id = w->id;
    if ((rc = entity_store(c, &course_entity, "courses", w->id, &x, more, w->a, &id)) != DB_OK) return rc;
    /* the teachers' pages follow the teachers JSON (course_teachers.c) */
    rc = courses_link_teachers(c, id, x.teachers);
    /* a held course's figures move with it: the old ones out, the new ones in */
    if (rc == DB_OK && w->id) rc = course_figures(c, &before, -1);
    /* unscoped: the row this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &course_entity, w->a, id, w->out);
    if (rc == DB_OK) rc = course_figures(c, w->out, +1);
    if (rc == DB_OK) rc = audit_course(c, w, w->id ? &before : NULL, w->id ? "update" : "create");
    return rc;
}

int courses_create(db *c, const principal *p, arena *a, const void *x, void *out)
{
    return db_transaction(c, write_cb, &(struct write_args){p, a, 0, x, NULL, 0, out});
}

static int courses_update(db *c, const principal *p, arena *a, int64_t id, const void *x, void *out)
{
    return db_transaction(c, write_cb, &(struct write_args){p, a, id, x, NULL, 0, out});
}

static int delete_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    course before;
    int rc = entity_get(c, &course_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    static const char *const sqls[] = {"DELETE FROM course_files WHERE course_id = ?", "DELETE FROM courses WHERE id = ?"};
    for (int i = 0; rc == DB_OK && i < 2; i++) {
        qb q;
        qb_init(&q, sqls[i]);
        qb_int(&q, w->id);
        rc = qb_exec(c, &q, NULL);
    }
    if (rc == DB_OK) rc = course_figures(c, &before, -1);
    if (rc == DB_OK) rc = audit_course(c, w, &before, "delete");
    return rc;
}

static int courses_delete(db *c, const principal *p, arena *a, int64_t id)
{
    return db_transaction(c, delete_cb, &(struct write_args){p, a, id, NULL, NULL, 0, NULL});
}

/* hold (w->text the record) or cancel (w->text the reason), told apart by w->attendance >= 0. */
static int status_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    course before;
    bool hold = w->attendance >= 0;
    int rc = entity_get(c, &course_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (hold ? strcmp(before.status, "scheduled") != 0 : !strcmp(before.status, "cancelled")) return TEACH_BAD_STATE;
    time_t starts;
    if (hold && course_time_parse(before.starts_at, &starts) && starts > time(NULL)) return TEACH_NOT_STARTED;
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, hold ? "UPDATE courses SET status = 'held', record = ?, attendance = ?, held_at = ?, updated_at = ?"
                     : "UPDATE courses SET status = 'cancelled', cancel_reason = ?, updated_at = ?");
    qb_text(&q, w->text);
    /* check-ins counted before the course was held are not lost by a smaller figure */
    if (hold) qb_int(&q, w->attendance < before.attendance ? before.attendance : w->attendance), qb_text(&q, now);
    qb_text(&q, now), qb_sql(&q, " WHERE id = ?"), qb_int(&q, w->id);
    rc = qb_exec(c, &q, NULL);
    if (rc == DB_OK) rc = course_figures(c, &before, -1);     /* cancelling a held course */
    /* unscoped: the row this transaction read within the scope and just changed */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &course_entity, w->a, w->id, w->out);
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
    qb q;
    qb_init(&q, delta > 0 ? "UPDATE courses SET attendance = attendance + 1, updated_at = ? WHERE id = ? "
                            "AND status <> 'cancelled' RETURNING status, org_path, day, starts_at"
                          : "UPDATE courses SET attendance = attendance - 1, updated_at = ? WHERE id = ? "
                            "AND status <> 'cancelled' AND attendance > 0 RETURNING status, org_path, day, starts_at");
    qb_text(&q, now), qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    int rc = s ? db_step(s) : DB_ERR;
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
    int64_t got;
    qb_init(&q, "UPDATE courses SET status = 'held', held_at = ?, updated_at = ? WHERE id = ? AND status = 'scheduled' "
                "RETURNING id");
    qb_text(&q, now), qb_text(&q, now), qb_int(&q, id);
    if ((rc = qb_exec(c, &q, &got)) != DB_OK) return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
    course after;
    /* unscoped: a check-in (a public flow that proved its token) just held this row */
    if ((rc = entity_get_unscoped(c, &course_entity, a, id, &after)) != DB_OK) return rc;
    if ((rc = course_figures(c, &after, +1)) != DB_OK) return rc;
    json_t *x = json_pack("{s:s, s:s}", "status", "held", "held_by", "checkin");
    rc = audit_record(c, actor_system(), after.org_path, "course", id, "hold", NULL, x);
    json_decref(x);
    return rc;
}

int courses_hold(db *c, const principal *p, arena *a, int64_t id, const char *record, int64_t attendance,
                 course *out)
{
    int64_t n = attendance < 0 ? 0 : attendance;
    return db_transaction(c, status_cb, &(struct write_args){p, a, id, NULL, record, n, out});
}

int courses_cancel(db *c, const principal *p, arena *a, int64_t id, const char *reason, course *out)
{
    return db_transaction(c, status_cb, &(struct write_args){p, a, id, NULL, reason, -1, out});
}

entity course_entity = {
    .name = "course", .doc = "A course (课程) at a teaching point",
    .from = " FROM courses x JOIN orgs o ON o.id = x.org_id LEFT JOIN teaching_categories k ON k.code = x.category",
    .id_column = "x.id", .path_column = "x.org_path", .owner_column = "x.created_by",
    .order = " ORDER BY x.starts_at DESC, x.id DESC", .size = sizeof(course), .fields = course_fields,
    .not_found = TEACH_NOT_FOUND, .org_not_found = TEACH_ORG_NOT_FOUND, .errors = teaching_errors,
    .on_read = course_rating_fill, .create = courses_create, .update = courses_update, .remove = courses_delete,
    .input = course_input,
};

void courses_init(void)
{
    static const char *const metrics[] = {"courses", "attendance", "teaching_hours"};
    static const char *const labels[] = {"开课次数", "到课人次", "授课课时"};   /* the UI's (courses.js) */
    for (int i = 0; i < 3; i++) stats_register_keyed_metric(metrics[i]), stats_register_metric_label(metrics[i], labels[i]);
    stats_register_key_source(key_source);
    static const char *const copies[] = {"teaching_plans", "courses", "course_files", "course_ratings"};
    for (int i = 0; i < 4; i++) orgs_track_path_column(copies[i], "org_path");
    signoffs_init();
    course_teachers_init();
}
