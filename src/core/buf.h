/*
 * buf.h - growable byte buffer with a hard maximum, after curl's dynbuf.
 *
 * Design: every buffer that grows from input (an HTTP body, a WebSocket message
 * being reassembled, feedback text) gets its ceiling at init; growing past it fails
 * with RG_ETOOBIG and leaves the contents as they were, so the caller can still
 * report what arrived. The data is always NUL-terminated (the NUL is not counted
 * in len), which lets text helpers use it directly.
 *
 * Ownership: the buffer owns data; rg_buf_free releases it; rg_buf_take hands it
 * to the caller (release with free()) and leaves the buffer empty.
 */
#ifndef RG_CORE_BUF_H
#define RG_CORE_BUF_H

#include <stddef.h>

#include "core/err.h"

typedef struct rg_buf {
	char *data;   /* NULL until the first append */
	size_t len;   /* bytes used, excluding the trailing NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* len never exceeds this */
} rg_buf;

void rg_buf_init(rg_buf *b, size_t max);
void rg_buf_free(rg_buf *b);
/* Empty the buffer, keeping its allocation. */
void rg_buf_reset(rg_buf *b);
/* Append n bytes. RG_ETOOBIG past max, RG_ENOMEM on allocation failure. */
RG_MUST_CHECK int rg_buf_append(rg_buf *b, const void *p, size_t n);
RG_MUST_CHECK int rg_buf_puts(rg_buf *b, const char *s);
RG_MUST_CHECK int rg_buf_printf(rg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* JSON text without building a tree (jansson's printer spends ~50 instructions a
 * byte; these a few). A string literal: s[0..n) quoted, with ", \ and control
 * characters (NUL included) escaped per RFC 8259; s must be valid UTF-8, as every
 * string jansson decoded is, and its other bytes pass through. */
RG_MUST_CHECK int rg_buf_json_str(rg_buf *b, const char *s, size_t n);
RG_MUST_CHECK int rg_buf_json_int(rg_buf *b, long long v);
/* Give the data to the caller (free() it); *len gets the length. Never NULL on
 * success: an empty buffer yields "". Returns NULL only on allocation failure. */
char *rg_buf_take(rg_buf *b, size_t *len);

#endif
