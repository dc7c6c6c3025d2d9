/* mail.h - e-mail through an SMTP server by libcurl (issue 16: reminders by e-mail).
 *
 * Settings (environment, read at each message): KEPU_SMTP_URL (smtp://host:port, or smtps://...
 * for TLS from the first byte; smtp:// upgrades with STARTTLS when the server offers it),
 * KEPU_SMTP_USER and KEPU_SMTP_PASSWORD (optional: no login when unset), KEPU_SMTP_FROM (the
 * sender address; default kepu@localhost). KEPU_SMTP_URL unset: e-mail is disabled.
 *
 * Subject and body are UTF-8; the subject goes RFC 2047-encoded (=?UTF-8?B?...?=), the body as
 * 8-bit text/plain. The address is never logged, nor is the server's answer (it may repeat it). */
#ifndef KEPU_MAIL_H
#define KEPU_MAIL_H
#include <stdbool.h>
#include <stddef.h>

/* Once, before threads start (curl_global_init is not thread-safe). */
void mail_global_init(void);
bool mail_enabled(void);
/* Sends one message to one address; 0 when the server accepted it, -1 otherwise (why, without
 * the address, in why: at least 128 bytes, may be NULL). */
int mail_send(const char *to, const char *subject, const char *body, char *why, size_t why_len);

#endif
