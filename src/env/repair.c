/*
 * repair.c - JSON extraction and repair for model output (see repair.h).
 */
#define _GNU_SOURCE /* memmem */
#include "env/repair.h"

#include <stdbool.h>
#include <string.h>

#include "core/buf.h"
#include "core/limits.h"
#include "core/text.h"

/* Index just past the string starting at s[i] (a quote), or n when unterminated. */
static size_t skip_string(const char *s, size_t n, size_t i)
{
	char q = s[i++];
	while (i < n && s[i] != q) {
		if (s[i] == '\\')
			i++;
		i++;
	}
	return i < n ? i + 1 : n;
}

/* Find the first balanced { } or [ ] span at or after from; *start, *end set. */
static bool find_balanced(const char *s, size_t n, size_t from, size_t *start, size_t *end)
{
	size_t i = from;
	while (i < n && s[i] != '{' && s[i] != '[')
		i++;
	if (i == n)
		return false;
	*start = i;
	int depth = 0;
	while (i < n) {
		char c = s[i];
		if (c == '"' || c == '\'') {
			/* An apostrophe in prose ("don't") is not a string opener: only
			 * treat ' as a quote right after a JSON delimiter. */
			size_t k = i;
			while (k > *start && (s[k - 1] == ' ' || s[k - 1] == '\n' || s[k - 1] == '\t' ||
					      s[k - 1] == '\r'))
				k--;
			char prev = k > *start ? s[k - 1] : '{';
			if (c == '"' || strchr("{[,:", prev)) {
				i = skip_string(s, n, i);
				continue;
			}
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0) {
				*end = i + 1;
				return true;
			}
		}
		i++;
	}
	*end = n; /* unbalanced: hand the rest to the parser, which will say where */
	return true;
}

/* The inside of the first ``` fence, if any. */
static bool find_fence(const char *s, size_t n, size_t *start, size_t *end)
{
	const char *open = memmem(s, n, "```", 3);
	if (!open)
		return false;
	const char *body = memchr(open + 3, '\n', n - (size_t)(open + 3 - s));
	if (!body)
		return false;
	body++;
	const char *close = memmem(body, n - (size_t)(body - s), "```", 3);
	*start = (size_t)(body - s);
	*end = close ? (size_t)(close - s) : n;
	return true;
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

typedef struct repairs {
	int quotes, literals, commas;
} repairs;

/* Rewrite s[0..n) into out with the token repairs; counts what it changed. */
static int rewrite(const char *s, size_t n, rg_buf *out, repairs *r)
{
	static const struct { const char *py, *json; } lits[] = {
		{ "True", "true" }, { "False", "false" }, { "None", "null" } };
	int rc = RG_OK;
	size_t i = 0;
	while (i < n && rc == RG_OK) {
		char c = s[i];
		if (c == '"') {
			size_t e = skip_string(s, n, i);
			rc = rg_buf_append(out, s + i, e - i);
			i = e;
		} else if (c == '\'') {
			r->quotes++;
			rc = rg_buf_append(out, "\"", 1);
			i++;
			while (i < n && s[i] != '\'' && rc == RG_OK) {
				if (s[i] == '\\' && i + 1 < n) {
					if (s[i + 1] == '\'')
						rc = rg_buf_append(out, "'", 1);
					else
						rc = rg_buf_append(out, s + i, 2);
					i += 2;
				} else if (s[i] == '"') {
					rc = rg_buf_append(out, "\\\"", 2);
					i++;
				} else {
					rc = rg_buf_append(out, s + i, 1);
					i++;
				}
			}
			if (rc == RG_OK)
				rc = rg_buf_append(out, "\"", 1);
			i++;
		} else if (c == ',') {
			size_t k = i + 1;
			while (k < n && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t' || s[k] == '\r'))
				k++;
			if (k < n && (s[k] == '}' || s[k] == ']'))
				r->commas++;
			else
				rc = rg_buf_append(out, ",", 1);
			i++;
		} else if (is_ident(c) && (i == 0 || !is_ident(s[i - 1]))) {
			size_t e = i;
			while (e < n && is_ident(s[e]))
				e++;
			const char *rep = NULL;
			for (size_t k = 0; k < 3; k++)
				if (e - i == strlen(lits[k].py) && !memcmp(s + i, lits[k].py, e - i))
					rep = lits[k].json;
			if (rep) {
				r->literals++;
				rc = rg_buf_puts(out, rep);
			} else {
				rc = rg_buf_append(out, s + i, e - i);
			}
			i = e;
		} else {
			rc = rg_buf_append(out, s + i, 1);
			i++;
		}
	}
	return rc;
}

rg_json *rg_repair_parse(const char *text, size_t n, rg_warnings *w, rg_err *err)
{
	if (n > RG_MAX_RAW_ACTION_BYTES) {
		rg_err_set(err, RG_ETOOBIG, "action", "string_too_long",
			   "text action is %zu bytes; at most %d are accepted", n,
			   RG_MAX_RAW_ACTION_BYTES);
		return NULL;
	}
	size_t s0, len;
	rg_text_trim(text, n, &s0, &len);
	const char *s = text + s0;
	size_t a = 0, b = len;
	if (len && (s[0] == '{' || s[0] == '[')) {
		/* whole text is the value (maybe with junk after it) */
		if (find_balanced(s, len, 0, &a, &b) && b < len)
			rg_warn(w, "ignored text after the JSON value");
	} else if (find_fence(s, len, &a, &b)) {
		rg_warn(w, "took the JSON from a ``` code fence");
		size_t fa, fb;
		if (find_balanced(s + a, b - a, 0, &fa, &fb)) {
			b = a + fb;
			a = a + fa;
		}
	} else if (find_balanced(s, len, 0, &a, &b)) {
		rg_warn(w, "ignored prose around the JSON object");
	} else {
		rg_err_set(err, RG_EINVAL, "action", "json_invalid",
			   "no JSON object found in the text action (expected {\"findings\": [...]})");
		return NULL;
	}
	rg_err first;
	rg_err_clear(&first);
	rg_json *v = rg_json_parse(s + a, b - a, &first);
	if (v)
		return v;
	rg_buf out;
	rg_buf_init(&out, 2 * (b - a) + 16); /* quoting can at most double the text */
	repairs r = { 0, 0, 0 };
	if (rewrite(s + a, b - a, &out, &r)) {
		rg_buf_free(&out);
		rg_err_set(err, RG_ENOMEM, "action", NULL, "out of memory repairing JSON");
		return NULL;
	}
	v = r.quotes || r.literals || r.commas ? rg_json_parse(out.data, out.len, NULL) : NULL;
	rg_buf_free(&out);
	if (!v) {
		rg_err_set(err, RG_EINVAL, "action", "json_invalid",
			   "could not parse the JSON in the text action: %s", first.msg);
		return NULL;
	}
	if (r.quotes)
		rg_warn(w, "converted %d single-quoted strings to double quotes", r.quotes);
	if (r.literals)
		rg_warn(w, "converted %d Python literals (True/False/None) to JSON", r.literals);
	if (r.commas)
		rg_warn(w, "removed %d trailing commas", r.commas);
	return v;
}
