/* members.c - who belongs to which volunteer team (see volunteers.h): applications a team admin
 * approves or declines, invitations the volunteer accepts or rejects, roles (队长, 副队长, 队员)
 * and leaving. A volunteer is an active member of at most VOL_MAX_TEAMS teams that are not
 * dissolved: checked whenever a membership becomes active, with the volunteer's row locked so
 * that two approvals at once cannot both pass. Memberships carry the team's org path: a team
 * admin's scope is the team's. */
#include "volunteers/volunteers_internal.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "model/entity.h"
#include <stddef.h>
#include <string.h>

const char *const member_roles[] = {"leader", "deputy", "member", NULL};
const char *const member_statuses[] = {"pending", "invited", "active", "declined", "left", NULL};

typedef struct membership {
    int64_t id, team_id, volunteer_id;
    const char *team_name, *team_status, *category, *name, *volunteer_no, *phone, *gender, *org_path, *role, *status,
        *source, *created_at, *decided_at, *updated_at, *volunteer_status;
} membership;

#define M(member) offsetof(membership, member)
static const field member_fields[] = {
    {"id", "m.id", FT_ID, M(id), .flags = 0},
    {"team_id", "m.team_id", FT_ID, M(team_id), .flags = 0},
    {"team_name", "t.name", FT_TEXT, M(team_name), .flags = 0},
    {"team_status", "t.status", FT_ENUM, M(team_status), .flags = 0, .choices = team_statuses},
    {"category", "t.category", FT_TEXT, M(category), .flags = 0},
    {"volunteer_id", "m.volunteer_id", FT_ID, M(volunteer_id), .flags = 0},
    {"volunteer_name", "v.name", FT_TEXT, M(name), .flags = 0},
    {"volunteer_no", "v.volunteer_no", FT_TEXT, M(volunteer_no), .flags = 0},
    {"phone", "v.phone_enc", FT_TEXT, M(phone), .flags = FF_ENCRYPTED | FF_MASK_PHONE},
    {"gender", "v.gender", FT_TEXT, M(gender), .flags = 0},
    {"org_path", "m.org_path", FT_TEXT, M(org_path), .flags = FF_HIDDEN},
    {"role", "m.role", FT_ENUM, M(role), .flags = 0, .choices = member_roles},
    {"status", "m.status", FT_ENUM, M(status), .flags = 0, .choices = member_statuses},
    {"source", "m.source", FT_TEXT, M(source), .flags = 0, .doc = "applied, invited or staff"},
    {"created_at", "m.created_at", FT_TIME, M(created_at), .flags = 0},
    {"decided_at", "m.decided_at", FT_TIME, M(decided_at), .flags = 0},
    {"updated_at", "m.updated_at", FT_TIME, M(updated_at), .flags = 0},
    {"volunteer_status", "v.status", FT_TEXT, M(volunteer_status), .flags = FF_HIDDEN},
    {0},
};
#undef M

int members_of_team(db *c, const principal *p, arena *a, int64_t team_id, const char *state, jw *w)
{
    volunteer_team t;
    int rc = entity_get(c, &volunteer_team_entity, &p->scope, a, team_id, &t);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, " WHERE m.team_id = ?");
    qb_int(&q, team_id);
    if (state && *state) qb_sql(&q, " AND m.status = ?"), qb_text(&q, state);
    else qb_sql(&q, " AND m.status IN ('pending', 'invited', 'active')");
    qb_sql(&q, " ORDER BY CASE m.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, m.id");
    return entity_list_all(c, &membership_entity, &q, "", NULL, w, NULL, NULL);
}

int members_of_volunteer(db *c, const principal *p, int64_t volunteer_id, jw *w)
{
    qb q;
    qb_init(&q, " WHERE m.volunteer_id = ?");
    qb_int(&q, volunteer_id);
    entity_scope_filter(&membership_entity, &p->scope, &q);   /* teams of other branches stay hidden */
    qb_sql(&q, " ORDER BY m.id DESC");
    return entity_list_all(c, &membership_entity, &q, "", NULL, w, NULL, NULL);
}

int volunteers_is_active_member(db *c, int64_t team_id, int64_t volunteer_id, bool *yes)
{
    qb q;
    int64_t one;
    qb_init(&q, "SELECT 1 FROM volunteer_members m JOIN volunteer_teams t ON t.id = m.team_id WHERE m.team_id = ? "
                "AND m.volunteer_id = ? AND m.status = 'active' AND t.status = 'active'");
    qb_int(&q, team_id), qb_int(&q, volunteer_id);
    int rc = qb_exec(c, &q, &one);
    *yes = rc == DB_OK;
    return rc == DB_DONE ? DB_OK : rc;
}

/* Inside the transaction that makes a membership active: the volunteer's row is locked first
 * (PostgreSQL holds it to the commit; SQLite has one writer), then the active teams (not
 * dissolved) counted. */
static int room_for_one_more(db *c, int64_t volunteer_id)
{
    qb q;
    int64_t n = 0;
    qb_init(&q, "UPDATE volunteers SET updated_at = updated_at WHERE id = ?");
    qb_int(&q, volunteer_id);
    int rc = qb_exec(c, &q, NULL);
    if (rc != DB_OK) return rc;
    qb_init(&q, "SELECT COUNT(*) FROM volunteer_members m JOIN volunteer_teams t ON t.id = m.team_id "
                "WHERE m.volunteer_id = ? AND m.status = 'active' AND t.status <> 'dissolved'");
    qb_int(&q, volunteer_id);
    if ((rc = qb_exec(c, &q, &n)) != DB_OK) return rc;
    return n >= VOL_MAX_TEAMS ? VOL_TEAM_LIMIT : DB_OK;
}

struct join_args {
    const principal *p;     /* who acts: NULL on the public page (nobody signed in), the system */
    arena *a;
    int64_t team_id, volunteer_id;
    const char *how, *role;
    int64_t *id;            /* the membership, set when it is written */
    bool unscoped;          /* vol_members_apply_unscoped: the public page's application */
};

/* status and source of a new membership by how it starts */
static void join_state(const char *how, const char **status, const char **source)
{
    if (!strcmp(how, "invite")) *status = "invited", *source = "invited";
    else if (!strcmp(how, "add")) *status = "active", *source = "staff";
    else *status = "pending", *source = "applied";
}

/* The team (active) and volunteer (active) a new membership joins, in the caller's scope; for the
 * public page's application (unscoped), the team without a scope but at or below the node the
 * volunteer registered at, and the volunteer this transaction just registered. */
static int join_parties(db *c, struct join_args *j, const char **team_path)
{
    volunteer_team t;
    volunteer v;
    int rc = j->unscoped ? entity_get_unscoped(c, &volunteer_team_entity, j->a, j->team_id, &t)
                         : entity_get(c, &volunteer_team_entity, &j->p->scope, j->a, j->team_id, &t);
    if (rc == VOL_NOT_FOUND) return VOL_TEAM_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (strcmp(t.status, "active")) return VOL_TEAM_CLOSED;
    rc = j->unscoped ? entity_get_unscoped(c, &volunteer_entity, j->a, j->volunteer_id, &v)
                     : entity_get(c, &volunteer_entity, &j->p->scope, j->a, j->volunteer_id, &v);
    if (rc != DB_OK) return rc == VOL_NOT_FOUND ? VOL_VOLUNTEER_NOT_FOUND : rc;
    /* the page offers those teams alone: a posted team_id of another district opens nothing there */
    if (j->unscoped && strncmp(t.org_path, v.org_path, strlen(v.org_path))) return VOL_TEAM_NOT_FOUND;
    if (strcmp(v.status, "active")) return VOL_NOT_ACTIVE;
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
    qb q;
    qb_init(&q, "INSERT INTO volunteer_members (team_id, volunteer_id, org_path, role, status, source, created_by, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, volunteer_id) "
                "DO UPDATE SET role = excluded.role, status = excluded.status, source = excluded.source, "
                "created_by = excluded.created_by, created_at = excluded.created_at, "
                "updated_at = excluded.updated_at, decided_by = NULL, decided_at = NULL "
                "WHERE volunteer_members.status IN ('declined', 'left') RETURNING id");
    qb_int(&q, j->team_id), qb_int(&q, j->volunteer_id), qb_text(&q, team_path);
    qb_text(&q, j->role ? j->role : "member"), qb_text(&q, status), qb_text(&q, source);
    qb_int_or_null(&q, j->p ? j->p->user_id : 0), qb_text(&q, now), qb_text(&q, now);
    if ((rc = qb_exec(c, &q, j->id)) == DB_DONE) return VOL_ALREADY_MEMBER;
    if (rc != DB_OK) return rc;
    membership after;
    if ((rc = entity_get_unscoped(c, &membership_entity, j->a, *j->id, &after)) != DB_OK) return rc;   /* just written */
    return vol_audit(c, j->p, &membership_entity, after.org_path, after.id, "create", NULL, &after);
}

int members_join(db *c, const principal *p, arena *a, int64_t team_id, int64_t volunteer_id, const char *how,
                 const char *role, int64_t *id)
{
    struct join_args j = {p, a, team_id, volunteer_id, how, role, id, false};
    return db_transaction(c, join_cb, &j);
}

/* The public registration's application: nobody is signed in, so no scope applies; join_parties
 * admits only a team at or below the node the volunteer registered at. */
int vol_members_apply_unscoped(db *c, arena *a, int64_t team_id, int64_t volunteer_id, int64_t *id)
{
    struct join_args j = {NULL, a, team_id, volunteer_id, "apply", "member", id, true};
    return db_transaction(c, join_cb, &j);
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
    int rc = entity_get(c, &membership_entity, &w->p->scope, w->a, w->id, &before);
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
    int64_t by = w->p->user_id;
    entity_value more[] = {{"status", .text = to}, {"role", .text = w->role ? w->role : before.role},
                           {"updated_at", .text = now}, {decided ? "decided_by" : NULL, .i = by, .is_int = by != 0},
                           {"decided_at", .text = now}, {0}};
    rc = entity_store(c, &membership_entity, "volunteer_members", w->id, NULL, more, w->a, NULL);
    if (rc != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &membership_entity, w->a, w->id, &after)) != DB_OK) return rc;   /* just written */
    return vol_audit(c, w->p, &membership_entity, after.org_path, after.id,
                     !strcmp(w->action, "remove") ? "delete" : "update", &before, &after);
}

int members_decide(db *c, const principal *p, arena *a, int64_t membership_id, const char *action, const char *role)
{
    struct change_args w = {p, a, membership_id, action, role};
    return db_transaction(c, change_cb, &w);
}

/* status left (the volunteer leaves or is removed): membership_entity's delete. */
static int members_remove(db *c, const principal *p, arena *a, int64_t membership_id)
{
    struct change_args w = {p, a, membership_id, "remove", NULL};
    return db_transaction(c, change_cb, &w);
}

entity membership_entity = {
    .name = "volunteer_member",
    .doc = "A volunteer's membership of a team: application, invitation, role, state",
    .from = " FROM volunteer_members m JOIN volunteer_teams t ON t.id = m.team_id JOIN volunteers v ON v.id = m.volunteer_id",
    .id_column = "m.id",
    .path_column = "m.org_path",      /* the team's path */
    .owner_column = "t.created_by",   /* scope self: its own teams' */
    .size = sizeof(membership),
    .fields = member_fields,
    .not_found = VOL_MEMBER_NOT_FOUND,
    .errors = vol_errors,
    .remove = members_remove,
};
