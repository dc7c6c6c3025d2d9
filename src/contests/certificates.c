/* certificates.c - certificates of a contest's best (竞赛获奖证书, see contests.h): issued for the
 * top N persons of a closed contest (certificate_top), once per person's best attempt however often
 * asked (idempotent), each with a random code a phone verifies at
 * GET /public/contest-certificates/:code (the same 404 for any unknown code), and drawn as an A4
 * PDF for its holder (who proves the attempt with its token). Names are masked on the public
 * verification; the holder's own PDF carries the name in full. */
#include "contests/contests_internal.h"
#include "audit/audit.h"
#include "auth/limiter.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "docs/pdf_draw.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/public_url.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const limit_rule verify_ip = {"contest.cert.ip", 60, 600, "KEPU_CONTEST_CERT_LIMIT"};

/* 12 characters of an alphabet without look-alikes (no 0/O, 1/I/L). */
static void new_code(char out[13])
{
    static const char abc[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    unsigned char raw[12];
    randombytes_buf(raw, sizeof raw);
    for (int i = 0; i < 12; i++) out[i] = abc[raw[i] % (sizeof abc - 1)];
    out[12] = 0;
}

struct issue_args {
    const principal *p;
    arena *a;
    int64_t id, issued, total;
};

static int issue_cb(db *c, void *cls)
{
    struct issue_args *w = cls;
    contest ct;
    int rc = contests_get(c, w->p, w->a, w->id, &ct);
    if (rc != DB_OK) return rc;
    if (!strcmp(ct.kind, "self_assessment")) return CT_NOT_SELF;
    if (strcmp(ct.status, "closed")) return CT_STATE;   /* the ranking is final only once closed */
    char now[40];
    time_now_rfc3339(now);
    /* the top N of the ranking, in its order; a person already holding one keeps it */
    db_stmt *s = db_prepare(c, "SELECT b.attempt_id, b.person_name, b.org_path, b.score FROM contest_best b WHERE "
                               "b.contest_id = ? ORDER BY b.score DESC, b.used_s, b.at, b.person_kind, b.person_id LIMIT ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, ct.id), db_bind_int(s, 2, ct.certificate_top);
    int n = 0, cap = (int)(ct.certificate_top > 0 ? ct.certificate_top : 1);
    struct { int64_t attempt, score; const char *name, *path; } *top = arena_alloc(w->a, sizeof *top * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW && n < cap) {
        top[n].attempt = db_col_int(s, 0), top[n].score = db_col_int(s, 3);
        top[n].name = arena_strdup(w->a, db_col_text(s, 1)), top[n].path = arena_strdup(w->a, db_col_text(s, 2));
        n++;
    }
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    for (int i = 0; i < n; i++) {
        char code[13];
        new_code(code);
        qb q;
        qb_init(&q, "INSERT INTO contest_certificates (contest_id, attempt_id, code, rank, person_name, org_path, score, "
                    "issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (contest_id, attempt_id) DO NOTHING");
        qb_int(&q, ct.id), qb_int(&q, top[i].attempt), qb_text(&q, code), qb_int(&q, i + 1), qb_text(&q, top[i].name);
        qb_text(&q, top[i].path), qb_int(&q, top[i].score), qb_text(&q, now);
        if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
        w->issued += db_changes(c);
    }
    w->total = n;
    if (!w->issued) return DB_OK;   /* nothing new: nothing to audit */
    json_t *after = json_pack("{s:I, s:I}", "issued", (json_int_t)w->issued, "certificate_top", (json_int_t)ct.certificate_top);
    rc = audit_record(c, actor_of(w->p), ct.org_path, "contest", ct.id, "issue", NULL, after);
    json_decref(after);
    return rc;
}

/* POST /contests/:id/certificates -> {issued (new now), total (held by the top N)}. */
static void handle_issue(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    struct issue_args w = {r->principal, &r->arena, id, 0, 0};
    int rc = c ? db_transaction(c, issue_cb, &w) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &contest_entity, rc); return; }
    reply_json(r, 200, json_pack("{s:I, s:I}", "issued", (json_int_t)w.issued, "total", (json_int_t)w.total));
}

typedef struct cert {
    int64_t contest_id, attempt_id, rank, score;
    const char *code, *name, *title, *org_name, *issued_at;
} cert;

/* A certificate by code or by attempt (one of them); CT_NOT_FOUND when none. */
static int cert_get(db *c, arena *a, const char *code, int64_t attempt_id, cert *out)
{
    qb q;
    qb_init(&q, "SELECT x.contest_id, x.attempt_id, x.rank, x.score, x.code, x.person_name, ct.title, o.name, x.issued_at "
                "FROM contest_certificates x JOIN contests ct ON ct.id = x.contest_id JOIN orgs o ON o.id = ct.org_id WHERE ");
    if (code) qb_sql(&q, "x.code = ?"), qb_text(&q, code);
    else qb_sql(&q, "x.attempt_id = ?"), qb_int(&q, attempt_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *out = (cert){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2), db_col_int(s, 3),
                      arena_strdup(a, db_col_text(s, 4)), arena_strdup(a, db_col_text(s, 5)),
                      arena_strdup(a, db_col_text(s, 6)), arena_strdup(a, db_col_text(s, 7)),
                      arena_strdup(a, db_col_text(s, 8))};
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? CT_NOT_FOUND : rc;
}

static void handle_verify(request *r)
{
    if (!limit_take_or_reply(r, &verify_ip, r->ip, "查询过于频繁，请稍后再试 / too many requests, retry later")) return;
    const char *code = r->params[0];
    db *c = db_thread();
    cert x;
    int rc = !c ? DB_ERR : strlen(code) != 12 ? CT_NOT_FOUND : cert_get(c, &r->arena, code, 0, &x);
    if (rc != DB_OK) { reply_error_row(r, contest_errors, rc); return; }
    reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "code", x.code, "contest", x.title, "org_name",
                                 x.org_name, "name", contest_mask_name(&r->arena, x.name), "rank", (json_int_t)x.rank,
                                 "score", (json_int_t)x.score, "issued_at", x.issued_at));
}

static double text_at(cairo_t *cr, const char *text, double size, PangoAlignment align, double y)
{
    return pdf_text(cr, text, PDF_FONT, size, align, 72, y, PDF_A4_W - 144, 0.5, 0);
}

struct cert_page {
    const cert *x;
    const char *url;
};

static int draw_page(cairo_t *cr, const void *cls)
{
    const struct cert_page *pg = cls;
    const cert *x = pg->x;
    char buf[1024], issued[40];
    pdf_chinese_day(x->issued_at, issued, sizeof issued);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.7, 0.15, 0.1);
    cairo_set_line_width(cr, 4);
    cairo_rectangle(cr, 28, 28, PDF_A4_W - 56, PDF_A4_H - 56);
    cairo_stroke(cr);
    double y = 110;
    y += text_at(cr, "荣 誉 证 书", 38, PANGO_ALIGN_CENTER, y) + 12;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    snprintf(buf, sizeof buf, "证书编号：%s", x->code);
    y += text_at(cr, buf, 12, PANGO_ALIGN_CENTER, y) + 40;
    snprintf(buf, sizeof buf, "%s：\n\n在“%s”中成绩优异，得分 %lld 分，位列第 %lld 名。\n\n特发此证，以资鼓励。", x->name,
             x->title, (long long)x->score, (long long)x->rank);
    text_at(cr, buf, 17, PANGO_ALIGN_LEFT, y);
    text_at(cr, x->org_name, 15, PANGO_ALIGN_RIGHT, PDF_A4_H - 300);
    text_at(cr, issued, 15, PANGO_ALIGN_RIGHT, PDF_A4_H - 270);
    if (pdf_qr(cr, pg->url, 72, PDF_A4_H - 220, 120, 8) != 0) return -1;
    pdf_text(cr, "扫码验证真伪", PDF_FONT, 10, PANGO_ALIGN_LEFT, 72, PDF_A4_H - 92, 200, 0.5, 0);
    return 0;
}

/* GET /public/contests/:id/attempts/:aid/certificate (X-Attempt-Token): the holder's PDF. */
static void handle_pdf(request *r)
{
    if (!limit_take_or_reply(r, &verify_ip, r->ip, "查询过于频繁，请稍后再试 / too many requests, retry later")) return;
    int64_t id, aid;
    if (!param_id(r, 0, &id) || !param_id(r, 1, &aid)) return;
    db *c = db_thread();
    attempt_row at;
    cert x;
    int rc = c ? attempt_by_token(c, &r->arena, id, aid, req_header(r, "X-Attempt-Token"), &at) : DB_ERR;
    if (rc == DB_OK) rc = cert_get(c, &r->arena, NULL, aid, &x);
    if (rc == CT_NOT_FOUND) rc = CT_ATTEMPT_NOT_FOUND;   /* one 404 for "no such attempt" and "no certificate" */
    if (rc != DB_OK) { reply_error_row(r, contest_errors, rc); return; }
    struct cert_page pg = {&x, public_url(r, arena_printf(&r->arena, "/contest-cert/%s", x.code))};
    char *pdf = NULL;
    size_t len = 0;
    if (pdf_a4_render("荣誉证书", draw_page, &pg, &pdf, &len) != 0) { reply_export_failed(r); return; }
    reply_body(r, 200, pdf, len, "application/pdf");
}

static const struct route cert_routes[] = {
    {"POST", "/api/v1/contests/:id/certificates", handle_issue, RANK_STAFF, 0, .summary = "Certificates for the top N of a closed contest (idempotent)", .entity = &contest_entity},
    {"GET", "/api/v1/public/contest-certificates/:code", handle_verify, ROUTE_PUBLIC, 0, .summary = "Verify a contest certificate by its code (masked name)"},
    {"GET", "/api/v1/public/contests/:id/attempts/:aid/certificate", handle_pdf, ROUTE_PUBLIC, 0, .summary = "The holder's certificate PDF (X-Attempt-Token of the best attempt)"},
    {0},
};

void contests_cert_register_routes(void) { router_add_table(cert_routes); }
