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
#include "http/entity_http.h"
#include "http/public_url.h"
#include "http/reply.h"
#include "http/router.h"
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cert_verify_url(request *r, const char *code)
{
    return public_url(r, arena_printf(&r->arena, "/v/cert/%s", code));
}

#define T(member) offsetof(vcert, member)
static const field vcert_fields[] = {
    {"id", "c.id", FT_ID, T(id), .flags = 0},
    {"volunteer_id", "c.volunteer_id", FT_ID, T(volunteer_id), .flags = 0},
    {"cert_no", "c.cert_no", FT_TEXT, T(cert_no), .flags = 0, .doc = "VC<year><6 digits>"},
    {"name", "v.name", FT_TEXT, T(name), .flags = 0},
    {"volunteer_no", "v.volunteer_no", FT_TEXT, T(volunteer_no), .flags = 0},
    {"id_number", "v.id_number_enc", FT_TEXT, T(id_number), .flags = FF_ENCRYPTED | FF_MASK_ID},
    {"year", "c.year", FT_INT, T(year), .flags = 0, .doc = "0: every year"},
    {"activities", "c.activities", FT_INT, T(activities), .flags = 0},
    {"minutes", "c.minutes", FT_INT, T(minutes), .flags = 0},
    {"hours", "", FT_TEXT, T(hours), .flags = FF_NO_SELECT, .example = "\"12.5\""},
    {"content", "c.content", FT_TEXT, T(content), .flags = 0},
    {"issuer", "c.issuer", FT_TEXT, T(issuer), .flags = 0},
    {"issued_at", "c.issued_at", FT_TIME, T(issued_at), .flags = 0},
    {"org_path", "c.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"code", "c.code", FT_TEXT, T(code), .flags = FF_HIDDEN, .doc = "the verification page's secret: never in JSON"},
    {0},
};
#undef T

/* What the table does not read: the hours with one decimal, and the masked number the PDF prints. */
static int complete(db *c, const scope *sc, arena *a, void *rec)
{
    (void)c, (void)sc;
    vcert *x = rec;
    char masked[32] = "";
    if (x->id_number) mask_id_number(x->id_number, masked, sizeof masked);
    x->id_masked = arena_strdup(a, masked);
    x->hours = arena_printf(a, "%.1f", x->minutes / 60.0);
    return DB_OK;
}

entity vcert_entity = {
    .name = "volunteer_certificate",
    .doc = "A service-hour certificate (志愿服务时长证明); the ID number masked",
    .from = " FROM volunteer_certificates c JOIN volunteers v ON v.id = c.volunteer_id",
    .id_column = "c.id",
    .path_column = "c.org_path",   /* the volunteer's org */
    .order = " ORDER BY c.id DESC",
    .size = sizeof(vcert),
    .fields = vcert_fields,
    .not_found = VP_NOT_FOUND,
    .org_not_found = VOL_ORG_NOT_FOUND,
    .errors = vp_errors,
    .complete = complete,
};

/* The certificate with its verification address (none on the verification page itself). */
static void cert_write(jw *w, const vcert *x, const char *url)
{
    jw_obj(w);
    entity_write_fields(w, &vcert_entity, x);
    if (url) jw_key(w, "verify_url"), jw_str(w, url);
    jw_obj_end(w);
}

static void list_row(jw *w, const entity *e, const void *rec, void *cls)
{
    (void)e;
    const vcert *x = rec;
    cert_write(w, x, cert_verify_url(cls, x->code));
}

struct issue_args {
    const principal *p;          /* staff issuing, in whose scope the volunteer must be; NULL: the phone */
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

/* The certificate of volunteer v (read by the caller's transaction), or the same one again. */
static int issue_for(db *c, struct issue_args *w, const volunteer *v)
{
    int rc;
    qb q;
    const char *path = v->org_path, *issuer = v->org_name;
    int64_t count = 0, minutes = 0;
    const char *content = NULL;
    if ((rc = figures(c, w->a, w->volunteer_id, w->year, &count, &minutes, &content)) != DB_OK) return rc;
    qb_init(&q, " AND c.volunteer_id = ? AND c.year = ? AND c.activities = ? AND c.minutes = ? ORDER BY c.id DESC");
    qb_int(&q, w->volunteer_id), qb_int(&q, w->year), qb_int(&q, count), qb_int(&q, minutes);
    /* the newest one with the same figures, of a volunteer this transaction found in scope */
    if ((rc = entity_get_where_unscoped(c, &vcert_entity, w->a, &q, w->out)) != VP_NOT_FOUND) return rc;
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
    int64_t by = w->p ? w->p->user_id : 0, id = 0;
    entity_value more[] = {{"volunteer_id", .i = w->volunteer_id, .is_int = true}, {"org_path", .text = path},
                           {"cert_no", .text = no}, {"code", .text = code}, {"year", .i = w->year, .is_int = true},
                           {"activities", .i = count, .is_int = true}, {"minutes", .i = minutes, .is_int = true},
                           {"content", .text = content}, {"issuer", .text = issuer}, {"issued_at", .text = now},
                           {"created_by", .i = by, .is_int = by != 0}, {0}};
    if ((rc = entity_store(c, &vcert_entity, "volunteer_certificates", 0, NULL, more, w->a, &id)) != DB_OK) return rc;
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &vcert_entity, w->a, id, w->out)) != DB_OK) return rc;
    /* the audit keeps the number, not the code: the code is the certificate's public secret */
    json_t *after = json_pack("{s:s, s:I, s:I, s:I}", "cert_no", no, "year", (json_int_t)w->year, "activities",
                              (json_int_t)count, "minutes", (json_int_t)minutes);
    rc = audit_record(c, w->p ? actor_of(w->p) : actor_key(ACTOR_VOLUNTEER_KEY, "volunteer_phone", NULL, NULL), path,
                      "volunteer_certificate", id, "create", NULL, after);
    json_decref(after);
    return rc;
}

/* Staff: the volunteer read with the same scope rule as its list of certificates. */
static int issue_in_scope_cb(db *c, void *cls)
{
    struct issue_args *w = cls;
    volunteer v;
    int rc = entity_get(c, &volunteer_entity, &w->p->scope, w->a, w->volunteer_id, &v);
    if (rc != DB_OK) return rc == VOL_NOT_FOUND ? VP_VOLUNTEER_NOT_FOUND : rc;
    return issue_for(c, w, &v);
}

/* The phone: its key proved which volunteer it is, so no scope applies. */
static int issue_by_key_cb(db *c, void *cls)
{
    struct issue_args *w = cls;
    volunteer v;
    int rc = entity_get_unscoped(c, &volunteer_entity, w->a, w->volunteer_id, &v);
    if (rc != DB_OK) return rc == VOL_NOT_FOUND ? VP_VOLUNTEER_NOT_FOUND : rc;
    return issue_for(c, w, &v);
}

/* The volunteer's certificate for year (0: every year): the newest one with the same figures,
 * or a new one; the volunteer in p's scope. */
static int cert_issue(db *c, const principal *p, arena *a, int64_t volunteer_id, int year, vcert *out)
{
    struct issue_args w = {p, a, volunteer_id, year, out};
    return db_transaction(c, issue_in_scope_cb, &w);
}

/* The same for the volunteer's own phone (its key named volunteer_id): no user, so no scope;
 * audited as the phone. */
static int cert_issue_unscoped(db *c, arena *a, int64_t volunteer_id, int year, vcert *out)
{
    struct issue_args w = {NULL, a, volunteer_id, year, out};
    return db_transaction(c, issue_by_key_cb, &w);
}

/* ---- HTTP ---- */

/* A year 2000-2100 when given (0, not given: every year); false after a 422. */
static bool year_ok(request *r, bool given, int64_t year)
{
    if (!given || (year >= 2000 && year <= 2100)) return true;
    reply_error(r, 422, "invalid_field", "year", "年份应为 2000 至 2100 / a year 2000-2100");
    return false;
}

static void handle_issue(request *r)
{
    static const char *const fields[] = {"year", NULL};
    int64_t id, year = 0;
    bool has = false;
    vcert x;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL) || !body_int(r, "year", false, &year, &has) ||
        !year_ok(r, has, year))
        return;
    db *c = db_thread();
    int rc = c ? cert_issue(c, r->principal, &r->arena, id, (int)year, &x) : DB_ERR;
    if (rc != DB_OK) { vp_reply_error(r, rc); return; }
    jw w;
    jw_init(&w);
    cert_write(&w, &x, cert_verify_url(r, x.code));
    reply_jw(r, 201, &w);
}

static void handle_list(request *r)
{
    int64_t id;
    volunteer v;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &volunteer_entity, &r->principal->scope, &r->arena, id, &v) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &volunteer_entity, rc); return; }
    jw w;
    qb q;
    qb_init(&q, " WHERE c.volunteer_id = ?");   /* the volunteer's scope checked just above */
    qb_int(&q, id);
    vp_items_open(&w, 0);
    vp_items_reply(r, &w, entity_list_all(c, &vcert_entity, &q, NULL, &r->arena, &w, list_row, r));
}

static void reply_pdf(request *r, const vcert *x)
{
    char *pdf = NULL;
    size_t len = 0;
    if (cert_render_pdf(x, cert_verify_url(r, x->code), &pdf, &len) != 0) {
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
    int rc = c ? entity_get(c, &vcert_entity, &r->principal->scope, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { vp_reply_error(r, rc); return; }
    reply_pdf(r, &x);
}

/* The phone: its volunteer's certificate (issued or the same again) as PDF. */
static void handle_public_pdf(request *r)
{
    const char *text = req_query(r, "year");
    int64_t vid = 0, year = text && *text ? atoi(text) : 0;
    vcert x;
    db *c;
    if (!year_ok(r, text && *text, year) || !(c = vp_key_volunteer(r, &vid))) return;
    int rc = cert_issue_unscoped(c, &r->arena, vid, (int)year, &x);
    if (rc != DB_OK) { vp_reply_error(r, rc); return; }
    reply_pdf(r, &x);
}

static void handle_verify(request *r)
{
    const char *code = r->nparams > 0 ? r->params[0] : "";
    bool ok = strlen(code) == CERT_CODE_BYTES * 2 && strspn(code, "0123456789abcdef") == CERT_CODE_BYTES * 2;
    vcert x;
    db *c = db_thread();
    int rc = !ok ? VP_NOT_FOUND : c ? DB_OK : DB_ERR;
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, " AND c.code = ?");
        qb_text(&q, code);
        /* nobody signs in here: the code (128 random bits) is the proof, so no scope */
        rc = entity_get_where_unscoped(c, &vcert_entity, &r->arena, &q, &x);
    }
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
