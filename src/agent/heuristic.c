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

/* n cut to at most max bytes without splitting a UTF-8 character (the JSON
 * layer refuses invalid UTF-8). */
static size_t utf8_cut(const char *p, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max && ((unsigned char)p[max] & 0xC0) == 0x80)
		max--;
	return max;
}

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

bool rg__heuristic_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
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

bool rg__heuristic_has_any(const char *text, const char *const *words)
{
	for (; *words; words++)
		if (rg__heuristic_ci(text, *words))
			return true;
	return false;
}

const char *rg__heuristic_word(const char *hay, const char *word)
{
	size_t n = strlen(word);
	if (!n)
		return NULL;
	for (const char *p = strstr(hay, word); p; p = strstr(p + 1, word))
		if ((p == hay || !rg__heuristic_ident(p[-1])) && !rg__heuristic_ident(p[n]))
			return p;
	return NULL;
}

void rg__heuristic_snip(char *out, size_t cap, const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	n = utf8_cut(p, n, cap - 1);
	memcpy(out, p, n);
	out[n] = '\0';
}

void rg__heuristic_expr(char *out, size_t cap, const char *p, size_t n)
{
	const char *paren = memchr(p, '(', n);
	if (!paren) {
		rg__heuristic_snip(out, cap, p, n);
		return;
	}
	char head[RG__H_SNIP_BYTES];
	rg__heuristic_snip(head, sizeof head, p, (size_t)(paren - p));
	snprintf(out, cap, "%s(...)", head);
}

size_t rg__heuristic_call_arg(const char *mask, size_t open, int k, size_t *start)
{
	int depth = 0, at = 0;
	size_t from = open + 1;
	for (size_t p = open + 1;; p++) {
		char c = mask[p];
		bool close = c == ')' || c == ']' || c == '}';
		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == '\0' || (depth == 0 && (close || c == ','))) {
			if (at == k) {
				*start = from;
				return p - from;
			}
			if (c != ',')
				return 0;
			at++;
			from = p + 1;
		} else if (close) {
			depth--;
		}
	}
}

bool rg__heuristic_plain_literal(const char *mask, size_t p, size_t n)
{
	size_t e = p + n;
	while (p < e && mask[p] == ' ')
		p++;
	while (p < e && strchr("rRbBuU", mask[p]))
		p++;
	if (p >= e || (mask[p] != '"' && mask[p] != '\''))
		return false;
	const char *close = memchr(mask + p + 1, mask[p], e - p - 1);
	if (!close)
		return false;
	for (p = (size_t)(close - mask) + 1; p < e; p++)
		if (mask[p] != ' ' && mask[p] != *close)
			return false;
	return true;
}

const char *rg__heuristic_next_field(const rg__hline *l, const char *p, char *expr, bool *spec)
{
	for (; (p = strchr(p, '{')) != NULL; p++) {
		if (l->mask[p - l->code] != '~' || p[1] == '{') { /* code, or an escaped {{ */
			p += p[1] == '{';
			continue;
		}
		const char *e = p + 1;
		int depth = 0;
		size_t cut = 0;
		for (; *e && (depth || *e != '}'); e++) {
			if (*e == '[' || *e == '(')
				depth++;
			else if ((*e == ']' || *e == ')') && depth)
				depth--;
			else if (!depth && !cut && (*e == '!' || *e == ':') && e[1] != '=')
				cut = (size_t)(e - p - 1);
		}
		if (!*e)
			return NULL;
		*spec = cut && p[1 + cut] == ':';
		rg__heuristic_snip(expr, RG__H_SNIP_BYTES, p + 1, cut ? cut : (size_t)(e - p - 1));
		return e + 1;
	}
	return NULL;
}

size_t rg__heuristic_operand(const char *mask, size_t p, int dir, size_t *start)
{
	const char *set = "._[]()\"'~";
	size_t a, b;
	if (dir < 0) {
		for (b = p; b && mask[b - 1] == ' ';)
			b--;
		for (a = b; a && (rg__heuristic_ident(mask[a - 1]) || strchr(set, mask[a - 1]));)
			a--;
		while (a < b && mask[a] == '(')
			a++;
	} else {
		for (a = p + 2; mask[a] == ' ';)
			a++;
		for (b = a; mask[b] && (rg__heuristic_ident(mask[b]) || strchr(set, mask[b]));)
			b++;
		while (b > a && mask[b - 1] == ')' && !memchr(mask + a, '(', b - a))
			b--;
	}
	*start = a;
	return b - a;
}

/* Index just past the regex atom at re[k] (a class, an escape or one character);
 * k itself when the atom is a group. */
static size_t atom_end(const char *re, size_t k, size_t n)
{
	if (k >= n || re[k] == '(')
		return k;
	if (re[k] == '\\')
		return k + 2 <= n ? k + 2 : n;
	if (re[k] != '[')
		return k + 1;
	size_t j = k + 1;
	j += j < n && re[j] == '^';
	j += j < n && re[j] == ']';
	while (j < n && re[j] != ']')
		j += re[j] == '\\' ? 2 : 1;
	return j < n ? j + 1 : n;
}

/* True when every atom of re[k..end) is optional (? or *). */
static bool optional_rest(const char *re, size_t k, size_t end)
{
	while (k < end) {
		if (re[k] == '(' || re[k] == '|')
			return false;
		size_t e = atom_end(re, k, end);
		if (e >= end || (re[e] != '?' && re[e] != '*'))
			return false;
		k = e + 1 + (e + 1 < end && re[e + 1] == '?');
	}
	return true;
}

/* The shape looked for: a group repeated with + or * whose body is one repeated
 * atom followed only by optional ones, so a run of characters splits into
 * iterations in exponentially many ways. A group that starts with a mandatory
 * separator, (?:[-_][a-z]+)*, is unambiguous. */
bool rg__heuristic_catastrophic(const char *re, size_t n)
{
	size_t open[32], depth = 0;
	for (size_t k = 0; k < n; k++) {
		if (re[k] == '\\') {
			k++;
		} else if (re[k] == '[') {
			k = atom_end(re, k, n) - 1;
		} else if (re[k] == '(' && depth < 32) {
			open[depth++] = k + 1;
		} else if (re[k] == ')' && depth) {
			size_t c = open[--depth];
			if (k + 1 >= n || (re[k + 1] != '+' && re[k + 1] != '*'))
				continue;
			c += c + 1 < k && re[c] == '?' && re[c + 1] == ':' ? 2 : 0;
			size_t e = atom_end(re, c, k);
			if (e > c && e < k && (re[e] == '+' || re[e] == '*') &&
			    optional_rest(re, e + 1 + (e + 1 < k && re[e + 1] == '?'), k))
				return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Queries on the scanned code                                              */
/* ------------------------------------------------------------------------ */

bool rg__heuristic_re(const rg__hsrc *s, enum rg__hre id, const char *text, regmatch_t *m,
		      size_t nm)
{
	return regexec(&s->re[id], text, nm, m, 0) == 0;
}

void rg__heuristic_group(char *out, const char *text, const regmatch_t *m, size_t g)
{
	if (m[g].rm_so < 0) {
		out[0] = '\0';
		return;
	}
	rg__heuristic_snip(out, RG__H_SNIP_BYTES, text + m[g].rm_so,
			   (size_t)(m[g].rm_eo - m[g].rm_so));
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

/* The value assigned when code (a line) reads "root = value", else NULL. */
static const char *assigned_value(const char *code, const char *root)
{
	size_t n = strlen(root);
	code += strspn(code, " \t");
	if (strncmp(code, root, n) || rg__heuristic_ident(code[n]))
		return NULL;
	code += n + strspn(code + n, " ");
	return code[0] == '=' && code[1] != '=' ? code + 1 : NULL;
}

bool rg__heuristic_assigned_with(const rg__hsrc *s, size_t i, const char *name,
				 const char *needle)
{
	for (size_t j = s->lines[i].fn_first; j <= s->lines[i].fn_last; j++) {
		const char *v = assigned_value(s->lines[j].code, name);
		if (v && strstr(v, needle))
			return true;
	}
	return false;
}

/* The parameters of line i's function (self and cls left out) into names; how
 * many. A signature may span lines; defaults and annotations are skipped. */
static size_t params(const rg__hsrc *s, size_t i, char names[][RG__H_SNIP_BYTES], size_t cap)
{
	size_t n = 0;
	int depth = 0;
	bool item = false; /* at the start of a parameter */
	if (s->lines[i].fn < 0)
		return 0;
	for (size_t j = (size_t)s->lines[i].fn; j < s->n && s->lines[j].in_sig; j++) {
		for (const char *p = s->lines[j].mask; *p; p++) {
			if (*p == '(' || *p == '[' || *p == '{') {
				item = ++depth == 1;
			} else if (*p == ')' || *p == ']' || *p == '}') {
				if (--depth == 0)
					return n;
			} else if (depth == 1 && *p == ',') {
				item = true;
			} else if (depth == 1 && item && !strchr(" */", *p)) {
				item = false;
				const char *e = p;
				while (rg__heuristic_ident(*e))
					e++;
				if (e == p || n == cap)
					continue;
				rg__heuristic_snip(names[n], RG__H_SNIP_BYTES, p, (size_t)(e - p));
				n += strcmp(names[n], "self") && strcmp(names[n], "cls");
				p = e - 1;
			}
		}
	}
	return n;
}

bool rg__heuristic_tainted(const rg__hsrc *s, size_t i, const char *name)
{
	char root[RG__H_SNIP_BYTES], ps[16][RG__H_SNIP_BYTES], probe[RG__H_SNIP_BYTES + 8];
	rg__heuristic_snip(root, sizeof root, name, strcspn(name, ".[("));
	size_t np = params(s, i, ps, 16);
	for (size_t k = 0; k < np; k++)
		if (!strcmp(ps[k], root))
			return true;
	snprintf(probe, sizeof probe, "for %s in ", root);
	if (rg__heuristic_fn_has(s, i, probe, 0))
		return true;
	for (size_t j = s->lines[i].fn_first; j <= s->lines[i].fn_last; j++) {
		const char *v = assigned_value(s->lines[j].code, root);
		if (!v)
			continue;
		if (strchr(v, '[') || strstr(v, ".get(") || strstr(v, "request"))
			return true;
		for (size_t k = 0; k < np; k++)
			if (rg__heuristic_word(v, ps[k]))
				return true;
	}
	return false;
}

const char *rg__heuristic_def_text(const rg__hsrc *s, size_t i)
{
	return s->lines[i].fn < 0 ? "" : s->lines[s->lines[i].fn].text;
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
			size_t n = utf8_cut(a, strlen(a), cap - 1 - o);
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
