/* award_cert.c - award certificates of a finalized call (results.h): one per selected entry,
 * issued by finalize in its transaction, with a serial (KP<year>-<call>-<nnnn>) and a public
 * verification code of 16 random bytes (hex), as the letters do. The owner lists a call's; the
 * owner and the holder unit download the PDF; anyone with the code verifies it (no login). A
 * title's revocation revokes its certificates (designations.c). */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/public_url.h"
#include "http/reply.h"
#include "http/router.h"
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const cert_statuses[] = {"valid", "revoked", NULL};

#define A(member) offsetof(award_cert, member)
static const field cert_fields[] = {
    {"id", "x.id", FT_ID, A(id), .flags = 0},
    {"call_id", "x.call_id", FT_ID, A(call_id), .flags = 0},
    {"entry_id", "x.entry_id", FT_ID, A(entry_id), .flags = 0},
    {"designation_id", "x.designation_id", FT_INT_NULL, A(designation_id), .flags = 0},
    {"org_path", "x.org_path", FT_TEXT, A(org_path), .flags = FF_HIDDEN},
    {"serial", "x.serial", FT_TEXT, A(serial), .flags = 0, .example = "\"KP2026-3-0001\""},
    {"code", "x.code", FT_TEXT, A(code), .flags = 0, .doc = "the public verification code (32 hex digits)"},
    {"holder_name", "x.holder_name", FT_TEXT, A(holder_name), .flags = 0},
    {"title", "x.title", FT_TEXT, A(title), .flags = 0, .doc = "the call's title"},
    {"level", "x.level", FT_TEXT, A(level), .flags = 0},
    {"issuer_org_id", "x.issuer_org_id", FT_ID, A(issuer_org_id), .flags = 0},
    {"issuer_name", "x.issuer_name", FT_TEXT, A(issuer_name), .flags = 0},
    {"issued_at", "x.issued_at", FT_TIME, A(issued_at), .flags = 0},
    {"status", "x.status", FT_ENUM, A(status), .flags = 0, .choices = cert_statuses},
    {0},
};
#undef A

/* The holder unit's path: the owner (above it) and the holder read it. */
entity award_cert_entity = {
    .name = "award_certificate",
    .doc = "An award certificate (荣誉证书) of a call's result, verified by its public code",
    .from = " FROM award_certificates x",
    .id_column = "x.id",
    .path_column = "x.org_path",
    .order = " ORDER BY x.id",
    .size = sizeof(award_cert),
    .fields = cert_fields,
    .not_found = RES_CERT_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = results_errors,
};

int award_certs_issue(db *c, arena *a, const call_rec *call, int64_t entry_id, int64_t designation_id,
                      const char *holder, const char *level)
{
    char now[32], code[AWARD_CODE_BYTES * 2 + 1];
    unsigned char raw[AWARD_CODE_BYTES];
    time_now_rfc3339(now);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(code, sizeof code, raw, sizeof raw);
    qb q;
    int64_t seq = 0;
    const char *path = NULL;
    qb_init(&q, "SELECT COUNT(*) + 1 FROM award_certificates WHERE call_id = ?");
    qb_int(&q, call->id);
    int rc = qb_exec(c, &q, &seq);
    qb_init(&q, "SELECT org_path FROM call_entries WHERE id = ?");
    qb_int(&q, entry_id);
    db_stmt *s = rc == DB_OK ? qb_prepare(&q, c) : NULL;
    if (!s) return rc == DB_OK ? DB_ERR : rc;
    if (db_step(s) == DB_ROW) path = arena_strdup(a, db_col_text(s, 0));
    db_finish(s);
    if (!path) return ENTRY_NOT_FOUND;
    /* the call's row is locked by finalize's status change in this transaction: the count is stable */
    char serial[64];
    snprintf(serial, sizeof serial, "KP%lld-%lld-%04lld", (long long)call->year, (long long)call->id, (long long)seq);
    entity_value row[] = {{"call_id", .i = call->id, .is_int = true}, {"entry_id", .i = entry_id, .is_int = true},
                          {"designation_id", .text = NULL}, {"org_path", .text = path}, {"serial", .text = serial},
                          {"code", .text = code}, {"holder_name", .text = holder}, {"title", .text = call->title},
                          {"level", .text = level}, {"issuer_org_id", .i = call->org_id, .is_int = true},
                          {"issuer_name", .text = call->org_name}, {"issued_at", .text = now}, {"status", .text = "valid"}, {0}};
    if (designation_id) row[2] = (entity_value){"designation_id", .i = designation_id, .is_int = true};
    return entity_store(c, &award_cert_entity, "award_certificates", 0, NULL, row, a, NULL);
}

/* GET /calls/:id/certificates: the owner's list of a call's certificates. */
static void handle_list(request *r)
{
    int64_t id;
    call_rec call;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? calls_get_managed(c, r->principal, &r->arena, id, &call) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return; }
    qb where;
    qb_init(&where, " WHERE x.call_id = ?");   /* the call is the caller's to manage */
    qb_int(&where, id);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    rc = entity_list_all(c, &award_cert_entity, &where, NULL, &r->arena, &w, NULL, NULL);
    jw_obj_end(&w);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

static const char *verify_url(request *r, const char *code)
{
    return public_url(r, arena_printf(&r->arena, "/verify/awards/%s", code));
}

static void handle_pdf(request *r)
{
    int64_t id;
    award_cert x;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &award_cert_entity, &r->principal->scope, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &award_cert_entity, rc); return; }
    char *pdf = NULL;
    size_t len = 0;
    if (award_pdf_render(&x, verify_url(r, x.code), &pdf, &len) != 0) {
        reply_error(r, 500, "internal", NULL, "证书生成失败 / the certificate could not be drawn");
        return;
    }
    reply_body(r, 200, pdf, len, "application/pdf");
    reply_header(r, "Content-Disposition", arena_printf(&r->arena, "attachment; filename=\"%s.pdf\"", x.serial));
}

/* No login: the code (128 random bits) is the proof. Names only, never a number of a person. */
static void handle_verify(request *r)
{
    const char *code = r->nparams > 0 ? r->params[0] : "";
    bool ok = strlen(code) == AWARD_CODE_BYTES * 2 && strspn(code, "0123456789abcdef") == AWARD_CODE_BYTES * 2;
    award_cert x;
    db *c = db_thread();
    int rc = !ok ? RES_CERT_NOT_FOUND : c ? DB_OK : DB_ERR;
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, " AND x.code = ?");
        qb_text(&q, code);
        rc = entity_get_where_unscoped(c, &award_cert_entity, &r->arena, &q, &x);
    }
    if (rc == RES_CERT_NOT_FOUND) {
        reply_error(r, 404, "not_found", NULL, "未找到该证书，可能是伪造的 / no such certificate: it may be forged");
        return;
    }
    if (rc != DB_OK) { reply_db_error(r); return; }
    reply_json(r, 200, json_pack("{s:b, s:s, s:s, s:s, s:s?, s:s, s:s, s:s}", "genuine", 1, "serial", x.serial, "holder_name",
                                 x.holder_name, "title", x.title, "level", x.level, "issuer", x.issuer_name, "issued_at",
                                 x.issued_at, "status", x.status));
}

static const struct route cert_routes[] = {
    {"GET", "/api/v1/calls/:id/certificates", handle_list, RANK_ORG_ADMIN, 0, .summary = "A finalized call's award certificates",
     .entity = &award_cert_entity},
    {"GET", "/api/v1/award-certificates/:id/certificate.pdf", handle_pdf, RANK_MEMBER, 0,
     .summary = "An award certificate as PDF, with a QR code of its verification page", .entity = &award_cert_entity},
    {"GET", "/api/v1/public/award-certificates/:code", handle_verify, ROUTE_PUBLIC, 0,
     .summary = "Verify an award certificate (no login)", .entity = &award_cert_entity},
    {0},
};

void award_cert_register_routes(void) { router_add_table(cert_routes); }
