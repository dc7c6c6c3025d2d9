/* todo_api.c - GET /api/v1/todo (the to-do home, 待办) and GET /api/v1/todo/counts (the menu's
 * badges), docs/api.md "To-do and notifications". Each registered source the caller's rank admits
 * is asked once, in one read snapshot; the home lists the sources with something waiting, soonest
 * due first, and the badges are counts only (no item is read). */
#include "todo/todo.h"
#include "todo/todo_internal.h"
#include "auth/principal.h"
#include "core/timeutil.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

#define TODO_LIMIT_DEFAULT 5
#define TODO_LIMIT_MAX 20

/* One source's answer and its place in the order. */
struct group {
    const todo_source *s;
    todo_bucket b;
};

/* Soonest first: a group's first item is its soonest (each source orders so); none last. */
static int group_cmp(const void *x, const void *y)
{
    const struct group *a = x, *b = y;
    const char *da = a->b.n ? a->b.items[0].due : NULL, *dbb = b->b.n ? b->b.items[0].due : NULL;
    if (!da || !dbb) return (da == NULL) - (dbb == NULL);
    return strcmp(da, dbb);
}

int todo_gather(db *c, const principal *p, arena *a, int limit, struct todo_group_list *out)
{
    int n = todo_source_count();
    out->groups = arena_alloc(a, sizeof(struct group) * (size_t)(n ? n : 1));
    out->n = 0;
    if (!out->groups) return DB_ERR;
    struct group *g = out->groups;
    int rc = db_read_begin(c);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        const todo_source *s = todo_source_at(i);
        if (p->rank < s->min_rank) continue;
        rc = s->collect(c, p, a, limit, &g[out->n].b);
        if (rc == DB_OK && g[out->n].b.count > 0) g[out->n++].s = s;
    }
    db_read_end(c);
    if (rc == DB_OK) qsort(g, (size_t)out->n, sizeof *g, group_cmp);
    return rc;
}

static void item_write(jw *w, const todo_item *it, const char *now)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, it->id);
    jw_key(w, "title"), jw_str(w, it->title);
    jw_key(w, "due"), jw_str(w, it->due);
    jw_key(w, "link"), jw_str(w, it->link);
    jw_key(w, "org_name"), jw_str(w, it->org_name);
    jw_key(w, "overdue"), jw_bool(w, todo_overdue(it->due, now));
    jw_obj_end(w);
}

static void handle_todo(request *r)
{
    int64_t limit = TODO_LIMIT_DEFAULT;
    const char *v = req_query(r, "limit");
    if (v) {
        char *end = NULL;
        limit = strtoll(v, &end, 10);
        if (!*v || *end || limit < 1 || limit > TODO_LIMIT_MAX) {
            reply_error(r, 422, "invalid_field", "limit", "limit 应在 1 至 20 之间 / limit must be 1 to 20");
            return;
        }
    }
    db *c = db_thread();
    struct todo_group_list l;
    if (!c || todo_gather(c, r->principal, &r->arena, (int)limit, &l) != DB_OK) {
        reply_db_error(r);
        return;
    }
    char now[40];
    time_now_rfc3339(now);
    struct group *g = l.groups;
    int64_t total = 0;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "groups"), jw_arr(&w);
    for (int i = 0; i < l.n; i++) {
        total += g[i].b.count;
        jw_obj(&w);
        jw_key(&w, "kind"), jw_str(&w, g[i].s->kind);
        jw_key(&w, "menu"), jw_str(&w, g[i].s->menu);
        jw_key(&w, "count"), jw_int(&w, g[i].b.count);
        jw_key(&w, "items"), jw_arr(&w);
        for (int k = 0; k < g[i].b.n; k++) item_write(&w, &g[i].b.items[k], now);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "total"), jw_int(&w, total);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* The badges: per menu path the sum of its sources' counts. */
static void handle_counts(request *r)
{
    db *c = db_thread();
    struct todo_group_list l;
    if (!c || todo_gather(c, r->principal, &r->arena, 0, &l) != DB_OK) {
        reply_db_error(r);
        return;
    }
    struct group *g = l.groups;
    int64_t total = 0;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "counts"), jw_obj(&w);
    for (int i = 0; i < l.n; i++) {
        bool seen = false;
        for (int k = 0; k < i && !seen; k++) seen = !strcmp(g[k].s->menu, g[i].s->menu);
        if (seen) continue;
        int64_t n = 0;
        for (int k = i; k < l.n; k++)
            if (!strcmp(g[k].s->menu, g[i].s->menu)) n += g[k].b.count;
        jw_key_escaped(&w, g[i].s->menu), jw_int(&w, n);
        total += n;
    }
    jw_obj_end(&w);
    jw_key(&w, "total"), jw_int(&w, total);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route todo_routes[] = {
    {"GET", "/api/v1/todo", handle_todo, RANK_REVIEWER, 0,
     .summary = "What waits for me (待办): per source its count and first items (limit, default 5), soonest due first"},
    {"GET", "/api/v1/todo/counts", handle_counts, RANK_REVIEWER, 0,
     .summary = "The menu's badges: what waits for me counted per menu path, and the total"},
    {0},
};

void todo_register_routes(void)
{
    router_add_table(todo_routes);
    notifications_register_routes();
}
