/* volunteers_public.c - self-registration without an account: the mobile page reads the org it
 * registers at (name and active teams) and posts the volunteer, optionally applying to one of
 * those teams (a pending application a team admin decides). Attempts are limited (auth/limiter.h),
 * successful or not, per client address (KEPU_VOLUNTEER_REGISTER_LIMIT per 10 minutes, default
 * 20) and per ID number (KEPU_VOLUNTEER_REGISTER_ID_LIMIT, default 3, from any address), so the
 * duplicate answer cannot be used to test many ID numbers, nor one number over and over. The
 * answer repeats no number. */
#include "volunteers/volunteers_internal.h"
#include "auth/limiter.h"
#include "checkin/checkin.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"

static const limit_rule reg_ip = {"vreg.ip", 20, 600, "KEPU_VOLUNTEER_REGISTER_LIMIT"};
static const limit_rule reg_id = {"vreg.id", 3, 600, "KEPU_VOLUNTEER_REGISTER_ID_LIMIT"};

#define TOO_OFTEN "提交过于频繁，请 10 分钟后再试 / too many attempts, retry in 10 minutes"

/* {"org_id", "org_name", "teams": [{"id", "name", "category"}]} */
static void handle_form(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    org o;
    /* nobody is signed in: the page is the org's own, open to anyone who has its link */
    int rc = c ? orgs_get_unscoped(c, &r->arena, id, &o) : DB_ERR;
    if (rc != DB_OK) { rc == ORGS_NOT_FOUND ? reply_not_found(r) : reply_db_error(r); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "org_id"), jw_int(&w, id);
    jw_key(&w, "org_name"), jw_str(&w, o.name);
    jw_key(&w, "teams");
    if (teams_public_unscoped(c, &r->arena, o.path, &w) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
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
    int rc = volunteers_create_unscoped(c, w->a, w->in, &w->out);
    if (rc == DB_OK && w->team_id) rc = vol_members_apply_unscoped(c, w->a, w->team_id, w->out.id, &w->membership);
    if (rc == DB_OK) rc = checkin_issue_key(c, w->a, "volunteer", w->out.id, &w->key);
    return rc;
}

static void handle_register(request *r)
{
    if (!limit_take_or_reply(r, &reg_ip, r->ip, TOO_OFTEN)) return;
    if (body_has(r, "status")) {
        reply_error(r, 422, "unknown_field", "status", "字段 status 不可填写 / status cannot be set here");
        return;
    }
    volunteer in = {0};
    int64_t team_id = 0;
    if (!body_int(r, "team_id", false, &team_id, NULL)) return;
    if (json_is_object(r->json)) json_object_del(r->json, "team_id");   /* read: not a volunteer's field */
    if (!entity_read_body(r, &volunteer_entity, &in, true) || !vol_input(r, &in, true)) return;
    /* Outside the transaction (limiter.h): a refused registration still counts. */
    if (!limit_take_or_reply(r, &reg_id, in.id_number, TOO_OFTEN)) return;
    in.status = "active";
    db *c = db_thread();
    struct register_args w = {&r->arena, &in, team_id, {0}, 0, NULL};
    int rc = c ? db_transaction(c, register_cb, &w) : DB_ERR;
    if (rc == VOL_TEAM_CLOSED) rc = VOL_TEAM_NOT_FOUND;   /* the page offers active teams only */
    if (rc != DB_OK) { reply_error_row(r, vol_errors, rc); return; }
    reply_json(r, 201, json_pack("{s:s, s:s, s:s, s:s?, s:s}", "volunteer_no", w.out.volunteer_no, "name", w.out.name,
                                 "org_name", w.out.org_name, "application", team_id ? "pending" : NULL,
                                 "volunteer_key", w.key));
}

static const struct route public_routes[] = {
    {"GET", "/api/v1/public/volunteer-register/:org", handle_form, ROUTE_PUBLIC, 0, .summary = "What the public registration page shows: the org and its active teams"},
    {"POST", "/api/v1/public/volunteers", handle_register, ROUTE_PUBLIC, 0, .summary = "Self-registration (志愿者注册), optionally applying to a team", .entity = &volunteer_entity},
    {0},
};

void volunteers_public_register_routes(void) { router_add_table(public_routes); }
