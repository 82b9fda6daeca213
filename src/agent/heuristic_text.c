/*
 * heuristic_text.c - the text helpers and code queries the heuristic's rules use
 * (declared in heuristic_int.h): identifier and case-insensitive word search,
 * bounded snippets, call arguments and operands on the masked code, a
 * catastrophic-backtracking check for regex literals, and per-function queries
 * over the scanned lines (does the function guard, escape, check, ...?).
 *
 * Split from heuristic.c, which scans the code and builds the action; all of it
 * reads the scan and nothing else, so it stays pure and thread-safe.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent/heuristic_int.h"

/* ------------------------------------------------------------------------ */
/* Text helpers shared with the rules                                       */
/* ------------------------------------------------------------------------ */

/* n cut to at most max bytes without splitting a UTF-8 character (the JSON
 * layer refuses invalid UTF-8). */
size_t rg__heuristic_utf8_cut(const char *p, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max && ((unsigned char)p[max] & 0xC0) == 0x80)
		max--;
	return max;
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
	n = rg__heuristic_utf8_cut(p, n, cap - 1);
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

