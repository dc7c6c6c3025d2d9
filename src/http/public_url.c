/* public_url.c - the base of every QR code and link (see public_url.h). Without KEPU_PUBLIC_URL
 * the request's own address is used: before, the QR codes named http://127.0.0.1:8080 while the
 * UI's links named the browser's address, and no phone could open the codes. A Host that is not
 * a plain host[:port] falls back to the listen default, so no header can inject into a link. */
#include "http/public_url.h"
#include "core/config.h"
#include <string.h>
#include <strings.h>

bool public_url_configured(void)
{
    const char *v = env_or("KEPU_PUBLIC_URL", "");
    return v && *v;
}

/* host[:port] of letters, digits, '.', '-', ':' and the brackets of IPv6, at most 253 bytes. */
static bool plain_host(const char *h)
{
    static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]";
    return h && *h && strlen(h) <= 253 && strspn(h, ok) == strlen(h);
}

const char *public_base_url(request *r)
{
    if (public_url_configured()) {
        const char *base = env_or("KEPU_PUBLIC_URL", "");
        size_t n = strlen(base);
        while (n && base[n - 1] == '/') n--;
        return arena_printf(&r->arena, "%.*s", (int)n, base);
    }
    bool proxy = strcmp(env_or("KEPU_TRUST_PROXY", "0"), "1") == 0;
    const char *host = proxy ? req_header(r, "X-Forwarded-Host") : NULL;
    const char *proto = proxy ? req_header(r, "X-Forwarded-Proto") : NULL;
    if (host && strchr(host, ',')) host = arena_printf(&r->arena, "%.*s", (int)(strchr(host, ',') - host), host);
    if (!plain_host(host)) host = req_header(r, "Host");
    if (!plain_host(host)) host = "127.0.0.1:8080";
    const char *scheme = proto && !strncasecmp(proto, "https", 5) ? "https" : "http";
    return arena_printf(&r->arena, "%s://%s", scheme, host);
}

const char *public_url(request *r, const char *path)
{
    return arena_printf(&r->arena, "%s%s", public_base_url(r), path);
}
