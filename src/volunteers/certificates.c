/* certificates.c - service-hour certificates (see certificates.h): issued (or the same one
 * again when the figures did not change) by staff in scope or by the volunteer's phone with its
 * key, listed, drawn as PDF, and checked on the public verification page, which shows the name,
 * the masked ID number and the figures: never a whole number. */
#include "volunteers/certificates.h"
#include "audit/audit.h"
#include "checkin/checkin.h"
#include "core/config.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/counter.h"
#include "db/query.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C_COLS "c.id, c.volunteer_id, c.year, c.activities, c.minutes, c.org_path, c.cert_no, c.code, c.content, " \
               "c.issuer, c.issued_at, v.name, v.volunteer_no, v.id_number_enc"
#define C_FROM " FROM volunteer_certificates c JOIN volunteers v ON v.id = c.volunteer_id"

const char *cert_verify_url(arena *a, const char *code)
{
    const char *base = env_or("KEPU_PUBLIC_URL", "http://127.0.0.1:8080");
    size_t n = strlen(base);
    while (n && base[n - 1] == '/') n--;
    return arena_printf(a, "%.*s/v/cert/%s", (int)n, base, code);
}

static void read_cert(db_stmt *s, arena *a, void *row)
{
    vcert *x = row;
    memset(x, 0, sizeof *x);
    x->id = db_col_int(s, 0);
    x->volunteer_id = db_col_int(s, 1);
    x->year = db_col_int(s, 2);
    x->activities = db_col_int(s, 3);
    x->minutes = db_col_int(s, 4);
    x->org_path = arena_strdup(a, db_col_text(s, 5));
    x->cert_no = arena_strdup(a, db_col_text(s, 6));
    x->code = arena_strdup(a, db_col_text(s, 7));
    x->content = arena_strdup(a, db_col_text(s, 8));
    x->issuer = arena_strdup(a, db_col_text(s, 9));
    x->issued_at = arena_strdup(a, db_col_text(s, 10));
    x->name = arena_strdup(a, db_col_text(s, 11));
    x->volunteer_no = arena_strdup(a, db_col_text(s, 12));
    const char *idn = pii_decrypt(a, db_col_text(s, 13));
    char masked[32] = "";
    if (idn) mask_id_number(idn, masked, sizeof masked);
    x->id_masked = arena_strdup(a, masked);
}

void cert_write(jw *w, const vcert *x, const char *url)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "volunteer_id"), jw_int(w, x->volunteer_id);
    jw_key(w, "cert_no"), jw_str(w, x->cert_no);
    jw_key(w, "name"), jw_str(w, x->name);
    jw_key(w, "volunteer_no"), jw_str(w, x->volunteer_no);
    jw_key(w, "id_number"), jw_str(w, x->id_masked);
    jw_key(w, "year"), jw_int(w, x->year);
    jw_key(w, "activities"), jw_int(w, x->activities);
    jw_key(w, "minutes"), jw_int(w, x->minutes);
    char hours[32];
    snprintf(hours, sizeof hours, "%.1f", x->minutes / 60.0);
    jw_key(w, "hours"), jw_str(w, hours);
    jw_key(w, "content"), jw_str(w, x->content);
    jw_key(w, "issuer"), jw_str(w, x->issuer);
    jw_key(w, "issued_at"), jw_str(w, x->issued_at);
    if (url) jw_key(w, "verify_url"), jw_str(w, url);
    jw_obj_end(w);
}

static int one(db *c, arena *a, const char *where, int64_t id, const char *text, const scope *sc, vcert *out)
{
    qb q;
    qb_init(&q, "SELECT " C_COLS C_FROM " WHERE ");
    qb_sql(&q, where);
    if (text) qb_text(&q, text);
    else qb_int(&q, id);
    if (sc) scope_filter(sc, &q, "c.org_path");
    return qb_get_one(c, &q, a, read_cert, out, VP_NOT_FOUND);
}

int cert_get(db *c, const principal *p, arena *a, int64_t id, vcert *out)
{
    return one(c, a, "c.id = ?", id, NULL, &p->scope, out);
}

int cert_by_code(db *c, arena *a, const char *code, vcert *out) { return one(c, a, "c.code = ?", 0, code, NULL, out); }

int cert_list(db *c, arena *a, int64_t volunteer_id, jw *w)
{
    db_stmt *s = db_prepare(c, "SELECT " C_COLS C_FROM " WHERE c.volunteer_id = ? ORDER BY c.id DESC");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, volunteer_id);
    int rc;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        vcert x;
        read_cert(s, a, &x);
        cert_write(w, &x, cert_verify_url(a, x.code));
    }
    jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

struct issue_args {
    const principal *p;
    arena *a;
    int64_t volunteer_id;
    int year;
    vcert *out;
};

/* The figures and the content (up to five titles) of the volunteer's credited service. */
static int figures(db *c, arena *a, int64_t vid, int year, int64_t *count, int64_t *minutes, const char **content)
{
    db_stmt *s = db_prepare(c, "SELECT p.title, u.minutes FROM volunteer_signups u JOIN volunteer_projects p ON "
                               "p.id = u.project_id WHERE u.volunteer_id = ? AND u.hours_status = 'confirmed' AND "
                               "u.credited = 1 AND (? = 0 OR substr(p.day, 1, 4) = ?) ORDER BY p.starts_at");
    if (!s) return DB_ERR;
    char y[8];
    snprintf(y, sizeof y, "%04d", year);
    db_bind_int(s, 1, vid);
    db_bind_int(s, 2, year);
    db_bind_text(s, 3, y);
    int rc;
    char text[1200] = "";
    *count = *minutes = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*count < 5 && strlen(text) + strlen(db_col_text(s, 0)) + 4 < sizeof text) {
            if (*text) strcat(text, "、");
            strcat(text, db_col_text(s, 0));
        }
        ++*count;
        *minutes += db_col_int(s, 1);
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    *content = *count > 5 ? arena_printf(a, "%s等%lld项科技志愿服务", text, (long long)*count) : arena_strdup(a, text);
    return *count ? DB_OK : CERT_NO_HOURS;
}

static int issue_cb(db *c, void *cls)
{
    struct issue_args *w = cls;
    qb q;
    qb_init(&q, "SELECT v.org_path, o.name FROM volunteers v JOIN orgs o ON o.id = v.org_id WHERE v.id = ?");
    qb_int(&q, w->volunteer_id);
    if (w->p) scope_filter(&w->p->scope, &q, "v.org_path");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    const char *path = rc == DB_ROW ? arena_strdup(w->a, db_col_text(s, 0)) : NULL;
    const char *issuer = rc == DB_ROW ? arena_strdup(w->a, db_col_text(s, 1)) : NULL;
    db_finish(s);
    if (rc != DB_ROW) return rc == DB_DONE ? VP_VOLUNTEER_NOT_FOUND : rc;
    int64_t count = 0, minutes = 0;
    const char *content = NULL;
    if ((rc = figures(c, w->a, w->volunteer_id, w->year, &count, &minutes, &content)) != DB_OK) return rc;
    if (!(s = db_prepare(c, "SELECT id FROM volunteer_certificates WHERE volunteer_id = ? AND year = ? AND "
                            "activities = ? AND minutes = ? ORDER BY id DESC")))
        return DB_ERR;
    db_bind_int(s, 1, w->volunteer_id);
    db_bind_int(s, 2, w->year);
    db_bind_int(s, 3, count);
    db_bind_int(s, 4, minutes);
    rc = db_step(s);
    int64_t same = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (same) return one(c, w->a, "c.id = ?", same, NULL, NULL, w->out);
    char now[40], code[CERT_CODE_BYTES * 2 + 1];
    unsigned char raw[CERT_CODE_BYTES];
    time_now_rfc3339(now);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(code, sizeof code, raw, sizeof raw);
    int year_now = atoi(now);
    static const db_counter counter = {"volunteer_cert_counters", {"year", NULL}, NULL};
    const int64_t key[] = {year_now};
    int64_t seq = 0;
    if ((rc = db_counter_next(c, &counter, key, NULL, w->a, &seq, NULL)) != DB_OK) return rc;
    const char *no = arena_printf(w->a, "VC%d%06lld", year_now, (long long)seq);
    if (!(s = db_prepare(c, "INSERT INTO volunteer_certificates (volunteer_id, org_path, cert_no, code, year, activities, "
                            "minutes, content, issuer, issued_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            "RETURNING id")))
        return DB_ERR;
    db_bind_int(s, 1, w->volunteer_id);
    db_bind_text(s, 2, path);
    db_bind_text(s, 3, no);
    db_bind_text(s, 4, code);
    db_bind_int(s, 5, w->year);
    db_bind_int(s, 6, count);
    db_bind_int(s, 7, minutes);
    db_bind_text(s, 8, content);
    db_bind_text(s, 9, issuer);
    db_bind_text(s, 10, now);
    if (w->p && w->p->user_id) db_bind_int(s, 11, w->p->user_id);
    else db_bind_text(s, 11, NULL);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = one(c, w->a, "c.id = ?", id, NULL, NULL, w->out)) != DB_OK) return rc;
    /* the audit keeps the number, not the code: the code is the certificate's public secret */
    json_t *after = json_pack("{s:s, s:I, s:I, s:I}", "cert_no", no, "year", (json_int_t)w->year, "activities",
                              (json_int_t)count, "minutes", (json_int_t)minutes);
    rc = audit_record(c, w->p ? actor_of(w->p) : actor_key(ACTOR_VOLUNTEER_KEY, "volunteer_phone", NULL, NULL), path, "volunteer_certificate", id, "create", NULL, after);
    json_decref(after);
    return rc;
}

int cert_issue(db *c, const principal *p, arena *a, int64_t volunteer_id, int year, vcert *out)
{
    struct issue_args w = {p, a, volunteer_id, year, out};
    return db_transaction(c, issue_cb, &w);
}

int cert_issue_unscoped(db *c, arena *a, int64_t volunteer_id, int year, vcert *out)
{
    struct issue_args w = {NULL, a, volunteer_id, year, out};
    return db_transaction(c, issue_cb, &w);
}

/* ---- HTTP ---- */

static void cert_error(request *r, int rc)
{
    if (rc == CERT_NO_HOURS)
        reply_error(r, 409, "no_hours", NULL, "尚无已确认的服务时长 / no confirmed service hours to certify");
    else vp_reply_error(r, rc);
}

static bool read_year(request *r, const char *text, int *year)
{
    *year = text && *text ? atoi(text) : 0;
    if (text && *text && (*year < 2000 || *year > 2100)) {
        reply_error(r, 422, "invalid_field", "year", "年份应为 2000 至 2100 / a year 2000-2100");
        return false;
    }
    return true;
}

static void handle_issue(request *r)
{
    static const char *const fields[] = {"year", NULL};
    int64_t id, year = 0;
    bool has = false;
    vcert x;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL) || !body_int(r, "year", false, &year, &has)) return;
    if (has && (year < 2000 || year > 2100)) {
        reply_error(r, 422, "invalid_field", "year", "年份应为 2000 至 2100 / a year 2000-2100");
        return;
    }
    db *c = db_thread();
    int rc = c ? cert_issue(c, r->principal, &r->arena, id, (int)year, &x) : DB_ERR;
    if (rc != DB_OK) { cert_error(r, rc); return; }
    jw w;
    jw_init(&w);
    cert_write(&w, &x, cert_verify_url(&r->arena, x.code));
    reply_jw(r, 201, &w);
}

static void handle_list(request *r)
{
    int64_t id;
    volunteer v;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? volunteers_get(c, r->principal, &r->arena, id, &v) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    if ((rc = cert_list(c, &r->arena, id, &w)) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void reply_pdf(request *r, const vcert *x)
{
    char *pdf = NULL;
    size_t len = 0;
    if (cert_render_pdf(x, cert_verify_url(&r->arena, x->code), &pdf, &len) != 0) {
        reply_error(r, 500, "internal", NULL, "证明生成失败 / the certificate could not be drawn");
        return;
    }
    reply_body(r, 200, pdf, len, "application/pdf");
    reply_header(r, "Content-Disposition",
                 arena_printf(&r->arena, "attachment; filename=\"%s.pdf\"", x->cert_no));
}

static void handle_pdf(request *r)
{
    int64_t id;
    vcert x;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? cert_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { cert_error(r, rc); return; }
    reply_pdf(r, &x);
}

/* The phone: its volunteer's certificate (issued or the same again) as PDF. */
static void handle_public_pdf(request *r)
{
    const char *key = req_header(r, "X-Volunteer-Key");
    int64_t vid = 0;
    int year;
    vcert x;
    if (!read_year(r, req_query(r, "year"), &year)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    int rc = key && strlen(key) >= 20 && strlen(key) <= 64 ? checkin_person_of_key(c, &r->arena, "volunteer", key, &vid)
                                                           : CHK_BAD_KEY;
    if (rc == CHK_BAD_KEY) {
        reply_error(r, 401, "volunteer_key", "X-Volunteer-Key", "请先找回志愿者身份 / no valid volunteer key");
        return;
    }
    if (rc == DB_OK) rc = cert_issue_unscoped(c, &r->arena, vid, year, &x);
    if (rc != DB_OK) { cert_error(r, rc); return; }
    reply_pdf(r, &x);
}

static void handle_verify(request *r)
{
    const char *code = r->nparams > 0 ? r->params[0] : "";
    bool ok = strlen(code) == CERT_CODE_BYTES * 2;
    for (const char *p = code; ok && *p; p++) ok = strchr("0123456789abcdef", *p) != NULL;
    vcert x;
    db *c = db_thread();
    int rc = !ok ? VP_NOT_FOUND : c ? cert_by_code(c, &r->arena, code, &x) : DB_ERR;
    if (rc == VP_NOT_FOUND) {
        reply_error(r, 404, "not_found", NULL, "未找到该证明，可能是伪造的 / no such certificate: it may be forged");
        return;
    }
    if (rc != DB_OK) { reply_db_error(r); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "genuine"), jw_bool(&w, true);
    jw_key(&w, "certificate");
    cert_write(&w, &x, NULL);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static const struct route cert_routes[] = {
    {"POST", "/api/v1/volunteers/:id/certificates", handle_issue, RANK_STAFF, 0, .summary = "Issue a service-hour certificate"},
    {"GET", "/api/v1/volunteers/:id/certificates", handle_list, RANK_STAFF, 0, .summary = "A volunteer's certificates"},
    {"GET", "/api/v1/volunteer-certificates/:id/pdf", handle_pdf, RANK_STAFF, 0, .summary = "A certificate as PDF"},
    {"GET", "/api/v1/public/volunteer/certificate.pdf", handle_public_pdf, ROUTE_PUBLIC, 0, .summary = "The key's certificate as PDF"},
    {"GET", "/api/v1/public/volunteer-certificates/:code", handle_verify, ROUTE_PUBLIC, 0, .summary = "Verify a certificate"},
    {0},
};

void certificates_register_routes(void) { router_add_table(cert_routes); }
