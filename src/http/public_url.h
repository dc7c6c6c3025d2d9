/* public_url.h - the one rule for the address every QR code and link of the server names
 * (check-in, volunteer registration, certificates' and letters' verify_url): KEPU_PUBLIC_URL when
 * configured, else the address the request was served from (its Host, or X-Forwarded-Host and
 * X-Forwarded-Proto when KEPU_TRUST_PROXY=1). Strings live in the request's arena. */
#ifndef KEPU_PUBLIC_URL_H
#define KEPU_PUBLIC_URL_H
#include "http/request.h"
#include <stdbool.h>

/* The base, scheme and host with no trailing slash ("https://kepu.example.cn"). */
const char *public_base_url(request *r);
/* The base followed by path (which starts with '/'). */
const char *public_url(request *r, const char *path);
/* Whether KEPU_PUBLIC_URL is set (else the base follows the request). */
bool public_url_configured(void);

#endif
