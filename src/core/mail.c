/* mail.c - one message to one address over SMTP by libcurl (mail.h). The message is built in
 * memory (headers with CRLF, the body's lines turned to CRLF) and handed to curl's upload, which
 * dot-stuffs it. */
#include "core/mail.h"
#include "core/config.h"
#include "core/sbuf.h"
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#define MAIL_TIMEOUT_S 30L

void mail_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

bool mail_enabled(void)
{
    const char *url = env_or("KEPU_SMTP_URL", NULL);
    return url && *url;
}

struct upload {
    const char *data;
    size_t len, off;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *cls)
{
    struct upload *u = cls;
    size_t room = size * nitems, left = u->len - u->off, n = left < room ? left : room;
    memcpy(buf, u->data + u->off, n);
    u->off += n;
    return n;
}

/* "=?UTF-8?B?<base64>?=" of s, into sb. */
static void encoded_word(sbuf *sb, const char *s)
{
    size_t n = strlen(s), cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *b = malloc(cap);
    if (!b) return;
    sodium_bin2base64(b, cap, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
    sbuf_printf(sb, "=?UTF-8?B?%s?=", b);
    free(b);
}

/* The whole message: headers, a blank line, the body with CRLF line ends. */
static void message(sbuf *sb, const char *from, const char *to, const char *subject, const char *body)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    sbuf_printf(sb, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: ", date, from, to);
    encoded_word(sb, subject);
    sbuf_printf(sb, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                    "Content-Transfer-Encoding: 8bit\r\n\r\n");
    for (const char *p = body ? body : ""; *p; p++) {
        if (*p == '\r') continue;
        if (*p == '\n') sbuf_addn(sb, "\r\n", 2);
        else sbuf_addn(sb, p, 1);
    }
    sbuf_addn(sb, "\r\n", 2);
}

int mail_send(const char *to, const char *subject, const char *body, char *why, size_t why_len)
{
    const char *url = env_or("KEPU_SMTP_URL", NULL), *user = env_or("KEPU_SMTP_USER", NULL);
    const char *pass = env_or("KEPU_SMTP_PASSWORD", NULL), *from = env_or("KEPU_SMTP_FROM", "kepu@localhost");
    if (why && why_len) why[0] = 0;
    if (!url || !*url || !to || !*to) {
        if (why) snprintf(why, why_len, "e-mail disabled or no address");
        return -1;
    }
    CURL *h = curl_easy_init();
    if (!h) return -1;
    sbuf msg;
    sbuf_init(&msg);
    message(&msg, from, to, subject ? subject : "", body);
    struct upload u = {msg.s ? msg.s : "", msg.len, 0};
    char from_addr[320], to_addr[320];
    snprintf(from_addr, sizeof from_addr, "<%s>", from);
    snprintf(to_addr, sizeof to_addr, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, to_addr);
    curl_easy_setopt(h, CURLOPT_URL, url);
    if (user && *user) curl_easy_setopt(h, CURLOPT_USERNAME, user);
    if (pass && *pass) curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_addr);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &u);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, MAIL_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(h);
    /* curl's text names the step (connect, auth, RCPT), never the address */
    if (rc != CURLE_OK && why) snprintf(why, why_len, "%s", curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    sbuf_free(&msg);
    return rc == CURLE_OK ? 0 : -1;
}
