/* players_find.c - "find me" of a contest's public player (see contests.h): a phone registered
 * before gets its person key again only with a 6-digit code sent to that phone by SMS (the pattern
 * of volunteers/vp_find.c). Sending answers the same 202 whether or not the phone registered, and
 * does the same database work: only the message itself depends on it. A code lasts 5 minutes, 5
 * tries, single use; a new code replaces the phone's previous one.
 *
 * Limits (auth/limiter.h), every attempt counted: sending per address (KEPU_CONTEST_CODE_LIMIT, 10
 * per 10 minutes) and per phone (KEPU_CONTEST_CODE_PHONE_LIMIT, 3 per 10 minutes); checking per
 * address (KEPU_CONTEST_FIND_LIMIT, 20 per 10 minutes) and per phone (KEPU_CONTEST_FIND_PHONE_LIMIT,
 * 10 per 10 minutes). */
#include "contests/contests_internal.h"
#include "audit/audit.h"
#include "auth/limiter.h"
#include "auth/phone_code.h"
#include "checkin/checkin.h"
#include "core/log.h"
#include "core/pii.h"
#include "core/sms.h"
#include "core/validate.h"
#include "db/query.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const limit_rule code_ip = {"contest.code.ip", 10, 600, "KEPU_CONTEST_CODE_LIMIT"};
static const limit_rule code_phone = {"contest.code.phone", 3, 600, "KEPU_CONTEST_CODE_PHONE_LIMIT"};
static const limit_rule find_ip = {"contest.find.ip", 20, 600, "KEPU_CONTEST_FIND_LIMIT"};
static const limit_rule find_phone = {"contest.find.phone", 10, 600, "KEPU_CONTEST_FIND_PHONE_LIMIT"};

static bool take(request *r, const limit_rule *rule, const char *key)
{
    return limit_take_or_reply(r, rule, key, "尝试过于频繁，请 10 分钟后再试 / too many attempts, retry in 10 minutes");
}

/* The contest (published or closed; one 404 for anything else) and a valid phone from the body. */
static bool read_input(request *r, db **c, contest *ct, const char *const *fields, const char **phone)
{
    int64_t id;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL) || !body_string(r, "phone", true, phone)) return false;
    if (!valid_phone(*phone)) {
        reply_error(r, 422, "invalid_field", "phone", "手机号应为 11 位大陆手机号 / not a mainland mobile number");
        return false;
    }
    *c = db_thread();
    int rc = *c ? contests_get_public_unscoped(*c, &r->arena, id, ct) : DB_ERR;
    if (rc != DB_OK) { reply_error_row(r, contest_errors, rc); return false; }
    return true;
}

/* A code opens the player of one contest only. */
static const char *code_purpose(arena *a, int64_t contest_id)
{
    return arena_printf(a, "contest:%lld", (long long)contest_id);
}

/* The player of the phone in the contest: id, name, district name (id 0: none). */
static int player_of_phone(db *c, arena *a, int64_t contest_id, const char *blind, int64_t *id, const char **name,
                           const char **district)
{
    qb q;
    qb_init(&q, "SELECT p.id, p.name, o.name FROM contest_players p JOIN orgs o ON o.id = p.org_id WHERE p.contest_id = ? "
                "AND p.phone_blind = ?");
    qb_int(&q, contest_id), qb_text(&q, blind);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    *id = 0;
    if (rc == DB_ROW) {
        *id = db_col_int(s, 0), *name = arena_strdup(a, db_col_text(s, 1)), *district = arena_strdup(a, db_col_text(s, 2));
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* POST /public/contests/:id/players/code {"phone"} -> 202, the same whether or not it registered. */
static void handle_send_code(request *r)
{
    static const char *const fields[] = {"phone", NULL};
    const char *phone, *name = NULL, *district = NULL;
    db *c;
    contest ct;
    if (!take(r, &code_ip, r->ip) || !read_input(r, &c, &ct, fields, &phone) || !take(r, &code_phone, phone)) return;
    const char *blind = pii_blind(&r->arena, "phone", phone);
    char code[8];
    phone_code_new(code);
    int64_t player = 0;
    int rc = player_of_phone(c, &r->arena, ct.id, blind, &player, &name, &district);
    /* a code is stored for unknown phones too (it finds nobody): the same work either way */
    if (rc == DB_OK) rc = phone_code_store(c, &r->arena, code_purpose(&r->arena, ct.id), phone, code);
    if (rc != DB_OK) { sodium_memzero(code, sizeof code); reply_db_error(r); return; }
    if (player) {
        char text[200];
        snprintf(text, sizeof text, "【知识竞赛】验证码 %s，5 分钟内有效 / contest code %s, valid 5 minutes", code, code);
        /* a refusal is logged, not answered: a different answer would tell the phone is known */
        if (sms_send(phone, text) != 0) log_warn("contest find me: the SMS sender refused a code (%s)", sms_sender_name());
    }
    sodium_memzero(code, sizeof code);
    reply_json(r, 202, json_pack("{s:s}", "message", "如该手机号已登记，验证码已发送，5 分钟内有效 / if this phone is "
                                 "registered, a code was sent (valid 5 minutes)"));
}

struct key_args {
    arena *a;
    actor who;
    int64_t player;
    const char *key;
};

/* A new key for the player and its audit entry, together. */
static int key_cb(db *c, void *cls)
{
    struct key_args *w = cls;
    qb q;
    const char *path = NULL;
    qb_init(&q, "SELECT org_path FROM contest_players WHERE id = ?");
    qb_int(&q, w->player);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    if (db_step(s) == DB_ROW) path = arena_strdup(w->a, db_col_text(s, 0));
    db_finish(s);
    int rc = checkin_issue_key(c, w->a, "contest_player", w->player, &w->key);
    if (rc != DB_OK) return rc;
    json_t *after = json_pack("{s:s}", "method", "sms_code");
    rc = audit_record(c, w->who, path, "contest_player", w->player, "find", NULL, after);
    json_decref(after);
    return rc;
}

/* POST /public/contests/:id/players/find {"phone", "code"} -> {person_key, person_kind, name, district}. */
static void handle_find(request *r)
{
    static const char *const fields[] = {"phone", "code", NULL};
    const char *phone, *code = NULL, *name = NULL, *district = NULL;
    db *c;
    contest ct;
    if (!take(r, &find_ip, r->ip) || !read_input(r, &c, &ct, fields, &phone) || !body_string(r, "code", true, &code)) return;
    if (strlen(code) != 6 || strspn(code, "0123456789") != 6) {
        reply_error(r, 422, "invalid_field", "code", "验证码为 6 位数字 / the code has 6 digits");
        return;
    }
    if (!take(r, &find_phone, phone)) return;
    const char *blind = pii_blind(&r->arena, "phone", phone);
    bool matched = false;
    int64_t player = 0;
    int rc = phone_code_try(c, &r->arena, code_purpose(&r->arena, ct.id), phone, code, &matched);
    if (rc == DB_OK && matched) rc = player_of_phone(c, &r->arena, ct.id, blind, &player, &name, &district);
    if (rc != DB_OK) { reply_db_error(r); return; }
    if (!player) {
        reply_error(r, 404, "not_found", "code", "验证码无效或已过期 / the code is wrong or expired");
        return;
    }
    struct key_args k = {&r->arena, actor_key(ACTOR_STUDENT_KEY, "contest_player", r->request_id, r->ip), player, NULL};
    if (db_transaction(c, key_cb, &k) != DB_OK) { reply_db_error(r); return; }
    const char *key = k.key;
    reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s}", "person_key", key, "person_kind", "player", "name", name,
                                 "district", district));
}

static const struct route find_routes[] = {
    {"POST", "/api/v1/public/contests/:id/players/code", handle_send_code, ROUTE_PUBLIC, 0, .summary = "Find me: send a 6-digit code by SMS to a registered player's phone (202 either way)"},
    {"POST", "/api/v1/public/contests/:id/players/find", handle_find, ROUTE_PUBLIC, 0, .summary = "Find me: the player's person key for phone + SMS code"},
    {0},
};

void contests_find_register_routes(void) { router_add_table(find_routes); }
