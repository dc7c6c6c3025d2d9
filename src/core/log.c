/* log.c - one-line logging to standard error, timestamped in Asia/Shanghai. */
#include "core/log.h"
#include "core/timeutil.h"
#include <stdarg.h>
#include <stdio.h>

int log_min_level = LOG_INFO;

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if ((int)lvl < log_min_level) return;
    char ts[40], line[2048];
    time_now_rfc3339(ts);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One fprintf per line so concurrent threads do not interleave within a line. */
    fprintf(stderr, "%s %s %s\n", ts, names[lvl], line);
}
