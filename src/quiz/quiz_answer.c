/* quiz_answer.c - answers and keys: scoring a given answer against a version's key, checking a
 * question's content, and reading the answer column of an import (quiz.h). Pure functions: no
 * database, no clock, so the contest engine scores on any thread and the fuzzer can drive them. */
#include "quiz/quiz.h"
#include <ctype.h>
#include <string.h>

/* ---- labels ---- */

/* A label's index (A=0 .. H=7), folding lower case; -1 for anything else. */
static int label_index(const char *s)
{
    if (!s || !s[0] || s[1]) return -1;
    int ch = toupper((unsigned char)s[0]);
    return ch >= 'A' && ch < 'A' + QUIZ_MAX_OPTIONS ? ch - 'A' : -1;
}

/* The set of labels in a JSON array of label strings or a string of letters ("AC"), as a bit
 * mask; -1 when anything in it is not a label. */
static int label_mask(json_t *v)
{
    int mask = 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        for (; *s; s++) {
            if (*s == ',' || *s == ' ') continue;
            char one[2] = {*s, 0};
            int i = label_index(one);
            if (i < 0) return -1;
            mask |= 1 << i;
        }
        return mask;
    }
    if (!json_is_array(v)) return -1;
    size_t k;
    json_t *e;
    json_array_foreach(v, k, e) {
        int i = label_index(json_string_value(e));
        if (i < 0) return -1;
        mask |= 1 << i;
    }
    return mask;
}

/* ---- fill-in folding ---- */

/* Decodes one UTF-8 sequence at s (length in *len); invalid bytes, and overlong forms (C0 80
 * would otherwise fold to a NUL inside the text), come back as themselves. */
static unsigned utf8_next(const unsigned char *s, int *len)
{
    if (s[0] < 0x80) return *len = 1, s[0];
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        unsigned cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        if (cp >= 0x80) return *len = 2, cp;
    } else if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        unsigned cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        if (cp >= 0x800) return *len = 3, cp;
    }
    return *len = 1, s[0];
}

char *quiz_fold_text(arena *a, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s);
    char *out = arena_alloc(a, n + 1);
    if (!out) return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int len;
        unsigned cp = utf8_next(p, &len);
        if (cp == 0x3000) cp = ' ';                               /* ideographic space */
        else if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;      /* full-width ASCII */
        if (cp < 0x80) out[o++] = (char)tolower((int)cp);
        else memcpy(out + o, p, (size_t)len), o += (size_t)len;
        p += len;
    }
    out[o] = 0;
    /* Trim after folding, so full-width spaces at either end go too. */
    size_t b = 0;
    while (out[b] && isspace((unsigned char)out[b])) b++;
    while (o > b && isspace((unsigned char)out[o - 1])) o--;
    out[o] = 0;
    return out + b;
}

/* A fill-in text that folds to nothing (only spaces, full-width ones too) could never be matched:
 * it is no answer (a fuzz finding: "\u3000" alone was accepted as a key). */
static bool fill_in_text_nonempty(const char *t)
{
    arena a;
    arena_init(&a);
    const char *f = quiz_fold_text(&a, t);
    bool ok = f && f[0];
    arena_free(&a);
    return ok;
}

static bool fill_in_matches(json_t *key, json_t *given)
{
    if (!json_is_array(key) || !json_is_string(given)) return false;
    arena a;
    arena_init(&a);
    bool ok = false;
    const char *g = quiz_fold_text(&a, json_string_value(given));
    size_t i;
    json_t *e;
    json_array_foreach(key, i, e) {
        const char *k = quiz_fold_text(&a, json_string_value(e));
        if (g && k && k[0] && strcmp(g, k) == 0) { ok = true; break; }
    }
    arena_free(&a);
    return ok;
}

bool quiz_answer_correct(const char *type, const char *answer_key_json, json_t *given)
{
    if (!type || !answer_key_json || !given) return false;
    json_t *key = json_loads(answer_key_json, JSON_DECODE_ANY, NULL);
    if (!key) return false;
    bool ok = false;
    if (strcmp(type, "single") == 0) {
        json_t *g = json_is_array(given) && json_array_size(given) == 1 ? json_array_get(given, 0) : given;
        int k = label_index(json_string_value(key)), i = label_index(json_string_value(g));
        ok = k >= 0 && i == k;
    } else if (strcmp(type, "multiple") == 0) {
        int k = json_is_array(key) ? label_mask(key) : -1, g = label_mask(given);
        ok = k > 0 && g == k;
    } else if (strcmp(type, "true_false") == 0) {
        ok = json_is_boolean(key) && json_is_boolean(given) && json_is_true(key) == json_is_true(given);
    } else if (strcmp(type, "fill_in") == 0) {
        ok = fill_in_matches(key, given);
    }
    json_decref(key);
    return ok;
}

/* ---- checking a question ---- */

static const char *check_options(json_t *options, int *count)
{
    *count = 0;
    if (!json_is_array(options)) return "选择题需要选项 / Choice questions need options";
    size_t n = json_array_size(options);
    if (n < 2 || n > QUIZ_MAX_OPTIONS) return "选项须为 2 到 8 个 / A choice question has 2 to 8 options";
    size_t i;
    json_t *e;
    json_array_foreach(options, i, e) {
        const char *t = json_string_value(e);
        if (!t || !t[strspn(t, " \t\r\n")]) return "选项不能为空 / An option cannot be empty";
        if (strlen(t) > 1000) return "选项过长 / An option is too long";
    }
    *count = (int)n;
    return NULL;
}

static const char *check_answer(const char *type, int n_options, json_t *answer)
{
    if (strcmp(type, "single") == 0) {
        int i = label_index(json_string_value(answer));
        if (i < 0 || i >= n_options) return "单选题的答案须为一个选项 / A single-choice answer is exactly one of the options";
    } else if (strcmp(type, "multiple") == 0) {
        int m = json_is_array(answer) ? label_mask(answer) : -1;
        if (m < 0 || (m >> n_options) != 0)
            return "多选题的答案须为选项中的字母 / A multiple-choice answer lists labels of the options";
        if (__builtin_popcount((unsigned)m) < 2)
            return "多选题至少两个正确选项 / A multiple-choice question has at least two correct options";
    } else if (strcmp(type, "true_false") == 0) {
        if (!json_is_boolean(answer)) return "判断题的答案须为对或错 / A true/false answer is true or false";
    } else {
        size_t n = json_array_size(answer);
        if (!json_is_array(answer) || n < 1 || n > QUIZ_MAX_FILL)
            return "填空题须有 1 到 5 个可接受答案 / A fill-in question accepts 1 to 5 texts";
        size_t i;
        json_t *e;
        json_array_foreach(answer, i, e) {
            const char *t = json_string_value(e);
            if (!t || strlen(t) > 200 || !fill_in_text_nonempty(t))
                return "填空题的答案不能为空或过长 / A fill-in answer cannot be empty or too long";
        }
    }
    return NULL;
}

const char *quiz_check(const char *type, const char *stem, json_t *options, json_t *answer,
                       const char **field)
{
    const char *dummy;
    if (!field) field = &dummy;
    *field = "type";
    if (!quiz_type_valid(type)) return "题型无效 / Unknown question type";
    *field = "stem";
    if (!stem || !stem[strspn(stem, " \t\r\n")]) return "题干不能为空 / The stem cannot be empty";
    bool choice = strcmp(type, "single") == 0 || strcmp(type, "multiple") == 0;
    int n_options = 0;
    *field = "options";
    if (choice) {
        const char *err = check_options(options, &n_options);
        if (err) return err;
    } else if (options && !json_is_null(options) && json_array_size(options) > 0) {
        return "判断题和填空题没有选项 / True/false and fill-in questions have no options";
    }
    *field = "answer";
    if (!answer) return "请给出答案 / The answer is required";
    return check_answer(type, n_options, answer);
}

/* The labels of mask as "A" (one) or ["A","C"] (an array), in order. */
static json_t *labels_of(int mask, bool array)
{
    json_t *arr = json_array();
    for (int i = 0; i < QUIZ_MAX_OPTIONS; i++)
        if (mask & (1 << i)) json_array_append_new(arr, json_sprintf("%c", 'A' + i));
    if (array) return arr;
    json_t *one = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return one;
}

json_t *quiz_answer_canonical(const char *type, json_t *answer)
{
    if (!strcmp(type, "single")) {
        json_t *s = json_string(json_string_value(answer));
        int m = s ? label_mask(s) : -1;
        json_decref(s);
        return m > 0 ? labels_of(m, false) : NULL;
    }
    if (!strcmp(type, "multiple")) {
        int m = label_mask(answer);
        return m > 0 ? labels_of(m, true) : NULL;
    }
    if (strcmp(type, "fill_in") != 0) return json_incref(answer);
    json_t *arr = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(answer, i, e) {
        const char *t = json_string_value(e);
        if (!t) continue;
        size_t b = strspn(t, " \t\r\n"), n = strlen(t);
        while (n > b && strchr(" \t\r\n", t[n - 1])) n--;
        json_array_append_new(arr, json_stringn(t + b, n - b));
    }
    return arr;
}

/* ---- the import's answer column ---- */

static json_t *parse_true_false(const char *t)
{
    static const char *const yes[] = {"对", "正确", "是", "√", "✓", "t", "true", "y", "yes", NULL};
    static const char *const no[] = {"错", "错误", "否", "×", "✗", "f", "false", "n", "no", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcmp(t, yes[i]) == 0) return json_true();
    for (int i = 0; no[i]; i++)
        if (strcmp(t, no[i]) == 0) return json_false();
    return NULL;
}

/* A copy of t in a with each full-width bar "｜" (what a Chinese keyboard types) made "|". */
static char *half_width_bars(arena *a, const char *t)
{
    char *out = arena_strdup(a, t), *o = out;
    for (const char *p = t; out && *p;) {
        if (!strncmp(p, "\xEF\xBD\x9C", 3)) *o++ = '|', p += 3;
        else *o++ = *p++;
    }
    if (o) *o = 0;
    return out;
}

static json_t *parse_fill_in(const char *text, const char **err)
{
    json_t *arr = json_array();
    arena a;
    arena_init(&a);
    const char *t = half_width_bars(&a, text), *p = t ? t : "";
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        char *piece = arena_strndup(&a, p, len);
        size_t b = 0, e = len;
        while (piece && b < e && isspace((unsigned char)piece[b])) b++;
        while (piece && e > b && isspace((unsigned char)piece[e - 1])) e--;
        if (piece && e > b) {
            piece[e] = 0;
            json_t *s = json_stringn(piece + b, e - b);   /* NULL for invalid UTF-8 */
            if (!s) { *err = "答案不是有效的文本 / The answer is not valid text"; break; }
            json_array_append_new(arr, s);
        }
        if (!bar) break;
        p = bar + 1;
    }
    arena_free(&a);
    if (!*err) *err = check_answer("fill_in", 0, arr);
    if (*err) { json_decref(arr); return NULL; }
    return arr;
}

json_t *quiz_answer_parse(const char *type, const char *text, int n_options, const char **err)
{
    *err = NULL;
    if (!text || !text[strspn(text, " \t\r\n")]) {
        *err = "请给出答案 / The answer is required";
        return NULL;
    }
    if (!quiz_type_valid(type)) {
        *err = "题型无效 / Unknown question type";
        return NULL;
    }
    arena a;
    arena_init(&a);
    const char *t = quiz_fold_text(&a, text);   /* "ａｃ" and " b " read as "ac", "b" */
    json_t *out = NULL;
    if (strcmp(type, "fill_in") == 0) {
        out = parse_fill_in(text, err);
    } else if (strcmp(type, "true_false") == 0) {
        out = t ? parse_true_false(t) : NULL;
        if (!out) *err = "判断题的答案填“对”或“错” / A true/false answer is 对 or 错";
    } else {
        json_t *s = t ? json_string(t) : NULL;
        int m = s ? label_mask(s) : -1;
        json_decref(s);
        if (m <= 0 || (n_options > 0 && (m >> n_options) != 0)) {
            *err = "答案须为选项字母，如 B 或 AC / The answer is option letters, like B or AC";
        } else if (strcmp(type, "single") == 0) {
            if (__builtin_popcount((unsigned)m) != 1)
                *err = "单选题只有一个答案 / A single-choice question has exactly one answer";
            else out = json_sprintf("%c", 'A' + __builtin_ctz((unsigned)m));
        } else {
            out = json_array();
            for (int i = 0; i < QUIZ_MAX_OPTIONS; i++)
                if (m & (1 << i)) json_array_append_new(out, json_sprintf("%c", 'A' + i));
            *err = check_answer("multiple", n_options > 0 ? n_options : QUIZ_MAX_OPTIONS, out);
            if (*err) json_decref(out), out = NULL;
        }
    }
    arena_free(&a);
    return out;
}
