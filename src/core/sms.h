/* sms.h - text messages to phones, through a pluggable sender.
 *
 * Two senders come built in, chosen by the environment at the first message:
 *  - command (KEPU_SMS_COMMAND=/path/to/program): the program is run without a shell, with
 *    the phone on the first line of its standard input and the text on the second; it must
 *    exit 0 within KEPU_SMS_TIMEOUT seconds (default 10) or is killed. It runs in a thread of
 *    its own, so the caller never waits for the gateway (and an answer takes as long whether
 *    or not a message was sent). Operators wrap their SMS gateway's HTTP API in such a program
 *    (docs/operations.md).
 *  - logging (the default, for development): writes the text with the phone masked
 *    (138****5678) to the file KEPU_SMS_LOG, or to the server's log when that is unset.
 * The phone number itself is never logged in clear. Another sender can be set in code with
 * sms_set_sender (tests, or a gateway linked in). */
#ifndef KEPU_SMS_H
#define KEPU_SMS_H

typedef struct sms_sender {
    const char *name;
    /* Hands text over for phone (an 11-digit mainland number); 0 when accepted. Called from
     * request threads: must be thread-safe. Neither string is kept after the call. */
    int (*send)(const char *phone, const char *text);
} sms_sender;

/* Sends through the configured sender; 0 when it was handed over. */
int sms_send(const char *phone, const char *text);
/* Replaces the sender (NULL: back to the one the environment chooses). */
void sms_set_sender(const sms_sender *sender);
/* The sender in use ("log" or "command" unless set in code). */
const char *sms_sender_name(void);

#endif
