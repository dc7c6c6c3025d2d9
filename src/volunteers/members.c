/* members.c - who belongs to which volunteer team (see volunteers.h): applications a team admin
 * approves or declines, invitations the volunteer accepts or rejects, roles (队长, 副队长, 队员)
 * and leaving. A volunteer is an active member of at most VOL_MAX_TEAMS teams that are not
 * dissolved: checked whenever a membership becomes active, with the volunteer's row locked so
 * that two approvals at once cannot both pass. Memberships carry the team's org path: a team
 * admin's scope is the team's. */
#include "volunteers/volunteers_internal.h"
#include "audit/audit.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include <string.h>

const char *const member_roles[] = {"leader", "deputy", "member", NULL};
const char *const member_statuses[] = {"pending", "invited", "active", "declined", "left", NULL};

#define M_COLS "m.id, m.team_id, t.name, t.status, t.category, m.volunteer_id, v.name, v.volunteer_no, v.phone_enc, " \
               "v.gender, m.org_path, m.role, m.status, m.source, m.created_at, m.decided_at, m.updated_at, v.status"
#define M_FROM " FROM volunteer_members m JOIN volunteer_teams t ON t.id = m.team_id JOIN volunteers v ON v.id = m.volunteer_id"

typedef struct membership {
    int64_t id, team_id, volunteer_id;
    const char *team_name, *team_status, *category, *name, *volunteer_no, *phone, *gender, *org_path, *role, *status,
        *source, *created_at, *decided_at, *updated_at, *volunteer_status;
} membership;

static void read_member(db_stmt *s, arena *a, void *row)
{
    membership *m = row;
    memset(m, 0, sizeof *m);
    m->id = db_col_int(s, 0);
    m->team_id = db_col_int(s, 1);
    m->team_name = arena_strdup(a, db_col_text(s, 2));
    m->team_status = arena_strdup(a, db_col_text(s, 3));
    m->category = arena_strdup(a, db_col_text(s, 4));
    m->volunteer_id = db_col_int(s, 5);
    m->name = arena_strdup(a, db_col_text(s, 6));
    m->volunteer_no = arena_strdup(a, db_col_text(s, 7));
    m->phone = pii_decrypt(a, db_col_text(s, 8));
    m->gender = arena_strdup(a, db_col_text(s, 9));
    m->org_path = arena_strdup(a, db_col_text(s, 10));
    m->role = arena_strdup(a, db_col_text(s, 11));
    m->status = arena_strdup(a, db_col_text(s, 12));
    m->source = arena_strdup(a, db_col_text(s, 13));
    m->created_at = arena_strdup(a, db_col_text(s, 14));
    m->decided_at = arena_strdup(a, db_col_text(s, 15));
    m->updated_at = arena_strdup(a, db_col_text(s, 16));
    m->volunteer_status = arena_strdup(a, db_col_text(s, 17));
}

static void member_write(jw *w, const membership *m)
{
    char phone[32] = "";
    if (m->phone) mask_phone(m->phone, phone, sizeof phone);
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, m->id);
    jw_key(w, "team_id"), jw_int(w, m->team_id);
    jw_key(w, "team_name"), jw_str(w, m->team_name);
    jw_key(w, "team_status"), jw_str(w, m->team_status);
    jw_key(w, "category"), jw_str(w, m->category);
    jw_key(w, "volunteer_id"), jw_int(w, m->volunteer_id);
    jw_key(w, "volunteer_name"), jw_str(w, m->name);
    jw_key(w, "volunteer_no"), jw_str(w, m->volunteer_no);
    jw_key(w, "phone"), jw_str(w, m->phone ? phone : NULL);
    jw_key(w, "gender"), jw_str(w, m->gender);
    jw_key(w, "role"), jw_str(w, m->role);
    jw_key(w, "status"), jw_str(w, m->status);
    jw_key(w, "source"), jw_str(w, m->source);
    jw_key(w, "created_at"), jw_str(w, m->created_at);
    jw_key(w, "decided_at"), jw_str(w, m->decided_at);
    jw_key(w, "updated_at"), jw_str(w, m->updated_at);
    jw_obj_end(w);
}

static json_t *member_json(const membership *m)
{
    jw w;
    jw_init(&w);
    member_write(&w, m);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

/* One membership by id, in the scope of its team (sc NULL: none). */
static int member_get(db *c, const scope *sc, arena *a, int64_t id, membership *out)
{
    qb q;
    qb_init(&q, "SELECT " M_COLS M_FROM " WHERE m.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "m.org_path", "t.created_by");   /* scope self: its own teams' */
    return qb_get_one(c, &q, a, read_member, out, VOL_MEMBER_NOT_FOUND);
}

/* A membership by id without a scope: only to re-read the row the caller's transaction just wrote. */
static int member_get_unscoped(db *c, arena *a, int64_t id, membership *out) { return member_get(c, NULL, a, id, out); }

static int list_members(db *c, qb *q, arena *a, jw *w)
{
    db_stmt *st = qb_prepare(q, c);
    if (!st) return DB_ERR;
    int rc;
    jw_arr(w);
    while ((rc = db_step(st)) == DB_ROW) {
        membership m;
        read_member(st, a, &m);
        member_write(w, &m);
    }
    jw_arr_end(w);
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int members_of_team(db *c, const principal *p, arena *a, int64_t team_id, const char *state, jw *w)
{
    volunteer_team t;
    int rc = teams_get(c, p, a, team_id, &t);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "SELECT " M_COLS M_FROM " WHERE m.team_id = ?");
    qb_int(&q, team_id);
    if (state && *state) qb_sql(&q, " AND m.status = ?"), qb_text(&q, state);
    else qb_sql(&q, " AND m.status IN ('pending', 'invited', 'active')");
    qb_sql(&q, " ORDER BY CASE m.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, m.id");
    return list_members(c, &q, a, w);
}

int members_of_volunteer(db *c, const principal *p, arena *a, int64_t volunteer_id, jw *w)
{
    volunteer v;
    int rc = volunteers_get(c, p, a, volunteer_id, &v);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "SELECT " M_COLS M_FROM " WHERE m.volunteer_id = ?");
    qb_int(&q, volunteer_id);
    scope_filter_owned(&p->scope, &q, "m.org_path", "t.created_by");   /* teams of other branches stay hidden */
    qb_sql(&q, " ORDER BY m.id DESC");
    return list_members(c, &q, a, w);
}

int members_get_json(db *c, const principal *p, arena *a, int64_t membership_id, jw *w)
{
    membership m;
    int rc = member_get(c, &p->scope, a, membership_id, &m);
    if (rc == DB_OK) member_write(w, &m);
    return rc;
}

int volunteers_active_team_count(db *c, int64_t volunteer_id, int64_t *n)
{
    db_stmt *st = db_prepare(c, "SELECT COUNT(*) FROM volunteer_members m JOIN volunteer_teams t ON t.id = m.team_id "
                                "WHERE m.volunteer_id = ? AND m.status = 'active' AND t.status <> 'dissolved'");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, volunteer_id);
    int rc = db_step(st);
    *n = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finish(st);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int volunteers_is_active_member(db *c, int64_t team_id, int64_t volunteer_id, bool *yes)
{
    db_stmt *st = db_prepare(c, "SELECT 1 FROM volunteer_members m JOIN volunteer_teams t ON t.id = m.team_id "
                                "WHERE m.team_id = ? AND m.volunteer_id = ? AND m.status = 'active' "
                                "AND t.status = 'active'");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, volunteer_id);
    int rc = db_step(st);
    *yes = rc == DB_ROW;
    db_finish(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Inside the transaction that makes a membership active: the volunteer's row is locked first
 * (PostgreSQL holds it to the commit; SQLite has one writer), then the active teams counted. */
static int room_for_one_more(db *c, int64_t volunteer_id)
{
    db_stmt *st = db_prepare(c, "UPDATE volunteers SET updated_at = updated_at WHERE id = ?");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, volunteer_id);
    int rc = db_exec_stmt(st);
    db_finish(st);
    int64_t n = 0;
    if (rc == DB_OK) rc = volunteers_active_team_count(c, volunteer_id, &n);
    if (rc != DB_OK) return rc;
    return n >= VOL_MAX_TEAMS ? VOL_TEAM_LIMIT : DB_OK;
}

static int audit_member(db *c, const principal *p, const char *action, const membership *before, const membership *after)
{
    json_t *b = before ? member_json(before) : NULL, *x = after ? member_json(after) : NULL;
    const membership *m = after ? after : before;
    int rc = audit_record(c, p && p->user_id ? actor_of(p) : actor_system(), m->org_path, "volunteer_member", m->id, action, b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

struct join_args {
    const principal *p;     /* NULL: a public application (no scope: the caller checked the team) */
    arena *a;
    int64_t team_id, volunteer_id;
    const char *how, *role;
    int64_t id;
};

/* status and source of a new membership by how it starts */
static void join_state(const char *how, const char **status, const char **source)
{
    if (!strcmp(how, "invite")) *status = "invited", *source = "invited";
    else if (!strcmp(how, "add")) *status = "active", *source = "staff";
    else *status = "pending", *source = "applied";
}

/* The team (active) and volunteer (active) a new membership joins; scoped unless public. */
static int join_parties(db *c, struct join_args *j, const char **team_path)
{
    volunteer_team t;
    volunteer v;
    int rc;
    if (j->p) rc = teams_get(c, j->p, j->a, j->team_id, &t);
    else rc = teams_get_unscoped(c, j->a, j->team_id, &t);   /* public: checked against the volunteer's node below */
    if (rc == VOL_NOT_FOUND) return VOL_TEAM_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (strcmp(t.status, "active")) return VOL_TEAM_CLOSED;
    db_stmt *st = db_prepare(c, "SELECT status, org_path FROM volunteers WHERE id = ?");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, j->volunteer_id);
    rc = db_step(st);
    bool active = rc == DB_ROW && !strcmp(db_col_text(st, 0), "active");
    /* A public application (no principal) may go only to a team at or below the node the
     * volunteer registered at: the page offers those alone, and a posted team_id of another
     * district must not open an application there. */
    bool reachable = rc == DB_ROW && (j->p || !strncmp(t.org_path, db_col_text(st, 1), strlen(db_col_text(st, 1))));
    db_finish(st);
    if (rc != DB_ROW) return rc == DB_DONE ? VOL_VOLUNTEER_NOT_FOUND : rc;
    if (!reachable) return VOL_TEAM_NOT_FOUND;
    /* staff record memberships only of volunteers they can see */
    if (j->p && (rc = volunteers_get(c, j->p, j->a, j->volunteer_id, &v)) != DB_OK)
        return rc == VOL_NOT_FOUND ? VOL_VOLUNTEER_NOT_FOUND : rc;
    if (!active) return VOL_NOT_ACTIVE;
    *team_path = t.org_path;
    return DB_OK;
}

static int join_cb(db *c, void *cls)
{
    struct join_args *j = cls;
    const char *team_path = NULL, *status, *source;
    int rc = join_parties(c, j, &team_path);
    if (rc != DB_OK) return rc;
    join_state(j->how, &status, &source);
    if (!strcmp(status, "active") && (rc = room_for_one_more(c, j->volunteer_id)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    /* a declined or left membership starts again; an open or active one is a conflict */
    db_stmt *st = db_prepare(c, "INSERT INTO volunteer_members (team_id, volunteer_id, org_path, role, status, source, "
                                "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                "ON CONFLICT (team_id, volunteer_id) DO UPDATE SET role = excluded.role, "
                                "status = excluded.status, source = excluded.source, created_by = excluded.created_by, "
                                "created_at = excluded.created_at, updated_at = excluded.updated_at, decided_by = NULL, "
                                "decided_at = NULL WHERE volunteer_members.status IN ('declined', 'left') RETURNING id");
    if (!st) return DB_ERR;
    db_bind_int(st, 1, j->team_id);
    db_bind_int(st, 2, j->volunteer_id);
    db_bind_text(st, 3, team_path);
    db_bind_text(st, 4, j->role ? j->role : "member");
    db_bind_text(st, 5, status);
    db_bind_text(st, 6, source);
    if (j->p && j->p->user_id) db_bind_int(st, 7, j->p->user_id);
    else db_bind_text(st, 7, NULL);
    db_bind_text(st, 8, now);
    db_bind_text(st, 9, now);
    rc = db_step(st);
    j->id = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_finish(st);
    if (rc == DB_DONE) return VOL_ALREADY_MEMBER;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    membership after;
    if ((rc = member_get_unscoped(c, j->a, j->id, &after)) != DB_OK) return rc;
    return audit_member(c, j->p, "create", NULL, &after);
}

int members_join(db *c, const principal *p, arena *a, int64_t team_id, int64_t volunteer_id, const char *how,
                 const char *role, int64_t *id)
{
    struct join_args j = {p, a, team_id, volunteer_id, how, role, 0};
    int rc = db_transaction(c, join_cb, &j);
    if (rc == DB_OK) *id = j.id;
    return rc;
}

/* The public registration's application: nobody is signed in, so no scope applies; join_parties
 * admits only a team at or below the node the volunteer registered at. */
int vol_members_apply_unscoped(db *c, arena *a, int64_t team_id, int64_t volunteer_id, int64_t *id)
{
    return members_join(c, NULL, a, team_id, volunteer_id, "apply", "member", id);
}

struct change_args {
    const principal *p;
    arena *a;
    int64_t id;
    const char *action, *role;
};

/* What an action needs (from) and gives (to). */
static bool transition(const char *action, const char **from, const char **to)
{
    static const char *const t[][3] = {{"approve", "pending", "active"}, {"decline", "pending", "declined"},
                                       {"accept", "invited", "active"},  {"reject", "invited", "declined"},
                                       {"remove", "*", "left"},          {"role", "active", "active"}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (!strcmp(action, t[i][0])) { *from = t[i][1]; *to = t[i][2]; return true; }
    return false;
}

static int change_cb(db *c, void *cls)
{
    struct change_args *w = cls;
    membership before, after;
    const char *from, *to;
    if (!transition(w->action, &from, &to)) return VOL_BAD_STATE;
    int rc = member_get(c, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    bool open = !strcmp(before.status, "pending") || !strcmp(before.status, "invited") || !strcmp(before.status, "active");
    if (strcmp(from, "*") ? strcmp(before.status, from) != 0 : !open) return VOL_BAD_STATE;
    bool activates = !strcmp(to, "active") && strcmp(before.status, "active");
    if (activates && strcmp(before.team_status, "active")) return VOL_TEAM_CLOSED;
    if (activates && strcmp(before.volunteer_status, "active")) return VOL_NOT_ACTIVE;
    if (activates && (rc = room_for_one_more(c, before.volunteer_id)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    bool decided = strcmp(w->action, "role") && strcmp(w->action, "remove");
    db_stmt *st = db_prepare(c, decided ? "UPDATE volunteer_members SET status = ?, role = ?, updated_at = ?, "
                                          "decided_by = ?, decided_at = ? WHERE id = ?"
                                        : "UPDATE volunteer_members SET status = ?, role = ?, updated_at = ? WHERE id = ?");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, to);
    db_bind_text(st, 2, w->role ? w->role : before.role);
    db_bind_text(st, 3, now);
    if (decided) {
        if (w->p->user_id) db_bind_int(st, 4, w->p->user_id);
        else db_bind_text(st, 4, NULL);
        db_bind_text(st, 5, now);
        db_bind_int(st, 6, w->id);
    } else {
        db_bind_int(st, 4, w->id);
    }
    rc = db_exec_stmt(st);
    db_finish(st);
    if (rc != DB_OK) return rc;
    if ((rc = member_get_unscoped(c, w->a, w->id, &after)) != DB_OK) return rc;
    return audit_member(c, w->p, !strcmp(w->action, "remove") ? "delete" : "update", &before, &after);
}

int members_decide(db *c, const principal *p, arena *a, int64_t membership_id, const char *action)
{
    struct change_args w = {p, a, membership_id, action, NULL};
    return db_transaction(c, change_cb, &w);
}

int members_set_role(db *c, const principal *p, arena *a, int64_t membership_id, const char *role)
{
    struct change_args w = {p, a, membership_id, "role", role};
    return db_transaction(c, change_cb, &w);
}

int members_remove(db *c, const principal *p, arena *a, int64_t membership_id)
{
    struct change_args w = {p, a, membership_id, "remove", NULL};
    return db_transaction(c, change_cb, &w);
}
