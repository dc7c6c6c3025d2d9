/* volunteers.h - science-and-technology volunteers (科技志愿者) and their teams (科技志愿服务队),
 * docs/domain.md §2.2: what other modules (the volunteer projects, sign-up, hours and certificates
 * that build on this) may call.
 *
 * Personal numbers: a volunteer's ID number (required, GB 11643 with a real birth date) and
 * mainland mobile phone, and a team's contact phone, are stored with pii_encrypt and found by
 * pii_blind; the model holds them in clear only in memory, and every written form masks them
 * (the entities' fields, model/entity.h). Only volunteers_reveal() answers them whole.
 *
 * Every function taking a principal filters by its scope: volunteers by their registering org's
 * path, teams and memberships by the owner org's path; records outside do not exist (..._NOT_FOUND).
 * Strings of returned structs live in the given arena. */
#ifndef KEPU_VOLUNTEERS_H
#define KEPU_VOLUNTEERS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "docs/xlsx.h"
#include "core/jsonw.h"
#include <stdbool.h>

enum {
    VOL_NOT_FOUND = -1100,
    VOL_ORG_NOT_FOUND = -1101,      /* org outside scope or missing */
    VOL_DUPLICATE_ID = -1102,       /* the ID number is already a volunteer */
    VOL_TEAM_NOT_FOUND = -1103,
    VOL_DUPLICATE_NAME = -1104,     /* a team of that name exists */
    VOL_TEAM_LIMIT = -1105,         /* the volunteer already belongs to VOL_MAX_TEAMS active teams */
    VOL_ALREADY_MEMBER = -1106,     /* a membership (any state but declined/left) exists */
    VOL_BAD_STATE = -1107,          /* e.g. approving what is not pending */
    VOL_TEAM_CLOSED = -1108,        /* joining a suspended or dissolved team */
    VOL_NOT_ACTIVE = -1109,         /* a volunteer who left or is suspended cannot join */
    VOL_MEMBER_NOT_FOUND = -1110,
    VOL_VOLUNTEER_NOT_FOUND = -1111, /* a volunteer named in a body: missing or outside scope */
    VOL_BAD_CATEGORY = -1112,
};

#define VOL_MAX_TEAMS 5

struct entity;   /* model/entity.h */

/* ---- volunteers (volunteers.c) ---- */
typedef struct volunteer {
    int64_t id, org_id, created_by;
    const char *org_path, *org_name, *volunteer_no, *name, *gender, *birth_date;
    const char *id_number, *phone;            /* in clear, in memory only; NULL when unreadable */
    const char *skills, *fields, *availability; /* JSON array text */
    const char *status, *source, *created_at, *updated_at;
} volunteer;

/* The record, its scope (registering org, owner) and vol_errors; its hooks: staff create, update,
 * and a soft delete (status left, audited as delete; memberships stay as history). */
extern struct entity volunteer_entity;
/* Every row where selects into a workbook, numbers masked (where is released). */
int volunteers_export(db *c, qb *where, xlsx *out);
/* in->org_id, name, id_number, phone required (validated by the caller), the org in p's scope;
 * source: staff | import. Counts the keyed metric registered_volunteers. */
int volunteers_create(db *c, const principal *p, arena *a, const void *in, const char *source, void *out);
/* The public registration (nobody signed in): the volunteer registers at the org the public page
 * names, whatever its place in the tree, with source "self"; the audit names the system. */
int volunteers_create_unscoped(db *c, arena *a, const volunteer *in, volunteer *out);
/* The whole ID number and phone into out (for org_admin and above; the caller checks the role);
 * audited as action "reveal" without the numbers. */
int volunteers_reveal(db *c, const principal *p, arena *a, int64_t id, volunteer *out);
/* Whether an ID number (valid) is already a volunteer anywhere but record except (blind index). */
int volunteers_id_taken(db *c, arena *a, const char *id_number, int64_t except, bool *taken);

/* ---- teams (teams.c) ---- */
typedef struct volunteer_team {
    int64_t id, org_id, created_by, members, pending;
    const char *org_path, *org_name, *category, *category_name, *name, *contact_name, *contact_phone,
        *description, *status, *leader, *created_at, *updated_at;
} volunteer_team;

extern const char *const team_statuses[];   /* active, suspended, dissolved */

/* The record, its scope (owner org, creator) and vol_errors; delete: dissolved (a soft delete, once). */
extern struct entity volunteer_team_entity;
extern struct entity team_category_entity;    /* the nine categories (no scope) */
/* The name the platform proposes for a team of category at org: owner name + suffix, with
 * "(2)", "(3)"... appended while taken. */
int teams_propose_name(db *c, const principal *p, arena *a, int64_t org_id, const char *category, const char **name);
/* Every row where (started by entity_list_where()) selects into a workbook (where is released). */
int teams_export(db *c, qb *where, xlsx *out);
/* in: a volunteer_team (no name: the proposed one); out: the stored one (also the entity's hooks). */
int teams_create(db *c, const principal *p, arena *a, const void *in, void *out);
/* Active teams in the subtree at org_path, for the public registration page: nobody is signed
 * in, so no scope applies; only id, name and category are shown. [{"id","name","category"}]. */
int teams_public_unscoped(db *c, arena *a, const char *org_path, jw *w);

/* ---- memberships (members.c) ---- */
extern const char *const member_roles[];    /* leader, deputy, member */
extern const char *const member_statuses[]; /* pending, invited, active, declined, left */

/* The team's memberships (state NULL: all but declined/left), newest first, JSON array. */
int members_of_team(db *c, const principal *p, arena *a, int64_t team_id, const char *state, jw *w);
/* The volunteer's memberships of teams in p's scope, JSON array (the caller has read the
 * volunteer within p's scope). */
int members_of_volunteer(db *c, const principal *p, int64_t volunteer_id, jw *w);
/* Records a volunteer's application (pending), an invitation (invited), or adds an active member
 * at once (staff); the team must be in scope. *id: the membership. */
int members_join(db *c, const principal *p, arena *a, int64_t team_id, int64_t volunteer_id, const char *how,
                 const char *role, int64_t *id);
/* action: approve | decline (a pending application; team admin), accept | reject (an invitation,
 * as the volunteer answered; approve and accept enforce VOL_MAX_TEAMS), or role: an active
 * member's new role (role NULL for the others). */
int members_decide(db *c, const principal *p, arena *a, int64_t membership_id, const char *action, const char *role);
/* A membership with its team and volunteer; scope: the team's; delete: status left. */
extern struct entity membership_entity;

/* A lookup for the sign-up (no scope: the caller has checked it). */
int volunteers_is_active_member(db *c, int64_t team_id, int64_t volunteer_id, bool *yes);

/* ---- HTTP ---- */
/* The keyed metrics registered_volunteers and volunteer_teams (with their key source) and the
 * tracked path columns: for serve, stats verify/rebuild and the demo. */
void volunteers_init(void);
/* volunteers_init() and every route of the module; called from app.c. */
void volunteers_register(void);
void volunteers_register_routes(void);
void teams_register_routes(void);
void volunteers_import_register_routes(void);
void volunteers_public_register_routes(void);

#endif
