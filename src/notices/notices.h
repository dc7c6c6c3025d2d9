/* notices.h - notices (通知公告, issue 16 A): a level above sends a document (title, 文号, rich
 * text, attachments, a contact) to units chosen by type and subtree or by name; each recipient
 * unit's receipt (who read it first, when) and, when asked, its reply (text, files, a list of
 * names) by a deadline; a notice can be withdrawn or corrected (the correction is a new notice
 * pointing at the one it corrects, sent to the same units). Public notices also appear on the
 * public pages. Migration 030_notices.sql holds the tables.
 *
 * Scope:
 *   - the sender side: a notice's own org_path within the caller's scope (composes, publishes,
 *     withdraws, corrects, chases, reads the receipt board and the replies);
 *   - the recipient side: a published notice (publish_at passed) whose recipient row's org_path
 *     is within the caller's scope reads it; the recipient unit itself (the caller's own unit)
 *     marks it read by opening it and replies.
 *
 * Ownership: records read into a notice have their strings in the given arena. */
#ifndef KEPU_NOTICES_H
#define KEPU_NOTICES_H
#include "auth/principal.h"
#include "core/arena.h"
#include "core/errors.h"
#include "db/db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Codes -2000..-2099 (the error table notice_errors maps them to HTTP answers). */
enum {
    NOTICE_NOT_FOUND = -2000,        /* no such notice, or outside the caller's scope (404) */
    NOTICE_ORG_NOT_FOUND = -2001,    /* the sender or a target unit outside the scope (404 org_id) */
    NOTICE_STATE = -2002,            /* the notice's status forbids this (409 notice_state) */
    NOTICE_NO_RECIPIENTS = -2003,    /* the target resolves to no unit (422 target) */
    NOTICE_TARGET_UNKNOWN = -2004,   /* target.org_ids names a unit outside the sender's scope (422) */
    NOTICE_NOT_RECIPIENT = -2005,    /* replying for a unit the notice was not sent to (404) */
    NOTICE_NO_REPLY = -2006,         /* the notice asks for no reply (409 no_reply) */
    NOTICE_DEADLINE = -2007,         /* after the reply deadline (422 reply_deadline_passed) */
    NOTICE_NAMES_REQUIRED = -2008,   /* the notice asks for names and the reply has none (422 names) */
};

extern const char *const notice_categories[];   /* 通知, 公告, 工作要点, 实施意见, 其他 */

/* A notice (notices). state (computed): draft | scheduled | published | withdrawn. corrected_by:
 * the published correction of it (0: none). */
typedef struct notice {
    int64_t id, org_id, corrects_id, corrected_by, recipients_total;
    const char *org_path, *org_name, *title, *doc_no, *body, *contact_name, *contact_phone, *category;
    const char *publish_at, *reply_deadline, *status, *state, *withdraw_reason, *target;
    const char *published_at, *created_at, *updated_at;
    bool is_public, reply_required, reply_names;
} notice;

extern struct entity notice_entity, notice_receipt_entity;
extern const struct error_row notice_errors[];
extern const struct attachment_kind notice_files, notice_reply_files;
extern const struct todo_source notice_unread_source, notice_reply_source;

/* ---- the rich text (notice_html.c) ---- */
/* The body's HTML reduced to the allowed tags (p br b strong i em u ul ol li h3 h4 table tr td
 * th, a with an http(s) href) without any other attribute; script and style dropped with their
 * content, comments dropped, stray '<' '>' '&' escaped. Idempotent. Returns malloc'd text (the
 * caller frees it), NULL when out of memory. */
char *notice_html_sanitize(const char *in, size_t n);

/* ---- writes (notices_write.c); each its own transaction, audited ---- */
/* "YYYY-MM-DD" (the end of that day) or "YYYY-MM-DDThh:mm:ss+08:00" into out[32]. */
bool notices_time_normalise(const char *in, char *out, bool day_end);
int notices_create(db *c, const principal *p, arena *a, const void *in, void *out);
int notices_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out);
/* Publishes a draft (publish_at: NULL keeps the notice's, or now): its target resolved into
 * recipient rows in one INSERT ... SELECT. */
int notices_publish(db *c, const principal *p, arena *a, int64_t id, const char *publish_at, notice *out);
int notices_withdraw(db *c, const principal *p, arena *a, int64_t id, const char *reason, notice *out);
/* A correction of published notice id: a new published notice (corrects_id = id) sent to the
 * same units, each told by notify_org(). fields: the new title (NULL: 更正：<old title>), body
 * (NULL: the old one). */
int notices_correct(db *c, const principal *p, arena *a, int64_t id, const char *title, const char *body, notice *out);
/* A new reply deadline (the sender reopens the replies). */
int notices_reopen(db *c, const principal *p, arena *a, int64_t id, const char *deadline, notice *out);
/* The notice as its sender side manages it (NOTICE_NOT_FOUND for a recipient that sees it). */
int notices_get_managed(db *c, const principal *p, arena *a, int64_t id, notice *out);

/* ---- receipts and replies (receipts.c, replies.c) ---- */
/* Marks the caller's unit's receipt read when the unit is a recipient of published notice n. */
int notices_mark_read(db *c, const principal *p, const notice *n);
/* One name of a reply. */
typedef struct notice_name { const char *name, *unit, *phone; } notice_name;
int notices_reply(db *c, const principal *p, arena *a, int64_t id, const char *text, const notice_name *names, int n_names);
/* Chases the units whose receipt is unread (who "unread") or whose reply is missing ("not_replied"),
 * each at most once a day; *units gets how many were chased, *users how many users were told. */
int notices_chase(db *c, const principal *p, arena *a, int64_t id, const char *who, unsigned channels, int64_t *units,
                  int64_t *users);

/* ---- routes ---- */
void notices_register_routes(void);
void notices_init(void);

#endif
