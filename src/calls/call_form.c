/* call_form.c - the field types of a call's form, declared once (calls.h): each type checks its
 * definition and its values; figures are computed through a registry (statistics metrics are
 * node figures without registering). Pure functions except calls_compute_figures. */
#include "calls/calls.h"
#include "core/period.h"
#include "core/validate.h"
#include "http/reply.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

#define TEXT_MAX 200
#define LONG_TEXT_MAX 5000
#define MONEY_MAX 1000000000LL
#define NUMBER_LIMIT 1000000000000LL
#define FILES_MAX 20
#define ROWS_MAX 200
#define ITEMS_MAX 40

/* Every message a check returns: in the catalog (GET /api/v1/messages) for the UI. */
MESSAGE(cf_m0, "字段定义的成员无效 / invalid member of a field definition");
MESSAGE(cf_m1, "应为文本 / must be a text");
MESSAGE(cf_m2, "文本过长 / text too long");
MESSAGE(cf_m3, "应为单行文本 / one line only");
MESSAGE(cf_m4, "应为范围内的整数 / must be an integer within the field's range");
MESSAGE(cf_m5, "金额应为不超过上限的非负整数（元） / an amount in whole yuan, 0 to the field's maximum");
MESSAGE(cf_m6, "应为范围内的日期 YYYY-MM-DD / a date YYYY-MM-DD within the field's range");
MESSAGE(cf_m7, "选项重复 / duplicate option");
MESSAGE(cf_m8, "不是本字段的选项 / not an option of this field");
MESSAGE(cf_m9, "应为选项的数组 / must be an array of options");
MESSAGE(cf_m10, "应为编号 / must be an id");
MESSAGE(cf_m11, "应为 {\"id\": 编号} 或 {\"name\": 姓名} / must be {\"id\": n} or {\"name\": text}");
MESSAGE(cf_m12, "应为附件编号的数组，不超过上限 / an array of file ids, at most the field's maximum");
MESSAGE(cf_m13, "应为附件编号 / must be file ids");
MESSAGE(cf_m14, "请上传附件 / a file is required");
MESSAGE(cf_m15, "清单项须有唯一 key 和 label / each item needs a unique key and a label");
MESSAGE(cf_m16, "应为清单对象 / must be an object of items");
MESSAGE(cf_m17, "本清单没有这一项 / no such item in this checklist");
MESSAGE(cf_m18, "应为 {\"ok\": 是否, \"files\": [附件]} / must be {\"ok\": bool, \"files\": [ids]}");
MESSAGE(cf_m19, "已勾选的项须附证明材料 / a checked item needs its evidence");
MESSAGE(cf_m20, "每一项都须填写 / every item must be answered");
MESSAGE(cf_m21, "不是已知的统计指标 / not a known figure");
MESSAGE(cf_m22, "由统计自动生成，不能填写 / computed from the statistics, not typed");
MESSAGE(cf_m23, "字段定义应为对象 / a field definition must be an object");
MESSAGE(cf_m24, "key 应为 1-32 个小写字母、数字或 _ / key: 1-32 of a-z 0-9 _");
MESSAGE(cf_m25, "key 重复 / duplicate key");
MESSAGE(cf_m26, "缺少名称 / label is required");
MESSAGE(cf_m27, "未知的字段类型 / unknown field type");
MESSAGE(cf_m28, "应为对象 / must be an object");
MESSAGE(cf_m29, "本表没有这个字段 / no such field in this form");
MESSAGE(cf_m30, "必填 / required");
MESSAGE(cf_m31, "行数超过上限 / too many rows");
MESSAGE(cf_m32, "行数不足 / too few rows");
MESSAGE(cf_m33, "form 应为 1 至 60 个字段 / form: 1 to 60 fields");
MESSAGE(cf_m34, "values 应为对象 / values must be an object");

typedef struct field_type {
    const char *name;
    bool scalar;    /* allowed as a column of rows */
    /* NULL when good, else the message; d is the definition (its common members checked). */
    const char *(*check_def)(json_t *d, char *at, size_t atn);
    /* NULL when good, else the message; at receives a sub-place (".3.col") when any. */
    const char *(*check_value)(json_t *d, json_t *v, bool complete, char *at, size_t atn);
} field_type;


/* Whether v is a text of list (str_in_list takes no NULL: a member given as a number, an object or
 * not at all is simply not in the list). */
static bool one_of(json_t *v, const char *const *list)
{
    const char *s = json_string_value(v);
    return s && str_in_list(s, list);
}

static bool opt_int(json_t *d, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    json_t *v = json_object_get(d, name);
    if (!v) return true;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) return false;
    *out = json_integer_value(v);
    return true;
}

static const char *def_text(json_t *d, char *at, size_t atn)
{
    int64_t max = 0;
    if (!opt_int(d, "max", 1, LONG_TEXT_MAX, &max)) return snprintf(at, atn, ".max"), cf_m0;
    return NULL;
}

static const char *value_text_n(json_t *d, json_t *v, int64_t dflt)
{
    int64_t max = dflt;
    opt_int(d, "max", 1, LONG_TEXT_MAX, &max);
    const char *s = json_string_value(v);
    if (!s || !utf8_valid(s, strlen(s)) || has_invisible_controls(s)) return cf_m1;
    if ((int64_t)utf8_chars(s) > max) return cf_m2;
    return NULL;
}

static const char *val_text(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)complete, (void)at, (void)atn;
    const char *m = value_text_n(d, v, TEXT_MAX);
    if (!m && (strchr(json_string_value(v), '\n') || strchr(json_string_value(v), '\r'))) return cf_m3;
    return m;
}

static const char *val_long_text(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)complete, (void)at, (void)atn;
    return value_text_n(d, v, LONG_TEXT_MAX);
}

static const char *def_number(json_t *d, char *at, size_t atn)
{
    int64_t lo = -NUMBER_LIMIT, hi = NUMBER_LIMIT;
    if (!opt_int(d, "min", -NUMBER_LIMIT, NUMBER_LIMIT, &lo)) return snprintf(at, atn, ".min"), cf_m0;
    if (!opt_int(d, "max", -NUMBER_LIMIT, NUMBER_LIMIT, &hi) || hi < lo) return snprintf(at, atn, ".max"), cf_m0;
    return NULL;
}

static const char *val_number(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)complete, (void)at, (void)atn;
    int64_t lo = -NUMBER_LIMIT, hi = NUMBER_LIMIT;
    opt_int(d, "min", -NUMBER_LIMIT, NUMBER_LIMIT, &lo);
    opt_int(d, "max", -NUMBER_LIMIT, NUMBER_LIMIT, &hi);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return cf_m4;
    return NULL;
}

static const char *def_money(json_t *d, char *at, size_t atn)
{
    int64_t max = 0;
    if (!opt_int(d, "max", 1, MONEY_MAX, &max)) return snprintf(at, atn, ".max"), cf_m0;
    return NULL;
}

static const char *val_money(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)complete, (void)at, (void)atn;
    int64_t max = MONEY_MAX;
    opt_int(d, "max", 1, MONEY_MAX, &max);
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
        return cf_m5;
    return NULL;
}

static const char *def_date(json_t *d, char *at, size_t atn)
{
    static const char *const bounds[] = {"min", "max"};
    for (int i = 0; i < 2; i++) {
        json_t *b = json_object_get(d, bounds[i]);
        if (b && !day_valid(json_string_value(b))) return snprintf(at, atn, ".%s", bounds[i]), cf_m0;
    }
    return NULL;
}

static const char *val_date(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)complete, (void)at, (void)atn;
    const char *s = json_string_value(v), *lo = json_string_value(json_object_get(d, "min")),
               *hi = json_string_value(json_object_get(d, "max"));
    if (!s || !day_valid(s) || (lo && strcmp(s, lo) < 0) || (hi && strcmp(s, hi) > 0))
        return cf_m6;
    return NULL;
}

static const char *def_choice(json_t *d, char *at, size_t atn)
{
    json_t *o = json_object_get(d, "options"), *m = json_object_get(d, "multiple");
    size_t i;
    json_t *x;
    if (!json_is_array(o) || json_array_size(o) == 0 || json_array_size(o) > 50) return snprintf(at, atn, ".options"), cf_m0;
    json_array_foreach(o, i, x) {
        if (!valid_name(json_string_value(x), 50)) return snprintf(at, atn, ".options.%zu", i), cf_m0;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(json_string_value(json_array_get(o, k)), json_string_value(x)))
                return snprintf(at, atn, ".options.%zu", i), cf_m7;
    }
    if (m && !json_is_boolean(m)) return snprintf(at, atn, ".multiple"), cf_m0;
    return NULL;
}

static bool is_option(json_t *d, json_t *v)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(d, "options"), i, x) if (json_equal(x, v) && json_is_string(v)) return true;
    return false;
}

static const char *val_choice(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)complete;
    const char *bad = cf_m8;
    if (!json_is_true(json_object_get(d, "multiple"))) return is_option(d, v) ? NULL : bad;
    if (!json_is_array(v)) return cf_m9;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (!is_option(d, x)) return snprintf(at, atn, ".%zu", i), bad;
    return NULL;
}

static const char *def_node(json_t *d, char *at, size_t atn)
{
    json_t *t = json_object_get(d, "org_types");
    size_t i;
    json_t *x;
    if (t && !json_is_array(t)) return snprintf(at, atn, ".org_types"), cf_m0;
    json_array_foreach(t, i, x) if (!one_of(x, org_types))
        return snprintf(at, atn, ".org_types.%zu", i), cf_m0;
    return NULL;
}

static const char *val_id(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)d, (void)complete, (void)at, (void)atn;
    return json_is_integer(v) && json_integer_value(v) > 0 ? NULL : cf_m10;
}

static const char *def_person(json_t *d, char *at, size_t atn)
{
    static const char *const kinds[] = {"teacher", "volunteer", "resource", "any", NULL};
    if (!one_of(json_object_get(d, "person_kind"), kinds))
        return snprintf(at, atn, ".person_kind"), cf_m0;
    return NULL;
}

/* A person of the pool {"id": n}, or typed {"name": text}, never both. */
static const char *val_person(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)d, (void)complete, (void)at, (void)atn;
    const char *bad = cf_m11;
    json_t *id = json_object_get(v, "id"), *name = json_object_get(v, "name");
    if (!json_is_object(v) || json_object_size(v) != 1) return bad;
    if (id) return json_is_integer(id) && json_integer_value(id) > 0 ? NULL : bad;
    return valid_name(json_string_value(name), 50) ? NULL : bad;
}

static const char *def_files(json_t *d, char *at, size_t atn)
{
    int64_t max = 0;
    if (!opt_int(d, "max_files", 1, FILES_MAX, &max)) return snprintf(at, atn, ".max_files"), cf_m0;
    return NULL;
}

static const char *files_list(json_t *v, int64_t max)
{
    size_t i;
    json_t *x;
    if (!json_is_array(v) || (int64_t)json_array_size(v) > max) return cf_m12;
    json_array_foreach(v, i, x) if (!json_is_integer(x) || json_integer_value(x) <= 0) return cf_m13;
    return NULL;
}

static const char *val_files(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)at, (void)atn;
    int64_t max = FILES_MAX;
    opt_int(d, "max_files", 1, FILES_MAX, &max);
    const char *m = files_list(v, max);
    if (!m && complete && json_is_true(json_object_get(d, "required")) && json_array_size(v) == 0)
        return cf_m14;
    return m;
}

static const char *def_checklist(json_t *d, char *at, size_t atn)
{
    json_t *items = json_object_get(d, "items");
    size_t i;
    json_t *x;
    if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > ITEMS_MAX)
        return snprintf(at, atn, ".items"), cf_m0;
    json_array_foreach(items, i, x) {
        const char *key = json_string_value(json_object_get(x, "key"));
        json_t *ev = json_object_get(x, "evidence");
        bool dup = false;
        for (size_t k = 0; k < i && key; k++) dup |= !strcmp(key, json_string_value(json_object_get(json_array_get(items, k), "key")));
        if (!valid_key_code(key) || dup || !valid_name(json_string_value(json_object_get(x, "label")), 100) ||
            (ev && !json_is_boolean(ev)))
            return snprintf(at, atn, ".items.%zu", i), cf_m15;
    }
    return NULL;
}

static json_t *checklist_item(json_t *d, const char *key)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(d, "items"), i, x) if (!strcmp(json_string_value(json_object_get(x, "key")), key)) return x;
    return NULL;
}

/* {item: {"ok": bool, "files": [ids]}}; complete: an item checked whose evidence is required has files. */
static const char *val_checklist(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    const char *key;
    json_t *x;
    if (!json_is_object(v)) return cf_m16;
    json_object_foreach(v, key, x) {
        json_t *item = checklist_item(d, key), *ok = json_object_get(x, "ok"), *files = json_object_get(x, "files");
        snprintf(at, atn, ".%s", key);
        if (!item) return cf_m17;
        if (!json_is_object(x) || !json_is_boolean(ok) || json_object_size(x) != 1u + (files != NULL))
            return cf_m18;
        const char *m = files ? files_list(files, FILES_MAX) : NULL;
        if (m) return m;
        if (complete && json_is_true(ok) && json_is_true(json_object_get(item, "evidence")) && json_array_size(files) == 0)
            return cf_m19;
    }
    *at = 0;
    if (complete && json_is_true(json_object_get(d, "required"))) {
        size_t i;
        json_array_foreach(json_object_get(d, "items"), i, x) if (!json_object_get(v, json_string_value(json_object_get(x, "key"))))
            return snprintf(at, atn, ".%s", json_string_value(json_object_get(x, "key"))), cf_m20;
    }
    return NULL;
}

static const char *def_rows(json_t *d, char *at, size_t atn);
static const char *val_rows(json_t *d, json_t *v, bool complete, char *at, size_t atn);

static const char *def_figure(json_t *d, char *at, size_t atn)
{
    static const char *const periods[] = {"call_year", "last_year", NULL};
    json_t *per = json_object_get(d, "period"), *of = json_object_get(d, "of");
    if (!calls_figure_subject(json_string_value(json_object_get(d, "metric"))))
        return snprintf(at, atn, ".metric"), cf_m21;
    if (per && !one_of(per, periods)) return snprintf(at, atn, ".period"), cf_m0;
    if (of && !valid_key_code(json_string_value(of))) return snprintf(at, atn, ".of"), cf_m0;
    return NULL;
}

static const char *val_figure(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    (void)d, (void)v, (void)complete, (void)at, (void)atn;
    return cf_m22;
}

static const field_type types[] = {
    {"text", true, def_text, val_text},
    {"long_text", false, def_text, val_long_text},
    {"number", true, def_number, val_number},
    {"money", true, def_money, val_money},
    {"date", true, def_date, val_date},
    {"choice", true, def_choice, val_choice},
    {"node", false, def_node, val_id},
    {"person", false, def_person, val_person},
    {"file", false, def_files, val_files},
    {"photo", false, def_files, val_files},
    {"checklist", false, def_checklist, val_checklist},
    {"rows", false, def_rows, val_rows},
    {"figure", false, def_figure, val_figure},
};
#define NTYPES (sizeof types / sizeof *types)

static const field_type *type_of(json_t *d)
{
    const char *t = json_string_value(json_object_get(d, "type"));
    for (size_t i = 0; t && i < NTYPES; i++) if (!strcmp(types[i].name, t)) return &types[i];
    return NULL;
}

/* The members every definition has: key (unique among defs[0..n)), label, type, required?. */
static const char *check_common(json_t *defs, size_t n, json_t *d, char *at, size_t atn, bool scalar_only)
{
    const char *key = json_string_value(json_object_get(d, "key"));
    const field_type *t = type_of(d);
    json_t *req = json_object_get(d, "required");
    if (!json_is_object(d)) return cf_m23;
    if (!valid_key_code(key)) return snprintf(at, atn, ".key"), cf_m24;
    for (size_t k = 0; k < n; k++)
        if (!strcmp(key, json_string_value(json_object_get(json_array_get(defs, k), "key"))))
            return snprintf(at, atn, ".key"), cf_m25;
    if (!valid_name(json_string_value(json_object_get(d, "label")), 100)) return snprintf(at, atn, ".label"), cf_m26;
    if (!t || (scalar_only && !t->scalar)) return snprintf(at, atn, ".type"), cf_m27;
    if (req && !json_is_boolean(req)) return snprintf(at, atn, ".required"), cf_m0;
    return t->check_def(d, at, atn);
}

static const char *def_rows(json_t *d, char *at, size_t atn)
{
    json_t *cols = json_object_get(d, "columns");
    int64_t lo = 0, hi = ROWS_MAX;
    size_t i;
    json_t *c;
    if (!json_is_array(cols) || json_array_size(cols) == 0 || json_array_size(cols) > 20) return snprintf(at, atn, ".columns"), cf_m0;
    json_array_foreach(cols, i, c) {
        char sub[96] = "";
        const char *m = check_common(cols, i, c, sub, sizeof sub, true);
        if (m) return snprintf(at, atn, ".columns.%zu%s", i, sub), m;
    }
    if (!opt_int(d, "min_rows", 0, ROWS_MAX, &lo)) return snprintf(at, atn, ".min_rows"), cf_m0;
    if (!opt_int(d, "max_rows", 1, ROWS_MAX, &hi) || hi < lo) return snprintf(at, atn, ".max_rows"), cf_m0;
    return NULL;
}

/* One value against its definition (the "required" rule aside); at gets the sub-place. */
static const char *check_value(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    *at = 0;
    return type_of(d)->check_value(d, v, complete, at, atn);
}

/* values given as JSON null count as absent. */
static bool absent(json_t *v) { return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)); }

/* Each value of an object against defs; unknown keys refused; complete: required present. */
static const char *check_object(json_t *defs, json_t *obj, bool complete, char *at, size_t atn)
{
    const char *key;
    json_t *v;
    if (!json_is_object(obj)) return snprintf(at, atn, "%s", ""), cf_m28;
    json_object_foreach(obj, key, v) {
        json_t *d = NULL, *x;
        size_t i;
        json_array_foreach(defs, i, x) if (!strcmp(json_string_value(json_object_get(x, "key")), key)) d = x;
        char sub[96];
        if (!d) return snprintf(at, atn, ".%s", key), cf_m29;
        if (absent(v) && strcmp(type_of(d)->name, "figure") != 0) continue;
        const char *m = check_value(d, v, complete, sub, sizeof sub);
        if (m) return snprintf(at, atn, ".%s%s", key, sub), m;
    }
    if (complete) {
        size_t i;
        json_array_foreach(defs, i, v) {
            const char *k = json_string_value(json_object_get(v, "key"));
            if (json_is_true(json_object_get(v, "required")) && strcmp(type_of(v)->name, "figure") != 0 &&
                absent(json_object_get(obj, k)))
                return snprintf(at, atn, ".%s", k), cf_m30;
        }
    }
    return NULL;
}

static const char *val_rows(json_t *d, json_t *v, bool complete, char *at, size_t atn)
{
    int64_t lo = 0, hi = ROWS_MAX;
    opt_int(d, "min_rows", 0, ROWS_MAX, &lo);
    opt_int(d, "max_rows", 1, ROWS_MAX, &hi);
    if (!json_is_array(v) || (int64_t)json_array_size(v) > hi) return cf_m31;
    if (complete && (int64_t)json_array_size(v) < lo) return cf_m32;
    size_t i;
    json_t *row;
    json_array_foreach(v, i, row) {
        char sub[96];
        const char *m = check_object(json_object_get(d, "columns"), row, complete, sub, sizeof sub);
        if (m) return snprintf(at, atn, ".%zu%s", i, sub), m;
    }
    return NULL;
}

static bool fail(call_form_error *err, const char *code, const char *field, const char *message)
{
    snprintf(err->field, sizeof err->field, "%s", field);
    err->code = code;
    err->message = message;
    return false;
}

bool call_form_check_def(json_t *form, call_form_error *err)
{
    if (!json_is_array(form) || json_array_size(form) == 0 || json_array_size(form) > CALL_MAX_FIELDS)
        return fail(err, "invalid_field", "form", cf_m33);
    size_t i;
    json_t *d;
    json_array_foreach(form, i, d) {
        char sub[96] = "";
        const char *m = check_common(form, i, d, sub, sizeof sub, false);
        if (m) {
            char at[128];
            snprintf(at, sizeof at, "form.%zu%s", i, sub);
            return fail(err, "invalid_field", at, m);
        }
    }
    return true;
}

bool call_form_check_values(json_t *form, json_t *values, bool complete, call_form_error *err)
{
    char sub[112];
    if (!json_is_object(values)) return fail(err, "invalid_field", "values", cf_m34);
    const char *m = check_object(form, values, complete, sub, sizeof sub);
    if (!m) return true;
    char at[128];
    snprintf(at, sizeof at, "values%s", sub);
    const char *code = strstr(m, "no such field") ? "unknown_field" : !strcmp(m, cf_m30) ? "required" : "invalid_field";
    return fail(err, code, at, m);
}

static int add_ids(json_t *list, int64_t *ids, int max, int n)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
        if (n < max) ids[n] = json_integer_value(x);
        n++;
    }
    return n;
}

int call_form_file_ids(json_t *form, json_t *values, int64_t *ids, int max)
{
    int n = 0;
    size_t i;
    json_t *d;
    json_array_foreach(form, i, d) {
        const char *t = json_string_value(json_object_get(d, "type"));
        json_t *v = json_object_get(values, json_string_value(json_object_get(d, "key")));
        if (!t || !v) continue;
        if (!strcmp(t, "file") || !strcmp(t, "photo")) n = add_ids(v, ids, max, n);
        if (!strcmp(t, "checklist")) {
            const char *k;
            json_t *x;
            json_object_foreach(v, k, x) n = add_ids(json_object_get(x, "files"), ids, max, n);
        }
    }
    return n;
}
