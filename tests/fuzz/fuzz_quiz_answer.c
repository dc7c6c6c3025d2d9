/* fuzz_quiz_answer.c - libFuzzer harness for the question bank's answer texts (quiz/quiz.h): the
 * import's answer column (quiz_answer_parse), the scoring of a given answer (quiz_answer_correct),
 * the fill-in folding (quiz_fold_text) and the content check (quiz_check).
 * Input: a first byte choosing the type (4 types) and the option count (2..8), then an answer
 * text, a newline and a JSON value taken as a given answer. Promises checked: a parsed key passes
 * quiz_check with that many options, is canonical (quiz_answer_canonical) and scores its own canonical answer correct; a refusal says
 * why in "中文 / English"; folding is idempotent and never lengthens the text; no given answer,
 * however malformed, crashes the scorer or counts for a key that is not one. */
#include "fuzz.h"
#include "quiz/quiz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

static json_t *options_of(int n)
{
    json_t *o = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(o, json_sprintf("选项%d", i + 1));
    return o;
}

/* The answer a participant would send for key: the key itself, or one accepted text. */
static json_t *canonical(const char *type, json_t *key)
{
    if (!strcmp(type, "fill_in")) return json_incref(json_array_get(key, 0));
    return json_incref(key);
}

static void check_parsed(const char *type, int n, json_t *key)
{
    bool choice = !strcmp(type, "single") || !strcmp(type, "multiple");
    json_t *o = choice ? options_of(n) : NULL;
    FUZZ_CHECK(quiz_check(type, "题干", o, key, NULL) == NULL);
    json_t *again = quiz_answer_canonical(type, key);   /* a parsed key is already canonical */
    FUZZ_CHECK(again && json_equal(again, key));
    json_decref(again);
    char *text = json_dumps(key, JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *given = canonical(type, key);
    FUZZ_CHECK(text && quiz_answer_correct(type, text, given));
    free(text);
    json_decref(given);
    json_decref(o);
}

static void check_fold(const char *s)
{
    arena a;
    arena_init(&a);
    char *once = quiz_fold_text(&a, s), *twice = quiz_fold_text(&a, once);
    FUZZ_CHECK(once && twice && strlen(once) <= strlen(s) && !strcmp(once, twice));
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {"single", "multiple", "true_false", "fill_in"};
    if (size < 1) return 0;
    const char *type = types[data[0] & 3];
    int n = 2 + (data[0] >> 2) % 7;
    arena a;
    arena_init(&a);
    char *part[2] = {NULL, NULL};
    int parts = fuzz_split(&a, data + 1, size - 1, '\n', part, 2);
    const char *err = NULL;
    json_t *key = quiz_answer_parse(type, part[0], n, &err);
    if (key) check_parsed(type, n, key);
    else FUZZ_CHECK(err && strstr(err, " / "));
    check_fold(part[0]);
    if (parts > 1) {
        check_fold(part[1]);
        json_t *given = json_loads(part[1], JSON_DECODE_ANY, NULL);
        if (given) {
            char *text = key ? json_dumps(key, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
            (void)quiz_answer_correct(type, text ? text : part[0], given);
            /* the given value taken as a key: a key that is not one never scores */
            char *as_key = json_dumps(given, JSON_COMPACT | JSON_ENCODE_ANY);
            json_t *o = options_of(n);
            bool valid = quiz_check(type, "题干", !strcmp(type, "single") || !strcmp(type, "multiple") ? o : NULL,
                                    given, NULL) == NULL;
            if (!valid && as_key && !strcmp(type, "true_false")) FUZZ_CHECK(!quiz_answer_correct(type, as_key, given));
            free(as_key), free(text);
            json_decref(o), json_decref(given);
        }
    }
    json_decref(key);
    arena_free(&a);
    return 0;
}
