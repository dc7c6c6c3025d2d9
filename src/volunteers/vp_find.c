/* vp_find.c - "find me" of the volunteer phone (docs/api.md "Volunteer projects"): the phone number
 * and a second factor give the volunteer key (projects.h) that signs up, cancels and reads the
 * service record. The second factor is either the full ID number (checked against its blind
 * index) or a 6-digit code sent to the phone by SMS (core/sms.h); the last four characters of
 * the ID number are printed on public certificates and are no longer accepted.
 *
 * Limits (auth/limiter.h), every attempt counted, so that neither factor can be guessed:
 *  - checking: per address (KEPU_VOLUNTEER_FIND_LIMIT, 20 per 10 minutes) and per phone
 *    (KEPU_VOLUNTEER_FIND_PHONE_LIMIT, 10 per 10 minutes), whichever address asks;
 *  - sending a code: per address (KEPU_VOLUNTEER_CODE_LIMIT, 10 per 10 minutes) and per phone
 *    (KEPU_VOLUNTEER_CODE_PHONE_LIMIT, 3 per 10 minutes);
 *  - a code: 5 minutes, 5 tries, single use; a new code replaces the phone's previous one.
 * Sending answers the same 202 whether or not the phone is registered, and does the same
 * database work: only the message itself depends on it. */
#include "volunteers/projects.h"
#include "auth/limiter.h"
#include "auth/phone_code.h"
#include "checkin/checkin.h"
#include "core/log.h"
#include "core/pii.h"
#include "core/sms.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const limit_rule find_ip = {"vfind.ip", 20, 600, "KEPU_VOLUNTEER_FIND_LIMIT"};
static const limit_rule find_phone = {"vfind.phone", 10, 600, "KEPU_VOLUNTEER_FIND_PHONE_LIMIT"};
static const limit_rule code_ip = {"vcode.ip", 10, 600, "KEPU_VOLUNTEER_CODE_LIMIT"};
static const limit_rule code_phone = {"vcode.phone", 3, 600, "KEPU_VOLUNTEER_CODE_PHONE_LIMIT"};

/* Counts one attempt of key; replies 429 (or 503) itself and returns false when over. */
static bool take(request *r, const limit_rule *rule, const char *key)
{
    return limit_take_or_reply(r, rule, key, "尝试过于频繁，请 10 分钟后再试 / too many attempts, retry in 10 minutes");
}

static bool read_phone(request *r, const char **phone)
{
    if (!body_string(r, "phone", true, phone)) return false;
    if (valid_phone(*phone)) return true;
    reply_error(r, 422, "invalid_field", "phone", "手机号应为 11 位大陆手机号 / not a mainland mobile number");
    return false;
}

/* The first active volunteer of the phone (id 0: none). A public flow: the phone and its second
 * factor (a code sent to it, or the ID number) say who asks, so no scope applies. */
static int volunteer_of_phone(db *c, arena *a, const char *phone_blind, const char *id_blind, volunteer *v)
{
    qb q;
    qb_init(&q, " AND v.phone_blind = ? AND v.status = 'active'");
    qb_text(&q, phone_blind);
    if (id_blind) qb_sql(&q, " AND v.id_number_blind = ?"), qb_text(&q, id_blind);
    qb_sql(&q, " ORDER BY v.id LIMIT 1");
    v->id = 0;
    int rc = entity_get_where_unscoped(c, &volunteer_entity, a, &q, v);
    return rc == VOL_NOT_FOUND ? DB_OK : rc;
}

/* POST /public/volunteer/find/code {"phone"} → 202, the same whether or not the phone is known. */
static void handle_send_code(request *r)
{
    static const char *const fields[] = {"phone", NULL};
    const char *phone;
    if (!take(r, &code_ip, r->ip)) return;
    if (!body_allow_fields(r, fields, NULL) || !read_phone(r, &phone)) return;
    if (!take(r, &code_phone, phone)) return;
    db *c = db_thread();
    const char *blind = pii_blind(&r->arena, "phone", phone);
    char code[8];
    phone_code_new(code);
    volunteer v;
    int rc = c ? volunteer_of_phone(c, &r->arena, blind, NULL, &v) : DB_ERR;
    /* A code is stored for unknown phones too (it finds nobody): the same work either way. */
    if (rc == DB_OK) rc = phone_code_store(c, &r->arena, "volunteer", phone, code);
    if (rc != DB_OK) { sodium_memzero(code, sizeof code); reply_db_error(r); return; }
    if (v.id) {
        char text[160];
        snprintf(text, sizeof text, "【科普志愿者】验证码 %s，5 分钟内有效 / volunteer code %s, valid 5 minutes", code, code);
        /* A refusal is logged, not answered: a different answer would tell the phone is known. */
        if (sms_send(phone, text) != 0) log_warn("find me: the SMS sender refused a code (%s)", sms_sender_name());
    }
    sodium_memzero(code, sizeof code);
    reply_json(r, 202, json_pack("{s:s}", "message", "如该手机号已登记为志愿者，验证码已发送，5 分钟内有效 / if this phone is "
                                 "registered, a code was sent (valid 5 minutes)"));
}

/* Reads the second factor: the full ID number (its blind index into *id_blind) or a code. */
static bool read_factor(request *r, const char **id_blind, const char **code)
{
    const char *idn = NULL;
    *id_blind = *code = NULL;
    if (!body_string(r, "id_number", false, &idn) || !body_string(r, "code", false, code)) return false;
    if (!idn == !*code) {
        reply_error(r, 422, "required", "id_number", "请填写完整身份证号或短信验证码（二选一） / give either the full "
                    "id_number or the SMS code");
        return false;
    }
    if (*code && (strlen(*code) != 6 || strspn(*code, "0123456789") != 6)) {
        reply_error(r, 422, "invalid_field", "code", "验证码为 6 位数字 / the code has 6 digits");
        return false;
    }
    if (idn) {
        if (check_id_number(&r->arena, &idn)) {
            reply_error(r, 422, "invalid_field", "id_number", "请填写完整的 18 位身份证号 / give the full 18-character ID number");
            return false;
        }
        *id_blind = pii_blind(&r->arena, "id_number", idn);
    }
    return true;
}

/* POST /public/volunteer/find {"phone", "id_number" | "code"} → the volunteer key. */
static void handle_find(request *r)
{
    static const char *const fields[] = {"phone", "id_number", "code", NULL};
    const char *phone, *id_blind, *code;
    if (!take(r, &find_ip, r->ip)) return;
    if (body_has(r, "id_last4")) {
        reply_error(r, 422, "invalid_field", "id_last4", "不再接受身份证号后 4 位：请填写完整身份证号，或获取短信验证码 / "
                    "id_last4 is no longer accepted: give the full id_number, or an SMS code");
        return;
    }
    if (!body_allow_fields(r, fields, NULL) || !read_phone(r, &phone) || !read_factor(r, &id_blind, &code)) return;
    if (!take(r, &find_phone, phone)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    const char *blind = pii_blind(&r->arena, "phone", phone);
    int rc = DB_OK;
    volunteer v = {0};
    bool ok = id_blind != NULL;
    if (!ok) rc = phone_code_try(c, &r->arena, "volunteer", phone, code, &ok);
    if (rc == DB_OK && ok) rc = volunteer_of_phone(c, &r->arena, blind, id_blind, &v);
    if (rc != DB_OK) { reply_db_error(r); return; }
    if (!v.id) {
        reply_error(r, 404, "not_found", NULL, "未找到在册志愿者或验证码无效，请核对或先注册 / no active volunteer matches, "
                    "or the code is wrong or expired: check or register first");
        return;
    }
    const char *key;
    if (checkin_issue_key(c, &r->arena, "volunteer", v.id, &key) != DB_OK) { reply_db_error(r); return; }
    reply_json(r, 200, json_pack("{s:s, s:s, s:s}", "volunteer_key", key, "name", v.name, "volunteer_no",
                                 v.volunteer_no));
}

static const struct route find_routes[] = {
    {"POST", "/api/v1/public/volunteer/find", handle_find, ROUTE_PUBLIC, 0, .summary = "Find me: a volunteer key for phone + full ID number or SMS code"},
    {"POST", "/api/v1/public/volunteer/find/code", handle_send_code, ROUTE_PUBLIC, 0, .summary = "Find me: send a 6-digit code to the phone by SMS"},
    {0},
};

void vp_find_register_routes(void) { router_add_table(find_routes); }
