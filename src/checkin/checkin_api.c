/* checkin_api.c - HTTP handlers of check-in (docs/api.md "Students and check-in"): the teacher's
 * screen (session, token, QR code, close) for staff in scope, and the two public routes a phone
 * uses to check in and, afterwards, to rate. Refusals of the public side carry codes a page can
 * explain: token_invalid, token_expired, window_closed, name_mismatch, too_many_attempts,
 * too_many_newcomers, not_checked_in, rating_closed. */
#include "checkin/checkin_internal.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/public_url.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void checkin_reply_error(request *r, int rc) { entity_reply_error(r, &checkin_session_entity, rc); }

static void handle_open(request *r)
{
    static const char *const fields[] = {"kind", "owner_id", NULL};
    const char *kind = NULL;
    int64_t owner_id = 0;
    if (!body_allow_fields(r, fields, NULL) || !body_string(r, "kind", true, &kind) ||
        !body_int(r, "owner_id", true, &owner_id, NULL))
        return;
    if (!checkin_kind_find(kind)) { checkin_reply_error(r, CHK_UNKNOWN_KIND); return; }
    if (owner_id <= 0) { reply_error(r, 422, "invalid_field", "owner_id", "应为正整数 / must be a positive id"); return; }
    checkin_session s;
    db *c = db_thread();
    int rc = c ? checkin_open(c, r->principal, &r->arena, kind, owner_id, &s) : DB_ERR;
    entity_reply_result(r, &checkin_session_entity, rc, 200, &s);
}

static void handle_close(request *r)
{
    int64_t id;
    checkin_session s;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? checkin_close(c, r->principal, &r->arena, id, &s) : DB_ERR;
    entity_reply_result(r, &checkin_session_entity, rc, 200, &s);
}

/* The teacher's screen polls this every step: token, URL, seconds left, code and the count. */
static void handle_token(request *r)
{
    int64_t id;
    checkin_session s;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &checkin_session_entity, &r->principal->scope, &r->arena, id, &s) : DB_ERR;
    if (rc != DB_OK) { checkin_reply_error(r, rc); return; }
    char token[64];
    int left = checkin_token(id, token, sizeof token);
    reply_json(r, 200, json_pack("{s:s, s:s, s:i, s:i, s:s?, s:I, s:s?, s:b}", "token", token, "url",
                                 checkin_url(r, id, token), "expires_in", left, "step", checkin_step_seconds(),
                                 "code", s.code, "checked_in", (json_int_t)s.checked_in, "status", s.status,
                                 "window_open", s.window_open));
}

static void handle_qr(request *r)
{
    int64_t id;
    checkin_session s;
    if (!param_id(r, 0, &id)) return;
    const char *token = req_query(r, "token");
    if (!token || checkin_token_check(id, token) != DB_OK) {
        reply_error(r, 422, "invalid_field", "token", "token 无效或已过期 / token invalid or expired");
        return;
    }
    db *c = db_thread();
    int rc = c ? entity_get(c, &checkin_session_entity, &r->principal->scope, &r->arena, id, &s) : DB_ERR;
    if (rc != DB_OK) { checkin_reply_error(r, rc); return; }
    size_t len = 0;
    char *svg = checkin_qr_svg(checkin_url(r, id, token), &len);
    if (!svg) { reply_error(r, 500, "internal", NULL, "二维码生成失败 / cannot draw the QR code"); return; }
    reply_body(r, 200, svg, len, "image/svg+xml");
    reply_header(r, "Cache-Control", "no-store");
}

static void handle_public_view(request *r)
{
    int64_t id;
    checkin_session s;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? checkin_public_view(c, &r->arena, id, r->params[1], &s) : DB_ERR;
    if (rc != DB_OK) { checkin_reply_error(r, rc); return; }
    /* the token is checked here, when the page opens; the page submits with the grant */
    char grant[64];
    int lasts = checkin_grant(id, s.owner.closes, grant, sizeof grant);
    reply_json(r, 200, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:s, s:i}", "session_id", (json_int_t)s.id,
                                 "kind", s.owner_kind, "title", s.owner.title, "place", s.owner.place,
                                 "starts_at", s.owner.starts_at, "ends_at", s.owner.ends_at,
                                 "checked_in", (json_int_t)s.checked_in, "grant", grant, "grant_expires_in", lasts));
}

static bool read_code(request *r, const char **out)
{
    if (!body_string(r, "code", false, out)) return false;
    if (*out && (strlen(*out) != 6 || strspn(*out, "0123456789") != 6)) { reply_error(r, 422, "invalid_field", "code", "签到码应为 6 位数字 / the code is 6 digits"); return false; }
    return true;
}

static void handle_public_checkin(request *r)
{
    static const char *const fields[] = {"token", "code", "student_key", "person_key", "name", "phone", "direction",
                                         NULL};
    static const char *const directions[] = {"in", "out", NULL};
    int64_t id;
    const char *direction = NULL;
    checkin_input in = {.request_id = r->request_id, .ip = r->ip};
    if (!param_id(r, 0, &id)) return;
    if (!body_allow_fields(r, fields, NULL) || !body_string(r, "token", false, &in.token) || !read_code(r, &in.code) ||
        !body_string(r, "student_key", false, &in.person_key) ||
        !body_enum(r, "direction", false, directions, &direction))
        return;
    /* person_key: the same remembered key under a name every owner kind can use */
    if (!in.person_key && !body_string(r, "person_key", false, &in.person_key)) return;
    in.out = direction && !strcmp(direction, "out");
    if (in.out && !in.person_key) {
        reply_error(r, 422, "required", "person_key", "签退需要签到时记住的身份 / check-out needs the person key");
        return;
    }
    if (!in.token == !in.code) {
        reply_error(r, 422, in.token ? "invalid_field" : "required", "token",
                    "请扫描二维码或输入签到码（二选一） / give the token or the code (one of them)");
        return;
    }
    if (in.person_key && (strlen(in.person_key) < 20 || strlen(in.person_key) > 64)) {
        reply_error(r, 422, "invalid_field", "student_key", "student_key 无效 / invalid student_key");
        return;
    }
    if (!in.person_key) {
        if (!body_name(r, "name", true, 50, &in.name) || !body_string(r, "phone", true, &in.phone)) return;
        if (!valid_phone(in.phone)) {
            reply_error(r, 422, "invalid_field", "phone", "手机号应为 11 位大陆手机号 / not a mainland mobile number");
            return;
        }
    }
    checkin_result out;
    db *c = db_thread();
    int rc = c ? checkin_public(c, &r->arena, id, &in, &out) : DB_ERR;
    if (rc != DB_OK) {
        checkin_reply_error(r, rc);
        char retry[16];
        snprintf(retry, sizeof retry, "%d", out.retry_after);
        if ((rc == CHK_CODE_LOCKED || rc == CHK_TOO_MANY_NEWCOMERS) && out.retry_after > 0)
            reply_header(r, "Retry-After", retry);
        return;
    }
    const char *status = out.out ? (out.already ? "already_checked_out" : "checked_out")
                                 : out.already ? "already_checked_in" : "checked_in";
    const char *message = out.out ? (out.already ? "您已签退 / already checked out" : "签退成功 / checked out")
                          : !out.person_key ? (out.already ? "您已签到；下次请扫描二维码，本机将记住您 / already checked "
                                                             "in; scan the QR code next time and this phone will remember you"
                                                           : "签到成功；下次请扫描二维码，本机将记住您 / checked in; scan "
                                                             "the QR code next time and this phone will remember you")
                          : out.already ? "您已签到，无需重复签到 / already checked in" : "签到成功 / checked in";
    json_t *answer = json_pack("{s:s, s:b, s:s?, s:s?, s:s?, s:I, s:s}", "status", status, "already", out.already,
                               "student_key", out.person_key, "person_key", out.person_key, "title", out.title,
                               "checked_in", (json_int_t)out.checked_in, "message", message);
    reply_json(r, out.already ? 200 : 201, answer);
}

/* {"student_key", "stars": 1..5, "comment"?: up to 200 characters on one line}. */
static bool read_rating(request *r, checkin_rating_input *in)
{
    static const char *const fields[] = {"student_key", "stars", "comment", NULL};
    int64_t stars = 0;
    if (!body_allow_fields(r, fields, NULL) || !body_string(r, "student_key", true, &in->person_key) ||
        !body_int(r, "stars", true, &stars, NULL) || !body_string(r, "comment", false, &in->comment))
        return false;
    if (strlen(in->person_key) < 20 || strlen(in->person_key) > 64) {
        reply_error(r, 422, "invalid_field", "student_key", "student_key 无效 / invalid student_key");
        return false;
    }
    if (stars < 1 || stars > 5) {
        reply_error(r, 422, "invalid_field", "stars", "评分应为 1 至 5 星 / stars must be 1 to 5");
        return false;
    }
    in->stars = (int)stars;
    bool ok = !in->comment || utf8_chars(in->comment) <= CHECKIN_COMMENT_MAX;
    for (const unsigned char *p = (const unsigned char *)in->comment; ok && p && *p; p++) ok = *p >= 0x20;
    if (!ok) {
        reply_error(r, 422, "invalid_field", "comment", "评价至多 %d 字，不含换行等控制字符 / at most %d characters, one line",
                    CHECKIN_COMMENT_MAX, CHECKIN_COMMENT_MAX);
        return false;
    }
    if (in->comment && !*in->comment) in->comment = NULL;
    return true;
}

static void handle_public_rating(request *r)
{
    int64_t id;
    checkin_rating_input in = {.request_id = r->request_id, .ip = r->ip};
    if (!param_id(r, 0, &id) || !read_rating(r, &in)) return;
    bool replaced = false;
    const char *title = NULL;
    db *c = db_thread();
    int rc = c ? checkin_rate(c, &r->arena, id, &in, &replaced, &title) : DB_ERR;
    if (rc != DB_OK) { checkin_reply_error(r, rc); return; }
    json_t *answer = json_pack("{s:s, s:b, s:s?, s:i, s:s?, s:s}", "status", replaced ? "replaced" : "rated",
                               "replaced", replaced, "title", title, "stars", in.stars, "comment", in.comment,
                               "message", "感谢您的评价 / thank you for rating");
    reply_json(r, replaced ? 200 : 201, answer);
}

/* The base of every QR code and link (http/public_url.h), and the QR code of a path of the UI
 * under it (volunteer registration): the UI shows what the server would name. */
static void handle_link_base(request *r)
{
    reply_json(r, 200, json_pack("{s:s, s:b}", "base_url", public_base_url(r), "configured", public_url_configured()));
}

/* A path of the UI (printable ASCII, starting with one '/'): the QR code of its public URL. */
static void handle_link_qr(request *r)
{
    const char *path = req_query(r, "path");
    bool ok = path && path[0] == '/' && path[1] != '/' && strlen(path) <= 300;
    for (const char *p = path; ok && *p; p++) ok = *p > 0x20 && *p < 0x7f && *p != '\\';
    if (!ok) {
        reply_error(r, 422, "invalid_field", "path", "应为以“/”开头的站内路径 / a path of this site, starting with \"/\"");
        return;
    }
    size_t len = 0;
    char *svg = checkin_qr_svg(public_url(r, path), &len);
    if (!svg) { reply_error(r, 500, "internal", NULL, "二维码生成失败 / cannot draw the QR code"); return; }
    reply_body(r, 200, svg, len, "image/svg+xml");
    reply_header(r, "Cache-Control", "no-store");
}

static const struct route checkin_routes[] = {
    {"POST", "/api/v1/checkin/sessions", handle_open, RANK_STAFF, 0, .summary = "Open (or reopen) the check-in session of an owner record", .entity = &checkin_session_entity},
    {"GET", "/api/v1/checkin/sessions/:id", entity_handle_get, RANK_STAFF, 0, .summary = "A check-in session with its live count and code", .entity = &checkin_session_entity},
    {"POST", "/api/v1/checkin/sessions/:id/close", handle_close, RANK_STAFF, 0, .summary = "Close a check-in session", .entity = &checkin_session_entity},
    {"GET", "/api/v1/checkin/sessions/:id/token", handle_token, RANK_STAFF, 0, .summary = "The current rotating token for the teacher's screen", .entity = &checkin_session_entity},
    {"GET", "/api/v1/checkin/sessions/:id/qr.svg", handle_qr, RANK_STAFF, 0, .summary = "The QR code of the check-in URL as SVG", .entity = &checkin_session_entity},
    {"GET", "/api/v1/public/checkin/:session/:token", handle_public_view, ROUTE_PUBLIC, 0, .summary = "What a scanned code checks in to (no personal data)"},
    {"POST", "/api/v1/public/checkin/:session", handle_public_checkin, ROUTE_PUBLIC, 0, .summary = "Check in from a phone"},
    {"POST", "/api/v1/public/checkin/:session/rating", handle_public_rating, ROUTE_PUBLIC, 0, .summary = "Rate what one checked in to, from the phone"},
    {"GET", "/api/v1/links/base", handle_link_base, RANK_STAFF, 0, .summary = "The base URL of every QR code and link, and whether it is configured"},
    {"GET", "/api/v1/links/qr.svg", handle_link_qr, RANK_STAFF, 0, .summary = "The QR code of a path of this site under the public base URL"},
    {0},
};

void checkin_register_routes(void)
{
    /* check-in has no row of its own in app_modules.c: the owner kinds' modules register it */
    entity_register(&checkin_session_entity);
    router_add_table(checkin_routes);
}
