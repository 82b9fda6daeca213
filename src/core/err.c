/*
 * err.c - fixed-size error reporting (see err.h for the design).
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rg_err_clear(rg_err *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

bool rg_err_is_set(const rg_err *err)
{
	return err && err->code != RG_OK;
}

static void copy_field(char *dst, size_t cap, const char *src)
{
	if (!src) {
		dst[0] = '\0';
		return;
	}
	snprintf(dst, cap, "%s", src);
}

int rg_err_set(rg_err *err, int code, const char *field, const char *kind,
	       const char *fmt, ...)
{
	if (!err || err->code != RG_OK)
		return code;
	err->code = code;
	copy_field(err->field, sizeof err->field, field);
	copy_field(err->kind, sizeof err->kind, kind);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	/* One line, always: messages travel in log lines and JSON error bodies. */
	for (char *p = err->msg; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return code;
}

const char *rg_code_name(int code)
{
	switch (code) {
	case RG_OK: return "OK";
	case RG_EINVAL: return "EINVAL";
	case RG_ETOOBIG: return "ETOOBIG";
	case RG_ENOMEM: return "ENOMEM";
	case RG_ENOTFOUND: return "ENOTFOUND";
	case RG_ESTATE: return "ESTATE";
	case RG_EIO: return "EIO";
	case RG_EJSON: return "EJSON";
	case RG_ECAPACITY: return "ECAPACITY";
	case RG_EINTERNAL: return "EINTERNAL";
	default: return "EUNKNOWN";
	}
}
