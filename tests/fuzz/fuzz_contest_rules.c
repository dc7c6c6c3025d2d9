/* fuzz_contest_rules.c - libFuzzer harness for what a contest reads from a client (src/contests/):
 * the rules and audience checkers of its field table, fed arbitrary JSON, and the national
 * literacy method fed arbitrary points. Input: JSON text (rules and audience both check it); the
 * first 48 bytes also make six integers for the literacy method.
 * Promises checked: a checker either refuses with a "中文 / English" message or yields JSON text that
 * passes the checker again unchanged (a round trip); accepted rules make at most 200 questions
 * worth at most 100 points each; the literacy result stays within 0..100 everywhere, and is
 * literate exactly when its total reaches 70. */
#include "fuzz.h"
#include "contests/contests.h"
#include <jansson.h>

static void round_trip(arena *a, const char *name, json_t *v)
{
    const field *f = entity_field(&contest_entity, name);
    const char *out = NULL, *msg = f->check_json(a, v, &out);
    if (msg) {
        FUZZ_CHECK(strstr(msg, " / ") != NULL);
        return;
    }
    FUZZ_CHECK(out != NULL);
    json_t *again = json_loads(out, 0, NULL);
    FUZZ_CHECK(again != NULL);
    const char *out2 = NULL;
    FUZZ_CHECK(f->check_json(a, again, &out2) == NULL && strcmp(out, out2) == 0);
    json_decref(again);
    if (strcmp(name, "rules")) return;
    contest ct = {.rules = out};
    contest_entity.on_read(&ct, a);
    FUZZ_CHECK(ct.question_count >= 1 && ct.question_count <= 200);
    FUZZ_CHECK(ct.max_score >= ct.question_count && ct.max_score <= ct.question_count * 100);
}

static void literacy(const uint8_t *data, size_t size)
{
    int64_t v[6] = {0};
    for (size_t i = 0; i < 6 && (i + 1) * 8 <= size; i++) memcpy(&v[i], data + i * 8, 8);
    literacy_input in = {{v[0], v[1], v[2]}, {v[3] % 1000000000, v[4] % 1000000000, v[5] % 1000000000}};
    for (int i = 0; i < 3; i++) in.got[i] %= 1000000000;
    literacy_result r = literacy_national(&in);
    FUZZ_CHECK(r.total_score >= 0 && r.total_score <= 100);
    for (int i = 0; i < 3; i++) FUZZ_CHECK(r.dimensions[i] >= 0 && r.dimensions[i] <= 100);
    FUZZ_CHECK(r.literate == (r.total_score >= 70));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a);
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (v) {
        round_trip(&a, "rules", v);
        round_trip(&a, "audience", v);
        json_decref(v);
    }
    literacy(data, size);
    arena_free(&a);
    return 0;
}
