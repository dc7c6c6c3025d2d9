/* screen_pairing.c - how a kiosk becomes a screen (see screens.h), without login: it asks for a
 * pairing code (POST /kiosk/pairings: one short row, limited per address, expires in 10 minutes)
 * and shows it; staff register the code (POST /screens/pair, screens.c); the kiosk polls
 * (POST /kiosk/pairings/claim with the code and its poll secret) and receives its device token
 * once, stored only as its keyed hash. Later calls prove the screen by that token. */
#include "screens/screens.h"
#include "audit/audit.h"
#include "auth/limiter.h"
#include "checkin/checkin.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { PAIRING_SECONDS = 600 };

static const limit_rule pair_ip = {"screens.pair.ip", 20, 600, "KEPU_SCREEN_PAIR_LIMIT"};
static const limit_rule claim_ip = {"screens.claim.ip", 200, 60, "KEPU_SCREEN_CLAIM_LIMIT"};

#define TOO_OFTEN "访问过于频繁，请稍后再试 / too many requests, retry later"

int screens_by_token(request *r, db *c, screen *out)
{
    const char *token = req_header(r, "X-Screen-Token");
    if (!token || !*token || strlen(token) > 128) return SCR_BAD_TOKEN;
    qb conds;
    qb_init(&conds, " AND s.token_hash = ? AND s.status = 'active'");
    qb_text(&conds, checkin_key_hash(&r->arena, token));
    /* the device token is the proof: the screen it names, whoever's scope */
    int rc = entity_get_where_unscoped(c, &screen_entity, &r->arena, &conds, out);
    return rc == SCR_NOT_FOUND ? SCR_BAD_TOKEN : rc;
}

struct pair_args {
    arena *a;
    char code[8];
    const char *secret, *secret_hash;
};

/* Expired codes go first (registered ones too: a kiosk that never claimed its token asks for a
 * new code; the screen stays until staff revoke it), then one row. */
static int pair_cb(db *c, void *cls)
{
    struct pair_args *w = cls;
    int64_t now = (int64_t)time(NULL);
    char at[40];
    time_now_rfc3339(at);
    qb q;
    qb_init(&q, "DELETE FROM screen_pairings WHERE expires_s < ?");
    qb_int(&q, now);
    int rc = qb_exec(c, &q, NULL);
    for (int tries = 0; rc == DB_OK && tries < 5; tries++) {
        snprintf(w->code, sizeof w->code, "%06u", (unsigned)randombytes_uniform(1000000));
        int64_t one = 0;
        qb_init(&q, "SELECT 1 FROM screen_pairings WHERE code = ?");
        qb_text(&q, w->code);
        if ((rc = qb_exec(c, &q, &one)) == DB_OK) continue;   /* taken: draw again */
        if (rc != DB_DONE) return rc;
        qb_init(&q, "INSERT INTO screen_pairings (code, secret_hash, expires_s, created_at) VALUES (?, ?, ?, ?)");
        qb_text(&q, w->code), qb_text(&q, w->secret_hash), qb_int(&q, now + PAIRING_SECONDS), qb_text(&q, at);
        return qb_exec(c, &q, NULL);
    }
    return rc == DB_OK ? DB_ERR : rc;   /* five codes taken in a row: give up */
}

/* POST /kiosk/pairings: {code, secret, expires_in} */
static void handle_new(request *r)
{
    if (!limit_take_or_reply(r, &pair_ip, r->ip, TOO_OFTEN)) return;
    struct pair_args w = {.a = &r->arena};
    checkin_new_key(&r->arena, &w.secret, &w.secret_hash);
    db *c = db_thread();
    int rc = c ? db_transaction(c, pair_cb, &w) : DB_ERR;
    if (rc != DB_OK) { reply_db_error(r); return; }
    reply_json(r, 201, json_pack("{s:s, s:s, s:i}", "code", w.code, "secret", w.secret, "expires_in", PAIRING_SECONDS));
}

struct claim_args {
    request *r;
    const char *code, *secret, *token;
    screen s;
};

/* The registered code's screen receives a new device token; the pairing row goes. */
static int claim_cb(db *c, void *cls)
{
    struct claim_args *w = cls;
    arena *a = &w->r->arena;
    qb q;
    int64_t screen_id = 0;
    qb_init(&q, "SELECT COALESCE(screen_id, 0) FROM screen_pairings WHERE code = ? AND secret_hash = ? AND expires_s >= ?");
    qb_text(&q, w->code), qb_text(&q, checkin_key_hash(a, w->secret)), qb_int(&q, (int64_t)time(NULL));
    int rc = qb_exec(c, &q, &screen_id);
    if (rc == DB_DONE) return SCR_BAD_CODE;
    if (rc != DB_OK) return rc;
    if (!screen_id) return SCR_PENDING;
    /* the row goes first: of two claims at once, only the one that deleted it gets a token */
    int64_t gone = 0;
    qb_init(&q, "DELETE FROM screen_pairings WHERE code = ? RETURNING id");
    qb_text(&q, w->code);
    if ((rc = qb_exec(c, &q, &gone)) == DB_DONE) return SCR_BAD_CODE;
    if (rc != DB_OK) return rc;
    const char *hash;
    checkin_new_key(a, &w->token, &hash);
    qb_init(&q, "UPDATE screens SET token_hash = ? WHERE id = ? AND status = 'active'");
    qb_text(&q, hash), qb_int(&q, screen_id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &screen_entity, a, screen_id, &w->s)) != DB_OK) return rc;   /* just paired */
    actor who = actor_key(ACTOR_SYSTEM, arena_printf(a, "屏幕 %s", w->s.name), w->r->request_id, w->r->ip);
    return audit_record(c, who, w->s.org_path, "screen", screen_id, "token", NULL, NULL);
}

/* POST /kiosk/pairings/claim {code, secret}: 200 {token, screen}, 409 while not registered. */
static void handle_claim(request *r)
{
    static const char *const allowed[] = {"code", "secret", NULL};
    struct claim_args w = {.r = r};
    if (!limit_take_or_reply(r, &claim_ip, r->ip, TOO_OFTEN) || !body_allow_fields(r, allowed, NULL) ||
        !body_string(r, "code", true, &w.code) || !body_string(r, "secret", true, &w.secret))
        return;
    db *c = db_thread();
    int rc = c ? db_transaction(c, claim_cb, &w) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &screen_entity, rc); return; }
    reply_json(r, 200, json_pack("{s:s, s:{s:I, s:s, s:s}}", "token", w.token, "screen", "id", (json_int_t)w.s.id, "name",
                                 w.s.name, "org_name", w.s.org_name));
}

static const struct route pairing_routes[] = {
    {"POST", "/api/v1/kiosk/pairings", handle_new, ROUTE_PUBLIC, 0,
     .summary = "A kiosk asks for a pairing code to show (no login; limited per address)"},
    {"POST", "/api/v1/kiosk/pairings/claim", handle_claim, ROUTE_PUBLIC, 0,
     .summary = "A kiosk fetches its device token once staff registered its code (409 until then)"},
    {0},
};

void screen_pairing_register_routes(void)
{
    router_add_table(pairing_routes);
}
