/*
 * repair.c - JSON extraction and repair for model output (see repair.h).
 */
#define _GNU_SOURCE /* memmem */
#include "env/repair.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

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

/* The balanced span that starts at the first { or [ at or after from, scanning
 * with awareness of strings. Returns false when there is no opener. */
static bool next_span(const char *s, size_t n, size_t from, size_t *start, size_t *end)
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

/* Where the JSON lives: the body of the first ```json fence, else of the first
 * fence whose body starts with { or [, else nowhere (false). Only the opening
 * fence is located here; the value's end is found by the string-aware span scan,
 * so a ``` inside a JSON string cannot cut the value short. */
static bool find_fence(const char *s, size_t n, size_t *body)
{
	bool found = false;
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), "```", 3)) != NULL;) {
		const char *lang = p + 3;
		const char *eol = memchr(lang, '\n', n - (size_t)(lang - s));
		if (!eol)
			break;
		const char *b = eol + 1;
		while (b < s + n && (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n'))
			b++;
		bool is_json = eol - lang >= 4 && !strncasecmp(lang, "json", 4);
		if (is_json || (!found && b < s + n && (*b == '{' || *b == '['))) {
			*body = (size_t)(eol + 1 - s);
			found = true;
			if (is_json)
				return true;
		}
		/* skip to the fence that closes this one, if any */
		const char *close = memmem(eol, n - (size_t)(eol - s), "```", 3);
		if (!close)
			break;
		p = close + 3;
	}
	return found;
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

/* Parse one span strictly, else with the token repairs. NULL when neither works;
 * *first gets the strict parser's complaint. */
static rg_json *parse_span(const char *s, size_t n, repairs *r, rg_err *first)
{
	rg_json *v = rg_json_parse(s, n, first);
	if (v)
		return v;
	rg_buf out;
	rg_buf_init(&out, 2 * n + 16); /* quoting can at most double the text */
	repairs mine = { 0, 0, 0 };
	if (rewrite(s, n, &out, &mine) == RG_OK && (mine.quotes || mine.literals || mine.commas))
		v = rg_json_parse(out.data, out.len, NULL);
	rg_buf_free(&out);
	if (v)
		*r = mine;
	return v;
}

/* At most this many candidate spans are tried, so hostile text costs at most
 * MAX_SPANS linear parses. */
#define MAX_SPANS 32

/* An action is an object, or a bare list of finding objects; "[1]" or
 * "[draft 2]" in the prose is neither. */
static bool plausible(const rg_json *v)
{
	if (rg_json_is_obj(v))
		return true;
	if (!rg_json_is_arr(v))
		return false;
	for (size_t i = 0; i < rg_json_size(v); i++)
		if (!rg_json_is_obj(rg_json_at(v, i)))
			return false;
	return true;
}

rg_json *rg_repair_parse(const char *text, size_t n, const char *expected, rg_warnings *w,
			 rg_err *err)
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
	size_t pos = 0, a, b;
	bool fenced = !(len && (s[0] == '{' || s[0] == '[')) && find_fence(s, len, &pos);
	rg_err first;
	rg_err_clear(&first);
	int tried = 0;
	/* Candidates in document order. A span that fails (or is not an action) is
	 * skipped whole: what is nested inside a broken value is part of it. */
	while (tried < MAX_SPANS && next_span(s, len, pos, &a, &b)) {
		tried++;
		repairs r = { 0, 0, 0 };
		rg_json *v = parse_span(s + a, b - a, &r, &first);
		if (v && plausible(v)) {
			if (fenced)
				rg_warn(w, "took the JSON from a ``` code fence");
			else if (a == 0 && b < len)
				rg_warn(w, "ignored text after the JSON value");
			else if (a > 0)
				rg_warn(w, "ignored prose around the JSON object");
			if (r.quotes)
				rg_warn(w, "converted %d single-quoted strings to double quotes", r.quotes);
			if (r.literals)
				rg_warn(w, "converted %d Python literals (True/False/None) to JSON",
					r.literals);
			if (r.commas)
				rg_warn(w, "removed %d trailing commas", r.commas);
			return v;
		}
		rg_json_free(v);
		if (b >= len)
			break; /* unbalanced to the end: nothing after it stands alone */
		pos = b;
	}
	if (!tried)
		rg_err_set(err, RG_EINVAL, "action", "json_invalid",
			   "no JSON object found in the text action (expected %s)", expected);
	else
		rg_err_set(err, RG_EINVAL, "action", "json_invalid",
			   "could not parse the JSON in the text action: %s",
			   first.code ? first.msg : "no JSON object in it");
	return NULL;
}
