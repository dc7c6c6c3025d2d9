/* letters_api.c - the appointment letter's PDF (scoped, with the teacher) and the public
 * verification of a letter by its code (no login: the unguessable code is the key). */
#include "teaching/teacher_internal.h"
#include "files/files.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

static void handle_letter_pdf(request *r)
{
    int64_t id;
    teacher t;
    letter l;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &teacher_entity, &r->principal->scope, &r->arena, id, &t) : DB_ERR;
    if (rc == DB_OK) rc = letters_latest(c, &r->arena, id, &l);
    if (rc != DB_OK) { entity_reply_error(r, &teacher_entity, rc); return; }
    char *pdf = NULL;
    size_t len = 0;
    if (letters_render_pdf(&l, letters_verify_url(&r->arena, l.code), &pdf, &len) != 0) {
        reply_error(r, 500, "internal", NULL, "聘书生成失败 / the letter could not be drawn");
        return;
    }
    reply_body(r, 200, pdf, len, "application/pdf");
    reply_header(r, "Content-Disposition", files_disposition(&r->arena, arena_printf(&r->arena, "聘书-%s.pdf", t.name)));
}

static bool code_well_formed(const char *code)
{
    return strlen(code) == LETTER_CODE_BYTES * 2 && strspn(code, "0123456789abcdef") == LETTER_CODE_BYTES * 2;
}

static void handle_verify(request *r)
{
    const char *code = r->nparams > 0 ? r->params[0] : "";
    letter l;
    db *c = db_thread();
    int rc = !code_well_formed(code) ? TCH_NOT_FOUND : c ? letters_by_code(c, &r->arena, code, &l) : DB_ERR;
    if (rc == TCH_NOT_FOUND) {
        reply_error(r, 404, "not_found", NULL, "未找到该聘书，可能是伪造的 / no such letter: it may be forged");
        return;
    }
    if (rc != DB_OK) { reply_db_error(r); return; }
    /* The name only: never a number of the person. */
    reply_json(r, 200, json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "genuine", 1, "serial", l.serial,
                                 "teacher_name", l.teacher_name, "issuer", l.issuer_name, "issued_at", l.issued_at,
                                 "status", l.status, "term_from", l.term_from, "term_to", l.term_to));
}

const struct route letter_routes[] = {
    {"GET", "/api/v1/teachers/:id/letter.pdf", handle_letter_pdf, RANK_MEMBER, 0, .summary = "The appointment letter (聘书) as an A4 PDF", .entity = &letter_entity},
    {"GET", "/api/v1/public/letters/:code", handle_verify, ROUTE_PUBLIC, 0, .summary = "Verify an appointment letter (no login)", .entity = &letter_entity},
    {0},
};
