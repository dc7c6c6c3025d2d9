/* scope.c - the data-scope rule, in SQL and in memory; the only place that knows it.
 *
 * A subtree is the range [path, path_upper_bound(path)) (db/query.h, where the range is
 * explained). */
#include "auth/principal.h"
#include "core/arena.h"
#include <string.h>

const char *const role_names[] = {"admin", "org_admin", "staff", "teacher", "volunteer", "reviewer", NULL};
const char *const scope_names[] = {"all", "subtree", "org", "self", NULL};

int role_rank(const char *role)
{
    static const int ranks[] = {RANK_ADMIN, RANK_ORG_ADMIN, RANK_STAFF, RANK_MEMBER, RANK_MEMBER, RANK_REVIEWER};
    for (int i = 0; role && role_names[i]; i++)
        if (strcmp(role, role_names[i]) == 0) return ranks[i];
    return 0;
}

enum scope_level scope_level_of(const char *name)
{
    static const enum scope_level levels[] = {SCOPE_ALL, SCOPE_SUBTREE, SCOPE_ORG, SCOPE_SELF};
    for (int i = 0; name && scope_names[i]; i++)
        if (strcmp(name, scope_names[i]) == 0) return levels[i];
    return 0;
}

void scope_filter(const scope *s, qb *q, const char *path_col)
{
    if (s->level == SCOPE_ALL) return;
    if (s->n == 0) {           /* no node at all: nothing is visible */
        qb_sql(q, " AND 1 = 0");
        return;
    }
    qb_sql(q, " AND (");
    for (int i = 0; i < s->n; i++) {
        if (i) qb_sql(q, " OR ");
        qb_sql(q, path_col);
        if (s->level == SCOPE_SUBTREE) {
            qb_sql(q, " >= ? AND ");
            qb_sql(q, path_col);
            qb_sql(q, " < ?");
            qb_text(q, s->paths[i]);
            qb_text(q, s->uppers[i]);
        } else {
            qb_sql(q, " = ?");
            qb_text(q, s->paths[i]);
        }
    }
    qb_sql(q, ")");
}

void scope_add_path(struct arena *a, scope *s, const char *path)
{
    if (s->n >= SCOPE_MAX_ROOTS) return;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->paths[i], path) == 0) return;
    s->paths[s->n] = arena_strdup(a, path);
    s->uppers[s->n] = path_upper_bound(a, path);
    s->n++;
}

bool scope_covers(const scope *s, const char *path)
{
    if (s->level == SCOPE_ALL) return true;
    for (int i = 0; i < s->n; i++) {
        size_t n = strlen(s->paths[i]);
        if (s->level == SCOPE_SUBTREE ? strncmp(path, s->paths[i], n) == 0
                                      : strcmp(path, s->paths[i]) == 0)
            return true;
    }
    return false;
}

void scope_filter_owned(const scope *s, qb *q, const char *path_col, const char *owner_col)
{
    if (s->level != SCOPE_SELF) {
        scope_filter(s, q, path_col);
        return;
    }
    qb_sql(q, " AND ");
    qb_sql(q, owner_col);
    qb_sql(q, " = ?");
    qb_int(q, s->user_id);
}

actor actor_of(const principal *p)
{
    if (!p) return actor_system();
    return (actor){ACTOR_USER, p->user_id, p->username, p->request_id, p->ip};
}

actor actor_system(void) { return (actor){ACTOR_SYSTEM, 0, "system", NULL, NULL}; }

actor actor_key(enum actor_kind kind, const char *name, const char *request_id, const char *ip)
{
    return (actor){kind, 0, name, request_id, ip};
}
