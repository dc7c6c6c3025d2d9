/* notices_public.c - the public notices (no login): the published notices marked public, a page
 * of them and one by id. Limited per client address like the other public routes; an unknown id,
 * a draft, a scheduled, a withdrawn or a non-public notice all answer the same 404, so nothing
 * tells what exists. The answers are cheap (one indexed query) and cacheable for a minute. */
#include "notices/notices.h"
#include "auth/limiter.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

static const limit_rule public_ip = {"notices.public.ip", 120, 60, "KEPU_PUBLIC_NOTICES_LIMIT"};

#define TOO_OFTEN "访问过于频繁，请稍后再试 / too many requests, retry later"

/* " WHERE ..." of the notices the public sees now. */
static void public_where(qb *q, const char *now)
{
    qb_init(q, " WHERE n.public = 1 AND n.status = 'published' AND n.publish_at <= ?");
    qb_text(q, now);
}

static void public_row(jw *w, const entity *e, const void *rec, void *cls)
{
    const notice *n = rec;
    bool full = cls != NULL;
    (void)e;
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, n->id);
    jw_key(w, "title"), jw_str(w, n->title);
    jw_key(w, "doc_no"), n->doc_no ? jw_str(w, n->doc_no) : jw_null(w);
    jw_key(w, "org_name"), jw_str(w, n->org_name);
    jw_key(w, "category"), jw_str(w, n->category);
    jw_key(w, "publish_at"), jw_str(w, n->publish_at);
    jw_key(w, "corrects_id"), n->corrects_id ? jw_int(w, n->corrects_id) : jw_null(w);
    jw_key(w, "corrected_by"), n->corrected_by ? jw_int(w, n->corrected_by) : jw_null(w);
    if (full) {
        jw_key(w, "body"), n->body ? jw_str(w, n->body) : jw_null(w);
        jw_key(w, "contact_name"), n->contact_name ? jw_str(w, n->contact_name) : jw_null(w);
        jw_key(w, "contact_phone"), n->contact_phone ? jw_str(w, n->contact_phone) : jw_null(w);
    }
    jw_obj_end(w);
}

/* GET /public/notices?page=&page_size= (at most 50) */
static void handle_list(request *r)
{
    page pg;
    if (!limit_take_or_reply(r, &public_ip, r->ip, TOO_OFTEN) || !query_page(r, &pg)) return;
    if (pg.size > 50) {
        reply_error(r, 422, "invalid_field", "page_size", "page_size 至多 50 / page_size: at most 50");
        return;
    }
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    char now[32];
    time_now_rfc3339(now);
    qb where;
    public_where(&where, now);
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = entity_list_page(c, &notice_entity, &where, " ORDER BY n.publish_at DESC, n.id DESC", pg.size, pg.offset,
                              &r->arena, &w, &total, public_row, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_header(r, "Cache-Control", "public, max-age=60");
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* GET /public/notices/:id */
static void handle_get(request *r)
{
    int64_t id;
    if (!limit_take_or_reply(r, &public_ip, r->ip, TOO_OFTEN) || !param_id(r, 0, &id)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    char now[32];
    time_now_rfc3339(now);
    qb conds;
    qb_init(&conds, " AND n.id = ? AND n.public = 1 AND n.status = 'published' AND n.publish_at <= ?");
    qb_int(&conds, id), qb_text(&conds, now);
    notice n;
    /* public: a published public notice is shown to anyone; every other id the same 404 */
    int rc = entity_get_where_unscoped(c, &notice_entity, &r->arena, &conds, &n);
    if (rc != DB_OK) { reply_error_row(r, notice_errors, rc); return; }
    jw w;
    jw_init(&w);
    public_row(&w, &notice_entity, &n, &w);
    reply_header(r, "Cache-Control", "public, max-age=60");
    reply_jw(r, 200, &w);
}

static const struct route public_routes[] = {
    {"GET", "/api/v1/public/notices", handle_list, ROUTE_PUBLIC, 0, .summary = "Public notices (通知公告), newest first",
     .entity = &notice_entity},
    {"GET", "/api/v1/public/notices/:id", handle_get, ROUTE_PUBLIC, 0, .summary = "One public notice",
     .entity = &notice_entity},
    {0},
};

void notices_public_register_routes(void) { router_add_table(public_routes); }
