/* fuzz_call_form.c - libFuzzer harness for a call's form (calls/call_form.c): the definition check
 * and the value check, fed arbitrary JSON. Input: a form's definition, a newline, then values.
 * The values are checked against the input's form when its definition passes (the only way the
 * server ever checks values), and always against a fixed form holding every field type (as the
 * builtin templates use them), both as a draft and on submit; call_form_file_ids then walks them.
 * Promises checked: a check fails with a code, a message and a place in its part ("form..." or
 * "values..."); a passing definition still passes after a round trip through its JSON text; values
 * that pass on submit also pass as a draft; the file ids found never exceed the given room. */
#include "fuzz.h"
#include "calls/calls.h"
#include <jansson.h>

/* every type, with the members the builtin templates give them (migration 024) */
static const char full_form[] =
    "[{\"key\":\"title\",\"label\":\"题目\",\"type\":\"text\",\"required\":true,\"max\":100},"
    "{\"key\":\"summary\",\"label\":\"简介\",\"type\":\"long_text\",\"max\":2000},"
    "{\"key\":\"visitors\",\"label\":\"人次\",\"type\":\"number\",\"min\":0,\"max\":366},"
    "{\"key\":\"amount\",\"label\":\"金额\",\"type\":\"money\",\"required\":true},"
    "{\"key\":\"date\",\"label\":\"日期\",\"type\":\"date\",\"min\":\"2026-01-01\",\"max\":\"2026-12-31\"},"
    "{\"key\":\"category\",\"label\":\"类别\",\"type\":\"choice\",\"options\":[\"甲\",\"乙\",\"丙\"]},"
    "{\"key\":\"tags\",\"label\":\"标签\",\"type\":\"choice\",\"multiple\":true,\"options\":[\"a\",\"b\"]},"
    "{\"key\":\"point\",\"label\":\"教学点\",\"type\":\"node\",\"org_types\":[\"point\"]},"
    "{\"key\":\"teacher\",\"label\":\"教师\",\"type\":\"person\",\"person_kind\":\"teacher\"},"
    "{\"key\":\"files\",\"label\":\"附件\",\"type\":\"file\",\"max_files\":3},"
    "{\"key\":\"photos\",\"label\":\"照片\",\"type\":\"photo\"},"
    "{\"key\":\"sihua\",\"label\":\"四化\",\"type\":\"checklist\",\"required\":true,\"items\":["
    "{\"key\":\"standard\",\"label\":\"标准化\",\"evidence\":true},{\"key\":\"normal\",\"label\":\"规范化\"}]},"
    "{\"key\":\"staff\",\"label\":\"人员\",\"type\":\"rows\",\"min_rows\":1,\"max_rows\":5,\"columns\":["
    "{\"key\":\"name\",\"label\":\"姓名\",\"type\":\"text\",\"required\":true,\"max\":50},"
    "{\"key\":\"amount\",\"label\":\"金额\",\"type\":\"money\"}]},"
    "{\"key\":\"courses\",\"label\":\"开课\",\"type\":\"figure\",\"metric\":\"activities\",\"period\":\"call_year\"},"
    "{\"key\":\"taught\",\"label\":\"授课\",\"type\":\"figure\",\"metric\":\"teacher_courses\",\"of\":\"teacher\"}]";

static json_t *full;

/* the builtin templates' person figure, so a form may name it as the server's would */
static int no_courses(db *c, int64_t id, const char *from, const char *to, int64_t *out)
{
    (void)c, (void)id, (void)from, (void)to;
    *out = 0;
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    calls_register_figure("teacher_courses", "授课", CALL_FIGURE_PERSON, no_courses);
    call_form_error err;
    full = json_loads(full_form, 0, NULL);
    if (!full || !call_form_check_def(full, &err)) {
        fprintf(stderr, "fuzz_call_form: the fixed form fails its own check at %s\n", full ? err.field : "?");
        abort();
    }
    return 0;
}

static void check_failure(const call_form_error *err, const char *part)
{
    FUZZ_CHECK(err->code && err->message && *err->message);
    FUZZ_CHECK(!strcmp(err->code, "invalid_field") || !strcmp(err->code, "required") ||
               !strcmp(err->code, "unknown_field"));
    FUZZ_CHECK(!strncmp(err->field, part, strlen(part)));
}

static void check_values(json_t *form, json_t *values)
{
    call_form_error err;
    bool submit = call_form_check_values(form, values, true, &err);
    if (!submit) check_failure(&err, "values");
    bool draft = call_form_check_values(form, values, false, &err);
    if (!draft) check_failure(&err, "values");
    FUZZ_CHECK(!submit || draft);
    if (draft) {
        int64_t ids[4];
        int n = call_form_file_ids(form, values, ids, 4);
        FUZZ_CHECK(n >= 0);
    }
}

static void check_def(json_t *form)
{
    call_form_error err;
    if (!call_form_check_def(form, &err)) {
        check_failure(&err, "form");
        return;
    }
    char *text = json_dumps(form, JSON_COMPACT);
    json_t *again = text ? json_loads(text, 0, NULL) : NULL;
    FUZZ_CHECK(again && call_form_check_def(again, &err));
    json_decref(again);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a);
    char *part[2] = {NULL, NULL};
    int n = fuzz_split(&a, data, size, '\n', part, 2);
    json_t *form = json_loads(part[0], JSON_DECODE_ANY, NULL);
    json_t *values = n > 1 ? json_loads(part[1], JSON_DECODE_ANY, NULL) : NULL;
    call_form_error err;
    if (form) check_def(form);
    if (form && values && call_form_check_def(form, &err)) check_values(form, values);
    if (values) check_values(full, values);
    if (form) check_values(full, form);   /* the first piece as values too: no newline needed */
    json_decref(form);
    json_decref(values);
    arena_free(&a);
    return 0;
}
