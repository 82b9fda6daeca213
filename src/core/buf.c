/*
 * buf.c - bounded growable buffer (see buf.h).
 */
#include "core/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/alloc.h"

void rg_buf_init(rg_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void rg_buf_free(rg_buf *b)
{
	rg_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void rg_buf_reset(rg_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int grow(rg_buf *b, size_t need)
{
	if (need > b->max || need == SIZE_MAX)
		return RG_ETOOBIG;
	if (need + 1 <= b->cap)
		return RG_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need + 1 && cap <= SIZE_MAX / 2)
		cap *= 2;
	if (cap < need + 1)
		cap = need + 1;
	if (b->max < SIZE_MAX && cap > b->max + 1) /* max + 1 must not wrap */
		cap = b->max + 1;
	char *p = rg_realloc(b->data, cap);
	if (!p)
		return RG_ENOMEM;
	b->data = p;
	b->cap = cap;
	return RG_OK;
}

int rg_buf_append(rg_buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len)
		return RG_ETOOBIG;
	int rc = grow(b, b->len + n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return RG_OK;
}

int rg_buf_puts(rg_buf *b, const char *s)
{
	return rg_buf_append(b, s, strlen(s));
}

int rg_buf_printf(rg_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return RG_EINVAL;
	if ((size_t)n > b->max - b->len)
		return RG_ETOOBIG;
	int rc = grow(b, b->len + (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return RG_OK;
}

int rg_buf_json_str(rg_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (!s)
		s = "";
	int rc = rg_buf_append(b, "\"", 1);
	size_t run = 0; /* start of the bytes that pass through */
	for (size_t i = 0; !rc && i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)s[i] : 0;
		if (i < n && c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = rg_buf_append(b, s + run, i - run);
		run = i + 1;
		if (rc || i == n)
			break;
		char esc[6] = { '\\', (char)c, 0, 0, 0, 0 };
		size_t len = 2;
		switch (c) {
		case '"': case '\\': break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			len = 6;
		}
		rc = rg_buf_append(b, esc, len);
	}
	return rc ? rc : rg_buf_append(b, "\"", 1);
}

int rg_buf_json_int(rg_buf *b, long long v)
{
	char digits[24];
	size_t i = sizeof digits;
	/* through unsigned, so LLONG_MIN negates without overflow */
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do
		digits[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		digits[--i] = '-';
	return rg_buf_append(b, digits + i, sizeof digits - i);
}

char *rg_buf_take(rg_buf *b, size_t *len)
{
	char *p = b->data;
	if (!p) {
		p = rg_calloc(1, 1);
		if (!p)
			return NULL;
	}
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
