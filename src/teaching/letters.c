/* letters.c - appointment letters (see teachers.h): serial numbers from per-issuer yearly
 * counters, verification codes, and the letters' rows. The PDF is drawn in letter_pdf.c. */
#include "teaching/teachers.h"
#include "audit/audit.h"
#include "core/config.h"
#include "core/timeutil.h"
#include "db/counter.h"
#include "db/query.h"
#include "http/public_url.h"
#include "model/entity.h"
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int letters_format_serial(const char *pattern, int year, int64_t seq, char *out, size_t outlen)
{
    size_t n = 0;
    if (!pattern || !out || !outlen) return -1;
    for (const char *s = pattern; *s;) {
        char piece[32];
        const char *add = piece;
        size_t len;
        if (*s == '{') {
            const char *end = strchr(s, '}');
            if (!end) return -1;
            size_t k = (size_t)(end - s - 1);
            if (k == 4 && !strncmp(s + 1, "year", 4)) {
                snprintf(piece, sizeof piece, "%d", year);
            } else if (k == 3 && !strncmp(s + 1, "seq", 3)) {
                snprintf(piece, sizeof piece, "%lld", (long long)seq);
            } else if (k == 6 && !strncmp(s + 1, "seq:0", 5) && s[6] >= '1' && s[6] <= '9' && s[7] == '}') {
                snprintf(piece, sizeof piece, "%0*lld", s[6] - '0', (long long)seq);
            } else {
                return -1;
            }
            len = strlen(piece);
            s = end + 1;
        } else if (*s == '}') {
            return -1;
        } else {
            add = s;
            len = 1;
            s++;
        }
        if (n + len + 1 > outlen) return -1;
        memcpy(out + n, add, len);
        n += len;
    }
    out[n] = 0;
    return 0;
}

const char *letters_verify_url(request *r, const char *code)
{
    return public_url(r, arena_printf(&r->arena, "/verify/letters/%s", code));
}

/* A letter valid in the table but past its term reads as expired. */
static void letter_expiry(void *rec, arena *a)
{
    letter *l = rec;
    char today[32];
    (void)a;
    time_now_rfc3339(today);
    if (!strcmp(l->status, "valid") && strncmp(l->term_to, today, 10) < 0) l->status = "expired";
}

static const char *const letter_statuses[] = {"valid", "revoked", "expired", NULL};

#define T(member) offsetof(letter, member)
static const field letter_fields[] = {
    {"id", "id", FT_ID, T(id), .flags = 0},
    {"teacher_id", "teacher_id", FT_ID, T(teacher_id), .flags = 0},
    {"serial", "serial", FT_TEXT, T(serial), .flags = 0, .example = "\"渝科普大聘〔2026〕第0001号\""},
    {"issuer_org_id", "issuer_org_id", FT_ID, T(issuer_org_id), .flags = 0},
    {"issuer", "issuer_name", FT_TEXT, T(issuer_name), .flags = 0},
    {"teacher_name", "teacher_name", FT_TEXT, T(teacher_name), .flags = 0},
    {"year", "year", FT_INT, T(year), .flags = 0},
    {"seq", "seq", FT_INT, T(seq), .flags = 0},
    {"code", "code", FT_TEXT, T(code), .flags = 0, .doc = "the verification code (the public page's key)"},
    {"term_from", "term_from", FT_DAY, T(term_from), .flags = 0},
    {"term_to", "term_to", FT_DAY, T(term_to), .flags = 0},
    {"status", "status", FT_ENUM, T(status), .flags = 0, .choices = letter_statuses},
    {"issued_at", "issued_at", FT_TIME, T(issued_at), .flags = 0},
    {"org_path", "org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {0},
};
#undef T

entity letter_entity = {
    .name = "teacher_letter", .doc = "An appointment letter (聘书) of a certified teacher",
    .from = " FROM teacher_letters", .id_column = "id", .path_column = "org_path", .order = " ORDER BY id DESC",
    .size = sizeof(letter), .fields = letter_fields, .not_found = TCH_NOT_FOUND, .on_read = letter_expiry,
};

/* Per issuer and year; the pattern in force at the year's first letter stays the year's. */
static const db_counter letter_counter = {"letter_counters", {"issuer_org_id", "year", NULL}, "pattern"};

/* Next number of the issuer's year, atomically: the upsert takes the counter row's lock. */
static int next_serial(db *c, int64_t issuer, int year, arena *a, int64_t *seq, const char **serial)
{
    const int64_t key[] = {issuer, year};
    const char *pattern = NULL;
    /* a new year starts with KEPU_LETTER_SERIAL_PATTERN or the default */
    const char *start = env_or("KEPU_LETTER_SERIAL_PATTERN", LETTER_DEFAULT_PATTERN);
    int rc = db_counter_next(c, &letter_counter, key, start, a, seq, &pattern);
    if (rc != DB_OK) return rc;
    char out[256];
    if (letters_format_serial(pattern, year, *seq, out, sizeof out) != 0) return TCH_BAD_PATTERN;
    *serial = arena_strdup(a, out);
    return DB_OK;
}

/* The last day of a term of years starting on from (YYYY-MM-DD): the day before the anniversary. */
static void term_end(const char *from, int years, char out[11])
{
    char anniv[11];
    int y = atoi(from) + years, m = atoi(from + 5), d = atoi(from + 8);
    if (m == 2 && d == 29) d = 28;
    snprintf(anniv, sizeof anniv, "%04d-%02d-%02d", y, m, d);
    char buf[32];
    time_to_rfc3339(time_parse_date(anniv) - 86400, buf);
    snprintf(out, 11, "%.10s", buf);
}

int letters_issue(db *c, const principal *p, arena *a, int64_t teacher_id, const char *teacher_path,
                  const char *teacher_name, int64_t issuer_org_id, const char *issuer_name, int term_years,
                  letter *out)
{
    char now[32], today[11], to[11], code[LETTER_CODE_BYTES * 2 + 1];
    unsigned char raw[LETTER_CODE_BYTES];
    time_now_rfc3339(now);
    snprintf(today, sizeof today, "%.10s", now);
    term_end(today, term_years, to);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(code, sizeof code, raw, sizeof raw);
    int64_t seq = 0;
    const char *serial = NULL;
    int year = atoi(today);
    int rc = next_serial(c, issuer_org_id, year, a, &seq, &serial);
    if (rc != DB_OK) return rc;
    qb q;
    int64_t id = 0;
    qb_init(&q, "INSERT INTO teacher_letters (teacher_id, org_path, issuer_org_id, issuer_name, teacher_name, serial, "
                "year, seq, code, term_from, term_to, status, issued_by, issued_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?) RETURNING id");
    qb_int(&q, teacher_id), qb_text(&q, teacher_path), qb_int(&q, issuer_org_id), qb_text(&q, issuer_name);
    qb_text(&q, teacher_name), qb_text(&q, serial), qb_int(&q, year), qb_int(&q, seq), qb_text(&q, code);
    qb_text(&q, today), qb_text(&q, to), qb_int_or_null(&q, p->user_id), qb_text(&q, now);
    rc = qb_exec(c, &q, &id);
    if (rc == DB_UNIQUE) return TCH_BAD_PATTERN;   /* a pattern without {seq} repeats itself */
    if (rc != DB_OK) return rc < 0 ? rc : DB_ERR;
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &letter_entity, a, id, out)) != DB_OK) return rc;
    /* The audit keeps the serial, not the code: the code is the letter's public secret. */
    json_t *after = json_pack("{s:s, s:s, s:I, s:s, s:s}", "serial", out->serial, "issuer", out->issuer_name,
                              "teacher_id", (json_int_t)teacher_id, "term_from", out->term_from, "term_to", out->term_to);
    rc = audit_record(c, actor_of(p), teacher_path, "teacher_letter", out->id, "issue", NULL, after);
    json_decref(after);
    return rc;
}

int letters_revoke_all(db *c, int64_t teacher_id)
{
    qb q;
    qb_init(&q, "UPDATE teacher_letters SET status = 'revoked' WHERE teacher_id = ?");
    qb_int(&q, teacher_id);
    return qb_exec(c, &q, NULL);
}

int letters_latest(db *c, arena *a, int64_t teacher_id, letter *out)
{
    qb conds;
    qb_init(&conds, " AND teacher_id = ? AND status = 'valid' ORDER BY id DESC LIMIT 1");
    qb_int(&conds, teacher_id);
    int rc = entity_get_where_unscoped(c, &letter_entity, a, &conds, out);
    return rc == TCH_NOT_FOUND ? TCH_NO_LETTER : rc;
}

int letters_by_code(db *c, arena *a, const char *code, letter *out)
{
    qb conds;
    qb_init(&conds, " AND code = ?");
    qb_text(&conds, code);
    return entity_get_where_unscoped(c, &letter_entity, a, &conds, out);
}
