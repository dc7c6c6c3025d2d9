/* contests_internal.h - what the contest module's files share (not for other modules).
 * Strings live in the given arena. */
#ifndef KEPU_CONTESTS_INTERNAL_H
#define KEPU_CONTESTS_INTERNAL_H
#include "contests/contests.h"

/* Scores attempt id (still active) with what was saved and ends it as status ("submitted" or
 * "expired"): its answers marked, the person's best and the district's aggregates moved, audited
 * as who. Inside the caller's transaction; an attempt no longer active is left as it is. */
int attempt_finish(db *c, arena *a, actor who, int64_t id, const char *status);
/* One question as the page shows it (no key; options in the person's order). */
void paper_write_question(jw *w, int no, const char *type, const char *stem, const char *options_json,
                          const char *order, int points, int64_t time_s);
/* The attempt's row proven by its token: status, deadline, question time, contest. */
typedef struct attempt_row {
    int64_t id, contest_id, deadline_s, question_time_s, started_s;
    const char *status;
} attempt_row;
/* CT_ATTEMPT_NOT_FOUND when no attempt of the contest has this id and token. */
int attempt_by_token(db *c, arena *a, int64_t contest_id, int64_t id, const char *token, attempt_row *out);
/* The same by the token's stored hash (attempt_token_hash(): in the arena, NULL for no token), for
 * the writes, which take the keyed hash before their transaction rather than inside the group
 * commit's serial section. */
const char *attempt_token_hash(arena *a, const char *token);
int attempt_by_token_hash(db *c, arena *a, int64_t contest_id, int64_t id, const char *token_hash, attempt_row *out);

struct request;
/* 409 attempt_active whose params[0] is the active attempt's id (the page resumes it). */
void contests_reply_active(struct request *r, int64_t active_id);

/* certificates.c: its routes (issue, verify, the holder's PDF). */
void contests_cert_register_routes(void);

/* A public player of ct in district district_id (a district under ct's org), with the person key
 * its phone keeps (*key, in a); its own transaction. Unscoped: the public registration and the
 * demo, with no user; the phone is stored encrypted with its blind index. CT_PHONE_TAKEN,
 * CT_DISTRICT_NOT_FOUND. */
int contest_player_register_unscoped(db *c, arena *a, actor who, const contest *ct, const char *name, const char *phone,
                                     int64_t district_id, int64_t *id, const char **district, const char **key);
/* attempts_start with a given seed (the demo's papers are the same on every run); 0: random. */
int attempts_start_seeded(db *c, arena *a, actor who, const contest *ct, const contest_person *pp, uint64_t seed, jw *w,
                          int64_t *active_id);

/* players_find.c: the player's "find me" routes (an SMS code for the key again). */
void contests_find_register_routes(void);

#endif
