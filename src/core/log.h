/* log.h - one-line logging to standard error.
 * Never pass request bodies, tokens, passwords, ID numbers or phones to these functions:
 * the log is not a place for personal data. */
#ifndef KEPU_LOG_H
#define KEPU_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
extern int log_min_level;

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
