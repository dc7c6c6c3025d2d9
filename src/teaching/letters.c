/* letters.c - appointment letters (see letters.h): serial numbers from per-issuer yearly
 * counters, verification codes, and the letters' rows. The PDF is drawn in letter_pdf.c. */
#include "teaching/letters.h"
#include "teaching/teachers.h"
#include "audit/audit.h"
#include "core/config.h"
#include "core/timeutil.h"
#include "db/counter.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L_COLS "id, teacher_id, issuer_org_id, year, seq, org_path, issuer_name, teacher_name, serial, code, " \
               "term_from, term_to, status, issued_at"

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

const char *letters_pattern(void)
{
    return env_or("KEPU_LETTER_SERIAL_PATTERN", LETTER_DEFAULT_PATTERN);
}

const char *letters_verify_url(arena *a, const char *code)
{
    const char *base = env_or("KEPU_PUBLIC_URL", "http://127.0.0.1:8080");
    size_t n = strlen(base);
    while (n && base[n - 1] == '/') n--;
    return arena_printf(a, "%.*s/verify/letters/%s", (int)n, base, code);
}

static void read_letter(db_stmt *s, arena *a, letter *l)
{
    memset(l, 0, sizeof *l);
    l->id = db_col_int(s, 0);
    l->teacher_id = db_col_int(s, 1);
    l->issuer_org_id = db_col_int(s, 2);
    l->year = db_col_int(s, 3);
    l->seq = db_col_int(s, 4);
    l->org_path = arena_strdup(a, db_col_text(s, 5));
    l->issuer_name = arena_strdup(a, db_col_text(s, 6));
    l->teacher_name = arena_strdup(a, db_col_text(s, 7));
    l->serial = arena_strdup(a, db_col_text(s, 8));
    l->code = arena_strdup(a, db_col_text(s, 9));
    l->term_from = arena_strdup(a, db_col_text(s, 10));
    l->term_to = arena_strdup(a, db_col_text(s, 11));
    l->status = arena_strdup(a, db_col_text(s, 12));
    l->issued_at = arena_strdup(a, db_col_text(s, 13));
    char today[32];
    time_now_rfc3339(today);
    if (!strcmp(l->status, "valid") && strncmp(l->term_to, today, 10) < 0) l->status = "expired";
}

void letter_write(jw *w, const letter *l)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, l->id);
    jw_key(w, "teacher_id"), jw_int(w, l->teacher_id);
    jw_key(w, "serial"), jw_str(w, l->serial);
    jw_key(w, "issuer_org_id"), jw_int(w, l->issuer_org_id);
    jw_key(w, "issuer"), jw_str(w, l->issuer_name);
    jw_key(w, "teacher_name"), jw_str(w, l->teacher_name);
    jw_key(w, "year"), jw_int(w, l->year);
    jw_key(w, "seq"), jw_int(w, l->seq);
    jw_key(w, "code"), jw_str(w, l->code);
    jw_key(w, "term_from"), jw_str(w, l->term_from);
    jw_key(w, "term_to"), jw_str(w, l->term_to);
    jw_key(w, "status"), jw_str(w, l->status);
    jw_key(w, "issued_at"), jw_str(w, l->issued_at);
    jw_obj_end(w);
}

/* Per issuer and year; the pattern in force at the year's first letter stays the year's. */
static const db_counter letter_counter = {"letter_counters", {"issuer_org_id", "year", NULL}, "pattern"};

/* Next number of the issuer's year, atomically: the upsert takes the counter row's lock. */
static int next_serial(db *c, int64_t issuer, int year, arena *a, int64_t *seq, const char **serial)
{
    const int64_t key[] = {issuer, year};
    const char *pattern = NULL;
    int rc = db_counter_next(c, &letter_counter, key, letters_pattern(), a, seq, &pattern);
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
    db_stmt *s = db_prepare(c, "INSERT INTO teacher_letters (teacher_id, org_path, issuer_org_id, issuer_name, "
                               "teacher_name, serial, year, seq, code, term_from, term_to, status, issued_by, issued_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?) RETURNING " L_COLS);
    if (!s) return DB_ERR;
    db_bind_int(s, 1, teacher_id);
    db_bind_text(s, 2, teacher_path);
    db_bind_int(s, 3, issuer_org_id);
    db_bind_text(s, 4, issuer_name);
    db_bind_text(s, 5, teacher_name);
    db_bind_text(s, 6, serial);
    db_bind_int(s, 7, year);
    db_bind_int(s, 8, seq);
    db_bind_text(s, 9, code);
    db_bind_text(s, 10, today);
    db_bind_text(s, 11, to);
    if (p->user_id) db_bind_int(s, 12, p->user_id);
    else db_bind_text(s, 12, NULL);
    db_bind_text(s, 13, now);
    rc = db_step(s);
    if (rc == DB_ROW) read_letter(s, a, out);
    db_finish(s);
    if (rc == DB_UNIQUE) return TCH_BAD_PATTERN;   /* a pattern without {seq} repeats itself */
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    /* The audit keeps the serial, not the code: the code is the letter's public secret. */
    json_t *after = json_pack("{s:s, s:s, s:I, s:s, s:s}", "serial", out->serial, "issuer", out->issuer_name,
                              "teacher_id", (json_int_t)teacher_id, "term_from", out->term_from, "term_to", out->term_to);
    rc = audit_record(c, actor_of(p), teacher_path, "teacher_letter", out->id, "issue", NULL, after);
    json_decref(after);
    return rc;
}

int letters_revoke_all(db *c, int64_t teacher_id)
{
    db_stmt *s = db_prepare(c, "UPDATE teacher_letters SET status = 'revoked' WHERE teacher_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, teacher_id);
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

int letters_of_teacher(db *c, arena *a, int64_t teacher_id, jw *items)
{
    db_stmt *s = db_prepare(c, "SELECT " L_COLS " FROM teacher_letters WHERE teacher_id = ? ORDER BY id DESC");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, teacher_id);
    int rc;
    letter l;
    jw_arr(items);
    while ((rc = db_step(s)) == DB_ROW) {
        read_letter(s, a, &l);
        letter_write(items, &l);
    }
    jw_arr_end(items);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static int one_letter(db *c, arena *a, const char *sql, int64_t id, const char *code, letter *out, int missing)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    if (code) db_bind_text(s, 1, code);
    else db_bind_int(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) read_letter(s, a, out);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? missing : rc;
}

int letters_latest(db *c, arena *a, int64_t teacher_id, letter *out)
{
    return one_letter(c, a, "SELECT " L_COLS " FROM teacher_letters WHERE teacher_id = ? AND status = 'valid' "
                      "ORDER BY id DESC LIMIT 1", teacher_id, NULL, out, TCH_NO_LETTER);
}

int letters_by_code(db *c, arena *a, const char *code, letter *out)
{
    return one_letter(c, a, "SELECT " L_COLS " FROM teacher_letters WHERE code = ?", 0, code, out, TCH_NOT_FOUND);
}
