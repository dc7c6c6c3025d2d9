/* counter.h - yearly serial numbers: the one "next number" of every counter table.
 *
 * A counter table has key columns (a year, perhaps an issuer), a last_seq column and
 * optionally one text column kept from the key's first number (the letters' serial pattern,
 * frozen for the year it started). The next number is one upsert that takes the row's lock:
 *     INSERT INTO <table> (<keys>[, <kept>], last_seq) VALUES (?, ...[, ?], 1)
 *     ON CONFLICT (<keys>) DO UPDATE SET last_seq = <table>.last_seq + 1
 *     RETURNING last_seq[, <kept>]
 * which SQLite (3.35+) and PostgreSQL both run. Called inside the caller's transaction, so a
 * number is used only if the row it numbers is committed with it. */
#ifndef KEPU_DB_COUNTER_H
#define KEPU_DB_COUNTER_H
#include "db/db.h"
#include <stdint.h>

struct arena;

#define DB_COUNTER_MAX_KEYS 4

/* Table and column names are constants of the owning module, never request text. */
typedef struct db_counter {
    const char *table;                        /* "volunteer_counters" */
    const char *keys[DB_COUNTER_MAX_KEYS];    /* its unique key, NULL-terminated: {"year", NULL} */
    const char *kept;                         /* a text column set on insert and returned, or NULL */
} db_counter;

/* Advances the counter at key values key[0..] (one per key column) and yields the new number
 * in *seq. With d->kept, kept is bound on the first number of a key and *kept_out receives
 * the stored value (from the arena a; NULL when the column is NULL). Returns DB_OK or a DB
 * code (DB_ERR when no row came back). */
int db_counter_next(db *c, const db_counter *d, const int64_t *key, const char *kept, struct arena *a,
                    int64_t *seq, const char **kept_out);

#endif
