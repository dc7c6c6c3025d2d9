/* activities_bulk.c - the documented bulk path: raw activity records inserted directly (for
 * imports and benchmarks of millions of records), after which the caller rebuilds the
 * statistics with stats_rebuild(); `kepu stats verify` then proves them exact. */
#include "activities/activities.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 50000

int activities_bulk_generate(db *c, int64_t count, int year)
{
    static const char *const audiences[] = {"youth", "farmers", "workers", "elderly", "officials", "public"};
    static const char *const kinds[] = {"lecture", "training", "publicity", "exhibition", "contest", "volunteer",
                                        "community", "campus", "rural", "live", "video"};
    db_stmt *s = db_prepare(c, "SELECT id, path FROM orgs WHERE type IN ('point', 'street', 'district', 'society', 'base')");
    if (!s) return -1;
    int64_t *ids = NULL;
    char **paths = NULL;
    int n = 0, cap = 0;
    while (db_step(s) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            ids = realloc(ids, sizeof *ids * (size_t)cap);
            paths = realloc(paths, sizeof *paths * (size_t)cap);
        }
        ids[n] = db_col_int(s, 0);
        paths[n++] = strdup(db_col_text(s, 1));
    }
    db_finish(s);
    if (n == 0) return -1;
    char now[32];
    time_now_rfc3339(now);
    srand(77);
    int rc = DB_OK;
    for (int64_t done = 0; rc == DB_OK && done < count;) {
        rc = db_begin(c);
        for (int64_t k = 0; rc == DB_OK && k < BATCH && done < count; k++, done++) {
            int o = rand() % n;
            char day[11];
            snprintf(day, sizeof day, "%04u-%02u-%02u", (unsigned)year % 10000u, 1u + (unsigned)rand() % 12u,
                     1u + (unsigned)rand() % 28u);
            s = db_prepare(c, "INSERT INTO activities (org_id, org_path, kind, title, start_date, end_date, "
                              "participants, materials, videos, views, volunteers, volunteer_hours, funds, "
                              "created_at, updated_at, audience) VALUES (?, ?, ?, '批量活动', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            if (!s) { rc = DB_ERR; break; }
            db_bind_int(s, 1, ids[o]);
            db_bind_text(s, 2, paths[o]);
            db_bind_text(s, 3, kinds[rand() % 11]);
            db_bind_text(s, 4, day);
            db_bind_text(s, 5, day);
            db_bind_int(s, 6, 20 + rand() % 300);
            db_bind_int(s, 7, rand() % 500);
            db_bind_int(s, 8, rand() % 3);
            db_bind_int(s, 9, rand() % 2000);
            db_bind_int(s, 10, rand() % 10);
            db_bind_int(s, 11, rand() % 30);
            db_bind_int(s, 12, rand() % 2000);
            db_bind_text(s, 13, now);
            db_bind_text(s, 14, now);
            db_bind_text(s, 15, audiences[rand() % 6]);
            rc = db_exec_stmt(s);
            db_finish(s);
        }
        rc = rc == DB_OK ? db_commit(c) : (db_rollback(c), rc);
    }
    for (int i = 0; i < n; i++) free(paths[i]);
    free(paths);
    free(ids);
    return rc == DB_OK ? 0 : -1;
}
