/* calls_verify.h - `kepu calls verify`: the calls engine's kept counters recomputed from their
 * records and compared, read-only (calls_verify.c). */
#ifndef KEPU_CALLS_VERIFY_H
#define KEPU_CALLS_VERIFY_H
#include "db/db.h"
#include <stdint.h>
#include <stdio.h>

/* Compares, for every call: calls.entries_total with its entries; each call_unit_counts row with
 * the entries of its unit (drafts, submitted, returned, late, recommended, withdrawn); the score
 * aggregates of each reviewed entry and its sheets' outlier flags with what
 * calls_rebuild_aggregates() computes (run inside a transaction that is rolled back); and the
 * statistics keys call_entries.*, titles.* and titles_revoked.* (day and month roll-ups) with the
 * entries and designations they count. Each difference is one line on out naming the counter;
 * *differences counts them. DB_OK when every comparison ran (whatever it found). */
int calls_verify(db *c, FILE *out, int64_t *differences);

#endif
