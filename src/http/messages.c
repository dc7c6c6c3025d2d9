/* messages.c - the message catalog (see messages.h). */
#include "http/messages.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

/* The linker sets of reply.h: GNU ld and lld give each section's bounds; weak, so that a build
 * without an entry still links. */
extern const char *const __start_kepu_msg[] __attribute__((weak));
extern const char *const __stop_kepu_msg[] __attribute__((weak));
extern const error_row *const __start_kepu_errtab[] __attribute__((weak));
extern const error_row *const __stop_kepu_errtab[] __attribute__((weak));

struct each {
    void (*fn)(const char *, void *);
    void *cls;
};

static void each_entity(const entity *e, void *cls)
{
    struct each *x = cls;
    for (const error_row *row = e->errors; row && row->rc; row++) x->fn(row->message, x->cls);
}

void messages_foreach(void (*fn)(const char *template_text, void *cls), void *cls)
{
    for (const char *const *m = __start_kepu_msg; m && m < __stop_kepu_msg; m++)
        if (*m && strcmp(*m, "%s")) fn(*m, cls);   /* "%s" passes a text filed elsewhere */
    for (const error_row *const *t = __start_kepu_errtab; t && t < __stop_kepu_errtab; t++)
        for (const error_row *row = *t; row->rc; row++) fn(row->message, cls);
    struct each x = {fn, cls};
    entity_foreach(each_entity, &x);
}

/* Copies one half, each printf conversion turned into {n} (n counting from *index). */
static bool copy_half(const char *from, const char *to, int *index, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = from; p < to; p++) {
        char buf[16];
        const char *piece = buf;
        size_t n = 1;
        if (*p == '%' && p[1] == '%') { buf[0] = '%'; p++; }
        else if (*p == '%') {
            while (p < to && !strchr("sdiucxf", *p == '%' ? 'Q' : *p)) p++;
            n = (size_t)snprintf(buf, sizeof buf, "{%d}", (*index)++);
        } else buf[0] = *p;
        if (o + n >= len) return false;
        memcpy(out + o, piece, n);
        o += n;
    }
    out[o] = 0;
    return true;
}

bool messages_split(const char *t, char *zh, char *en, size_t len)
{
    const char *sep = strstr(t, " / ");
    if (!sep || strstr(sep + 3, " / ")) return false;
    int index = 0;
    return copy_half(t, sep, &index, zh, len) && copy_half(sep + 3, t + strlen(t), &index, en, len);
}

static json_t *catalog;
static pthread_once_t built = PTHREAD_ONCE_INIT;

static void add_message(const char *t, void *cls)
{
    char zh[512], en[512], key[10];
    if (!messages_split(t, zh, en, sizeof zh)) return;
    message_key(t, key);
    json_object_set_new(cls, key, json_pack("{s:s, s:s}", "zh", zh, "en", en));
}

static void build(void)
{
    catalog = json_object();
    messages_foreach(add_message, catalog);
}

const json_t *messages_catalog(void)
{
    pthread_once(&built, build);
    return catalog;
}

static void handle_messages(request *r)
{
    reply_json(r, 200, json_pack("{s:O}", "messages", messages_catalog()));
    reply_header(r, "Cache-Control", "public, max-age=3600");
}

static const struct route message_routes[] = {
    {"GET", "/api/v1/messages", handle_messages, ROUTE_PUBLIC, 0,
     .summary = "The catalog of error messages by message_key, in Chinese and English"},
    {0},
};

void messages_register_routes(void) { router_add_table(message_routes); }
