/* deltas.h - roll-up deltas coalesced per write transaction (private to stats/).
 *
 * stats_add() and stats_add_keys() append their rows (node x grain x bucket [x key] and the
 * signed values) to the connection's pending list; the outermost COMMIT (db.h, "work deferred")
 * sums rows of the same node, grain, bucket and key and writes each once, in multi-row upserts.
 * A group commit's failed job's rows are dropped with its savepoint. Outside a transaction the
 * rows are written at once. The state belongs to the connection (db_deferred_state) and is
 * freed with it. */
#ifndef KEPU_STATS_DELTAS_H
#define KEPU_STATS_DELTAS_H
#include "db/db.h"
#include "stats/stats.h"

/* Adds sign * (values, or each key's value when keys is not NULL) to the node of every id of
 * ids[0..n) on day and its month. Key names are copied. DB_OK or a DB code (out of memory). */
int deltas_add(db *c, const int64_t *ids, int n, const char *day, const stats_key *keys, int nkeys,
               const stats_values *v, int sign);

#endif
