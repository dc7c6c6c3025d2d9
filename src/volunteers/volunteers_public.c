/* volunteers_public.c - self-registration without an account: the mobile page reads the org it
 * registers at (name and active teams) and posts the volunteer, optionally applying to one of
 * those teams (a pending application a team admin decides). Attempts are limited per client
 * address (KEPU_VOLUNTEER_REGISTER_LIMIT per 10 minutes, default 20), successful or not, so the
 * duplicate answer cannot be used to test many ID numbers. The answer repeats no number. */
#include "volunteers/volunteers_internal.h"
#include "checkin/checkin.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW_SECONDS 600
#define SLOTS 1024

static struct slot { char ip[64]; time_t start; int attempts; } slots[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static int attempt_limit(void)
{
    const char *v = getenv("KEPU_VOLUNTEER_REGISTER_LIMIT");
    int n = v ? atoi(v) : 0;
    return n > 0 ? n : 20;
}

/* Counts one attempt from ip; false when the address is over its limit for the window. */
static bool attempt_allowed(const char *ip)
{
    unsigned h = 5381;
    for (const char *p = ip; *p; p++) h = h * 33 + (unsigned char)*p;
    time_t now = time(NULL);
    pthread_mutex_lock(&slots_lock);
    struct slot *s = &slots[h % SLOTS];
    if (strcmp(s->ip, ip) != 0 || now - s->start >= WINDOW_SECONDS) {
        snprintf(s->ip, sizeof s->ip, "%s", ip);
        s->start = now;
        s->attempts = 0;
    }
    bool ok = ++s->attempts <= attempt_limit();
    pthread_mutex_unlock(&slots_lock);
    return ok;
}

/* {"org_id", "org_name", "teams": [{"id", "name", "category"}]} */
static void handle_form(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    db_stmt *st = c ? db_prepare(c, "SELECT name FROM orgs WHERE id = ?") : NULL;
    if (!st) { reply_db_error(r); return; }
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    const char *name = rc == DB_ROW ? arena_strdup(&r->arena, db_col_text(st, 0)) : NULL;
    db_finish(st);
    if (rc != DB_ROW) { rc == DB_DONE ? reply_not_found(r) : reply_db_error(r); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "org_id"), jw_int(&w, id);
    jw_key(&w, "org_name"), jw_str(&w, name);
    jw_key(&w, "teams");
    if (teams_public_of_org(c, id, &w) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

struct register_args {
    arena *a;
    const volunteer *in;
    int64_t team_id;
    volunteer out;
    int64_t membership;
    const char *key;     /* the phone's volunteer key (projects.h) */
};

/* The volunteer and the application together: a refused application registers nobody. */
static int register_cb(db *c, void *cls)
{
    struct register_args *w = cls;
    principal nobody = {.rank = 0, .scope = {.level = SCOPE_ORG}};
    int rc = volunteers_create(c, &nobody, w->a, w->in, "self", &w->out);
    if (rc == DB_OK && w->team_id) rc = vol_members_apply_public(c, w->a, w->team_id, w->out.id, &w->membership);
    if (rc == DB_OK) rc = checkin_issue_key(c, w->a, "volunteer", w->out.id, &w->key);
    return rc;
}

static void handle_register(request *r)
{
    static const char *const extra[] = {"team_id", NULL};
    if (!attempt_allowed(r->ip)) {
        reply_error(r, 429, "too_many_attempts", NULL, "提交过于频繁，请 10 分钟后再试 / too many attempts, retry in 10 minutes");
        return;
    }
    if (body_has(r, "status")) {
        reply_error(r, 422, "unknown_field", "status", "字段 status 不可填写 / status cannot be set here");
        return;
    }
    volunteer in = {0};
    int64_t team_id = 0;
    if (!vol_read_input(r, &in, true, extra) || !body_int(r, "team_id", false, &team_id, NULL)) return;
    in.status = "active";
    db *c = db_thread();
    struct register_args w = {&r->arena, &in, team_id, {0}, 0, NULL};
    int rc = c ? db_transaction(c, register_cb, &w) : DB_ERR;
    if (rc == VOL_TEAM_CLOSED) rc = VOL_TEAM_NOT_FOUND;   /* the page offers active teams only */
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_json(r, 201, json_pack("{s:s, s:s, s:s, s:s?, s:s}", "volunteer_no", w.out.volunteer_no, "name", w.out.name,
                                 "org_name", w.out.org_name, "application", team_id ? "pending" : NULL,
                                 "volunteer_key", w.key));
}

static const struct route public_routes[] = {
    {"GET", "/api/v1/public/volunteer-register/:org", handle_form, ROUTE_PUBLIC, 0},
    {"POST", "/api/v1/public/volunteers", handle_register, ROUTE_PUBLIC, 0},
    {NULL, NULL, NULL, 0, 0},
};

void volunteers_public_register_routes(void) { router_add_table(public_routes); }
