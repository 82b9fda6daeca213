/*
 * action.c - normalising code_review actions (see action.h).
 *
 * Field resolution is table-driven: each canonical field lists its aliases; a key
 * maps to at most one canonical field, and two keys mapping to the same field are
 * an error (the agent said two different things). Errors name the key as sent.
 */
#include "env/action.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bank/task.h"
#include "core/limits.h"
#include "env/repair.h"
#include "core/alloc.h"

/* ------------------------------------------------------------------------ */
/* Alias tables                                                             */
/* ------------------------------------------------------------------------ */

enum top_field { TOP_FINDINGS, TOP_SUMMARY, TOP__COUNT };
static const char *const top_aliases[TOP__COUNT][8] = {
	[TOP_FINDINGS] = { "findings", "issues", "bugs", "problems", "vulnerabilities",
			   "comments", NULL },
	[TOP_SUMMARY] = { "review_summary", "summary", "overall", "review", "verdict", NULL },
};

enum finding_field { F_LINE, F_TYPE, F_DESC, F_FIX, F__COUNT };
static const char *const finding_aliases[F__COUNT][10] = {
	[F_LINE] = { "line_number", "line", "lineno", "line_no", "lines", "line_numbers",
		     "location", "line_range", NULL },
	[F_TYPE] = { "issue_type", "type", "category", "kind", "classification", "issue_category",
		     NULL },
	[F_DESC] = { "description", "desc", "message", "explanation", "details", "detail",
		     "problem", "text", "comment", NULL },
	[F_FIX] = { "suggested_fix", "fix", "suggestion", "recommendation", "remediation",
		    "patch", "solution", "fixed_code", "correction", NULL },
};

/* Extras models add that carry nothing the grader uses: ignored, with a warning. */
static const char *const finding_ignored[] = { "severity", "confidence", "cwe", "title",
					       "id", "code", "snippet", "evidence", "impact",
					       "references", "name", NULL };

/* Keys whose string value is the whole model output. */
static const char *const raw_keys[] = { "text", "raw", "content", "response", "output",
					"completion", "message", NULL };

static const struct { const char *alias; int type; } type_aliases[] = {
	{ "bug", RG_ISSUE_BUG }, { "error", RG_ISSUE_BUG }, { "defect", RG_ISSUE_BUG },
	{ "runtime_error", RG_ISSUE_BUG }, { "runtime", RG_ISSUE_BUG }, { "crash", RG_ISSUE_BUG },
	{ "exception", RG_ISSUE_BUG }, { "bug_risk", RG_ISSUE_BUG }, { "correctness", RG_ISSUE_BUG },
	{ "logic_error", RG_ISSUE_LOGIC }, { "logic", RG_ISSUE_LOGIC }, { "logical", RG_ISSUE_LOGIC },
	{ "logic_bug", RG_ISSUE_LOGIC }, { "logical_error", RG_ISSUE_LOGIC },
	{ "algorithm", RG_ISSUE_LOGIC }, { "algorithmic", RG_ISSUE_LOGIC },
	{ "semantic", RG_ISSUE_LOGIC }, { "incorrect_logic", RG_ISSUE_LOGIC },
	{ "security_vulnerability", RG_ISSUE_SECURITY }, { "security", RG_ISSUE_SECURITY },
	{ "vulnerability", RG_ISSUE_SECURITY }, { "vuln", RG_ISSUE_SECURITY },
	{ "security_issue", RG_ISSUE_SECURITY }, { "security_bug", RG_ISSUE_SECURITY },
	{ "security_flaw", RG_ISSUE_SECURITY }, { "sec", RG_ISSUE_SECURITY },
	{ "injection", RG_ISSUE_SECURITY },
};

static int lookup(const char *const *list, const char *key)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], key))
			return i;
	return -1;
}

int rg_issue_type_from_alias(const char *s)
{
	char k[48];
	size_t n = 0;
	for (; *s && n + 1 < sizeof k; s++) {
		unsigned char c = (unsigned char)*s;
		k[n++] = (c == ' ' || c == '-') ? '_' : (char)tolower(c);
	}
	k[n] = '\0';
	for (size_t i = 0; i < sizeof type_aliases / sizeof *type_aliases; i++)
		if (!strcmp(k, type_aliases[i].alias))
			return type_aliases[i].type;
	return -1;
}

const rg_json *rg_action_raw_text(const rg_json *action)
{
	if (rg_json_is_str(action))
		return action;
	if (!rg_json_is_obj(action))
		return NULL;
	const rg_json *raw = NULL;
	for (void *it = rg_json_iter(action); it; it = rg_json_iter_next(action, it)) {
		const char *k = rg_json_iter_key(it);
		if (!strcmp(k, "metadata"))
			continue;
		if (raw || lookup(raw_keys, k) < 0 || !rg_json_is_str(rg_json_iter_value(it)))
			return NULL;
		raw = rg_json_iter_value(it);
	}
	return raw;
}

/* ------------------------------------------------------------------------ */
/* Line numbers                                                             */
/* ------------------------------------------------------------------------ */

static const char *skip_prefix(const char *p)
{
	static const char *const words[] = { "lines", "line", "ln", "l", "#", NULL };
	while (*p == ' ')
		p++;
	for (int i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (!strncasecmp(p, words[i], n) && !isalpha((unsigned char)p[n])) {
			p += n;
			break;
		}
	}
	while (*p == ' ' || *p == '.' || *p == ':')
		p++;
	return p;
}

static int read_num(const char **pp, int *out)
{
	const char *p = *pp;
	if (!isdigit((unsigned char)*p))
		return -1;
	long v = 0;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p - '0');
		if (v > RG_MAX_LINE_NUMBER)
			return -1;
		p++;
	}
	*out = (int)v;
	*pp = p;
	return 0;
}

int rg_parse_line_text(const char *s, int *first, int *last)
{
	const char *p = skip_prefix(s);
	if (read_num(&p, first))
		return -1;
	*last = *first;
	while (*p == ' ')
		p++;
	if (!*p)
		return 0;
	/* range separators: -, en dash (UTF-8 e2 80 93), :, .., "to" */
	if (*p == '-' || *p == ':')
		p++;
	else if (!strncmp(p, "\xe2\x80\x93", 3))
		p += 3;
	else if (!strncmp(p, "..", 2))
		p += 2;
	else if (!strncasecmp(p, "to ", 3))
		p += 3;
	else
		return -1;
	p = skip_prefix(p);
	if (read_num(&p, last))
		return -1;
	while (*p == ' ')
		p++;
	return *p || *last < *first ? -1 : 0;
}

static int parse_line(const rg_json *v, const char *path, rg_finding *f, rg_warnings *w,
		      rg_err *err)
{
	int a, b;
	if (rg_json_is_int(v)) {
		long long x = rg_json_int_val(v);
		if (x < 1 || x > RG_MAX_LINE_NUMBER)
			return rg_err_set(err, RG_EINVAL, path, "greater_than_equal",
					  "expected a line number >= 1, got %lld", x);
		f->line = f->line_end = (int)x;
		return RG_OK;
	}
	if (rg_json_is_real(v)) {
		double x = rg_json_real_val(v);
		if (x < 1 || x > RG_MAX_LINE_NUMBER || x != (double)(int)x)
			return rg_err_set(err, RG_EINVAL, path, "int_from_float",
					  "expected a whole line number >= 1, got %g", x);
		f->line = f->line_end = (int)x;
		rg_warn(w, "%s: converted %g to an integer", path, x);
		return RG_OK;
	}
	if (rg_json_is_str(v)) {
		if (rg_json_str_len(v) > 64 || strlen(rg_json_str_val(v)) != rg_json_str_len(v) ||
		    rg_parse_line_text(rg_json_str_val(v), &a, &b) || a < 1)
			return rg_err_set(err, RG_EINVAL, path, "int_parsing",
					  "expected a line number such as 12, \"L12\" or \"12-14\", got \"%.40s\"",
					  rg_json_str_val(v));
		f->line = a;
		f->line_end = b;
		rg_warn(w, "line numbers given as text were converted to integers");
		return RG_OK;
	}
	if (rg_json_is_arr(v) && rg_json_size(v) >= 1 && rg_json_size(v) <= 2 &&
	    rg_json_is_int(rg_json_at(v, 0)) &&
	    rg_json_is_int(rg_json_at(v, rg_json_size(v) - 1))) {
		long long x = rg_json_int_val(rg_json_at(v, 0));
		long long y = rg_json_int_val(rg_json_at(v, rg_json_size(v) - 1));
		if (x < 1 || y < x || y > RG_MAX_LINE_NUMBER)
			return rg_err_set(err, RG_EINVAL, path, "value_error",
					  "expected [first, last] with 1 <= first <= last, got [%lld, %lld]",
					  x, y);
		f->line = (int)x;
		f->line_end = (int)y;
		rg_warn(w, "line ranges given as [first, last] were read as spans");
		return RG_OK;
	}
	return rg_err_set(err, RG_EINVAL, path, "int_type",
			  "expected a line number (integer >= 1), got %s", rg_json_type_name(v));
}

/* ------------------------------------------------------------------------ */
/* Findings                                                                 */
/* ------------------------------------------------------------------------ */

int rg_action_text(const rg_json *v, const char *path, size_t max, const char **out,
		   size_t *len, rg_err *err)
{
	if (rg_json_is_null(v)) {
		*out = "";
		*len = 0;
		return RG_OK;
	}
	if (!rg_json_is_str(v))
		return rg_err_set(err, RG_EINVAL, path, "string_type",
				  "expected a string, got %s", rg_json_type_name(v));
	size_t chars = 0; /* UTF-8 code points: every byte that is not 10xxxxxx */
	const unsigned char *b = (const unsigned char *)rg_json_str_val(v);
	for (size_t i = 0; i < rg_json_str_len(v); i++)
		chars += (b[i] & 0xc0) != 0x80;
	if (chars > max)
		return rg_err_set(err, RG_ETOOBIG, path, "string_too_long",
				  "at most %zu characters, got %zu", max, chars);
	*out = rg_json_str_val(v);
	*len = rg_json_str_len(v);
	return RG_OK;
}

/* list is the key the findings came under, as sent ("findings", "issues", ...);
 * idx < 0 means a single finding object given in place of the list. */
static void finding_path(char *out, size_t cap, const char *list, long idx, const char *field)
{
	if (idx < 0)
		snprintf(out, cap, "%.40s%s%.40s", list, field ? "." : "", field ? field : "");
	else
		snprintf(out, cap, "%.40s[%ld]%s%.40s", list, idx, field ? "." : "", field ? field : "");
}

static int parse_finding(const rg_json *o, const char *list, long idx, rg_finding *f,
			 rg_warnings *w, rg_err *err)
{
	char path[128];
	finding_path(path, sizeof path, list, idx, NULL);
	if (!rg_json_is_obj(o))
		return rg_err_set(err, RG_EINVAL, path, "model_type",
				  "expected a finding object, got %s", rg_json_type_name(o));
	const rg_json *val[F__COUNT] = { 0 };
	const char *key[F__COUNT] = { 0 };
	for (void *it = rg_json_iter(o); it; it = rg_json_iter_next(o, it)) {
		const char *k = rg_json_iter_key(it);
		int field = -1;
		for (int i = 0; i < F__COUNT && field < 0; i++)
			if (lookup(finding_aliases[i], k) >= 0)
				field = i;
		finding_path(path, sizeof path, list, idx, k);
		if (field < 0) {
			if (lookup(finding_ignored, k) >= 0) {
				rg_warn(w, "ignored finding field \"%.40s\" (not graded)", k);
				continue;
			}
			return rg_err_set(err, RG_EINVAL, path, "extra_forbidden",
					  "unknown field; expected line_number, issue_type, description, suggested_fix");
		}
		if (val[field])
			return rg_err_set(err, RG_EINVAL, path, "value_error",
					  "same field given twice (as \"%s\" and \"%s\")", key[field], k);
		val[field] = rg_json_iter_value(it);
		key[field] = k;
		if (strcmp(k, finding_aliases[field][0]))
			rg_warn(w, "read finding field \"%.40s\" as \"%s\"", k, finding_aliases[field][0]);
	}
	if (!val[F_LINE] || !val[F_DESC]) {
		finding_path(path, sizeof path, list, idx, !val[F_LINE] ? "line_number" : "description");
		return rg_err_set(err, RG_EINVAL, path, "missing", "field required");
	}
	finding_path(path, sizeof path, list, idx, key[F_LINE]);
	int rc = parse_line(val[F_LINE], path, f, w, err);
	if (rc)
		return rc;
	finding_path(path, sizeof path, list, idx, key[F_DESC]);
	if ((rc = rg_action_text(val[F_DESC], path, RG_MAX_FINDING_TEXT_CHARS, &f->description,
			     &f->description_len, err)))
		return rc;
	f->fix = "";
	f->fix_len = 0;
	if (val[F_FIX]) {
		finding_path(path, sizeof path, list, idx, key[F_FIX]);
		if ((rc = rg_action_text(val[F_FIX], path, RG_MAX_FINDING_TEXT_CHARS, &f->fix,
				     &f->fix_len, err)))
			return rc;
	}
	f->type = -1;
	if (!val[F_TYPE] || rg_json_is_null(val[F_TYPE])) {
		rg_warn(w, "findings without issue_type earn no type credit");
		return RG_OK;
	}
	finding_path(path, sizeof path, list, idx, key[F_TYPE]);
	if (!rg_json_is_str(val[F_TYPE]))
		return rg_err_set(err, RG_EINVAL, path, "string_type",
				  "expected one of bug, logic_error, security_vulnerability, got %s",
				  rg_json_type_name(val[F_TYPE]));
	const char *ts = rg_json_str_val(val[F_TYPE]);
	if (strlen(ts) != rg_json_str_len(val[F_TYPE]))
		return rg_err_set(err, RG_EINVAL, path, "string_type",
				  "issue type contains a NUL character");
	f->type = rg_issue_type_from_alias(ts);
	if (f->type < 0)
		rg_warn(w, "%s: unknown type \"%.30s\"; kept without type credit", path, ts);
	else if (strcmp(ts, rg_issue_type_name((enum rg_issue_type)f->type)))
		rg_warn(w, "read issue type \"%.30s\" as \"%s\"", ts,
			rg_issue_type_name((enum rg_issue_type)f->type));
	return RG_OK;
}

static int parse_findings(const rg_json *arr, const char *list, rg_cr_action *out,
			  rg_warnings *w, rg_err *err)
{
	size_t n = rg_json_size(arr);
	if (n > RG_MAX_FINDINGS)
		return rg_err_set(err, RG_ETOOBIG, list, "too_long",
				  "at most %d findings per attempt, got %zu", RG_MAX_FINDINGS, n);
	out->findings = rg_calloc(n ? n : 1, sizeof *out->findings);
	if (!out->findings)
		return rg_err_set(err, RG_ENOMEM, "findings", NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int rc = parse_finding(rg_json_at(arr, i), list, (long)i, &out->findings[i], w, err);
		if (rc)
			return rc;
	}
	out->n = n;
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* The action                                                               */
/* ------------------------------------------------------------------------ */

int rg_action_fields(const rg_json *a, int n_fields,
		     int (*field_of)(const char *key, const rg_json *value),
		     const char *const *canonical, const char *expected, const rg_json **val,
		     const char **key, rg_warnings *w, rg_err *err)
{
	for (void *it = rg_json_iter(a); it; it = rg_json_iter_next(a, it)) {
		const char *k = rg_json_iter_key(it);
		const rg_json *v = rg_json_iter_value(it);
		if (!strcmp(k, "metadata")) {
			if (!rg_json_is_obj(v))
				return rg_err_set(err, RG_EINVAL, "metadata", "dict_type",
						  "expected an object");
			continue;
		}
		int f = field_of(k, v);
		char path[64];
		snprintf(path, sizeof path, "%.60s", k);
		if (f < 0 || f >= n_fields)
			return rg_err_set(err, RG_EINVAL, path, "extra_forbidden",
					  "unknown field; expected %s", expected);
		if (val[f])
			return rg_err_set(err, RG_EINVAL, path, "value_error",
					  "same field given twice (as \"%s\" and \"%s\")", key[f], k);
		val[f] = v;
		key[f] = k;
		if (strcmp(k, canonical[f]))
			rg_warn(w, "read field \"%.40s\" as \"%s\"", k, canonical[f]);
	}
	return RG_OK;
}

static int top_field_of(const char *k, const rg_json *v)
{
	(void)v;
	for (int i = 0; i < TOP__COUNT; i++)
		if (lookup(top_aliases[i], k) >= 0)
			return i;
	return -1;
}

static int parse_object(const rg_json *a, rg_cr_action *out, rg_warnings *w, rg_err *err)
{
	if (rg_json_is_arr(a)) {
		rg_warn(w, "read a bare array as the findings list");
		return parse_findings(a, "findings", out, w, err);
	}
	if (!rg_json_is_obj(a))
		return rg_err_set(err, RG_EINVAL, "action", "model_type",
				  "expected an object like {\"findings\": [...]}, got %s",
				  rg_json_type_name(a));
	static const char *const canonical[TOP__COUNT] = { "findings", "review_summary" };
	const rg_json *val[TOP__COUNT] = { 0 };
	const char *key[TOP__COUNT] = { 0 };
	int rc = rg_action_fields(a, TOP__COUNT, top_field_of, canonical,
				  "findings, review_summary, metadata", val, key, w, err);
	if (rc)
		return rc;
	out->summary = "";
	if (val[TOP_SUMMARY]) {
		size_t len;
		rc = rg_action_text(val[TOP_SUMMARY], key[TOP_SUMMARY], RG_MAX_SUMMARY_CHARS,
				    &out->summary, &len, err);
		if (rc)
			return rc;
	}
	return rg_findings_parse(val[TOP_FINDINGS], key[TOP_FINDINGS], out, w, err);
}

int rg_findings_parse(const rg_json *fs, const char *key, rg_cr_action *out, rg_warnings *w,
		      rg_err *err)
{
	if (!fs || rg_json_is_null(fs)) {
		out->findings = rg_calloc(1, sizeof *out->findings);
		return out->findings ? RG_OK
				     : rg_err_set(err, RG_ENOMEM, "findings", NULL, "out of memory");
	}
	if (rg_json_is_obj(fs)) {
		rg_warn(w, "read a single finding object as a list of one");
		out->findings = rg_calloc(1, sizeof *out->findings);
		if (!out->findings)
			return rg_err_set(err, RG_ENOMEM, "findings", NULL, "out of memory");
		out->n = 1;
		return parse_finding(fs, key, -1, &out->findings[0], w, err);
	}
	if (!rg_json_is_arr(fs))
		return rg_err_set(err, RG_EINVAL, key, "list_type",
				  "expected a list of findings, got %s", rg_json_type_name(fs));
	return parse_findings(fs, key, out, w, err);
}

int rg_cr_action_parse(const rg_json *action, rg_cr_action *out, rg_warnings *w, rg_err *err)
{
	memset(out, 0, sizeof *out);
	const rg_json *raw = rg_action_raw_text(action);
	const rg_json *obj = action;
	if (raw) {
		out->owned = rg_repair_parse(rg_json_str_val(raw), rg_json_str_len(raw),
					     "{\"findings\": [...]}", w, err);
		if (!out->owned)
			return err->code;
		rg_warn(w, "parsed the action from text");
		obj = out->owned;
	}
	int rc = parse_object(obj, out, w, err);
	if (rc)
		rg_cr_action_release(out);
	return rc;
}

void rg_cr_action_release(rg_cr_action *a)
{
	rg_free(a->findings);
	rg_json_free(a->owned);
	memset(a, 0, sizeof *a);
}

int rg_cr_findings_text(const rg_cr_action *a, rg_buf *b)
{
	int rc = rg_buf_append(b, "[", 1);
	for (size_t i = 0; !rc && i < a->n; i++) {
		const rg_finding *f = &a->findings[i];
		rc = rg_buf_puts(b, i ? ",{\"line_number\":" : "{\"line_number\":") ||
		     rg_buf_json_int(b, f->line) || rg_buf_puts(b, ",\"end_line\":") ||
		     rg_buf_json_int(b, f->line_end) || rg_buf_puts(b, ",\"issue_type\":") ||
		     (f->type >= 0 ? rg_buf_json_str(b, rg_issue_type_name(f->type),
						     strlen(rg_issue_type_name(f->type)))
				   : rg_buf_puts(b, "null")) ||
		     rg_buf_puts(b, ",\"description\":") ||
		     rg_buf_json_str(b, f->description, f->description_len) ||
		     rg_buf_puts(b, ",\"suggested_fix\":") ||
		     rg_buf_json_str(b, f->fix, f->fix ? f->fix_len : 0) || rg_buf_puts(b, "}");
	}
	return rc ? RG_ENOMEM : rg_buf_append(b, "]", 1);
}

int rg_cr_action_text(const rg_cr_action *a, rg_buf *b)
{
	const char *summary = a->summary ? a->summary : "";
	int rc = rg_buf_puts(b, "{\"findings\":") || rg_cr_findings_text(a, b) ||
		 rg_buf_puts(b, ",\"review_summary\":") ||
		 rg_buf_json_str(b, summary, strlen(summary)) || rg_buf_append(b, "}", 1);
	return rc ? RG_ENOMEM : RG_OK;
}
