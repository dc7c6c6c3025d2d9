/* meetings_checkin.c - meetings as owners of check-in sessions (checkin.h, kind "meeting",
 * person kind "meeting_participant"): only a registered participant, found by the phone's blind
 * index within the meeting, is admitted; a stranger gets CHK_NOT_ADMITTED. And the meetings'
 * to-do sources (todo.h): meeting_register and meeting_upcoming. */
#include "meetings/meetings.h"
#include "checkin/checkin.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "teaching/teaching.h"
#include "todo/todo.h"
#include <string.h>

#define OPENS_BEFORE_MINUTES 60   /* the door opens an hour before the start */
#define CLOSES_AFTER_MINUTES 30

static int meeting_load(db *c, arena *a, int64_t id, checkin_owner *out)
{
    meeting m;
    /* unscoped: the check-in module's public pages need the owner (checkin_kind.load) */
    int rc = entity_get_unscoped(c, &meeting_entity, a, id, &m);
    if (rc != DB_OK) return rc == MTG_NOT_FOUND ? CHK_NOT_FOUND : rc;
    memset(out, 0, sizeof *out);
    out->id = m.id;
    out->org_path = m.org_path;
    out->created_by = m.created_by;
    out->title = m.title;
    out->place = m.place;
    out->starts_at = m.starts_at;
    out->ends_at = m.ends_at;
    course_time_parse(m.starts_at, &out->opens);
    course_time_parse(m.ends_at, &out->closes);
    out->opens -= OPENS_BEFORE_MINUTES * 60;
    out->closes += CLOSES_AFTER_MINUTES * 60;
    out->cancelled = strcmp(m.status, "published") && strcmp(m.status, "changed");
    return DB_OK;
}

/* A registered participant by phone within the meeting; nobody is enrolled at the door. */
static int meeting_enrol(db *c, actor who, arena *a, const checkin_owner *o, checkin_enrolment *e)
{
    (void)who;
    db_stmt *s = db_prepare(c, "SELECT id, name FROM meeting_participants WHERE meeting_id = ? AND phone_blind = ? "
                               "AND status = 'registered'");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, o->id);
    db_bind_text(s, 2, pii_blind(a, "phone", e->phone));
    int rc = db_step(s);
    if (rc == DB_ROW) {
        e->person_id = db_col_int(s, 0);
        e->known_name = arena_strdup(a, db_col_text(s, 1));
        e->enrolled = false;
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? CHK_NOT_ADMITTED : rc;
}

static int participant_visible(db *c, const principal *p, arena *a, int64_t id)
{
    meeting_participant x;
    int rc = entity_get(c, &meeting_participant_entity, &p->scope, a, id, &x);
    return rc == MTG_PARTICIPANT_NOT_FOUND ? CHK_PERSON_NOT_FOUND : rc;
}

static int presence(db *c, int64_t owner_id, int64_t person_id, bool in)
{
    char now[40];
    int64_t id;
    qb q;
    time_now_rfc3339(now);
    qb_init(&q, in ? "UPDATE meeting_participants SET checked_in_at = COALESCE(checked_in_at, ?), updated_at = ? "
                     "WHERE meeting_id = ? AND id = ? AND status = 'registered' RETURNING id"
                   : "UPDATE meeting_participants SET checked_in_at = NULL, updated_at = ? "
                     "WHERE meeting_id = ? AND id = ? RETURNING id");
    if (in) qb_text(&q, now);
    qb_text(&q, now), qb_int(&q, owner_id), qb_int(&q, person_id);
    int rc = qb_exec(c, &q, &id);
    return rc == DB_DONE ? (in ? CHK_NOT_ADMITTED : DB_OK) : rc;
}

static int meeting_checkin(db *c, arena *a, int64_t owner_id, int64_t person_id)
{
    (void)a;
    return presence(c, owner_id, person_id, true);
}

static int meeting_checkout(db *c, arena *a, int64_t owner_id, int64_t person_id)
{
    (void)a;
    return presence(c, owner_id, person_id, false);
}

const checkin_kind meeting_checkin_kind = {
    .kind = "meeting",
    .person_kind = "meeting_participant",
    .load = meeting_load,
    .enrol = meeting_enrol,
    .person_visible = participant_visible,
    .on_checkin = meeting_checkin,
    .on_checkout = meeting_checkout,
};

/* ---- to-do sources ---- */

#define REGISTER_OPEN                                                                                         \
    " FROM meeting_units u JOIN meetings m ON m.id = u.meeting_id WHERE m.status IN ('published', 'changed') " \
    "AND m.registration_deadline > ? AND (SELECT COUNT(*) FROM meeting_participants mp WHERE mp.meeting_id = m.id " \
    "AND mp.org_id = u.org_id AND mp.status = 'registered') < u.quota"
#define UPCOMING                                                                                              \
    " FROM meetings m WHERE m.status IN ('published', 'changed') AND m.starts_at >= ? AND m.starts_at < ? "   \
    "AND EXISTS (SELECT 1 FROM meeting_participants mp WHERE mp.meeting_id = m.id AND mp.org_id = ? "         \
    "AND mp.status = 'registered')"

/* The count and first items of a query whose rows are (id, title, due), its where bound by bind. */
static int collect_rows(db *c, arena *a, int limit, const char *count_sql, const char *items_sql,
                        void (*bind)(qb *q, const principal *p, const char *now, const char *until),
                        const principal *p, todo_bucket *out)
{
    char now[40], until[40];
    time_now_rfc3339(now);
    time_to_rfc3339(time(NULL) + 7 * 86400, until);
    qb q;
    qb_init(&q, count_sql);
    bind(&q, p, now, until);
    int rc = qb_exec(c, &q, &out->count);
    if (rc == DB_DONE) out->count = 0, rc = DB_OK;
    if (rc != DB_OK) return rc;
    out->n = 0;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    qb_init(&q, items_sql);
    bind(&q, p, now, until);
    qb_sql(&q, " LIMIT ?"), qb_int(&q, limit);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    while ((rc = db_step(s)) == DB_ROW && out->n < limit) {
        todo_item *it = &out->items[out->n++];
        memset(it, 0, sizeof *it);
        it->id = db_col_int(s, 0);
        it->title = arena_strdup(a, db_col_text(s, 1));
        it->due = arena_strdup(a, db_col_text(s, 2));
        it->link = arena_printf(a, "/meetings/%lld", (long long)it->id);
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static void bind_register(qb *q, const principal *p, const char *now, const char *until)
{
    (void)until;
    qb_text(q, now);
    qb_sql(q, " AND u.org_id = ?"), qb_int(q, p->org_id);
}

static void bind_upcoming(qb *q, const principal *p, const char *now, const char *until)
{
    qb_text(q, now), qb_text(q, until), qb_int(q, p->org_id);
}

/* The caller's own unit's invitations with places left while registration is open. */
static int collect_register(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    return collect_rows(c, a, limit, "SELECT COUNT(*)" REGISTER_OPEN,
                        "SELECT m.id, m.title, m.registration_deadline" REGISTER_OPEN, bind_register, p, out);
}

static int collect_upcoming(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    return collect_rows(c, a, limit, "SELECT COUNT(*)" UPCOMING, "SELECT m.id, m.title, m.starts_at" UPCOMING,
                        bind_upcoming, p, out);
}

/* Every invited unit with places left whose registration closes in [from, to). */
static int register_deadlines(db *c, arena *a, const char *from, const char *to, todo_deadline_fn fn, void *cls)
{
    qb q;
    qb_init(&q, "SELECT u.org_id, m.id, m.title, m.registration_deadline" REGISTER_OPEN
                " AND m.registration_deadline < ? ORDER BY m.registration_deadline, u.id");
    qb_text(&q, from), qb_text(&q, to);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        todo_deadline d = {.org_id = db_col_int(s, 0), .ref_id = db_col_int(s, 1),
                           .title = arena_strdup(a, db_col_text(s, 2)), .due = arena_strdup(a, db_col_text(s, 3))};
        d.link = arena_printf(a, "/meetings/%lld", (long long)d.ref_id);
        if ((rc = fn(c, &d, cls)) != DB_OK) break;
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

const todo_source meeting_register_source = {
    .kind = "meeting_register", .menu = "/meetings", .min_rank = RANK_STAFF,
    .collect = collect_register, .deadlines_unscoped = register_deadlines,
};

const todo_source meeting_upcoming_source = {
    .kind = "meeting_upcoming", .menu = "/meetings", .min_rank = RANK_STAFF, .collect = collect_upcoming,
};
