/* migrate_data.h - copies a whole SQLite deployment into an empty PostgreSQL database
 * (`kepu migrate-data --from PATH.db --to postgresql://...`), verifying row counts per table. */
#ifndef KEPU_MIGRATE_DATA_H
#define KEPU_MIGRATE_DATA_H

/* 0 when every table was copied with equal counts; prints one line per table. */
int migrate_data(const char *from_url, const char *to_url);

#endif
