/* questions.h - the question bank's records and writes, inside the quiz module (the API, the
 * import and the demo use them; other modules use quiz.h).
 *
 * Scope: staff and up of a node see and write the questions of their subtree (question_entity);
 * they also read, without writing, the questions of their ancestors' banks, which their contests
 * draw from (question_seen_entity). Reviewing needs an administrator of the owning node or above.
 * Status: drafted -> reviewed -> retired. A change of the stem, options, answer or explanation
 * adds a version (questions.version + 1) and sends a reviewed question back to drafted; a change
 * of category, difficulty, source or tags does not. The type never changes (old versions are
 * scored by it). Only a question never reviewed (hence never drawn) can be deleted.
 * Ownership: records' strings live in the caller's arena. */
#ifndef KEPU_QUESTIONS_H
#define KEPU_QUESTIONS_H
#include "quiz/quiz.h"
#include "auth/principal.h"
#include "demo/demo.h"

enum {
    QZ_NOT_FOUND = -2500,
    QZ_ORG_NOT_FOUND = -2501,
    QZ_WRONG_STATE = -2502,      /* 409: review of a non-draft, edit of a retired one */
    QZ_NOT_DELETABLE = -2503,    /* 409: reviewed once (maybe drawn): retire it instead */
    QZ_INCOMPLETE = -2504,       /* 422 at review: the content fails quiz_check (stored text) */
};

typedef struct question {
    int64_t id, org_id, reviewed_by, created_by;
    const char *org_path, *org_name, *type, *category, *status, *stem, *source, *tags;
    int difficulty, version;
    const char *options, *answer, *explanation;   /* the current version's (JSON, JSON, text) */
    const char *reviewed_at, *created_at, *updated_at;
} question;

/* Writes and reads in the writer's scope (model/entity.h). */
extern struct entity question_entity;
/* The same records as read: also those of the ancestors' banks. */
extern struct entity question_seen_entity;
/* A question's version, for its history. */
typedef struct question_version_rec {
    int64_t id, question_id, created_by;
    int version;
    const char *stem, *options, *answer, *explanation, *created_at;
} question_version_rec;
extern struct entity question_version_entity;

extern const char *const quiz_type_names[];      /* NULL-terminated */
extern const char *const quiz_status_names[];
extern const char *const quiz_category_codes[];

/* The entity's writers: create (in: a question with org_id, 0 = the caller's node), update
 * (versions as above), remove. Each runs its own transaction and audit. */
int questions_create(db *c, const principal *p, arena *a, const void *in, void *out);
int questions_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out);
int questions_delete(db *c, const principal *p, arena *a, int64_t id);
/* drafted -> reviewed (checks the stored content) and any -> retired, in the writer's scope. */
int questions_review(db *c, const principal *p, arena *a, int64_t id, question *out);
int questions_retire(db *c, const principal *p, arena *a, int64_t id, question *out);

/* The input rule after the field table (questions_api.c): the content checked with quiz_check. */
struct request;
bool question_input(struct request *r, void *rec, bool creating);

void quiz_register_routes(void);
void quiz_import_register_routes(void);
/* The demo city's bank: ~80 reviewed questions of the city (quiz_demo.c). */
int demo_step_quiz(db *c, const demo_context *x);

#endif
