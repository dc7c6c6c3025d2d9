/* limiter.c - attempt counts per key, in a bounded memory table or in the database (limiter.h).
 *
 * The memory table is a hash table of fixed capacity chained through entry indexes, with a
 * recency list through the same entries: a hit moves its entry to the front, and a new key
 * when the table is full takes the entry at the back (touched longest ago). An attacker who
 * wants a victim's count evicted must bring capacity-many fresh keys within the victim's
 * window, which the per-address limits in front of every target key make costly. */
#include "auth/limiter.h"
#include "core/log.h"
#include "core/pii.h"
#include "db/db.h"
#include "db/query.h"
#include "http/reply.h"
#include <stdio.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HASH_BYTES 32
#define DEFAULT_ENTRIES 100000
#define NONE UINT32_MAX
/* Rows untouched this long are deleted from rate_limits (longer than any rule's window). */
#define DB_ROW_LIFETIME 86400
#define DB_CLEAN_EVERY 1000

typedef struct entry {
    unsigned char hash[HASH_BYTES];
    int64_t window_start, last_at;
    int count;
    uint32_t chain;             /* next entry in the same bucket */
    uint32_t newer, older;      /* recency list */
    bool used;
} entry;

static struct {
    pthread_mutex_t lock;
    entry *entries;
    uint32_t *buckets;          /* head entry of each bucket, NONE when empty */
    uint32_t capacity, nbuckets, used, newest, oldest;
} mem = {.lock = PTHREAD_MUTEX_INITIALIZER, .newest = NONE, .oldest = NONE};

static limiter_store store = LIMITER_MEMORY;
static int64_t (*clock_fn)(void);
static unsigned char fallback_key[crypto_generichash_KEYBYTES];
static pthread_once_t fallback_once = PTHREAD_ONCE_INIT;
static atomic_uint db_takes;

void limiter_configure(limiter_store s) { store = s; }
void limiter_set_clock(int64_t (*now)(void)) { clock_fn = now; }

static int64_t now_s(void) { return clock_fn ? clock_fn() : (int64_t)time(NULL); }

int limit_max(const limit_rule *rule)
{
    const char *v = rule->env ? getenv(rule->env) : NULL;
    int n = v ? atoi(v) : 0;
    return n > 0 ? n : rule->max;
}

static void make_fallback_key(void) { randombytes_buf(fallback_key, sizeof fallback_key); }

/* The stored form of (rule, key): the PII index hash, so that every node of a deployment
 * computes the same one; a random per-process key before any PII key is loaded (tests). */
static void key_hash(const limit_rule *rule, const char *key, unsigned char out[HASH_BYTES])
{
    if (pii_blind_raw(rule->name, key, out)) return;
    pthread_once(&fallback_once, make_fallback_key);
    crypto_generichash_state st;
    crypto_generichash_init(&st, fallback_key, sizeof fallback_key, HASH_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)rule->name, strlen(rule->name) + 1);
    crypto_generichash_update(&st, (const unsigned char *)key, strlen(key));
    crypto_generichash_final(&st, out, HASH_BYTES);
}

/* ---- memory store ---- */

static bool mem_ready(void)
{
    if (mem.entries) return true;
    const char *v = getenv("KEPU_LIMITER_ENTRIES");
    long cap = v ? atol(v) : 0;
    if (cap < 16 || cap > 10000000) cap = DEFAULT_ENTRIES;
    uint32_t nb = 16;
    while (nb < (uint32_t)cap * 2) nb <<= 1;
    mem.entries = calloc((size_t)cap, sizeof *mem.entries);
    mem.buckets = malloc(nb * sizeof *mem.buckets);
    if (!mem.entries || !mem.buckets) {
        free(mem.entries), free(mem.buckets);
        mem.entries = NULL, mem.buckets = NULL;
        return false;
    }
    memset(mem.buckets, 0xff, nb * sizeof *mem.buckets);
    mem.capacity = (uint32_t)cap, mem.nbuckets = nb;
    return true;
}

static uint32_t bucket_of(const unsigned char *hash)
{
    uint32_t b;
    memcpy(&b, hash, sizeof b);
    return b & (mem.nbuckets - 1);
}

static void recency_unlink(uint32_t i)
{
    entry *e = &mem.entries[i];
    if (e->newer != NONE) mem.entries[e->newer].older = e->older; else mem.newest = e->older;
    if (e->older != NONE) mem.entries[e->older].newer = e->newer; else mem.oldest = e->newer;
}

static void recency_push_front(uint32_t i)
{
    entry *e = &mem.entries[i];
    e->newer = NONE, e->older = mem.newest;
    if (mem.newest != NONE) mem.entries[mem.newest].newer = i;
    mem.newest = i;
    if (mem.oldest == NONE) mem.oldest = i;
}

static void chain_unlink(uint32_t i)
{
    uint32_t *link = &mem.buckets[bucket_of(mem.entries[i].hash)];
    while (*link != NONE && *link != i) link = &mem.entries[*link].chain;
    if (*link == i) *link = mem.entries[i].chain;
}

static uint32_t mem_find(const unsigned char *hash)
{
    for (uint32_t i = mem.buckets[bucket_of(hash)]; i != NONE; i = mem.entries[i].chain)
        if (memcmp(mem.entries[i].hash, hash, HASH_BYTES) == 0) return i;
    return NONE;
}

/* A fresh entry for hash: an unused one while there are some, else the oldest, evicted. */
static uint32_t mem_insert(const unsigned char *hash)
{
    uint32_t i;
    if (mem.used < mem.capacity) {
        i = mem.used++;
    } else {
        i = mem.oldest;
        recency_unlink(i);
        chain_unlink(i);
    }
    entry *e = &mem.entries[i];
    memset(e, 0, sizeof *e);
    memcpy(e->hash, hash, HASH_BYTES);
    e->used = true;
    uint32_t b = bucket_of(hash);
    e->chain = mem.buckets[b];
    mem.buckets[b] = i;
    recency_push_front(i);
    return i;
}

static int mem_count(const limit_rule *rule, const unsigned char *hash, bool take, limit_state *st)
{
    int64_t now = now_s();
    pthread_mutex_lock(&mem.lock);
    if (!mem_ready()) { pthread_mutex_unlock(&mem.lock); return LIMIT_ERROR; }
    uint32_t i = mem_find(hash);
    if (i == NONE && !take) {
        pthread_mutex_unlock(&mem.lock);
        *st = (limit_state){0, now, 0};
        return LIMIT_OK;
    }
    if (i == NONE) i = mem_insert(hash);
    entry *e = &mem.entries[i];
    if (now - e->window_start >= rule->window) e->window_start = now, e->count = 0;
    st->last_at = e->last_at;
    if (take) {
        e->count++, e->last_at = now;
        recency_unlink(i), recency_push_front(i);
    }
    st->count = e->count, st->window_start = e->window_start;
    pthread_mutex_unlock(&mem.lock);
    return LIMIT_OK;
}

static void mem_clear(const unsigned char *hash)
{
    pthread_mutex_lock(&mem.lock);
    uint32_t i = mem.entries ? mem_find(hash) : NONE;
    if (i != NONE) mem.entries[i].count = 0, mem.entries[i].window_start = 0;
    pthread_mutex_unlock(&mem.lock);
}

void limiter_reset_memory(void)
{
    pthread_mutex_lock(&mem.lock);
    free(mem.entries), free(mem.buckets);
    mem.entries = NULL, mem.buckets = NULL;
    mem.capacity = mem.nbuckets = mem.used = 0;
    mem.newest = mem.oldest = NONE;
    pthread_mutex_unlock(&mem.lock);
}

int limiter_memory_entries(void)
{
    pthread_mutex_lock(&mem.lock);
    int n = (int)mem.used;
    pthread_mutex_unlock(&mem.lock);
    return n;
}

/* ---- database store ---- */

/* Every SET expression reads the row as it was, on SQLite and PostgreSQL alike: a window that
 * has passed starts over at 1, otherwise the count grows by one. */
static const char *const upsert_sql =
    "INSERT INTO rate_limits (key_hash, window_start, hits, last_at) VALUES (?, ?, 1, ?) "
    "ON CONFLICT (key_hash) DO UPDATE SET "
    "hits = CASE WHEN rate_limits.window_start <= ? THEN 1 ELSE rate_limits.hits + 1 END, "
    "window_start = CASE WHEN rate_limits.window_start <= ? THEN excluded.window_start "
    "ELSE rate_limits.window_start END, last_at = excluded.last_at "
    "RETURNING hits, window_start";

static void db_clean_now_and_then(db *c, int64_t now)
{
    if (atomic_fetch_add(&db_takes, 1) % DB_CLEAN_EVERY != 0) return;
    qb q;
    qb_init(&q, "DELETE FROM rate_limits WHERE last_at < ?");
    qb_int(&q, now - DB_ROW_LIFETIME);
    qb_exec(c, &q, NULL);
}

static int db_read(db *c, const char *hex, const limit_rule *rule, int64_t now, limit_state *st)
{
    db_stmt *s = db_prepare(c, "SELECT hits, window_start, last_at FROM rate_limits WHERE key_hash = ?");
    if (!s) return LIMIT_ERROR;
    db_bind_text(s, 1, hex);
    int rc = db_step(s);
    *st = (limit_state){0, now, 0};
    if (rc == DB_ROW && now - db_col_int(s, 1) < rule->window)
        *st = (limit_state){(int)db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2)};
    else if (rc == DB_ROW)
        st->last_at = db_col_int(s, 2);
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? LIMIT_OK : LIMIT_ERROR;
}

static int db_take(db *c, const char *hex, const limit_rule *rule, int64_t now, limit_state *st)
{
    /* last_at before this attempt, for growing delays; a race between nodes only blurs it. */
    if (db_read(c, hex, rule, now, st) != LIMIT_OK) return LIMIT_ERROR;
    int64_t prev = st->last_at;
    db_stmt *s = db_prepare(c, upsert_sql);
    if (!s) return LIMIT_ERROR;
    int64_t expired = now - rule->window;
    db_bind_text(s, 1, hex);
    db_bind_int(s, 2, now);
    db_bind_int(s, 3, now);
    db_bind_int(s, 4, expired);
    db_bind_int(s, 5, expired);
    int rc = db_step(s);
    if (rc == DB_ROW) *st = (limit_state){(int)db_col_int(s, 0), db_col_int(s, 1), prev};
    db_finish(s);
    if (rc != DB_ROW) return LIMIT_ERROR;
    db_clean_now_and_then(c, now);
    return LIMIT_OK;
}

static int db_count(const limit_rule *rule, const unsigned char *hash, bool take, limit_state *st)
{
    char hex[HASH_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, HASH_BYTES);
    db *c = db_thread();
    if (!c) return LIMIT_ERROR;
    int64_t now = now_s();
    int rc = take ? db_take(c, hex, rule, now, st) : db_read(c, hex, rule, now, st);
    if (rc != LIMIT_OK) log_warn("limiter: rate_limits unavailable (%s)", rule->name);
    return rc;
}

static void db_clear(const unsigned char *hash)
{
    char hex[HASH_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, HASH_BYTES);
    db *c = db_thread();
    db_stmt *s = c ? db_prepare(c, "DELETE FROM rate_limits WHERE key_hash = ?") : NULL;
    if (!s) return;
    db_bind_text(s, 1, hex);
    db_exec_stmt(s);
    db_finish(s);
}

/* ---- the interface ---- */

static int count(const limit_rule *rule, const char *key, bool take, limit_state *state)
{
    limit_state local;
    limit_state *st = state ? state : &local;
    unsigned char hash[HASH_BYTES];
    key_hash(rule, key ? key : "", hash);
    int rc = store == LIMITER_DATABASE ? db_count(rule, hash, take, st) : mem_count(rule, hash, take, st);
    if (rc != LIMIT_OK) return rc;
    /* take: this attempt is allowed while the count including it is within the limit;
     * peek: a next attempt is allowed while the count so far is below it. */
    return take ? (st->count <= limit_max(rule) ? LIMIT_OK : LIMIT_OVER)
                : (st->count < limit_max(rule) ? LIMIT_OK : LIMIT_OVER);
}

int limit_take(const limit_rule *rule, const char *key, limit_state *state)
{
    return count(rule, key, true, state);
}

int limit_peek(const limit_rule *rule, const char *key, limit_state *state)
{
    return count(rule, key, false, state);
}

void limit_clear(const limit_rule *rule, const char *key)
{
    unsigned char hash[HASH_BYTES];
    key_hash(rule, key ? key : "", hash);
    if (store == LIMITER_DATABASE) db_clear(hash);
    else mem_clear(hash);
}

int limit_retry_after(const limit_rule *rule, const limit_state *state)
{
    int64_t left = state->window_start + rule->window - now_s();
    return left > 0 ? (int)left : 0;
}

bool limit_take_or_reply(struct request *r, const limit_rule *rule, const char *key, const char *message)
{
    limit_state st;
    int rc = limit_take(rule, key, &st);
    if (rc == LIMIT_OK) return true;
    if (rc == LIMIT_ERROR) { reply_db_error(r); return false; }
    char after[16];
    snprintf(after, sizeof after, "%d", limit_retry_after(rule, &st));
    reply_error(r, 429, "too_many_attempts", NULL, "%s", message);
    reply_header(r, "Retry-After", after);
    return false;
}
