/* phone_code.c - SMS codes that prove a phone (see phone_code.h). */
#include "auth/phone_code.h"
#include "core/pii.h"
#include "db/query.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void phone_code_new(char code[8])
{
    snprintf(code, 8, "%06u", (unsigned)randombytes_uniform(1000000));
}

/* The code bound to its purpose and phone: a code read off one phone's screen opens nothing else. */
static const char *code_hash(arena *a, const char *purpose, const char *phone, const char *code)
{
    const char *both = arena_printf(a, "%s:%s:%s", purpose, phone, code);
    return both ? pii_blind(a, "phone_code", both) : NULL;
}

struct store_args {
    const char *purpose, *blind, *hash;
};

static int store_cb(db *c, void *cls)
{
    struct store_args *w = cls;
    int64_t now = (int64_t)time(NULL);
    qb q;
    qb_init(&q, "DELETE FROM phone_codes WHERE expires_at <= ?");
    qb_int(&q, now);
    int rc = qb_exec(c, &q, NULL);
    if (rc != DB_OK) return rc;
    qb_init(&q, "INSERT INTO phone_codes (purpose, phone_blind, code_hash, expires_at, tries) VALUES (?, ?, ?, ?, 0) "
                "ON CONFLICT (purpose, phone_blind) DO UPDATE SET code_hash = excluded.code_hash, "
                "expires_at = excluded.expires_at, tries = 0");
    qb_text(&q, w->purpose), qb_text(&q, w->blind), qb_text(&q, w->hash), qb_int(&q, now + PHONE_CODE_SECONDS);
    return qb_exec(c, &q, NULL);
}

int phone_code_store(db *c, arena *a, const char *purpose, const char *phone, const char *code)
{
    struct store_args w = {purpose, pii_blind(a, "phone", phone), code_hash(a, purpose, phone, code)};
    if (!w.blind || !w.hash) return DB_ERR;
    return db_transaction(c, store_cb, &w);
}

struct try_args {
    arena *a;
    const char *purpose, *blind, *hash;
    bool matched;
};

/* Counted first, compared in constant time, then deleted when it matches. */
static int try_cb(db *c, void *cls)
{
    struct try_args *w = cls;
    db_stmt *s = db_prepare(c, "UPDATE phone_codes SET tries = tries + 1 WHERE purpose = ? AND phone_blind = ? "
                               "AND expires_at > ? AND tries < ? RETURNING code_hash");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, w->purpose), db_bind_text(s, 2, w->blind), db_bind_int(s, 3, (int64_t)time(NULL));
    db_bind_int(s, 4, PHONE_CODE_TRIES);
    int step = db_step(s);
    const char *want = step == DB_ROW ? arena_strdup(w->a, db_col_text(s, 0)) : NULL;
    db_finish(s);
    if (step != DB_ROW) return step == DB_DONE ? DB_OK : step;
    if (!want || strlen(want) != strlen(w->hash) || sodium_memcmp(want, w->hash, strlen(want)) != 0) return DB_OK;
    qb q;
    int64_t tries;
    qb_init(&q, "DELETE FROM phone_codes WHERE purpose = ? AND phone_blind = ? AND code_hash = ? RETURNING tries");
    qb_text(&q, w->purpose), qb_text(&q, w->blind), qb_text(&q, want);
    int rc = qb_exec(c, &q, &tries);
    w->matched = rc == DB_OK;
    return rc == DB_DONE ? DB_OK : rc;
}

int phone_code_try(db *c, arena *a, const char *purpose, const char *phone, const char *code, bool *matched)
{
    struct try_args w = {a, purpose, pii_blind(a, "phone", phone), code_hash(a, purpose, phone, code), false};
    *matched = false;
    if (!w.blind || !w.hash) return DB_ERR;
    int rc = db_transaction(c, try_cb, &w);
    *matched = rc == DB_OK && w.matched;
    return rc;
}
