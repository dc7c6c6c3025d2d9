/* accounts.h - users, roles, memberships, and the rules for granting them (docs/api.md "users").
 *
 * A user is visible to a caller when its home org lies in the caller's scope (scope 'self':
 * only the caller). Nobody grants more than it holds: a role above its own, a wider data scope,
 * or an org outside its scope. Every change is audited with personal data masked.
 * Strings of a returned user live in the given arena. */
#ifndef KEPU_ACCOUNTS_H
#define KEPU_ACCOUNTS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "db/db.h"
#include <jansson.h>

enum {
    ACC_NOT_FOUND = -200,
    ACC_ORG_NOT_FOUND = -201,       /* home org or a membership outside scope or missing */
    ACC_DUPLICATE_USERNAME = -202,
    ACC_GRANT_TOO_HIGH = -203,      /* role or scope above the caller's */
    ACC_SELF_CHANGE = -204,         /* disabling or demoting oneself */
    ACC_MEMBER_ORG_NOT_FOUND = -205,/* an org of member_org_ids outside scope or missing */
    ACC_WEAK_PASSWORD = -206,       /* password_weakness() refused it (handlers check first) */
};

#define ACC_MAX_MEMBERSHIPS 8

typedef struct user {
    int64_t id, org_id;
    const char *username, *name, *org_name, *org_path, *role, *data_scope, *phone, *email;
    const char *last_login_at, *created_at, *updated_at;
    const char *member_org_ids;     /* a JSON array's text, e.g. "[3,7]" */
    const char *password;           /* only a create's body: never read nor shown */
    bool active;
} user;

/* What a create or update sets; NULL / has_* false: unchanged (update) or default (create). */
typedef struct user_input {
    const char *username, *name, *role, *data_scope, *password, *phone, *email;
    int64_t org_id;
    bool active, has_active, has_members, clear_phone, clear_email;
    int nmembers;
    int64_t members[ACC_MAX_MEMBERSHIPS];
} user_input;

/* The declared record (model/entity.h): fields, scope rule ('self' sees itself), error table. */
extern struct entity user_entity;
/* reveal: the phone in clear (the user's own profile); otherwise masked. */
json_t *user_json(const user *u, bool reveal);
/* Reads by id are entity_get(&user_entity) (memberships loaded); entity_get_unscoped() only for
 * this module's writers re-reading what they wrote, the session (the signed-in user reads its own
 * account) and tools. */
int accounts_create(db *c, const principal *p, arena *a, const user_input *in, user *out);
int accounts_update(db *c, const principal *p, arena *a, int64_t id, const user_input *in, user *out);
int accounts_set_password(db *c, const principal *p, arena *a, int64_t id, const char *password);
/* For tools (bootstrap, demo): creates a user without a caller or grant checks. */
int accounts_create_system(db *c, arena *a, const user_input *in, user *out);

void accounts_register_routes(void);

#endif
