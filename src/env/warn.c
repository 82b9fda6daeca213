/*
 * warn.c - see warn.h.
 */
#include "env/warn.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rg_warn_clear(rg_warnings *w)
{
	w->n = w->dropped = 0;
}

void rg_warn(rg_warnings *w, const char *fmt, ...)
{
	char m[RG_WARNING_BYTES];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->msg[i], m))
			return;
	if (w->n == RG_MAX_WARNINGS) {
		w->dropped++;
		return;
	}
	memcpy(w->msg[w->n++], m, sizeof m);
}

rg_json *rg_warn_to_json(const rg_warnings *w)
{
	rg_json *a = rg_json_arr();
	if (!a)
		return NULL;
	for (size_t i = 0; i < w->n; i++)
		if (rg_json_push(a, rg_json_str(w->msg[i])))
			goto fail;
	if (w->dropped) {
		char m[64];
		snprintf(m, sizeof m, "%zu more warnings not shown", w->dropped);
		if (rg_json_push(a, rg_json_str(m)))
			goto fail;
	}
	return a;
fail:
	rg_json_free(a);
	return NULL;
}
