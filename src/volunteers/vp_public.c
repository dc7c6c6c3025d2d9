/* vp_public.c - the volunteer's phone, without an account (docs/api.md "Volunteer projects"): "find
 * me" (vp_find.c) gives a volunteer key (a check-in person key of kind "volunteer", stored
 * hashed); with the key in the X-Volunteer-Key header the phone lists the projects it may join,
 * signs up, cancels, sees its sign-ups, reminders and service record. No number travels in a
 * URL or comes back unmasked. */
#include "volunteers/projects.h"
#include "checkin/checkin.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

db *vp_key_volunteer(request *r, int64_t *id)
{
    const char *key = req_header(r, "X-Volunteer-Key");
    db *c = db_thread();
    int rc = !c ? DB_ERR : key && strlen(key) >= 20 && strlen(key) <= 64
                 ? checkin_person_of_key(c, &r->arena, "volunteer", key, id) : CHK_BAD_KEY;
    if (rc == DB_OK) return c;
    if (rc == CHK_BAD_KEY)
        reply_error(r, 401, "volunteer_key", "X-Volunteer-Key", "请先找回志愿者身份 / find yourself first (no valid "
                    "volunteer key)");
    else reply_db_error(r);
    return NULL;
}

/* The phone acts by its volunteer key, not as a user: the audit names it "volunteer_phone". */
static actor phone_actor(const request *r)
{
    return actor_key(ACTOR_VOLUNTEER_KEY, "volunteer_phone", r->request_id, r->ip);
}

/* A list of the key's volunteer, without a scope: the key is the proof. */
static void key_list(request *r, int (*list)(db *c, arena *a, int64_t volunteer_id, jw *w))
{
    int64_t vid;
    jw w;
    db *c = vp_key_volunteer(r, &vid);
    if (!c) return;
    vp_items_open(&w, 0);
    vp_items_reply(r, &w, list(c, &r->arena, vid, &w));
}

static void handle_projects(request *r) { key_list(r, vp_joinable_unscoped); }
static void handle_my_signups(request *r) { key_list(r, su_of_volunteer_unscoped); }

static void handle_reminders(request *r)
{
    int64_t vid;
    int hours;
    jw w;
    db *c;
    if (!vp_query_hours(r, &hours) || !(c = vp_key_volunteer(r, &vid))) return;
    vp_items_open(&w, hours);
    vp_items_reply(r, &w, su_reminders_unscoped(c, &r->arena, vid, hours, &w));
}

static void handle_signup(request *r)
{
    static const char *const fields[] = {"project_id", "position_id", NULL};
    int64_t vid, project = 0, position = 0, id = 0;
    db *c = vp_key_volunteer(r, &vid);
    if (!c || !body_allow_fields(r, fields, NULL) || !body_int(r, "project_id", true, &project, NULL) ||
        !body_int(r, "position_id", true, &position, NULL))
        return;
    int rc = su_create_unscoped(c, phone_actor(r), &r->arena, project, position, vid, &id);
    if (rc != DB_OK) { vp_reply_error(r, rc); return; }
    reply_json(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
}

static void handle_cancel(request *r)
{
    int64_t vid, id;
    db *c;
    if (!param_id(r, 0, &id) || !(c = vp_key_volunteer(r, &vid))) return;
    int rc = su_cancel_unscoped(c, phone_actor(r), &r->arena, id, vid);
    if (rc != DB_OK) { vp_reply_error(r, rc); return; }
    reply_json(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "cancelled"));
}

static void handle_service(request *r)
{
    int64_t vid;
    db *c = vp_key_volunteer(r, &vid);
    if (!c) return;
    jw w;
    jw_init(&w);
    vp_reply_jw(r, &w, vh_record_unscoped(c, &r->arena, vid, &w));
}

static const struct route public_routes[] = {
    {"GET", "/api/v1/public/volunteer/projects", handle_projects, ROUTE_PUBLIC, 0, .summary = "Projects the key's volunteer may join", .entity = &vproject_entity},
    {"GET", "/api/v1/public/volunteer/signups", handle_my_signups, ROUTE_PUBLIC, 0, .summary = "The key's sign-ups", .entity = &vsignup_entity},
    {"POST", "/api/v1/public/volunteer/signups", handle_signup, ROUTE_PUBLIC, 0, .summary = "Sign up (pending)"},
    {"POST", "/api/v1/public/volunteer/signups/:id/cancel", handle_cancel, ROUTE_PUBLIC, 0, .summary = "Cancel one's sign-up"},
    {"GET", "/api/v1/public/volunteer/reminders", handle_reminders, ROUTE_PUBLIC, 0, .summary = "The key's upcoming accepted sign-ups", .entity = &vsignup_entity},
    {"GET", "/api/v1/public/volunteer/service", handle_service, ROUTE_PUBLIC, 0, .summary = "The key's service record"},
    {0},
};

void vp_public_register_routes(void) { router_add_table(public_routes); }
