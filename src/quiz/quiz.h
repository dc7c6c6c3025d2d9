/* quiz.h - the question bank (题库): what other modules (contests, literacy) may call.
 *
 * A question belongs to an org's bank (org_id, org_path); the bank of a node is usable by its
 * whole subtree (a contest of a district draws from the district's bank and from every ancestor's
 * bank). What is asked and what is right live in versions (question_versions): a paper stores
 * (question_id, version) and is scored by that version's key, so an edit never changes the result
 * of an attempt made earlier.
 *
 * Types: single (answer key "B"), multiple (["A","C"]), true_false (true | false), fill_in
 * (["答案", "同义答案"], any of them). Options are a JSON array of texts; labels A, B, C ...
 * follow their order. Only `reviewed` questions are drawn.
 *
 * Ownership: everything returned lives in the caller's arena; nothing here needs freeing.
 * Functions named *_unscoped read without a caller's scope: the contest engine uses them on
 * questions it already chose through its own scoped contest (see each comment). */
#ifndef KEPU_QUIZ_H
#define KEPU_QUIZ_H
#include "core/arena.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define QUIZ_MAX_OPTIONS 8       /* choice questions carry 2..8 options, labels A..H */
#define QUIZ_MAX_FILL 5          /* a fill-in question accepts 1..5 texts */
#define QUIZ_MAX_DIFFICULTY 5

typedef struct quiz_category {
    const char *code;            /* stored in questions.category */
    const char *zh, *en;         /* names for messages and exports */
    bool literacy;               /* one of the three literacy dimensions */
} quiz_category;

/* The 16 course topics of the teaching module (teaching_categories) then the literacy
 * dimensions lit_knowledge, lit_method, lit_society; terminated by a row with code NULL. */
extern const quiz_category quiz_categories[];
/* The row of a category code, or NULL for an unknown one. */
const quiz_category *quiz_category_find(const char *code);
/* Whether type is one of single, multiple, true_false, fill_in. */
bool quiz_type_valid(const char *type);

/* One version of a question, as a paper shows and scores it. */
typedef struct quiz_version {
    int64_t question_id;
    int version;
    const char *type, *category;
    int difficulty;
    const char *stem;
    const char *options_json;    /* JSON array of texts; NULL for true_false and fill_in */
    const char *answer_json;     /* the key, JSON as above */
    const char *explanation;     /* may be NULL */
} quiz_version;

/* Reads version `version` of a question (strings in a). Unscoped: for the contest engine, on a
 * (question_id, version) its paper already holds. DB_OK, DB_DONE when there is no such version,
 * or a DB code. */
int quiz_version_get_unscoped(db *c, arena *a, int64_t question_id, int version, quiz_version *out);

/* Whether `given` answers a question of `type` whose key is answer_key_json. Pure.
 * single: a label string ("b" folds to "B"; an array of one label is taken too);
 * multiple: an array of labels (or a string of letters "AC"), the same set as the key, in any
 * order, duplicates ignored; true_false: a JSON boolean; fill_in: a string matching any accepted
 * text after trimming spaces (full-width ones too), folding full-width ASCII to half-width and
 * upper case to lower case. Anything malformed (key or given) is false. */
bool quiz_answer_correct(const char *type, const char *answer_key_json, json_t *given);

/* Normalises a fill-in text as quiz_answer_correct() compares it: trimmed, full-width ASCII
 * (U+FF01..U+FF5E, U+3000) to half-width, ASCII lower case. Returns text from a. */
char *quiz_fold_text(arena *a, const char *s);

/* Checks a question's content: stem non-empty, options (a JSON array of 2..8 non-empty texts for
 * single and multiple; none for the others) and the answer key consistent with them (single:
 * exactly one label among the options; multiple: at least two distinct labels; true_false: a
 * boolean; fill_in: 1..5 non-empty texts). NULL when complete, else a static "中文 / English"
 * message; *field (when not NULL) names the JSON field at fault. */
const char *quiz_check(const char *type, const char *stem, json_t *options, json_t *answer,
                       const char **field);

/* The key as stored, for an answer quiz_check() accepted: a single label upper-cased ("b" ->
 * "B"), a multiple answer's labels sorted without repeats (["c","a","a"] -> ["A","C"]), fill-in
 * texts trimmed. A new reference (json_decref it), NULL when answer is not a key of type. */
json_t *quiz_answer_canonical(const char *type, json_t *answer);

/* Parses the answer column of an import workbook into a key: "B" (single), "AC" or "A,C"
 * (multiple), 对/错/正确/错误/√/×/T/F/true/false (true_false), "答案1|答案2" (fill_in; a
 * full-width ｜ separates too).
 * n_options bounds the labels of choice types. Returns a new JSON reference (the caller
 * json_decref()s it) or NULL with *err set to a static "中文 / English" message. */
json_t *quiz_answer_parse(const char *type, const char *text, int n_options, const char **err);

/* A question drawn for a paper. */
typedef struct quiz_pick {
    int64_t question_id;
    int version;                 /* the current version at the draw */
} quiz_pick;

typedef struct quiz_drawn {
    int n;                       /* how many were drawn: fewer than asked when the bank is short */
    quiz_pick *items;            /* n picks from the arena, in drawn (random) order */
} quiz_drawn;

/* Draws n distinct reviewed questions of category (difficulty 1..5, or 0 for any) from the banks
 * visible to the org at org_path (its own and its ancestors'), at random from seed: the same bank
 * and seed give the same picks. One index range per call (questions_draw), never a scan per
 * question. Unscoped: the contest engine draws for a participant who may not read the bank; the
 * owner's path comes from the contest it read in scope. Returns the number drawn (out->n, which
 * may be < n) or a negative DB code. */
int quiz_draw_unscoped(db *c, arena *a, const char *org_path, const char *category, int difficulty,
                       int n, uint64_t seed, quiz_drawn *out);

#endif
