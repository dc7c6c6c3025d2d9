/* config.c - environment helpers (see config.h). */
#include "core/config.h"
#include <stdlib.h>

const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

long env_long(const char *name, long fallback)
{
    const char *v = getenv(name);
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    return v && *v && !*end && n > 0 ? n : fallback;
}
