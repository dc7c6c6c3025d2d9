/* config.h - settings read from flags and environment variables (KEPU_*). */
#ifndef KEPU_CONFIG_H
#define KEPU_CONFIG_H

/* The value of environment variable name, or fallback when unset or empty. */
const char *env_or(const char *name, const char *fallback);
/* A positive integer from the environment, or fallback. */
long env_long(const char *name, long fallback);

#endif
