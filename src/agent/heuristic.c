/*
 * heuristic.c - the heuristic policy (see heuristic.h): scanning the code, running
 * the rules of heuristic_rules.c (which query the scan through heuristic_text.c),
 * and turning their findings into an action.
 *
 * Design: one pass over the code builds the line model of heuristic_int.h. A small
 * state machine (normal, short string, triple-quoted string) strips comments, masks
 * string contents and recognises docstrings (a triple-quoted string that starts a
 * statement); bracket depth marks continuation lines; a stack of def lines gives
 * each line its function. The rules then run line by line in table order: at most
 * one finding per (rule, line), RG_HEURISTIC_MAX_FINDINGS in all, in line order.
 *
 * Ownership: the scan (lines, text copies, compiled patterns) lives for one call
 * and is released at its single exit; the action is a new JSON object.
 * It deliberately does not read the bank, the task id or anything else that could
 * carry ground truth: only "code_to_review".
 */
#include "agent/heuristic.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent/heuristic_int.h"
#include "bank/task.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/limits.h"

/* Code past this many bytes is not reviewed: the most any task or custom code
 * holds. It bounds the scan's memory (about 70 bytes a line) and time. */
#define SCAN_MAX_BYTES RG_MAX_CODE_BYTES
/* Nesting of def blocks tracked; deeper defs count as their parent's body. */
#define SCAN_MAX_DEPTH 64
/* Findings quoted in a pr_review comment (two classes at most keep it focused). */
#define COMMENT_FINDINGS 2
#define COMMENT_MAX_BYTES (8 * 1024)

#define DESC_BYTES 480
#define FIX_BYTES 320

typedef struct finding {
	int line;
	size_t rule;
	char desc[DESC_BYTES];
	char fix[FIX_BYTES];
} finding;

typedef struct scan {
	rg__hline *lines;
	size_t n;
	char *chars;
	regex_t re[RG__HRE__COUNT];
	size_t n_re;
	finding *found;
	size_t n_found;
} scan;

/* ------------------------------------------------------------------------ */
/* Text helpers shared with the rules                                       */
/* ------------------------------------------------------------------------ */

/* Drop a UTF-8 character that a bounded snprintf cut short at the end of s. */
static void utf8_fix_tail(char *s)
{
	size_t n = strlen(s), k = n;
	while (k && ((unsigned char)s[k - 1] & 0xC0) == 0x80 && n - k < 3)
		k--;
	if (!k)
		return;
	unsigned char lead = (unsigned char)s[k - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (k - 1) < want)
		s[k - 1] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Scanning                                                                 */
/* ------------------------------------------------------------------------ */

/* Lexer state carried from line to line. */
typedef struct lexer {
	int state;      /* 0 code, 1 short string, 2 triple-quoted string */
	char quote;
	bool doc;       /* the triple-quoted string is a docstring */
	int depth;      /* open brackets */
	bool backslash; /* the previous line ended with a '\' continuation */
} lexer;

/* True when t[0..k) is only whitespace and string prefix letters. */
static bool starts_statement(const char *t, size_t k)
{
	while (k && strchr("rRbBuUfF", t[k - 1]))
		k--;
	for (size_t j = 0; j < k; j++)
		if (t[j] != ' ' && t[j] != '\t')
			return false;
	return true;
}

/* Lex one line of t (n bytes) into code and mask (n + 1 bytes each). */
static void lex_line(lexer *lx, rg__hline *l, const char *t, size_t n, char *code, char *mask)
{
	bool skip = lx->state == 2 && lx->doc;
	l->cont = lx->depth > 0 || lx->backslash || (lx->state != 0 && !skip);
	size_t o = 0;
	for (size_t k = 0; k < n; k++) {
		char c = t[k];
		bool triple = k + 2 < n && t[k + 1] == c && t[k + 2] == c;
		if (lx->state == 0) {
			if (c == '#')
				break;
			if (c == '"' || c == '\'') {
				lx->quote = c;
				lx->state = triple ? 2 : 1;
				if (triple && !lx->depth && !l->cont && starts_statement(t, k))
					lx->doc = skip = true;
				size_t q = triple ? 3 : 1;
				memcpy(code + o, t + k, q);
				memcpy(mask + o, t + k, q);
				o += q, k += q - 1;
				continue;
			}
			if (c == '(' || c == '[' || c == '{')
				lx->depth++;
			else if ((c == ')' || c == ']' || c == '}') && lx->depth > 0)
				lx->depth--;
			code[o] = mask[o] = c, o++;
			continue;
		}
		if (c == '\\' && k + 1 < n) {
			code[o] = c, code[o + 1] = t[k + 1];
			mask[o] = mask[o + 1] = '~';
			o += 2, k++;
			continue;
		}
		if (c == lx->quote && (lx->state == 1 || triple)) {
			size_t q = lx->state == 2 ? 3 : 1;
			memcpy(code + o, t + k, q);
			memcpy(mask + o, t + k, q);
			o += q, k += q - 1;
			lx->state = 0, lx->doc = false;
			continue;
		}
		code[o] = c, mask[o] = '~', o++;
	}
	while (o && (code[o - 1] == ' ' || code[o - 1] == '\t'))
		o--;
	lx->backslash = lx->state == 0 && o && code[o - 1] == '\\';
	if (lx->state == 1 && !(o && code[o - 1] == '\\'))
		lx->state = 0; /* an unterminated short string ends with its line */
	code[o] = mask[o] = '\0';
	l->is_code = !skip && o > 0;
	if (!l->is_code)
		code[0] = mask[0] = '\0';
	int col = 0;
	for (size_t k = 0; k < n && (t[k] == ' ' || t[k] == '\t'); k++)
		col = t[k] == '\t' ? (col / 8 + 1) * 8 : col + 1;
	l->indent = col;
}

static bool is_def(const char *code)
{
	while (*code == ' ' || *code == '\t')
		code++;
	if (!strncmp(code, "async ", 6))
		for (code += 6; *code == ' '; code++)
			;
	return !strncmp(code, "def ", 4);
}

/* Enclosing functions: a stack of open defs, closed by the first statement that
 * is not indented deeper than the def. */
static void scan_scopes(scan *sc)
{
	size_t stack[SCAN_MAX_DEPTH];
	size_t depth = 0, last_code = 0;
	for (size_t i = 0; i < sc->n; i++) {
		rg__hline *l = &sc->lines[i];
		if (l->is_code && !l->cont) {
			while (depth && l->indent <= sc->lines[stack[depth - 1]].indent)
				sc->lines[stack[--depth]].fn_last = last_code;
			if (is_def(l->code) && depth < SCAN_MAX_DEPTH) {
				stack[depth++] = i;
				l->in_sig = true;
			}
		} else if (l->cont && i > 0) {
			l->in_sig = sc->lines[i - 1].in_sig;
		}
		l->fn = depth ? (int)stack[depth - 1] : -1;
		if (l->is_code)
			last_code = i;
	}
	while (depth)
		sc->lines[stack[--depth]].fn_last = last_code;
	for (size_t i = 0; i < sc->n; i++) {
		rg__hline *l = &sc->lines[i];
		l->fn_first = l->fn < 0 ? 0 : (size_t)l->fn;
		l->fn_last = l->fn < 0 ? (sc->n ? sc->n - 1 : 0) : sc->lines[l->fn].fn_last;
		if (l->fn_last < l->fn_first)
			l->fn_last = l->fn_first;
	}
}

/* Lines and masks of code[0..len); RG_ENOMEM. */
static int scan_lines(scan *sc, const char *code, size_t len)
{
	size_t n = 1;
	for (size_t k = 0; k < len; k++)
		n += code[k] == '\n';
	if (len && code[len - 1] == '\n')
		n--;
	sc->lines = rg_calloc(n ? n : 1, sizeof *sc->lines);
	sc->chars = rg_malloc(3 * (len + n) + 1);
	if (!sc->lines || !sc->chars)
		return RG_ENOMEM;
	lexer lx = { 0 };
	char *out = sc->chars;
	const char *p = code, *end = code + len;
	for (size_t i = 0; i < n; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t w = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (w && p[w - 1] == '\r')
			w--;
		rg__hline *l = &sc->lines[i];
		char *text = out, *c = out + w + 1, *m = c + w + 1;
		memcpy(text, p, w);
		text[w] = '\0';
		lex_line(&lx, l, p, w, c, m);
		l->text = text, l->code = c, l->mask = m;
		out = m + w + 1;
		p = nl ? nl + 1 : end;
	}
	sc->n = n;
	scan_scopes(sc);
	return 0;
}

static void scan_free(scan *sc)
{
	for (size_t k = 0; k < sc->n_re; k++)
		regfree(&sc->re[k]);
	rg_free(sc->lines);
	rg_free(sc->chars);
	rg_free(sc->found);
}

/* Expand a rule's template: {0}..{3} become the args. */
static void expand(char *out, size_t cap, const char *tmpl, const rg__hargs *args)
{
	size_t o = 0;
	for (const char *t = tmpl; *t && o + 1 < cap; t++) {
		if (t[0] == '{' && t[1] >= '0' && t[1] < '0' + RG__H_ARGS && t[2] == '}') {
			const char *a = args->a[t[1] - '0'];
			size_t n = rg__heuristic_utf8_cut(a, strlen(a), cap - 1 - o);
			memcpy(out + o, a, n);
			o += n, t += 2;
		} else {
			out[o++] = *t;
		}
	}
	out[o] = '\0';
}

/* Run every rule on every code line, in line order then table order. */
static void run_rules(scan *sc)
{
	rg__hsrc src = { sc->lines, sc->n, sc->re };
	int last_fn[RG__H_MAX_RULES];
	size_t n_rules = rg__heuristic_n_rules < RG__H_MAX_RULES ? rg__heuristic_n_rules
								  : RG__H_MAX_RULES;
	for (size_t r = 0; r < n_rules; r++)
		last_fn[r] = INT_MIN;
	for (size_t i = 0; i < sc->n; i++) {
		if (!sc->lines[i].is_code)
			continue;
		for (size_t r = 0; r < n_rules; r++) {
			const rg__hrule *rule = &rg__heuristic_rules[r];
			rg__hargs args;
			memset(&args, 0, sizeof args);
			if ((rule->once_per_fn && last_fn[r] == sc->lines[i].fn) ||
			    !(rule->fn ? rule->fn(&src, i, &args)
				       : rg__heuristic_re(&src, rule->re, sc->lines[i].mask, NULL, 0)))
				continue;
			for (size_t k = 0; k < RG__H_ARGS; k++)
				utf8_fix_tail(args.a[k]);
			finding *f = &sc->found[sc->n_found];
			f->line = (int)i + 1;
			f->rule = r;
			expand(f->desc, sizeof f->desc, rule->desc, &args);
			expand(f->fix, sizeof f->fix, rule->fix, &args);
			last_fn[r] = sc->lines[i].fn;
			if (++sc->n_found == RG_HEURISTIC_MAX_FINDINGS)
				return;
		}
	}
}

/* Read the observation's code, scan it and run the rules. 0, or RG_EINVAL (no
 * code), RG_ENOMEM, RG_EINTERNAL (a pattern did not compile) with err set. */
static int review(scan *sc, const rg_json *obs, rg_err *err)
{
	const rg_json *v = rg_json_is_obj(obs) ? rg_json_get(obs, "code_to_review") : NULL;
	if (!v)
		return rg_err_set(err, RG_EINVAL, "code_to_review", "missing",
				  "the observation has no code to review");
	if (!rg_json_is_str(v))
		return rg_err_set(err, RG_EINVAL, "code_to_review", "string_type",
				  "expected a string, got %s", rg_json_type_name(v));
	for (; sc->n_re < RG__HRE__COUNT; sc->n_re++) {
		int rc = regcomp(&sc->re[sc->n_re], rg__heuristic_patterns[sc->n_re].re,
				 REG_EXTENDED | rg__heuristic_patterns[sc->n_re].flags);
		if (rc)
			return rg_err_set(err, rc == REG_ESPACE ? RG_ENOMEM : RG_EINTERNAL, NULL, NULL,
					  "heuristic pattern %zu does not compile (regcomp %d)", sc->n_re, rc);
	}
	size_t len = rg_json_str_len(v);
	sc->found = rg_calloc(RG_HEURISTIC_MAX_FINDINGS, sizeof *sc->found);
	if (!sc->found || scan_lines(sc, rg_json_str_val(v), len > SCAN_MAX_BYTES ? SCAN_MAX_BYTES : len))
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory scanning the code");
	run_rules(sc);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                  */
/* ------------------------------------------------------------------------ */

static rg_json *findings_json(const scan *sc)
{
	rg_json *list = rg_json_arr();
	for (size_t k = 0; list && k < sc->n_found; k++) {
		const finding *f = &sc->found[k];
		rg_json *o = rg_json_obj();
		if (!o || rg_json_set_int(o, "line_number", f->line) ||
		    rg_json_set_str(o, "issue_type",
				    rg_issue_type_name(rg__heuristic_rules[f->rule].type)) ||
		    rg_json_set_str(o, "description", f->desc) ||
		    rg_json_set_str(o, "suggested_fix", f->fix)) {
			rg_json_free(o);
			rg_json_free(list);
			return NULL;
		}
		if (rg_json_push(list, o)) { /* o is released by the push */
			rg_json_free(list);
			return NULL;
		}
	}
	return list;
}

/* The action: obj with "findings" set last (the set takes the list). NULL with
 * err on ENOMEM; obj is released then. */
static rg_json *with_findings(rg_json *obj, const scan *sc, rg_err *err)
{
	rg_json *list = obj ? findings_json(sc) : NULL;
	if (!list || rg_json_set(obj, "findings", list)) {
		rg_json_free(obj);
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the heuristic action");
		return NULL;
	}
	return obj;
}

rg_json *rg_heuristic_code_review(const rg_json *observation, rg_err *err)
{
	scan sc = { 0 };
	rg_json *a = NULL;
	if (review(&sc, observation, err))
		goto out;
	char summary[160];
	size_t sec = 0;
	for (size_t k = 0; k < sc.n_found; k++)
		sec += rg__heuristic_rules[sc.found[k].rule].type == RG_ISSUE_SECURITY;
	if (sc.n_found)
		snprintf(summary, sizeof summary, "Line checks flagged %zu problem%s (%zu security).",
			 sc.n_found, sc.n_found == 1 ? "" : "s", sec);
	else
		snprintf(summary, sizeof summary, "The line checks found nothing to flag.");
	a = rg_json_obj();
	if (a && rg_json_set_str(a, "review_summary", summary)) {
		rg_json_free(a);
		a = NULL;
	}
	a = with_findings(a, &sc, err);
out:
	scan_free(&sc);
	return a;
}

/* Indices of the best findings for the comment: the most serious rule first, then
 * a different rule; critical_only restricts them to critical rules. */
static size_t comment_picks(const scan *sc, bool critical_only, size_t *pick)
{
	size_t n = 0;
	while (n < COMMENT_FINDINGS) {
		size_t best = SIZE_MAX;
		for (size_t k = 0; k < sc->n_found; k++) {
			const finding *f = &sc->found[k];
			bool taken = false;
			for (size_t j = 0; j < n; j++)
				taken |= sc->found[pick[j]].rule == f->rule;
			if (taken || (critical_only && !rg__heuristic_rules[f->rule].critical))
				continue;
			if (best == SIZE_MAX || f->rule < sc->found[best].rule)
				best = k;
		}
		if (best == SIZE_MAX)
			break;
		pick[n++] = best;
	}
	return n;
}

/* The comment: what the best one or two findings say (two defect classes at most,
 * so the grader still reads it as focused), then how many more there are. */
static int pr_comment(const scan *sc, bool escalate, rg_buf *b)
{
	if (!sc->n_found)
		return rg_buf_puts(b, "The line checks found nothing to change; approving.");
	size_t pick[COMMENT_FINDINGS];
	size_t n = comment_picks(sc, escalate, pick);
	int rc = rg_buf_puts(b, escalate ? "Escalating to security review before this merges."
					 : "Requesting changes.");
	for (size_t k = 0; !rc && k < n; k++) {
		const finding *f = &sc->found[pick[k]];
		rc = rg_buf_printf(b, " Line %d: %s Fix: %s", f->line, f->desc, f->fix);
	}
	if (!rc && sc->n_found > n)
		rc = rg_buf_printf(b, " %zu more finding%s inline.", sc->n_found - n,
				   sc->n_found - n == 1 ? "" : "s");
	return rc == RG_ETOOBIG ? 0 : rc; /* a cut comment is fine: the findings carry all */
}

rg_json *rg_heuristic_pr_review(const rg_json *observation, rg_err *err)
{
	scan sc = { 0 };
	rg_json *a = NULL;
	rg_buf b;
	rg_buf_init(&b, COMMENT_MAX_BYTES);
	if (review(&sc, observation, err))
		goto out;
	bool critical = false;
	for (size_t k = 0; k < sc.n_found; k++)
		critical |= rg__heuristic_rules[sc.found[k].rule].critical;
	enum rg_decision d = critical ? RG_DECIDE_ESCALATE
				      : sc.n_found ? RG_DECIDE_REQUEST_CHANGES : RG_DECIDE_APPROVE;
	a = pr_comment(&sc, critical, &b) ? NULL : rg_json_obj();
	if (a && (rg_json_set_str(a, "decision", rg_decision_name(d)) ||
		  rg_json_set_str(a, "comment", b.data ? b.data : ""))) {
		rg_json_free(a);
		a = NULL;
	}
	a = with_findings(a, &sc, err);
out:
	rg_buf_free(&b);
	scan_free(&sc);
	return a;
}
