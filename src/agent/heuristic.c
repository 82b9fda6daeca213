/*
 * heuristic.c - the heuristic policy (see heuristic.h): scanning the code, running
 * the rules of heuristic_rules.c, and turning their findings into an action.
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

/* Code past this many bytes is not reviewed (the bank's own files are 64 KiB). */
#define SCAN_MAX_BYTES (4 * RG_MAX_CODE_BYTES)
/* Nesting of def blocks tracked; deeper defs count as their parent's body. */
#define SCAN_MAX_DEPTH 64
/* Findings quoted in a pr_review comment (two classes at most keep it focused). */
#define COMMENT_FINDINGS 2
#define COMMENT_MAX_BYTES (8 * 1024)

typedef struct finding {
	int line;
	size_t rule;
	rg__hhit hit;
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
/* Helpers shared with the rules                                            */
/* ------------------------------------------------------------------------ */

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool rg__heuristic_re(const rg__hsrc *s, enum rg__hre id, const char *text, regmatch_t *m,
		      size_t nm)
{
	return regexec(&s->re[id], text, nm, m, 0) == 0;
}

const char *rg__heuristic_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t k = 0;
		while (k < n && hay[k] && lower(hay[k]) == lower(needle[k]))
			k++;
		if (k == n)
			return hay;
	}
	return n ? NULL : hay;
}

const char *rg__heuristic_word(const char *hay, const char *word)
{
	size_t n = strlen(word);
	if (!n)
		return NULL;
	for (const char *p = strstr(hay, word); p; p = strstr(p + 1, word))
		if ((p == hay || !is_ident(p[-1])) && !is_ident(p[n]))
			return p;
	return NULL;
}

bool rg__heuristic_fn_has(const rg__hsrc *s, size_t i, const char *needle, int flags)
{
	const rg__hline *l = &s->lines[i];
	size_t last = (flags & RG__H_UPTO) ? i : l->fn_last;
	for (size_t j = l->fn_first; j <= last && j < s->n; j++) {
		const char *t = (flags & RG__H_DOCS) ? s->lines[j].text : s->lines[j].code;
		if ((flags & RG__H_CI) ? rg__heuristic_ci(t, needle) != NULL : strstr(t, needle) != NULL)
			return true;
	}
	return false;
}

bool rg__heuristic_stmt_has(const rg__hsrc *s, size_t i, const char *needle)
{
	for (size_t j = i; j < s->n; j++) {
		if (j > i && !s->lines[j].cont)
			break;
		if (strstr(s->lines[j].code, needle))
			return true;
	}
	return false;
}

size_t rg__heuristic_block_end(const rg__hsrc *s, size_t i)
{
	size_t end = i;
	for (size_t j = i + 1; j < s->n; j++) {
		if (!s->lines[j].is_code)
			continue;
		if (!s->lines[j].cont && s->lines[j].indent <= s->lines[i].indent)
			break;
		end = j;
	}
	return end;
}

void rg__heuristic_snip(char *out, size_t cap, const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
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

/* Scan code and run every rule; 0, RG_ENOMEM or RG_EINTERNAL (a pattern did not compile). */
static int review(scan *sc, const char *code, size_t len, rg_err *err)
{
	for (; sc->n_re < RG__HRE__COUNT; sc->n_re++) {
		int rc = regcomp(&sc->re[sc->n_re], rg__heuristic_patterns[sc->n_re].re,
				 REG_EXTENDED | rg__heuristic_patterns[sc->n_re].flags);
		if (rc)
			return rg_err_set(err, rc == REG_ESPACE ? RG_ENOMEM : RG_EINTERNAL, NULL, NULL,
					  "heuristic pattern %zu does not compile (regcomp %d)", sc->n_re, rc);
	}
	sc->found = rg_calloc(RG_HEURISTIC_MAX_FINDINGS, sizeof *sc->found);
	if (!sc->found || scan_lines(sc, code, len > SCAN_MAX_BYTES ? SCAN_MAX_BYTES : len))
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory scanning the code");
	rg__hsrc src = { sc->lines, sc->n, sc->re };
	int last_fn[RG__H_MAX_RULES];
	for (size_t r = 0; r < rg__heuristic_n_rules && r < RG__H_MAX_RULES; r++)
		last_fn[r] = INT_MIN;
	for (size_t i = 0; i < sc->n && sc->n_found < RG_HEURISTIC_MAX_FINDINGS; i++) {
		if (!sc->lines[i].is_code)
			continue;
		for (size_t r = 0; r < rg__heuristic_n_rules && r < RG__H_MAX_RULES; r++) {
			const rg__hrule *rule = &rg__heuristic_rules[r];
			if (rule->once_per_fn && last_fn[r] == sc->lines[i].fn)
				continue;
			finding *f = &sc->found[sc->n_found];
			if (!rule->fn(&src, i, &f->hit))
				continue;
			f->line = (int)i + 1;
			f->rule = r;
			last_fn[r] = sc->lines[i].fn;
			if (++sc->n_found == RG_HEURISTIC_MAX_FINDINGS)
				break;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                  */
/* ------------------------------------------------------------------------ */

static const char *code_of(const rg_json *obs, rg_err *err, size_t *len)
{
	const rg_json *v = rg_json_is_obj(obs) ? rg_json_get(obs, "code_to_review") : NULL;
	if (!v) {
		rg_err_set(err, RG_EINVAL, "code_to_review", "missing",
			   "the observation has no code to review");
		return NULL;
	}
	if (!rg_json_is_str(v)) {
		rg_err_set(err, RG_EINVAL, "code_to_review", "string_type",
			   "expected a string, got %s", rg_json_type_name(v));
		return NULL;
	}
	*len = rg_json_str_len(v);
	return rg_json_str_val(v);
}

static rg_json *findings_json(const scan *sc)
{
	rg_json *list = rg_json_arr();
	for (size_t k = 0; list && k < sc->n_found; k++) {
		const finding *f = &sc->found[k];
		rg_json *o = rg_json_obj();
		if (!o || rg_json_set_int(o, "line_number", f->line) ||
		    rg_json_set_str(o, "issue_type",
				    rg_issue_type_name(rg__heuristic_rules[f->rule].type)) ||
		    rg_json_set_str(o, "description", f->hit.desc) ||
		    rg_json_set_str(o, "suggested_fix", f->hit.fix)) {
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

rg_json *rg_heuristic_code_review(const rg_json *observation, rg_err *err)
{
	size_t len;
	const char *code = code_of(observation, err, &len);
	if (!code)
		return NULL;
	scan sc = { 0 };
	rg_json *a = NULL;
	if (review(&sc, code, len, err))
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
	rg_json *list = a ? findings_json(&sc) : NULL;
	if (!list || rg_json_set(a, "findings", list) ||
	    rg_json_set_str(a, "review_summary", summary)) {
		rg_json_free(a);
		a = NULL;
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the heuristic action");
	}
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
		rc = rg_buf_printf(b, " Line %d: %s Fix: %s", f->line, f->hit.desc, f->hit.fix);
	}
	if (!rc && sc->n_found > n)
		rc = rg_buf_printf(b, " %zu more finding%s inline.", sc->n_found - n,
				   sc->n_found - n == 1 ? "" : "s");
	return rc;
}

rg_json *rg_heuristic_pr_review(const rg_json *observation, rg_err *err)
{
	size_t len;
	const char *code = code_of(observation, err, &len);
	if (!code)
		return NULL;
	scan sc = { 0 };
	rg_json *a = NULL;
	rg_buf b;
	rg_buf_init(&b, COMMENT_MAX_BYTES);
	if (review(&sc, code, len, err))
		goto out;
	bool critical = false;
	for (size_t k = 0; k < sc.n_found; k++)
		critical |= rg__heuristic_rules[sc.found[k].rule].critical;
	enum rg_decision d = critical ? RG_DECIDE_ESCALATE
				      : sc.n_found ? RG_DECIDE_REQUEST_CHANGES : RG_DECIDE_APPROVE;
	int rc = pr_comment(&sc, critical, &b);
	if (rc == RG_ETOOBIG) /* the findings still carry everything */
		rc = 0;
	a = rc ? NULL : rg_json_obj();
	rg_json *list = a ? findings_json(&sc) : NULL;
	if (!list || rg_json_set_str(a, "decision", rg_decision_name(d)) ||
	    rg_json_set_str(a, "comment", b.data ? b.data : "")) {
		rg_json_free(list);
		list = NULL;
	}
	if (!list || rg_json_set(a, "findings", list)) { /* the set takes list */
		rg_json_free(a);
		a = NULL;
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the heuristic action");
	}
out:
	rg_buf_free(&b);
	scan_free(&sc);
	return a;
}
