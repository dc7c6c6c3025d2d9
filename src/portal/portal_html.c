/* portal_html.c - the portal's one HTML writer (see portal.h): escaping, the page frame with its
 * small inline style (phones first: one column, big type), and the reply with its ETag. A page is
 * built whole in memory (a few kilobytes), so its ETag is a hash of its bytes: the same data gives
 * the same tag on every node, and a 304 saves the transfer. */
#include "portal/portal.h"
#include "auth/limiter.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/reply.h"
#include "http/router.h"
#include <microhttpd.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const limit_rule pages_ip = {"portal.pages.ip", 240, 60, "KEPU_PORTAL_PAGES_LIMIT"};

void html_esc(sbuf *b, const char *s)
{
    if (!s) return;
    for (const char *run = s;; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case 0: sbuf_addn(b, run, (size_t)(s - run)); return;
        default: continue;
        }
        sbuf_addn(b, run, (size_t)(s - run));
        sbuf_add(b, rep);
        run = s + 1;
    }
}

void html_f(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        const char *pct = strchr(p, '%');
        if (!pct) { sbuf_add(b, p); break; }
        sbuf_addn(b, p, (size_t)(pct - p));
        p = pct + 1;
        switch (*p) {
        case 's': html_esc(b, va_arg(ap, const char *)); break;
        case 'R': sbuf_add(b, va_arg(ap, const char *)); break;
        case 'd': sbuf_printf(b, "%d", va_arg(ap, int)); break;
        case 'I': sbuf_printf(b, "%lld", (long long)va_arg(ap, int64_t)); break;
        case '%': sbuf_addn(b, "%", 1); break;
        case 0: sbuf_addn(b, "%", 1); p--; break;
        default: sbuf_addn(b, pct, 2); break;
        }
    }
    va_end(ap);
}

static const char style[] =
    "body{margin:0;font:18px/1.6 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#222;background:#f6f7f9}"
    "header{background:#1f6feb;color:#fff;padding:12px 16px}header a{color:#fff;margin-right:14px;text-decoration:none}"
    "header b{display:block;font-size:22px;margin-bottom:6px}main{max-width:720px;margin:0 auto;padding:12px 16px}"
    "h1{font-size:24px}h2{font-size:20px;margin-top:24px}ul{padding-left:0;list-style:none}"
    "li{background:#fff;margin:8px 0;padding:10px 12px;border-radius:8px}small{color:#666;display:block}"
    "input,button{font-size:18px;padding:8px;width:100%;box-sizing:border-box;margin:6px 0}"
    "button{background:#1f6feb;color:#fff;border:0;border-radius:6px}video,audio{width:100%}"
    ".msg{padding:8px;background:#fff3cd}";

void portal_page_begin(sbuf *b, const char *title)
{
    html_f(b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
              "<title>%s - 科普门户</title><style>%R</style></head><body><header><b>科普门户</b>"
              "<nav><a href=\"/portal/\">首页</a><a href=\"/portal/notices\">通知公告</a>"
              "<a href=\"/portal/activities\">活动日历</a><a href=\"/portal/resources\">科普资源</a>"
              "<a href=\"/portal/designations\">示范命名</a><a href=\"/portal/contests\">知识竞赛</a></nav>"
              "</header><main><h1>%s</h1>",
           title, style, title);
}

void portal_page_end(sbuf *b) { sbuf_add(b, "</main></body></html>\n"); }

/* Whether the If-None-Match list names etag (or is "*"). */
static bool etag_matches(const char *header, const char *etag)
{
    if (!header) return false;
    if (strstr(header, etag)) return true;
    while (*header == ' ') header++;
    return strcmp(header, "*") == 0;
}

/* MurmurHash3's finalizer: every input bit moves every output bit. */
static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33, h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33, h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* A page's ETag: 128 bits of a fast non-cryptographic hash of its bytes, eight at a time in two
 * lanes. It only has to tell two versions of one page apart, and BLAKE2b over every page was a
 * tenth of the home page's time under load. The same on every node (no seed). */
static void page_etag(const char *s, size_t n, char out[40])
{
    uint64_t a = 0x9e3779b97f4a7c15ULL ^ n, b = 0xc2b2ae3d27d4eb4fULL + n, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        a = (a ^ mix64(w)) * 0x9e3779b97f4a7c15ULL, a ^= a >> 31;
        b = (b + w) * 0xc2b2ae3d27d4eb4fULL, b ^= b >> 29;
    }
    w = 0;
    memcpy(&w, s + i, n - i);
    a = mix64(a ^ w), b = mix64(b ^ a ^ (w << 1));
    snprintf(out, 40, "\"%016llx%016llx\"", (unsigned long long)a, (unsigned long long)b);
}

void portal_reply(request *r, sbuf *b, const char *node_path)
{
    char etag[40];
    page_etag(b->s, b->len, etag);
    if (node_path) {
        portal_view(node_path);
        db *c = db_thread();
        /* the page is read: its snapshot ends, and a due batch of counts is written */
        if (c) db_read_end(c);
        if (c && portal_views_flush(c, false) != DB_OK) log_warn("portal views: the batch could not be written yet");
    }
    if (etag_matches(req_header(r, "If-None-Match"), etag)) {
        sbuf_free(b);
        reply_empty(r, 304);
    } else {
        size_t len = b->len;
        reply_body(r, 200, sbuf_steal(b), len, "text/html; charset=utf-8");
    }
    reply_header(r, "ETag", etag);
    reply_header(r, "Cache-Control", "public, no-cache");
    portal_csp(r);
}

void portal_csp(request *r)
{
    /* the server's policy, with media from any http(s) host: a live room plays its stream from
     * the streaming service's address; scripts only from this server (no inline one) */
    reply_header(r, "Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; media-src 'self' https: http:; "
                 "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
}

void portal_not_found(request *r)
{
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, "页面不存在");
    sbuf_add(&b, "<p>您要找的内容不存在或未公开。</p><p><a href=\"/portal/\">返回首页</a></p>");
    portal_page_end(&b);
    size_t len = b.len;
    reply_body(r, 404, sbuf_steal(&b), len, "text/html; charset=utf-8");
    portal_csp(r);
}

bool portal_take(request *r)
{
    return limit_take_or_reply(r, &pages_ip, r->ip, "访问过于频繁，请稍后再试 / too many requests, retry later");
}

int portal_rows(db *c, qb *q, sbuf *b, portal_row_fn fn, void *cls, int *count)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc, n = 0;
    while ((rc = db_step(s)) == DB_ROW) fn(s, b, cls), n++;
    db_finish(s);
    if (count) *count = n;
    return rc == DB_DONE ? DB_OK : rc;
}

void portal_now(char now[40], char day[11])
{
    time_now_rfc3339(now);
    memcpy(day, now, 10), day[10] = 0;
}

void portal_serve(request *r)
{
    const struct route *const tables[] = {portal_pages_table, portal_more_table, portal_courses_table};
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (const struct route *rt = tables[t]; rt->handler; rt++)
            if (router_match(rt->pattern, r->path, r)) {
                r->route = rt;   /* the access log shows the pattern, not the ids */
                rt->handler(r);
                return;
            }
    portal_not_found(r);
}

void portal_when(const char *rfc3339, char out[20])
{
    snprintf(out, 20, "%.16s", rfc3339 ? rfc3339 : "");
    if (out[0] && out[10] == 'T') out[10] = ' ';
}
