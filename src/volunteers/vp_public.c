/* vp_public.c - the volunteer's phone, without an account (API.md "Volunteer projects"): "find
 * me" by phone and the last 4 characters of the ID number gives a volunteer key (a check-in person
 * key of kind "volunteer", stored hashed); with the key in the X-Volunteer-Key header the phone
 * lists the projects it may join, signs up, cancels, sees its sign-ups, reminders and service
 * record. No number travels in a URL or comes back unmasked. "find me" is limited per address
 * (KEPU_VOLUNTEER_FIND_LIMIT per 10 minutes, default 20) so it cannot test many numbers. */
#include "volunteers/projects.h"
#include "checkin/checkin.h"
#include "core/pii.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SLOTS 512
static struct slot { char ip[64]; time_t start; int attempts; } slots[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static bool attempt_allowed(const char *ip)
{
    const char *v = getenv("KEPU_VOLUNTEER_FIND_LIMIT");
    int limit = v && atoi(v) > 0 ? atoi(v) : 20;
    unsigned h = 5381;
    for (const char *p = ip; *p; p++) h = h * 33 + (unsigned char)*p;
    time_t now = time(NULL);
    pthread_mutex_lock(&slots_lock);
    struct slot *s = &slots[h % SLOTS];
    if (strcmp(s->ip, ip) != 0 || now - s->start >= 600) {
        snprintf(s->ip, sizeof s->ip, "%s", ip);
        s->start = now;
        s->attempts = 0;
    }
    bool ok = ++s->attempts <= limit;
    pthread_mutex_unlock(&slots_lock);
    return ok;
}

/* The volunteer of the request's key; replies 401 itself when there is none. */
static bool key_volunteer(request *r, db *c, int64_t *id)
{
    const char *key = req_header(r, "X-Volunteer-Key");
    int rc = key && strlen(key) >= 20 && strlen(key) <= 64
                 ? checkin_person_of_key(c, &r->arena, "volunteer", key, id) : CHK_BAD_KEY;
    if (rc == DB_OK) return true;
    if (rc == CHK_BAD_KEY)
        reply_error(r, 401, "volunteer_key", "X-Volunteer-Key", "请先找回志愿者身份 / find yourself first (no valid "
                    "volunteer key)");
    else reply_db_error(r);
    return false;
}

static void handle_find(request *r)
{
    static const char *const fields[] = {"phone", "id_last4", NULL};
    const char *phone = NULL, *last4 = NULL;
    if (!attempt_allowed(r->ip)) {
        reply_error(r, 429, "too_many_attempts", NULL, "尝试过于频繁，请 10 分钟后再试 / too many attempts, retry in 10 minutes");
        return;
    }
    if (!body_allow_fields(r, fields, NULL) || !body_string(r, "phone", true, &phone) ||
        !body_string(r, "id_last4", true, &last4))
        return;
    if (!valid_phone(phone)) {
        reply_error(r, 422, "invalid_field", "phone", "手机号应为 11 位大陆手机号 / not a mainland mobile number");
        return;
    }
    bool ok = strlen(last4) == 4;
    for (const char *p = last4; ok && *p; p++) ok = isdigit((unsigned char)*p) || *p == 'x' || *p == 'X';
    if (!ok) {
        reply_error(r, 422, "invalid_field", "id_last4", "请填写身份证号后 4 位 / the last 4 characters of the ID number");
        return;
    }
    db *c = db_thread();
    db_stmt *s = c ? db_prepare(c, "SELECT id, id_number_enc, name, volunteer_no FROM volunteers "
                                   "WHERE phone_blind = ? AND status = 'active' ORDER BY id") : NULL;
    if (!s) { reply_db_error(r); return; }
    db_bind_text(s, 1, pii_blind(&r->arena, "phone", phone));
    int64_t id = 0;
    const char *name = NULL, *no = NULL;
    while (!id && db_step(s) == DB_ROW) {
        const char *idn = pii_decrypt(&r->arena, db_col_text(s, 1));
        if (idn && strlen(idn) == 18 && !strcasecmp(idn + 14, last4)) {
            id = db_col_int(s, 0);
            name = arena_strdup(&r->arena, db_col_text(s, 2));
            no = arena_strdup(&r->arena, db_col_text(s, 3));
        }
    }
    db_finish(s);
    if (!id) {
        reply_error(r, 404, "not_found", NULL, "未找到在册志愿者，请核对或先注册 / no active volunteer matches: check or "
                    "register first");
        return;
    }
    const char *key;
    if (checkin_issue_key(c, &r->arena, "volunteer", id, &key) != DB_OK) { reply_db_error(r); return; }
    reply_json(r, 200, json_pack("{s:s, s:s, s:s}", "volunteer_key", key, "name", name, "volunteer_no", no));
}

static void reply_list_of(request *r, int rc, jw *w)
{
    if (rc != DB_OK) { jw_free(w); vp_reply_error(r, rc); return; }
    jw_obj_end(w);
    reply_jw(r, 200, w);
}

static void handle_projects(request *r)
{
    int64_t vid;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!key_volunteer(r, c, &vid)) return;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    reply_list_of(r, vp_public_list(c, &r->arena, vid, &w), &w);
}

static void handle_my_signups(request *r)
{
    int64_t vid;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!key_volunteer(r, c, &vid)) return;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    reply_list_of(r, su_of_volunteer(c, &r->arena, vid, &w), &w);
}

static void handle_reminders(request *r)
{
    int64_t vid;
    const char *v = req_query(r, "hours");
    int hours = v && *v ? atoi(v) : 48;
    if (hours < 1 || hours > 744) { reply_error(r, 422, "invalid_field", "hours", "hours 应为 1 至 744 / 1 to 744"); return; }
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!key_volunteer(r, c, &vid)) return;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "hours"), jw_int(&w, hours);
    jw_key(&w, "items");
    reply_list_of(r, su_reminders(c, NULL, &r->arena, vid, hours, &w), &w);
}

static void handle_signup(request *r)
{
    static const char *const fields[] = {"project_id", "position_id", NULL};
    int64_t vid, project = 0, position = 0, id = 0;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!key_volunteer(r, c, &vid)) return;
    if (!body_allow_fields(r, fields, NULL) || !body_int(r, "project_id", true, &project, NULL) ||
        !body_int(r, "position_id", true, &position, NULL))
        return;
    principal nobody = {.username = "volunteer_phone", .request_id = r->request_id, .ip = r->ip};
    int rc = su_create(c, &nobody, &r->arena, project, position, vid, "self", &id);
    if (rc != DB_OK) { vp_reply_error(r, rc); return; }
    reply_json(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
}

static void handle_cancel(request *r)
{
    int64_t vid, id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!key_volunteer(r, c, &vid)) return;
    principal nobody = {.username = "volunteer_phone", .request_id = r->request_id, .ip = r->ip};
    int rc = su_cancel(c, &nobody, &r->arena, id, vid);
    if (rc != DB_OK) { vp_reply_error(r, rc); return; }
    reply_json(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "cancelled"));
}

static void handle_service(request *r)
{
    int64_t vid;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!key_volunteer(r, c, &vid)) return;
    jw w;
    jw_init(&w);
    int rc = vh_record(c, &r->arena, vid, &w);
    if (rc != DB_OK) { jw_free(&w); vp_reply_error(r, rc); return; }
    reply_jw(r, 200, &w);
}

static const struct route public_routes[] = {
    {"POST", "/api/v1/public/volunteer/find", handle_find, ROUTE_PUBLIC, 0},
    {"GET", "/api/v1/public/volunteer/projects", handle_projects, ROUTE_PUBLIC, 0},
    {"GET", "/api/v1/public/volunteer/signups", handle_my_signups, ROUTE_PUBLIC, 0},
    {"POST", "/api/v1/public/volunteer/signups", handle_signup, ROUTE_PUBLIC, 0},
    {"POST", "/api/v1/public/volunteer/signups/:id/cancel", handle_cancel, ROUTE_PUBLIC, 0},
    {"GET", "/api/v1/public/volunteer/reminders", handle_reminders, ROUTE_PUBLIC, 0},
    {"GET", "/api/v1/public/volunteer/service", handle_service, ROUTE_PUBLIC, 0},
    {NULL, NULL, NULL, 0, 0},
};

void vp_public_register_routes(void) { router_add_table(public_routes); }
