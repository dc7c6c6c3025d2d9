/* smtp_sink.c - see smtp_sink.h. */
#include "smtp_sink.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define SINK_MAX 32
static struct { char rcpt[512]; char *data; } msgs[SINK_MAX];
static int nmsgs;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int listen_fd = -1;

/* One line (CRLF stripped) from fd into buf; -1 at EOF. */
static int read_line(int fd, char *buf, size_t len)
{
    size_t n = 0;
    char ch;
    while (n + 1 < len) {
        ssize_t r = read(fd, &ch, 1);
        if (r <= 0) return -1;
        if (ch == '\n') break;
        buf[n++] = ch;
    }
    if (n && buf[n - 1] == '\r') n--;
    buf[n] = 0;
    return (int)n;
}

static void say(int fd, const char *s)
{
    if (write(fd, s, strlen(s)) < 0) return;
}

static void session(int fd)
{
    char line[2048], rcpt[512] = "";
    say(fd, "220 sink ESMTP\r\n");
    while (read_line(fd, line, sizeof line) >= 0) {
        if (!strncasecmp(line, "EHLO", 4) || !strncasecmp(line, "HELO", 4)) say(fd, "250 sink\r\n");
        else if (!strncasecmp(line, "MAIL FROM:", 10)) say(fd, "250 ok\r\n"), rcpt[0] = 0;
        else if (!strncasecmp(line, "RCPT TO:", 8)) {
            const char *a = strchr(line, '<'), *b = a ? strchr(a, '>') : NULL;
            if (a && b) {
                size_t have = strlen(rcpt);
                snprintf(rcpt + have, sizeof rcpt - have, "%s%.*s", have ? " " : "", (int)(b - a - 1), a + 1);
            }
            say(fd, "250 ok\r\n");
        } else if (!strcasecmp(line, "DATA")) {
            say(fd, "354 go on\r\n");
            size_t cap = 4096, len = 0;
            char *data = malloc(cap);
            while (data && read_line(fd, line, sizeof line) >= 0 && strcmp(line, ".") != 0) {
                size_t l = strlen(line);
                if (len + l + 3 > cap) data = realloc(data, cap = (len + l + 3) * 2);
                if (!data) break;
                memcpy(data + len, line, l), len += l;
                data[len++] = '\n';
                data[len] = 0;
            }
            pthread_mutex_lock(&mu);
            if (nmsgs < SINK_MAX && data) {
                snprintf(msgs[nmsgs].rcpt, sizeof msgs[nmsgs].rcpt, "%s", rcpt);
                msgs[nmsgs++].data = data;
                data = NULL;
            }
            pthread_mutex_unlock(&mu);
            free(data);
            say(fd, "250 queued\r\n");
        } else if (!strcasecmp(line, "QUIT")) {
            say(fd, "221 bye\r\n");
            break;
        } else say(fd, "250 ok\r\n");
    }
    close(fd);
}

static void *sink_thread(void *cls)
{
    (void)cls;
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) continue;
        session(fd);
    }
    return NULL;
}

int smtp_sink_start(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(listen_fd, 8) != 0 ||
        getsockname(listen_fd, (struct sockaddr *)&sa, &sl) != 0)
        return 0;
    pthread_t t;
    if (pthread_create(&t, NULL, sink_thread, NULL) != 0) return 0;
    pthread_detach(t);
    return ntohs(sa.sin_port);
}

int smtp_sink_count(void)
{
    pthread_mutex_lock(&mu);
    int n = nmsgs;
    pthread_mutex_unlock(&mu);
    return n;
}

int smtp_sink_message(int n, char *rcpt, size_t rcpt_len, char *data, size_t data_len)
{
    pthread_mutex_lock(&mu);
    int rc = -1;
    if (n >= 0 && n < nmsgs) {
        snprintf(rcpt, rcpt_len, "%s", msgs[n].rcpt);
        snprintf(data, data_len, "%s", msgs[n].data);
        rc = 0;
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

int smtp_decoded_subject(const char *data, char *out, size_t len)
{
    const char *s = strstr(data, "\nSubject: =?UTF-8?B?");
    if (!s) return -1;
    s += strlen("\nSubject: =?UTF-8?B?");
    const char *e = strstr(s, "?=");
    size_t got = 0;
    if (!e || sodium_base642bin((unsigned char *)out, len - 1, s, (size_t)(e - s), NULL, &got, NULL,
                                sodium_base64_VARIANT_ORIGINAL) != 0)
        return -1;
    out[got] = 0;
    return 0;
}
