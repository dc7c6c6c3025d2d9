/* contests.h - knowledge contests and self-assessments (知识竞赛 / 科学素质自测, issue 17 B).
 *
 * A contest belongs to an org: staff of that org's subtree manage it (a district runs its own,
 * the city's is open to the whole city). Its audience is a list of person kinds: the public
 * (players registered by phone, contest_players), students and volunteers (the person keys their
 * phones hold, checkin_keys kinds "student" and "volunteer") and staff (the session).
 *
 * Each attempt draws its own paper from the question bank (src/quiz/quiz.h) by the contest's
 * rules, seeded per attempt, with questions and options shuffled per person; the paper keeps the
 * question versions it showed, and the answer key never leaves the server. One attempt per person
 * is active at a time (a partial unique index, so it holds under concurrent requests and across
 * nodes); daily (Asia/Shanghai) and total limits; the paper's deadline is stored and the server's
 * clock decides (CONTEST_GRACE_S for transit). Answers are upserts keyed (attempt, no). Submit
 * scores the paper, updates the person's best (contest_best) and the district's aggregates
 * (contest_districts) in the same transaction. An attempt past its deadline is scored with what
 * was saved, lazily on its next touch and by the sweep the rankings run.
 *
 * Strings of returned records live in the given arena; nothing here is freed by the caller
 * except where a function says so. */
#ifndef KEPU_CONTESTS_H
#define KEPU_CONTESTS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "model/entity.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum {
    CT_NOT_FOUND = -2600,          /* contest missing, outside scope, or (public) not published */
    CT_ORG_NOT_FOUND = -2601,
    CT_STATE = -2602,              /* the status does not allow this */
    CT_BAD_TIMES = -2603,          /* closes before it opens */
    CT_NOT_OPEN = -2604,           /* outside the contest's window */
    CT_AUDIENCE = -2605,           /* this kind of person does not take part */
    CT_BAD_KEY = -2606,            /* a person key nobody holds */
    CT_ATTEMPT_ACTIVE = -2607,     /* an attempt of this person is still active */
    CT_EXHAUSTED_TODAY = -2608,
    CT_EXHAUSTED = -2609,
    CT_ATTEMPT_NOT_FOUND = -2610,  /* no such attempt, or the token does not match */
    CT_ATTEMPT_OVER = -2611,       /* past the deadline, or submitted */
    CT_QUESTION_NOT_FOUND = -2612, /* a number not in the paper */
    CT_QUESTION_LATE = -2613,      /* past the question's own time */
    CT_NO_QUESTIONS = -2614,       /* the bank has too few reviewed questions for the rules */
    CT_DISTRICT_NOT_FOUND = -2615, /* registration: no such district under the contest's org */
    CT_PHONE_TAKEN = -2616,        /* registration: the phone registered already */
    CT_BAD_ANSWER = -2617,         /* an answer of the wrong shape for its question */
    CT_NOT_SELF = -2618,           /* a self-assessment asked for a ranking or certificates */
};

#define CONTEST_GRACE_S 2          /* transit allowance after a deadline */

extern const char *const contest_kinds[];     /* contest self_assessment */
extern const char *const contest_statuses[];  /* draft published closed */
extern const char *const contest_scorings[];  /* points literacy_national */
extern const char *const contest_audiences[]; /* public student volunteer staff */

typedef struct contest {
    int64_t id, org_id, time_limit_s, question_time_s, attempts_per_day, attempts_total, certificate_top;
    int64_t created_by, question_count, max_score;
    bool shuffle_questions, shuffle_options;
    const char *org_path, *org_name, *title, *kind, *description, *opens_at, *closes_at, *audience, *rules;
    const char *scoring, *status, *published_at, *created_at, *updated_at;
} contest;

extern entity contest_entity;
extern const struct error_row contest_errors[];

/* ---- contests.c ---- */
int contests_publish(db *c, const principal *p, arena *a, int64_t id, contest *out);
int contests_close(db *c, const principal *p, arena *a, int64_t id, contest *out);
/* The contest as p's scope sees it (CT_NOT_FOUND otherwise). */
int contests_get(db *c, const principal *p, arena *a, int64_t id, contest *out);
/* A published or closed contest for the public side (no login: nobody's scope applies; a draft
 * is CT_NOT_FOUND like a missing one). */
int contests_get_public_unscoped(db *c, arena *a, int64_t id, contest *out);
/* A published (or closed) contest p may take as staff: its home org lies in the contest's
 * subtree (a district's staff take the city's contest); CT_NOT_FOUND otherwise. */
int contests_get_to_take(db *c, const principal *p, arena *a, int64_t id, contest *out);
/* Whether audience JSON lists kind ("public" for players). */
bool contest_has_audience(const contest *ct, const char *kind);
/* The window, as unix seconds. */
bool contest_window(const contest *ct, time_t *opens, time_t *closes);

/* ---- attempts.c ---- */
/* Who takes an attempt: kind player|student|volunteer|staff and id; name and district found by
 * the start. */
typedef struct contest_person {
    const char *kind;
    int64_t id;
    const char *org_path;      /* staff: the user's org; others: read from their record */
    const char *name;          /* staff: the user's name */
} contest_person;

/* Starts an attempt and writes {attempt_id, attempt_token, deadline, server_now, questions} to w.
 * *active_id gets the active attempt's id on CT_ATTEMPT_ACTIVE. who: the audit's actor. */
int attempts_start(db *c, arena *a, actor who, const contest *ct, const contest_person *pp, jw *w, int64_t *active_id);
/* The paper again (resume): questions, saved answers, seconds left; the token proves the attempt. */
int attempts_resume(db *c, arena *a, int64_t contest_id, int64_t attempt_id, const char *token, jw *w);
/* Saves one answer (an upsert keyed (attempt, no)). */
int attempts_answer(db *c, arena *a, int64_t contest_id, int64_t attempt_id, const char *token, int no, json_t *answer);
/* Submits (idempotent) and writes {score, max_score, correct, total, rank, literacy?}. */
int attempts_submit(db *c, arena *a, actor who, int64_t contest_id, int64_t attempt_id, const char *token, jw *w);
/* A sample paper drawn now, with each question's key (in its shown labels) and explanation: for
 * staff of the contest only. */
int attempts_preview(db *c, arena *a, const contest *ct, jw *w);
/* Finishes (as expired) the contest's active attempts past their deadline: at most limit. */
int attempts_sweep(db *c, arena *a, int64_t contest_id, int limit);
/* A person's attempts today and in all (for "attempts left"). */
int attempts_counts(db *c, int64_t contest_id, const char *kind, int64_t person_id, int64_t *today, int64_t *total);
/* The person a key stands for (player|student|volunteer): its id; CT_BAD_KEY otherwise. */
int contest_person_of_key(db *c, arena *a, const char *kind, const char *key, int64_t *id);

/* ---- ranking.c ---- */
/* {"items": [{rank, name (masked), district, score, used_s}], "total"} of the persons. */
int ranking_persons(db *c, arena *a, const contest *ct, int64_t limit, int64_t offset, jw *w);
/* {"items": [{org_id, district, population, participants, per_10k, avg_score, rank_per_10k,
 * rank_avg}]} of the districts under the contest's org. */
int ranking_districts(db *c, arena *a, const contest *ct, jw *w);
/* The rank of a score (1 + those better). */
int ranking_rank_of(db *c, int64_t contest_id, int64_t score, int64_t used_s, const char *at, int64_t *rank);
struct xlsx;
int ranking_persons_xlsx(db *c, arena *a, const contest *ct, struct xlsx *x);
int ranking_districts_xlsx(db *c, arena *a, const contest *ct, struct xlsx *x);
/* A name for the public: the first character and * for the rest. In a. */
const char *contest_mask_name(arena *a, const char *name);

/* ---- literacy_score.c ---- */
/* The national method (docs/domain.md "Self-assessment (科学素质自测)"): the 100-point score of
 * 中国公民科学素质调查 (knowledge 40, method 20, science and society 40 = 科学精神与思想 20 +
 * 应用科学的能力 20), each dimension weighted by the share of its points won; a dimension the
 * paper lacks gives its weight to the others. Levels: >= 85 advanced (高阶), >= 70 literate
 * (具备科学素质), >= 55 basic (基本具备), else low. Pure. */
typedef struct literacy_input {
    int64_t got[3], max[3];       /* knowledge, method, society: points won and possible */
} literacy_input;
typedef struct literacy_result {
    bool literate;
    const char *level;            /* advanced | literate | basic | low (static) */
    int total_score;              /* 0..100 */
    int dimensions[3];            /* 0..100 each */
} literacy_result;
literacy_result literacy_national(const literacy_input *in);
/* The dimension of a question category: 0..2, or -1 for none. */
int literacy_dimension(const char *category);

/* ---- players.c / the routes ---- */
void contests_init(void);
void contests_register_routes(void);
void contests_public_register_routes(void);
struct demo_context;
int demo_step_contests(db *c, const struct demo_context *x);

#endif
