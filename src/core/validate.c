/* validate.c - input checks and personal-data masks (see validate.h). */
#include "core/validate.h"
#include "core/arena.h"
#include "core/period.h"
#include "core/timeutil.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned min;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; c &= 0x07; }
        else return false;
        if (i + len > n) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Decodes the code point at *p (valid UTF-8) and advances *p past it. */
static unsigned next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len > 1) c &= 0x3F >> (len - 1);
    for (size_t k = 1; k < len; k++) c = (c << 6) | (s[k] & 0x3F);
    *p = s + len;
    return c;
}

/* Invisible characters that change how a name is shown or compared: C1 controls, bidi
 * embeddings, overrides and isolates (a name that reads "gpj.exe" displayed as "exe.jpg"),
 * zero-width spaces and joiners, line and paragraph separators, the soft hyphen, the BOM,
 * invisible operators, interlinear annotations and tag characters (Unicode Cf, Zl, Zp). */
static bool invisible_control(unsigned c)
{
    return (c >= 0x80 && c <= 0x9F) || c == 0xAD || c == 0x61C || c == 0x180E ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) ||
           (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE007F);
}

bool has_invisible_controls(const char *s)
{
    if (!s || !utf8_valid(s, strlen(s))) return false;
    for (const unsigned char *p = (const unsigned char *)s; *p;)
        if (invisible_control(next_code_point(&p))) return true;
    return false;
}

bool valid_name(const char *s, size_t max_chars)
{
    if (!s || !*s || !utf8_valid(s, strlen(s)) || has_invisible_controls(s)) return false;
    bool any_visible = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F) return false;
        if (*p != ' ') any_visible = true;
    }
    size_t n = utf8_chars(s);
    return any_visible && n >= 1 && n <= max_chars;
}

void id_number_birth_day(const char *id, char out[11])
{
    if (!id || strlen(id) != 18) { out[0] = '\0'; return; }
    snprintf(out, 11, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
}

bool id_number_birth_ok(const char *id, const char *today)
{
    if (!id || strlen(id) != 18 || !today) return false;
    char day[11];
    id_number_birth_day(id, day);
    return day_valid(day) && strncmp(day, today, 10) <= 0;
}

static bool all_of(const char *s, size_t lo, size_t hi, const char *extra)
{
    size_t n = s ? strlen(s) : 0;
    if (n < lo || n > hi) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i])) return false;
    return true;
}

bool valid_username(const char *s) { return all_of(s, 3, 32, "_.-"); }
bool valid_org_code(const char *s) { return all_of(s, 1, 32, "_-"); }

bool valid_key_code(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 32) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) return false;
    return true;
}

bool valid_phone(const char *s)
{
    if (!s || strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9') return false;
    for (int i = 0; i < 11; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

bool valid_id_number(const char *s)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    if (!s || strlen(s) != 18) return false;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        sum += (s[i] - '0') * weight[i];
    }
    return toupper((unsigned char)s[17]) == check[sum % 11];
}

bool valid_email(const char *s)
{
    if (!s) return false;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n < 3 || n > 100 || !at || at == s || strchr(at + 1, '@')) return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot == at + 1 || !dot[1]) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7F) return false;
    return true;
}

bool str_in_list(const char *s, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0) return true;
    return false;
}

void mask_phone(const char *phone, char *out, size_t outlen)
{
    if (phone && strlen(phone) == 11)
        snprintf(out, outlen, "%.3s****%.4s", phone, phone + 7);
    else
        snprintf(out, outlen, "****");
}

void mask_id_number(const char *id, char *out, size_t outlen)
{
    if (id && strlen(id) == 18)
        snprintf(out, outlen, "%.4s**********%.4s", id, id + 14);
    else
        snprintf(out, outlen, "****");
}

/* Field checks for entity tables (model/entity.h's field.check). */

const char *check_id_number(struct arena *a, const char **value)
{
    char *id = arena_strdup(a, *value);
    for (char *p = id; *p; p++) *p = (char)toupper((unsigned char)*p);
    *value = id;
    if (!valid_id_number(id)) return "身份证号格式或校验位错误 / not a valid ID number (GB 11643 check digit)";
    char today[40];
    time_now_rfc3339(today);
    if (!id_number_birth_ok(id, today))
        return "身份证号中的出生日期无效或在未来 / the birth date in the ID number is impossible or in the future";
    return NULL;
}

const char *check_phone(struct arena *a, const char **value)
{
    (void)a;
    return valid_phone(*value) ? NULL : "手机号应为 11 位大陆手机号 / not a mainland mobile number";
}

const char *check_key_code(struct arena *a, const char **value)
{
    (void)a;
    return valid_key_code(*value) ? NULL : "代码为 1–32 位小写字母、数字或下划线 / code must be 1-32 of [a-z0-9_]";
}

/* A link a page may put in an href: http(s), a host, no spaces, quotes or controls (a page quotes
 * it anyway; this keeps javascript: and data: links out of the record). */
bool valid_web_link(const char *s)
{
    if (!s) return false;
    size_t skip = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;
    if (!skip || !s[skip] || s[skip] == '/' || strlen(s) > 500) return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\'' || *p == '<' || *p == '>' || *p == '\\' ||
            (unsigned char)*p == 0x7F)
            return false;
    return true;
}

const char *check_web_link(struct arena *a, const char **value)
{
    (void)a;
    return valid_web_link(*value) ? NULL : "链接应为 http:// 或 https:// 开头的网址 / a link must be an http(s) address";
}
