/* participants.c - the invited units and their participants (see meetings.h): register up to the
 * unit's quota before the registration deadline (the organizer at any time and beyond it),
 * change and withdraw, and the attendance per unit as JSON and as a workbook. */
#include "meetings/meetings.h"
#include "core/errors.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "docs/xlsx.h"
#include "orgs/orgs.h"
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const participant_statuses[] = {"registered", "cancelled", NULL};

/* A mobile number as people type it: spaces, dashes and a leading +86 are dropped. */
static const char *check_mobile(arena *a, const char **v)
{
    const char *s = *v;
    char *out = arena_alloc(a, strlen(s) + 1), *o = out;
    if (!strncmp(s, "+86", 3)) s += 3;
    for (; *s; s++)
        if (*s != ' ' && *s != '-') *o++ = *s;
    *o = 0;
    *v = out;
    return check_phone(a, v);
}

#define U(member) offsetof(meeting_unit, member)
#define PCOUNT(what) "(SELECT COUNT(*) FROM meeting_participants mp WHERE mp.meeting_id = u.meeting_id " \
                     "AND mp.org_id = u.org_id AND mp.status = 'registered'" what ")"
static const field unit_fields[] = {
    {"id", "u.id", FT_ID, U(id), .flags = 0},
    {"meeting_id", "u.meeting_id", FT_ID, U(meeting_id), .flags = 0},
    {"org_id", "u.org_id", FT_ID, U(org_id), .flags = 0},
    {"org_path", "u.org_path", FT_TEXT, U(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, U(org_name), .flags = 0},
    {"quota", "u.quota", FT_INT, U(quota), .flags = 0},
    {"registered", PCOUNT(""), FT_INT, U(registered), .flags = 0},
    {"checked_in", PCOUNT(" AND mp.checked_in_at IS NOT NULL"), FT_INT, U(checked_in), .flags = 0},
    {0},
};
#undef U

#define P(member) offsetof(meeting_participant, member)
static const field participant_fields[] = {
    {"id", "p.id", FT_ID, P(id), .flags = 0},
    {"meeting_id", "p.meeting_id", FT_ID, P(meeting_id), .flags = 0},
    {"org_id", "p.org_id", FT_ID, P(org_id), .flags = 0, .doc = "the unit that registered the person"},
    {"org_path", "p.org_path", FT_TEXT, P(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, P(org_name), .flags = 0},
    {"name", "p.name", FT_TEXT, P(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50, .example = "\"王建华\""},
    {"position", "p.position", FT_TEXT, P(position), .flags = FF_WRITE, .max = 50, .example = "\"科普部部长\""},
    {"phone", "p.phone_enc", FT_TEXT, P(phone), .flags = FF_WRITE | FF_REQUIRED | FF_ENCRYPTED | FF_MASK_PHONE,
     .check = check_mobile, .doc = "spaces, dashes and +86 forgiven; stored encrypted, always shown masked"},
    {"status", "p.status", FT_ENUM, P(status), .flags = FF_FILTER, .choices = participant_statuses},
    {"checked_in_at", "p.checked_in_at", FT_TIME, P(checked_in_at), .flags = 0},
    {"created_by", "p.created_by", FT_INT_NULL, P(created_by), .flags = 0},
    {"created_at", "p.created_at", FT_TIME, P(created_at), .flags = 0},
    {"updated_at", "p.updated_at", FT_TIME, P(updated_at), .flags = 0},
    {0},
};
#undef P

/* A row of a unit or a participant: the unit's own scope, or the meeting's organizer's. */
static void child_scope(const scope *sc, qb *q, const char *path_col, const char *meeting_col)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, path_col);
    qb_sql(q, ") OR EXISTS (SELECT 1 FROM meetings sm WHERE sm.id = "), qb_sql(q, meeting_col);
    scope_filter(sc, q, "sm.org_path");
    qb_sql(q, "))");
}
static void unit_scope(const scope *sc, qb *q) { child_scope(sc, q, "u.org_path", "u.meeting_id"); }
static void participant_scope(const scope *sc, qb *q) { child_scope(sc, q, "p.org_path", "p.meeting_id"); }

entity meeting_unit_entity = {
    .name = "meeting_unit", .doc = "An invited unit of a meeting with its quota and counts",
    .from = " FROM meeting_units u JOIN orgs o ON o.id = u.org_id", .id_column = "u.id", .path_column = "u.org_path",
    .scope_rule = unit_scope, .order = " ORDER BY u.org_path, u.id", .size = sizeof(meeting_unit),
    .fields = unit_fields, .not_found = MTG_UNIT_NOT_FOUND, .org_not_found = MTG_ORG_NOT_FOUND,
    .errors = meeting_errors,
};

struct part_args {
    const principal *p;
    arena *a;
    int64_t meeting_id, org_id, id;
    const meeting_participant *in;
    int64_t *out_id;
};

/* Whether the unit side may still write: the meeting open and registration not closed. The
 * organizer may write at any time until it is cancelled. */
static int writable(const principal *p, const meeting *m)
{
    if (strcmp(m->status, "published") && strcmp(m->status, "changed")) return MTG_STATE;
    if (meeting_is_organizer(p, m)) return DB_OK;
    char now[40];
    time_now_rfc3339(now);
    return strcmp(now, m->registration_deadline) >= 0 ? MTG_DEADLINE : DB_OK;
}

/* The registered participant with this phone in the meeting (other than id); DB_OK: none. */
static int phone_free(db *c, arena *a, int64_t meeting_id, const char *phone, int64_t id)
{
    qb q;
    int64_t one;
    qb_init(&q, "SELECT id FROM meeting_participants WHERE meeting_id = ? AND phone_blind = ? AND status = 'registered' AND id <> ?");
    qb_int(&q, meeting_id), qb_text(&q, pii_blind(a, "phone", phone)), qb_int(&q, id);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_OK ? MTG_DUPLICATE : rc == DB_DONE ? DB_OK : rc;
}

static int add_cb(db *c, void *cls)
{
    struct part_args *w = cls;
    meeting m;
    meeting_unit u;
    int rc = meetings_get(c, w->p, w->a, w->meeting_id, &m);
    if (rc != DB_OK || (rc = writable(w->p, &m)) != DB_OK) return rc;
    bool organizer = meeting_is_organizer(w->p, &m);
    qb q;
    qb_init(&q, " AND u.meeting_id = ? AND u.org_id = ?");
    qb_int(&q, m.id), qb_int(&q, w->org_id ? w->org_id : w->p->org_id);
    /* unscoped, then checked: the unit's own scope, or the organizer's over the whole meeting */
    rc = entity_get_where_unscoped(c, &meeting_unit_entity, w->a, &q, &u);
    if (rc == MTG_UNIT_NOT_FOUND || (rc == DB_OK && !organizer && !scope_covers(&w->p->scope, u.org_path)))
        return MTG_NOT_INVITED;
    if (rc != DB_OK) return rc;
    /* takes the unit's row first, so that two registrations of one unit count one after the other */
    qb_init(&q, "UPDATE meeting_units SET quota = quota WHERE id = ?");
    qb_int(&q, u.id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    int64_t taken = 0;
    qb_init(&q, "SELECT COUNT(*) FROM meeting_participants WHERE meeting_id = ? AND org_id = ? AND status = 'registered'");
    qb_int(&q, m.id), qb_int(&q, u.org_id);
    if ((rc = qb_exec(c, &q, &taken)) != DB_OK) return rc;
    if (!organizer && taken >= u.quota) return MTG_QUOTA;
    if ((rc = phone_free(c, w->a, m.id, w->in->phone, 0)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    int64_t by = w->p->user_id;
    entity_value more[] = {{"meeting_id", .i = m.id, .is_int = true}, {"org_id", .i = u.org_id, .is_int = true},
                           {"org_path", .text = u.org_path}, {"phone_blind", .text = pii_blind(w->a, "phone", w->in->phone)},
                           {"status", .text = "registered"}, {"created_by", .i = by, .is_int = by != 0},
                           {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &meeting_participant_entity, "meeting_participants", 0, w->in, more, w->a, w->out_id);
    meeting_participant after;
    if (rc == DB_OK) rc = entity_get_unscoped(c, &meeting_participant_entity, w->a, *w->out_id, &after);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &meeting_participant_entity, actor_of(w->p), u.org_path, after.id, "create", NULL, &after);
}

int participants_add(db *c, const principal *p, arena *a, int64_t meeting_id, int64_t org_id,
                     const meeting_participant *in, int64_t *id)
{
    return db_transaction(c, add_cb, &(struct part_args){p, a, meeting_id, org_id, 0, in, id});
}

/* The participant as p sees it and its meeting, writable by p now. */
static int load_writable(db *c, struct part_args *w, meeting_participant *before, meeting *m)
{
    int rc = entity_get(c, &meeting_participant_entity, &w->p->scope, w->a, w->id, before);
    if (rc != DB_OK) return rc;
    if (strcmp(before->status, "registered")) return MTG_PARTICIPANT_NOT_FOUND;
    /* unscoped: the participant was read within p's scope, and its meeting may be seen through it */
    if ((rc = entity_get_unscoped(c, &meeting_entity, w->a, before->meeting_id, m)) != DB_OK) return rc;
    return writable(w->p, m);
}

static int update_cb(db *c, void *cls)
{
    struct part_args *w = cls;
    meeting_participant before, after;
    meeting m;
    int rc = load_writable(c, w, &before, &m);
    if (rc != DB_OK) return rc;
    if ((rc = phone_free(c, w->a, m.id, w->in->phone, w->id)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"phone_blind", .text = pii_blind(w->a, "phone", w->in->phone)}, {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &meeting_participant_entity, "meeting_participants", w->id, w->in, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &meeting_participant_entity, w->a, w->id, &after);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &meeting_participant_entity, actor_of(w->p), before.org_path, w->id, "update", &before, &after);
}

int participants_update(db *c, const principal *p, arena *a, int64_t id, const meeting_participant *in)
{
    return db_transaction(c, update_cb, &(struct part_args){.p = p, .a = a, .id = id, .in = in});
}

static int withdraw_cb(db *c, void *cls)
{
    struct part_args *w = cls;
    meeting_participant before, after;
    meeting m;
    int rc = load_writable(c, w, &before, &m);
    if (rc != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = "cancelled"}, {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &meeting_participant_entity, "meeting_participants", w->id, NULL, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &meeting_participant_entity, w->a, w->id, &after);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &meeting_participant_entity, actor_of(w->p), before.org_path, w->id, "withdraw", &before, &after);
}

int participants_withdraw(db *c, const principal *p, arena *a, int64_t id)
{
    return db_transaction(c, withdraw_cb, &(struct part_args){.p = p, .a = a, .id = id});
}

entity meeting_participant_entity = {
    .name = "meeting_participant", .doc = "A person a unit registered for a meeting; the phone masked",
    .from = " FROM meeting_participants p JOIN orgs o ON o.id = p.org_id", .id_column = "p.id",
    .path_column = "p.org_path", .scope_rule = participant_scope, .order = " ORDER BY p.org_path, p.id",
    .size = sizeof(meeting_participant), .fields = participant_fields, .not_found = MTG_PARTICIPANT_NOT_FOUND,
    .org_not_found = MTG_ORG_NOT_FOUND, .errors = meeting_errors,
};

/* ---- attendance ---- */

/* Every registered participant of the units p sees, unit by unit, handed to fn. */
typedef void (*att_fn)(const meeting_unit *u, const meeting_participant *pp, void *cls);

struct att_walk {
    att_fn fn;
    void *cls;
    const meeting_unit *units;
    int n;
};

static int att_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    (void)s, (void)row;
    struct att_walk *w = cls;
    const meeting_participant *pp = rec;
    for (int i = 0; i < w->n; i++)
        if (w->units[i].org_id == pp->org_id) w->fn(&w->units[i], pp, w->cls);
    return DB_OK;
}

struct unit_list {
    arena *a;
    meeting_unit *u;
    int n, cap;
};

static int unit_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    (void)s, (void)row;
    struct unit_list *l = cls;
    if (l->n == l->cap) {
        meeting_unit *more = arena_alloc(l->a, sizeof *more * (size_t)(l->cap = l->cap ? l->cap * 2 : 32));
        if (!more) return DB_ERR;
        if (l->n) memcpy(more, l->u, sizeof *more * (size_t)l->n);
        l->u = more;
    }
    meeting_unit *u = &l->u[l->n++];
    *u = *(const meeting_unit *)rec;
    u->org_name = arena_strdup(l->a, u->org_name);
    u->org_path = arena_strdup(l->a, u->org_path);
    return DB_OK;
}

static int attendance_walk(db *c, const principal *p, arena *a, int64_t id, struct unit_list *units, att_fn fn, void *cls)
{
    meeting m;
    int rc = meetings_get(c, p, a, id, &m);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, " WHERE u.meeting_id = ?");
    qb_int(&q, id);
    entity_scope_filter(&meeting_unit_entity, &p->scope, &q);
    qb_sql(&q, " ORDER BY u.org_path, u.id");
    units->a = a;
    if ((rc = entity_each(c, &meeting_unit_entity, NULL, &q, unit_row, units)) != DB_OK) return rc;
    qb_init(&q, " WHERE p.meeting_id = ? AND p.status = 'registered'");
    qb_int(&q, id);
    entity_scope_filter(&meeting_participant_entity, &p->scope, &q);
    qb_sql(&q, " ORDER BY p.org_path, p.id");
    struct att_walk w = {fn, cls, units->u, units->n};
    return entity_each(c, &meeting_participant_entity, NULL, &q, att_row, &w);
}

static void xlsx_none(const meeting_unit *u, const meeting_participant *pp, void *cls) { (void)u, (void)pp, (void)cls; }

/* One unit's absent names (the unit's row was read within p's scope, so are its people). */
static int write_absent(db *c, int64_t id, int64_t org_id, jw *w)
{
    db_stmt *st = db_prepare(c, "SELECT name FROM meeting_participants WHERE meeting_id = ? AND org_id = ? "
                                "AND status = 'registered' AND checked_in_at IS NULL ORDER BY id");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, id), db_bind_int(st, 2, org_id);
    int rc;
    jw_arr(w);
    while ((rc = db_step(st)) == DB_ROW) jw_str(w, db_col_text(st, 0));
    jw_arr_end(w);
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int meetings_attendance(db *c, const principal *p, arena *a, int64_t id, jw *w)
{
    struct unit_list units = {0};
    int rc = attendance_walk(c, p, a, id, &units, xlsx_none, NULL);
    if (rc != DB_OK) return rc;
    int64_t quota = 0, registered = 0, checked = 0;
    jw_obj(w);
    jw_key(w, "meeting_id"), jw_int(w, id);
    jw_key(w, "units"), jw_arr(w);
    for (int i = 0; i < units.n && rc == DB_OK; i++) {
        const meeting_unit *u = &units.u[i];
        quota += u->quota, registered += u->registered, checked += u->checked_in;
        jw_obj(w);
        jw_key(w, "org_id"), jw_int(w, u->org_id);
        jw_key(w, "org_name"), jw_str(w, u->org_name);
        jw_key(w, "quota"), jw_int(w, u->quota);
        jw_key(w, "registered"), jw_int(w, u->registered);
        jw_key(w, "checked_in"), jw_int(w, u->checked_in);
        jw_key(w, "absent"), rc = write_absent(c, id, u->org_id, w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "quota"), jw_int(w, quota);
    jw_key(w, "registered"), jw_int(w, registered);
    jw_key(w, "checked_in"), jw_int(w, checked);
    jw_key(w, "absent"), jw_int(w, registered - checked);
    jw_obj_end(w);
    return rc;
}

static void xlsx_person(const meeting_unit *u, const meeting_participant *pp, void *cls)
{
    xlsx *x = cls;
    char phone[32] = "";
    if (pp->phone) mask_phone(pp->phone, phone, sizeof phone);
    xlsx_text(x, 0, u->org_name);
    xlsx_text(x, 1, "");
    xlsx_text(x, 2, pp->name);
    xlsx_text(x, 3, pp->position ? pp->position : "");
    xlsx_text(x, 4, phone);
    xlsx_text(x, 5, pp->checked_in_at ? "已签到" : "缺席");
    if (pp->checked_in_at) xlsx_time(x, 6, pp->checked_in_at);
    xlsx_next_row(x);
}

/* The units' summary rows first (quota, registered, checked in), then one row per participant. */
int meetings_attendance_xlsx(db *c, const principal *p, arena *a, int64_t id, xlsx *x)
{
    struct unit_list units = {0};
    int rc = attendance_walk(c, p, a, id, &units, xlsx_none, NULL);
    if (rc != DB_OK) return rc;
    for (int i = 0; i < units.n; i++) {
        const meeting_unit *u = &units.u[i];
        xlsx_text(x, 0, u->org_name);
        xlsx_text(x, 1, arena_printf(a, "名额 %lld / 报名 %lld / 签到 %lld / 缺席 %lld", (long long)u->quota,
                                     (long long)u->registered, (long long)u->checked_in,
                                     (long long)(u->registered - u->checked_in)));
        xlsx_next_row(x);
    }
    struct unit_list again = {0};
    return attendance_walk(c, p, a, id, &again, xlsx_person, x);
}
