/* notify.h - telling users something (issue 16): a notification in the app, and by e-mail and
 * text message on the channels each user chose (notify_prefs; the in-app one is always on).
 *
 * A notification is written inside the caller's transaction, so it exists exactly when what it
 * tells of does. The e-mail and the text message are not sent here: the row marks them pending
 * and the reminder worker (todo_reminders.c) of any node delivers them afterwards, so a request
 * never waits for a mail server or an SMS gateway, and a node killed mid-way leaves them pending,
 * not lost.
 *
 * Personal data: the user's address and phone are read by the worker when it sends, never copied
 * into the notification nor logged. */
#ifndef KEPU_NOTIFY_H
#define KEPU_NOTIFY_H
#include "core/arena.h"
#include "db/db.h"
#include <stdint.h>

enum notify_channel { NOTIFY_EMAIL = 1 << 0, NOTIFY_SMS = 1 << 1 };

typedef struct notify_msg {
    const char *kind;        /* what it is about: a to-do source's kind or the module's own word */
    int64_t ref_id;          /* the record (a notice, a task) */
    const char *title;       /* one line, e.g. "【回执】关于…的通知 12月10日截止" */
    const char *body;        /* optional: a few lines for the e-mail and the bell (NULL: none) */
    const char *link;        /* optional: the UI path that opens the record */
} notify_msg;

/* To one active user. channels: the channels besides the app this message may take (0: in-app
 * only); each is used only when the user chose it and has an address or phone. DB_OK or a code. */
int notify_user(db *c, int64_t user_id, const notify_msg *m, unsigned channels);
/* To the active admins and staff (org_admin, staff) of unit org_id; *users (may be NULL) gets how
 * many were told. DB_OK or a code. */
int notify_org(db *c, int64_t org_id, const notify_msg *m, unsigned channels, int64_t *users);

#endif
