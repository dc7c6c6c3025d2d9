/* notices.c - the notice as a declared record (notices.h): its fields, scope rule, errors and
 * computed state, and its two kinds of attached files (the notice's own documents, each
 * recipient unit's reply files). */
#include "notices/notices.h"
#include "core/errors.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "files/attachments.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <string.h>

const char *const notice_categories[] = {"通知", "公告", "工作要点", "实施意见", "其他", NULL};
static const char *const notice_statuses[] = {"draft", "published", "withdrawn", NULL};

const error_row notice_errors[] = {
    {NOTICE_NOT_FOUND, 404, "not_found", NULL, "通知不存在 / notice not found"},
    {NOTICE_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {NOTICE_STATE, 409, "notice_state", NULL, "通知当前状态不允许此操作 / the notice's status does not allow this"},
    {NOTICE_NO_RECIPIENTS, 422, "no_recipients", "target", "发送范围内没有单位 / the target names no unit"},
    {NOTICE_TARGET_UNKNOWN, 422, "invalid_field", "target", "发送范围含权限外的单位 / the target names a unit outside your scope"},
    {NOTICE_NOT_RECIPIENT, 404, "not_found", NULL, "通知不存在 / notice not found"},
    {NOTICE_NO_REPLY, 409, "no_reply", NULL, "该通知不需要回执 / this notice asks for no reply"},
    {NOTICE_DEADLINE, 422, "reply_deadline_passed", "reply_deadline",
     "已过回执截止时间，请联系发文单位 / the reply deadline has passed: ask the sender to reopen it"},
    {NOTICE_NAMES_REQUIRED, 422, "required", "names", "该通知要求填报名单 / this notice asks for a list of names"},
    {0},
};

/* Seen by the sender's scope, and once published and due by the scope of a recipient unit. The
 * time is bound as text: publish_at is RFC 3339 +08:00 like time_now_rfc3339(). */
static void notice_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    /* the builder keeps a pointer to its texts until the query runs, after this returns: a ring
     * of the thread's own buffers outlives it (a query holds at most a few scope rules) */
    static _Thread_local char ring[4][32];
    static _Thread_local unsigned next;
    char *now = ring[next++ % 4];
    time_now_rfc3339(now);
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "n.org_path");
    qb_sql(q, ") OR (n.status <> 'draft' AND n.publish_at <= ? AND EXISTS (SELECT 1 FROM notice_recipients nr"
              " WHERE nr.notice_id = n.id");
    qb_text(q, now);
    scope_filter(sc, q, "nr.org_path");
    qb_sql(q, ")))");
}

static void notice_on_read(void *rec, arena *a)
{
    notice *n = rec;
    (void)a;
    char now[32];
    time_now_rfc3339(now);
    n->state = strcmp(n->status, "published") != 0          ? n->status
             : n->publish_at && strcmp(n->publish_at, now) > 0 ? "scheduled"
                                                              : "published";
}

static const char *check_time(arena *a, const char **value)
{
    char out[32];
    if (!notices_time_normalise(*value, out, true))
        return "时间应为日期或带 +08:00 的时间 / a day, or an RFC 3339 time with +08:00";
    *value = arena_strdup(a, out);
    return NULL;
}

#define N(member) offsetof(notice, member)
static const field notice_fields[] = {
    {"id", "n.id", FT_ID, N(id), .flags = 0},
    {"org_id", "n.org_id", FT_ID, N(org_id), .flags = FF_CREATE, .doc = "the sender (default: the caller's unit)"},
    {"org_name", "o.name", FT_TEXT, N(org_name), .flags = 0},
    {"org_path", "n.org_path", FT_TEXT, N(org_path), .flags = FF_HIDDEN},
    {"title", "n.title", FT_TEXT, N(title), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 200,
     .example = "\"关于开展2026年全国科普日活动的通知\""},
    {"doc_no", "n.doc_no", FT_TEXT, N(doc_no), .flags = FF_WRITE | FF_SEARCH, .max = 50, .example = "\"渝科协发〔2026〕12号\""},
    {"body", "n.body", FT_MULTILINE, N(body), .flags = FF_WRITE, .max = 100000,
     .doc = "rich text: HTML reduced to p br b strong i em u ul ol li h3 h4 table tr td th and http(s) links"},
    {"contact_name", "n.contact_name", FT_TEXT, N(contact_name), .flags = FF_WRITE, .max = 50},
    {"contact_phone", "n.contact_phone", FT_TEXT, N(contact_phone), .flags = FF_WRITE, .max = 30,
     .doc = "a work number: shown as is"},
    {"category", "n.category", FT_ENUM, N(category), .flags = FF_WRITE | FF_FILTER, .choices = notice_categories},
    {"public", "n.public", FT_BOOL, N(is_public), .flags = FF_WRITE | FF_FILTER, .doc = "also on the public pages"},
    {"publish_at", "n.publish_at", FT_TEXT, N(publish_at), .flags = FF_WRITE, .check = check_time,
     .example = "\"2026-12-08T09:00:00+08:00\"", .doc = "null: when published; a later time: scheduled"},
    {"reply_required", "n.reply_required", FT_BOOL, N(reply_required), .flags = FF_WRITE},
    {"reply_deadline", "n.reply_deadline", FT_TEXT, N(reply_deadline), .flags = FF_WRITE, .check = check_time,
     .example = "\"2026-12-20\"", .doc = "a day (its end in Shanghai) or an RFC 3339 time with +08:00"},
    {"reply_names", "n.reply_names", FT_BOOL, N(reply_names), .flags = FF_WRITE, .doc = "the reply carries a list of names"},
    {"target", "n.target", FT_JSON, N(target), .flags = FF_WRITE | FF_BODY_OWN,
     .doc = "{org_types: [...], under: org id, org_ids: [...]}: resolved into recipient units at publish"},
    {"status", "n.status", FT_ENUM, N(status), .flags = FF_FILTER, .choices = notice_statuses},
    {"state", "n.status", FT_TEXT, N(state), .flags = FF_NO_SELECT, .doc = "draft | scheduled | published | withdrawn"},
    {"withdraw_reason", "n.withdraw_reason", FT_TEXT, N(withdraw_reason), .flags = 0},
    {"corrects_id", "n.corrects_id", FT_INT_NULL, N(corrects_id), .flags = 0, .doc = "the notice this one corrects"},
    {"corrected_by", "(SELECT MAX(x.id) FROM notices x WHERE x.corrects_id = n.id AND x.status = 'published')", FT_INT_NULL,
     N(corrected_by), .flags = 0, .doc = "the correction of this notice (已更正)"},
    {"recipients_total", "n.recipients_total", FT_INT, N(recipients_total), .flags = 0},
    {"published_at", "n.published_at", FT_TIME, N(published_at), .flags = 0},
    {"created_at", "n.created_at", FT_TIME, N(created_at), .flags = 0},
    {"updated_at", "n.updated_at", FT_TIME, N(updated_at), .flags = 0},
    {0},
};
#undef N

bool notices_input(struct request *r, void *rec, bool creating);

entity notice_entity = {
    .name = "notice",
    .doc = "A notice (通知公告) sent down the tree, with read receipts and replies",
    .from = " FROM notices n JOIN orgs o ON o.id = n.org_id",
    .id_column = "n.id",
    .path_column = "n.org_path",
    .scope_rule = notice_scope,
    .order = " ORDER BY n.id DESC",
    .size = sizeof(notice),
    .fields = notice_fields,
    .not_found = NOTICE_NOT_FOUND,
    .org_not_found = NOTICE_ORG_NOT_FOUND,
    .errors = notice_errors,
    .create = notices_create,
    .update = notices_update,
    .input = notices_input,
    .on_read = notice_on_read,
};

int notices_get_managed(db *c, const principal *p, arena *a, int64_t id, notice *out)
{
    int rc = entity_get(c, &notice_entity, &p->scope, a, id, out);
    /* a recipient sees the notice but does not manage it: the same 404 */
    if (rc == DB_OK && !scope_covers(&p->scope, out->org_path)) return NOTICE_NOT_FOUND;
    return rc;
}

static int notice_files_writable(db *c, const principal *p, arena *a, int64_t id)
{
    notice n;
    return notices_get_managed(c, p, a, id, &n);
}

/* The notice's documents: read by whoever sees the notice, written by its sender side. */
const attachment_kind notice_files = {
    .table = "notice_files", .owner_table = "notices", .owner_col = "notice_id",
    .audit_entity = "notice_file", .noun = "每个通知", .max_per_owner = 20, .owner = &notice_entity,
    .path = "/api/v1/notices/:id/files", .what = "a notice (its documents)", .writable = notice_files_writable,
    .read_through_owner = true,
};

/* ---- a recipient unit's receipt, as the owner of its reply files ---- */
typedef struct receipt_rec {
    int64_t id, notice_id, org_id;
    const char *org_path;
} receipt_rec;

static const field receipt_fields[] = {
    {"id", "nr.id", FT_ID, offsetof(receipt_rec, id), .flags = 0},
    {"notice_id", "nr.notice_id", FT_ID, offsetof(receipt_rec, notice_id), .flags = 0},
    {"org_id", "nr.org_id", FT_ID, offsetof(receipt_rec, org_id), .flags = 0},
    {"org_path", "nr.org_path", FT_TEXT, offsetof(receipt_rec, org_path), .flags = FF_HIDDEN},
    {0},
};

/* A receipt is seen by the recipient's scope and by the notice's sender side. */
static void receipt_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "nr.org_path");
    qb_sql(q, ") OR (1 = 1");
    scope_filter(sc, q, "n.org_path");
    qb_sql(q, "))");
}

entity notice_receipt_entity = {
    .name = "notice_receipt",
    .doc = "A recipient unit's receipt of a notice (its reply's files hang on it)",
    .from = " FROM notice_recipients nr JOIN notices n ON n.id = nr.notice_id",
    .id_column = "nr.id",
    .path_column = "nr.org_path",
    .scope_rule = receipt_scope,
    .order = " ORDER BY nr.id",
    .size = sizeof(receipt_rec),
    .fields = receipt_fields,
    .not_found = NOTICE_NOT_FOUND,
    .org_not_found = NOTICE_ORG_NOT_FOUND,
    .errors = notice_errors,
};

/* Reply files are added by the recipient unit itself, before the deadline like the reply. */
static int reply_files_writable(db *c, const principal *p, arena *a, int64_t id)
{
    receipt_rec rr;
    int rc = entity_get(c, &notice_receipt_entity, &p->scope, a, id, &rr);
    if (rc != DB_OK) return rc;
    return rr.org_id == p->org_id ? DB_OK : NOTICE_NOT_FOUND;
}

const attachment_kind notice_reply_files = {
    .table = "notice_reply_files", .owner_table = "notice_recipients", .owner_col = "recipient_id",
    .audit_entity = "notice_reply_file", .noun = "每份回执", .max_per_owner = 10, .owner = &notice_receipt_entity,
    .path = "/api/v1/notice-receipts/:id/files", .what = "a unit's receipt of a notice (its reply's files)",
    .writable = reply_files_writable, .read_through_owner = true,
};

void notices_init(void)
{
    static const char *const tables[] = {"notices", "notice_recipients", "notice_reply_names", "notice_files",
                                         "notice_reply_files"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) orgs_track_path_column(tables[i], "org_path");
}
