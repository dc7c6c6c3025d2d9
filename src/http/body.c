/* body.c - request input readers that reply on bad input (see body.h). */
#include "http/body.h"
#include "core/period.h"
#include "core/validate.h"
#include "http/reply.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool body_allow_fields(request *r, const char *const *allowed, const char *const *read_only)
{
    if (!json_is_object(r->json)) {
        reply_error(r, 400, "bad_request", NULL, "请求体必须是 JSON 对象 / body must be a JSON object");
        return false;
    }
    const char *key;
    json_t *v;
    json_object_foreach(r->json, key, v) {
        if (str_in_list(key, allowed)) continue;
        if (str_in_list(key, read_only))
            reply_error(r, 422, "read_only_field", key, "字段 %s 不可修改 / field is read-only", key);
        else
            reply_error(r, 422, "unknown_field", key, "未知字段 %s / unknown field", key);
        return false;
    }
    return true;
}

bool body_has(request *r, const char *field)
{
    return r->json && json_object_get(r->json, field) != NULL;
}

/* Fetches a field; false (after a 422) when required and absent. */
static bool get_field(request *r, const char *field, bool required, json_t **out)
{
    json_t *v = r->json ? json_object_get(r->json, field) : NULL;
    if (v && json_is_null(v) && !required) v = NULL;
    if (!v && required) {
        reply_error(r, 422, "required", field, "缺少必填字段 %s / field is required", field);
        return false;
    }
    *out = v;
    return true;
}

bool body_string(request *r, const char *field, bool required, const char **out)
{
    json_t *v;
    *out = NULL;
    if (!get_field(r, field, required, &v)) return false;
    if (!v) return true;
    if (!json_is_string(v)) {
        reply_error(r, 422, "invalid_field", field, "字段 %s 必须是字符串 / must be a string", field);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

static bool multiline_ok(const char *v, size_t max_chars)
{
    if (utf8_chars(v) > max_chars) return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') return false;
    return true;
}

static bool read_text(request *r, const char *field, size_t max_chars, bool multiline, const char **out)
{
    const char *v = NULL;
    if (!body_string(r, field, false, &v)) return false;
    if (!body_has(r, field)) return true;
    if (v && *v && !(multiline ? multiline_ok(v, max_chars) : valid_name(v, max_chars))) {
        reply_error(r, 422, "invalid_field", field, "字段 %s 过长或含控制字符 / too long or has control characters", field);
        return false;
    }
    *out = v && *v ? v : NULL;
    return true;
}

bool body_text(request *r, const char *field, size_t max_chars, const char **out)
{
    return read_text(r, field, max_chars, false, out);
}

bool body_multiline_text(request *r, const char *field, size_t max_chars, const char **out)
{
    return read_text(r, field, max_chars, true, out);
}

bool body_name(request *r, const char *field, bool required, size_t max_chars, const char **out)
{
    if (!body_string(r, field, required, out)) return false;
    if (*out && has_invisible_controls(*out)) {
        reply_error(r, 422, "invalid_field", field,
                    "字段 %s 含有不可见的控制字符（如双向文本或零宽字符） / must not contain invisible "
                    "control characters (bidi or zero-width)", field);
        return false;
    }
    if (*out && !valid_name(*out, max_chars)) {
        reply_error(r, 422, "invalid_field", field,
                    "字段 %s 须为 1 至 %zu 个字符 / must be 1 to %zu characters", field, max_chars,
                    max_chars);
        return false;
    }
    return true;
}

bool body_int(request *r, const char *field, bool required, int64_t *out, bool *present)
{
    json_t *v;
    if (present) *present = false;
    if (!get_field(r, field, required, &v)) return false;
    if (!v) return true;
    if (!json_is_integer(v)) {
        reply_error(r, 422, "invalid_field", field, "字段 %s 必须是整数 / must be an integer", field);
        return false;
    }
    *out = json_integer_value(v);
    if (present) *present = true;
    return true;
}

bool body_bool(request *r, const char *field, bool *out, bool *present)
{
    json_t *v = r->json ? json_object_get(r->json, field) : NULL;
    if (present) *present = v != NULL;
    if (!v) return true;
    if (!json_is_boolean(v)) {
        if (present) *present = false;
        reply_error(r, 422, "invalid_field", field, "字段 %s 必须是布尔值 / must be true or false", field);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool body_enum(request *r, const char *field, bool required, const char *const *choices, const char **out)
{
    if (!body_string(r, field, required, out)) return false;
    if (*out && !str_in_list(*out, choices)) {
        reply_error(r, 422, "invalid_field", field, "字段 %s 的取值无效 / invalid value", field);
        return false;
    }
    return true;
}

bool query_choice(request *r, const char *key, const char *const *choices)
{
    const char *v = req_query(r, key);
    if (!v || !*v || str_in_list(v, choices)) return true;
    reply_error(r, 422, "invalid_field", key, "%s 取值无效 / unknown value", key);
    return false;
}

static bool parse_positive(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 18) return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno || v <= 0) return false;
    *out = v;
    return true;
}

bool param_id(request *r, int n, int64_t *out)
{
    if (n < r->nparams && parse_positive(r->params[n], out)) return true;
    reply_not_found(r);
    return false;
}

bool query_id(request *r, const char *key, int64_t *out, bool *present)
{
    const char *v = req_query(r, key);
    *present = false;
    if (!v || !*v) return true;
    if (!parse_positive(v, out)) {
        reply_error(r, 422, "invalid_field", key, "参数 %s 必须是正整数 / must be a positive integer", key);
        return false;
    }
    *present = true;
    return true;
}

bool query_page(request *r, page *p)
{
    bool has;
    p->page = 1;
    p->size = 50;
    if (!query_id(r, "page", &p->page, &has)) return false;
    if (!query_id(r, "page_size", &p->size, &has)) return false;
    if (p->size > 500 || p->page > 1000000) {
        reply_error(r, 422, "invalid_field", p->size > 500 ? "page_size" : "page",
                    "每页最多 500 条 / page_size is at most 500");
        return false;
    }
    p->offset = (p->page - 1) * p->size;
    return true;
}

bool body_day(request *r, const char *field, bool required, const char **out)
{
    const char *v = NULL;
    if (!body_string(r, field, required, &v)) return false;
    if (v && !day_valid(v)) {
        reply_error(r, 422, "invalid_field", field, "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
        return false;
    }
    if (v) *out = v;
    return true;
}
