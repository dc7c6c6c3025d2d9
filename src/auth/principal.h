/* principal.h - who is calling, and what they may see: the role and the data scope.
 *
 * A principal is built from the session only (auth.c), never from request fields; every
 * module query on domain records takes its scope and filters by org path with scope_filter().
 * Ownership: a principal and its strings live in the request's arena. */
#ifndef KEPU_PRINCIPAL_H
#define KEPU_PRINCIPAL_H
#include "db/query.h"
#include <stdbool.h>
#include <stdint.h>

/* Role ranks, compared by the router against a route's min_role. */
enum {
    RANK_REVIEWER = 1,   /* reviewer (评审专家): its own review sheets and its profile only */
    RANK_MEMBER = 2,     /* teacher, volunteer */
    RANK_STAFF = 3,
    RANK_ORG_ADMIN = 4,
    RANK_ADMIN = 5,
};

/* Data scope levels, widest first. */
enum scope_level { SCOPE_SELF = 1, SCOPE_ORG = 2, SCOPE_SUBTREE = 3, SCOPE_ALL = 4 };

#define SCOPE_MAX_ROOTS 16

typedef struct scope {
    int64_t user_id;
    enum scope_level level;
    int n;                              /* org paths: home org first, then memberships */
    const char *paths[SCOPE_MAX_ROOTS];
    const char *uppers[SCOPE_MAX_ROOTS];  /* path_upper_bound() (db/query.h) of each path */
} scope;

typedef struct principal {
    int64_t user_id, org_id, session_id;
    const char *username, *role, *org_path, *csrf_token;
    int rank;
    scope scope;
    /* where the call came from, for the audit log */
    const char *request_id, *ip;
} principal;

/* Who acts, for the audit, apart from what it may see (its scope): a signed-in user, the phone's
 * volunteer or student key, or the system itself. The strings are borrowed (the request's arena
 * or static text). */
enum actor_kind { ACTOR_SYSTEM = 0, ACTOR_USER, ACTOR_VOLUNTEER_KEY, ACTOR_STUDENT_KEY };

typedef struct actor {
    enum actor_kind kind;
    int64_t id;                         /* the user's id; 0 for a key and for the system */
    const char *name;                   /* the name the audit shows */
    const char *request_id, *ip;        /* where the call came from; NULL for the system */
} actor;

/* The user behind a principal; the system for NULL. */
actor actor_of(const principal *p);
/* The server acting on its own (a scheduled hold, a migration). */
actor actor_system(void);
/* A caller known by a key on the phone (kind ACTOR_VOLUNTEER_KEY or ACTOR_STUDENT_KEY); name is
 * what the audit shows for it. */
actor actor_key(enum actor_kind kind, const char *name, const char *request_id, const char *ip);

extern const char *const role_names[];      /* NULL-terminated */
extern const char *const scope_names[];     /* NULL-terminated */
int role_rank(const char *role);             /* 0 for an unknown role */
enum scope_level scope_level_of(const char *name);  /* 0 for an unknown name */

/* Appends " AND (<path_col> within scope)" with bound values. SCOPE_ALL adds nothing. */
void scope_filter(const scope *s, qb *q, const char *path_col);
/* For records that have an owner (a user id column): scope 'self' sees only its own records,
 * the other levels filter by path as scope_filter() does. */
void scope_filter_owned(const scope *s, qb *q, const char *path_col, const char *owner_col);
/* Adds an org path (copied into the arena) unless present or the scope is full. */
void scope_add_path(struct arena *a, scope *s, const char *path);
/* Whether a node with this path is visible within the scope (same rule as scope_filter). */
bool scope_covers(const scope *s, const char *path);

#endif
