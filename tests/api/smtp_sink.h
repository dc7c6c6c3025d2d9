/* smtp_sink.h - a tiny SMTP server for the tests (220/250/354/221): a thread on 127.0.0.1 that
 * accepts one session at a time and records each message's recipients and data. Enough for
 * libcurl's SMTP client without TLS or login. */
#ifndef KEPU_SMTP_SINK_H
#define KEPU_SMTP_SINK_H
#include <stddef.h>

/* Starts the sink; returns its port (0 on failure). */
int smtp_sink_start(void);
/* How many messages arrived; the n-th (from 0) recipient list ("a@x b@y") and data, copied into
 * the buffers; 0 when it exists. */
int smtp_sink_count(void);
int smtp_sink_message(int n, char *rcpt, size_t rcpt_len, char *data, size_t data_len);
/* The decoded subject (RFC 2047 "=?UTF-8?B?...?=") of a message's data, into out. */
int smtp_decoded_subject(const char *data, char *out, size_t len);

#endif
