/*
 * log.h - levelled logging to stderr, one line per event.
 *
 * Design: the only place that writes diagnostics. Level is process-wide and set once
 * at start-up (before the server thread runs), which is the single piece of global
 * state outside the server's state struct. Lines are "LEVEL message"; messages are
 * truncated at 512 bytes and never contain newlines.
 */
#ifndef RG_CORE_LOG_H
#define RG_CORE_LOG_H

enum rg_log_level { RG_LOG_ERROR, RG_LOG_WARN, RG_LOG_INFO, RG_LOG_DEBUG };

void rg_log_set_level(enum rg_log_level level);
/* Parse "error|warn|info|debug"; returns -1 when unknown. */
int rg_log_level_parse(const char *name);
void rg_log(enum rg_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
