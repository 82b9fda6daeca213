/*
 * heuristic_security.c - the heuristic reviewer's security rules: critical
 * classes (hard-coded secrets, unsafe deserialization, code and command
 * injection), injection and exposure (SQL, paths, HTML, URLs, tracebacks), and
 * secrets and randomness (timing, weak hashes, predictable tokens, ReDoS).
 *
 * Each predicate looks at one line of the scan and its function, as described in
 * heuristic_rules.c, which holds the patterns, the bug rules and the table that
 * names these predicates. Pure: no allocation, no I/O, no state between calls.
 */
#include "agent/heuristic_int.h"

#include <stdio.h>
#include <string.h>

#include "bank/task.h"

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The leading identifier (with dots) of expr into out (RG__H_SNIP_BYTES). */
static void root_name(const char *expr, char *out)
{
	size_t n = 0;
	while (expr[n] && (rg__heuristic_ident(expr[n]) || expr[n] == '.'))
		n++;
	rg__heuristic_snip(out, RG__H_SNIP_BYTES, expr, n);
}

/* Quote argument k of the call whose '(' ends match m[0] into out; its length. */
static size_t quote_arg(const rg__hline *l, const regmatch_t *m, int k, char *out, size_t *at)
{
	size_t n = rg__heuristic_call_arg(l->mask, (size_t)m[0].rm_eo - 1, k, at);
	rg__heuristic_expr(out, RG__H_SNIP_BYTES, l->code + *at, n);
	return n;
}

/* ------------------------------------------------------------------------ */
/* Critical security rules                                                  */
/* ------------------------------------------------------------------------ */

static const char *const secret_words[] = {
	"secret", "password", "passwd", "pwd", "token", "api_key", "apikey", "private_key",
	"signing_key", "access_key", "auth_key", "credential", NULL
};
/* A name with one of these parts holds metadata about a secret, not the secret. */
static const char *const secret_meta[] = {
	"env", "var", "name", "header", "field", "param", "url", "uri", "path", "file", "prefix",
	"suffix", "alphabet", "chars", "charset", "length", "len", "type", "cookie", "label",
	"pattern", "regex", "format", "fmt", "column", "attr", "endpoint", "hint", "msg", "message",
	"prompt", "placeholder", "policy", "min", "max", "ttl", "timeout", "expiry", "scheme",
	"kind", "mode", "algorithm", "alg", "query", "template", "error", "id", NULL
};

static bool secret_name(const char *name)
{
	if (!rg__heuristic_has_any(name, secret_words))
		return false;
	char part[RG__H_SNIP_BYTES];
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "_.");
		rg__heuristic_snip(part, sizeof part, p, n);
		for (char *c = part; *c; c++)
			*c = lower(*c);
		for (size_t k = 0; secret_meta[k]; k++)
			if (!strcmp(part, secret_meta[k]))
				return false;
		p += n + (p[n] != '\0');
	}
	return true;
}

/* A literal that looks like a real credential: six characters or more, one word,
 * and not an environment variable's name or a template. */
static bool secret_value(const char *lit, size_t n)
{
	while (n && strchr("rRbBuU", *lit))
		lit++, n--;
	if (n < 2 + 6)
		return false;
	lit++, n -= 2;
	bool env_name = true;
	for (size_t k = 0; k < n; k++) {
		if (lit[k] == ' ' || lit[k] == '\t')
			return false;
		env_name &= upper(lit[k]) == lit[k] && (rg__heuristic_ident(lit[k]));
	}
	return !env_name && !strchr("<$%{/", lit[0]);
}

bool rg__hr_hardcoded_secret(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	static const enum rg__hre res[] = { RE_SECRET_KWARG, RE_SECRET_DICT };
	for (size_t r = 0; r < 2; r++) {
		size_t name_g = res[r] == RE_SECRET_KWARG ? 2 : 1, lit_g = name_g + 1;
		regmatch_t m[4];
		for (const char *p = LINE(s, i)->code; rg__heuristic_re(s, res[r], p, m, 4);
		     p += m[0].rm_eo) {
			rg__heuristic_group(ARG(args, 0), p, m, name_g);
			if (!secret_name(ARG(args, 0)) ||
			    !secret_value(p + m[lit_g].rm_so, (size_t)(m[lit_g].rm_eo - m[lit_g].rm_so)))
				continue;
			char *env = ARG(args, 1);
			for (const char *c = ARG(args, 0) + strspn(ARG(args, 0), "_"); *c; c++)
				*env++ = upper(*c);
			return true;
		}
	}
	return false;
}

bool rg__hr_pickle(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[3];
	if (!rg__heuristic_re(s, RE_DESER, l->mask, m, 3))
		return false;
	rg__heuristic_snip(ARG(args, 0), RG__H_SNIP_BYTES, l->code + m[2].rm_so,
			   (size_t)(m[0].rm_eo - 1 - m[2].rm_so));
	size_t at;
	if (!quote_arg(l, m, 0, ARG(args, 1), &at))
		ARG_SET(args, 1, "its input");
	return true;
}

bool rg__hr_unsafe_yaml(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[3];
	if (!rg__heuristic_re(s, RE_YAML, l->mask, m, 3))
		return false;
	if (!strncmp(l->mask + m[2].rm_so, "load", 4) &&
	    (rg__heuristic_stmt_has(s, i, "SafeLoader") || rg__heuristic_stmt_has(s, i, "BaseLoader")))
		return false;
	rg__heuristic_group(ARG(args, 0), l->code, m, 2);
	return true;
}

bool rg__hr_code_injection(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[3];
	size_t at;
	if (l->in_sig || !rg__heuristic_re(s, RE_EVAL, l->mask, m, 3))
		return false;
	size_t n = quote_arg(l, m, 0, ARG(args, 1), &at);
	if (!n || rg__heuristic_plain_literal(l->mask, at, n))
		return false;
	rg__heuristic_group(ARG(args, 0), l->code, m, 2);
	return true;
}

bool rg__hr_command_injection(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[3];
	bool shell = rg__heuristic_re(s, RE_SHELL_CALL, l->mask, m, 3);
	if (!shell && !(rg__heuristic_re(s, RE_SUBPROCESS, l->mask, m, 3) &&
			(rg__heuristic_stmt_has(s, i, "shell=True") ||
			 rg__heuristic_stmt_has(s, i, "shell = True"))))
		return false;
	size_t at, n = quote_arg(l, m, 0, ARG(args, 1), &at);
	if (n && rg__heuristic_plain_literal(l->mask, at, n))
		return false;
	char call[RG__H_SNIP_BYTES];
	rg__heuristic_snip(call, sizeof call, l->code + m[1].rm_eo,
			   (size_t)(m[0].rm_eo - 1 - m[1].rm_eo));
	ARG_SET(args, 0, "%s%s", call, shell ? "()" : "(..., shell=True)");
	if (!n)
		ARG_SET(args, 1, "its argument");
	return true;
}

/* ------------------------------------------------------------------------ */
/* Injection and exposure                                                   */
/* ------------------------------------------------------------------------ */

/* An f-string value counts as checked when the function tests it against an
 * allow-list, converts it to a number, or builds it from placeholders. */
static bool checked_value(const rg__hsrc *s, size_t i, const char *expr)
{
	if (!strncmp(expr, "int(", 4) || !strncmp(expr, "float(", 6))
		return true;
	char name[RG__H_SNIP_BYTES], probe[RG__H_SNIP_BYTES + 16];
	root_name(expr, name);
	if (!name[0] || strcmp(name, expr))
		return false;
	static const char *const tests[][2] = { { "", " not in " }, { "if ", " in " } };
	for (size_t k = 0; k < 2; k++) {
		snprintf(probe, sizeof probe, "%s%s%s", tests[k][0], name, tests[k][1]);
		if (rg__heuristic_fn_has(s, i, probe, 0))
			return true;
	}
	static const char *const safe[] = { "int(", "\"?", "'?", "%s", NULL };
	for (size_t k = 0; safe[k]; k++)
		if (rg__heuristic_assigned_with(s, i, name, safe[k]))
			return true;
	return false;
}

/* True when the SQL on line i reaches execute(): on the same statement, or through
 * the name it is assigned to. */
static bool reaches_execute(const rg__hsrc *s, size_t i)
{
	static const char *const sinks[] = { "execute(", "executemany(", "executescript(",
					     "read_sql(", ".raw(", NULL };
	for (size_t k = 0; sinks[k]; k++)
		if (rg__heuristic_stmt_has(s, i, sinks[k]))
			return true;
	const char *c = LINE(s, i)->code + strspn(LINE(s, i)->code, " \t");
	size_t n = 0;
	while (rg__heuristic_ident(c[n]))
		n++;
	const char *eq = c + n + strspn(c + n, " +");
	if (!n || eq[0] != '=' || eq[1] == '=')
		return false;
	char name[RG__H_SNIP_BYTES];
	rg__heuristic_snip(name, sizeof name, c, n);
	for (size_t j = i + 1; j <= LINE(s, i)->fn_last; j++)
		if (strstr(LINE(s, j)->code, "execute(") && rg__heuristic_word(LINE(s, j)->code, name))
			return true;
	return false;
}

bool rg__hr_sql_injection(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	if (!rg__heuristic_re(s, RE_SQL_KEYWORD, l->code, NULL, 0))
		return false;
	const char *how = NULL;
	if (rg__heuristic_re(s, RE_FSTRING, l->mask, NULL, 0)) {
		char expr[RG__H_SNIP_BYTES], names[RG__H_SNIP_BYTES] = "";
		bool spec;
		int n = 0;
		for (const char *p = l->code; (p = rg__heuristic_next_field(l, p, expr, &spec));) {
			if (checked_value(s, i, expr))
				continue;
			if (n++ < 2) /* two names fit; a third would only lengthen the text */
				snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
					 n > 1 ? " and " : "", expr);
			how = "an f-string";
		}
		ARG_SET(args, 1, "%s", names);
	} else if (rg__heuristic_re(s, RE_CONCAT, l->mask, NULL, 0)) {
		how = "string concatenation";
	} else if (rg__heuristic_re(s, RE_PERCENT, l->mask, NULL, 0)) {
		how = "%-formatting";
	} else if (rg__heuristic_re(s, RE_FORMAT, l->mask, NULL, 0)) {
		how = "str.format()";
	}
	if (!how || !reaches_execute(s, i))
		return false;
	ARG_SET(args, 0, "%s", how);
	if (!ARG(args, 1)[0])
		ARG_SET(args, 1, "caller input");
	return true;
}

bool rg__hr_path_traversal(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[2];
	if (!rg__heuristic_re(s, RE_PATH_JOIN, l->mask, m, 2))
		return false;
	static const char *const guards[] = { "realpath", "commonpath", "is_relative_to",
					      "secure_filename", "basename", ".resolve(", "os.walk",
					      "listdir", "scandir", "glob", NULL };
	for (size_t k = 0; guards[k]; k++)
		if (rg__heuristic_fn_has(s, i, guards[k], 0))
			return false;
	if ((rg__heuristic_fn_has(s, i, "abspath", 0) || rg__heuristic_fn_has(s, i, "normpath", 0)) &&
	    rg__heuristic_fn_has(s, i, "startswith", 0))
		return false;
	for (int k = 1; k < 8; k++) {
		size_t at, n = quote_arg(l, m, k, ARG(args, 0), &at);
		if (!n)
			return false;
		const char *arg = ARG(args, 0);
		if (rg__heuristic_plain_literal(l->mask, at, n) || !rg__heuristic_ident(arg[0]))
			continue;
		if (rg__heuristic_tainted(s, i, arg) || rg__heuristic_ci(arg, "filename") ||
		    rg__heuristic_ci(arg, "upload"))
			return true;
	}
	return false;
}

bool rg__hr_xss(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	const char *tag = strchr(l->code, '<');
	while (tag && !((tag[1] >= 'a' && tag[1] <= 'z') || tag[1] == '/'))
		tag = strchr(tag + 1, '<');
	if (!tag || !rg__heuristic_re(s, RE_FSTRING, l->mask, NULL, 0))
		return false;
	static const char *const safe[] = { "escape(", "int(", "float(", "len(", NULL };
	char name[RG__H_SNIP_BYTES];
	bool spec;
	for (const char *p = l->code; (p = rg__heuristic_next_field(l, p, ARG(args, 0), &spec));) {
		root_name(ARG(args, 0), name);
		bool escaped = spec || !name[0] || strchr(ARG(args, 0), '(');
		for (size_t k = 0; safe[k] && !escaped; k++)
			escaped = rg__heuristic_assigned_with(s, i, name, safe[k]);
		if (!escaped && rg__heuristic_tainted(s, i, name))
			return true;
	}
	return false;
}

bool rg__hr_ssrf(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[2];
	size_t at;
	if (!rg__heuristic_re(s, RE_HTTP_GET, l->mask, m, 2))
		return false;
	const char *arg = ARG(args, 0);
	quote_arg(l, m, 0, ARG(args, 0), &at);
	bool name = arg[0] && !(arg[0] >= 'A' && arg[0] <= 'Z');
	for (const char *c = arg; *c; c++)
		name &= rg__heuristic_ident(*c) || *c == '.';
	if (!name || !rg__heuristic_tainted(s, i, arg))
		return false;
	static const char *const guards[] = { "urlparse", "urlsplit", "hostname", "netloc",
					      "allow", "ALLOW", "whitelist", "is_safe", NULL };
	for (size_t k = 0; guards[k]; k++)
		if (rg__heuristic_fn_has(s, i, guards[k], 0))
			return false;
	return true;
}

bool rg__hr_info_leak(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	static const char *const out[] = { "jsonify(", "Response(", "make_response(", ".write(",
					   "send(", "abort(", NULL };
	(void)args;
	return rg__heuristic_re(s, RE_TRACEBACK, l->mask, NULL, 0) &&
	       (!strncmp(l->code + strspn(l->code, " \t"), "return", 6) || rg__heuristic_has_any(l->code, out));
}

/* ------------------------------------------------------------------------ */
/* Secrets and randomness                                                   */
/* ------------------------------------------------------------------------ */

/* A literal (a tuple or list too), a length, None, or not one expression: nothing
 * secret to compare on that side. */
static bool plain_operand(const char *op, size_t n)
{
	size_t k = strspn(op, "rRbBuUfF");
	static const char *const words[] = { "None", "True", "False", NULL };
	for (size_t w = 0; words[w]; w++)
		if (n == strlen(words[w]) && !strncmp(op, words[w], n))
			return true;
	int parens = 0;
	for (size_t c = 0; c < n; c++)
		parens += (op[c] == '(') - (op[c] == ')');
	return !n || parens || strchr("([{-", op[0]) || (k < n && (op[k] == '"' || op[k] == '\'')) ||
	       (op[0] >= '0' && op[0] <= '9') || !strncmp(op, "len(", 4);
}

/* Class.MEMBER: an enum or a module constant, not a secret. */
static bool constant_operand(const char *op, size_t n)
{
	const char *dot = NULL;
	for (const char *c = op; c < op + n; c++)
		dot = *c == '.' ? c : dot;
	if (!dot || dot + 1 >= op + n)
		return false;
	for (const char *c = dot + 1; c < op + n; c++)
		if (upper(*c) != *c || !rg__heuristic_ident(*c))
			return false;
	return true;
}

/* A name part that says signature, digest, MAC, hash or token ("sig" alone is as
 * often a file format's magic number). */
static bool sensitive_operand(const char *op, size_t n)
{
	char part[RG__H_SNIP_BYTES];
	for (size_t k = 0; k < n;) {
		if (op[k] == '[') { /* an index says which field, not what it holds */
			const char *close = memchr(op + k, ']', n - k);
			k = close ? (size_t)(close - op) + 1 : n;
			continue;
		}
		size_t w = 0;
		while (k + w < n && rg__heuristic_ident(op[k + w]) && op[k + w] != '_')
			w++;
		rg__heuristic_snip(part, sizeof part, op + k, w);
		for (char *c = part; *c; c++)
			*c = lower(*c);
		if (!strcmp(part, "mac") || !strcmp(part, "hash") ||
		    !strcmp(part, "hashed") || strstr(part, "signature") || strstr(part, "digest") ||
		    strstr(part, "hmac") || !strncmp(part, "token", 5))
			return true;
		k += w ? w : 1;
	}
	return false;
}

bool rg__hr_timing_attack(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	const char *m = l->mask;
	if (!strncmp(m + strspn(m, " \t"), "assert", 6))
		return false;
	int hashing = -1; /* does the function compute a MAC? asked once, when needed */
	for (const char *p = m; (p = strpbrk(p, "=!")) != NULL; p++) {
		size_t at = (size_t)(p - m), la, ra;
		if (p[1] != '=' || (at && strchr("=!<>", m[at - 1])) || p[2] == '=')
			continue;
		size_t ln = rg__heuristic_operand(m, at, -1, &la), rn = rg__heuristic_operand(m, at, 1, &ra);
		p++;
		if (plain_operand(m + la, ln) || plain_operand(m + ra, rn) ||
		    constant_operand(m + la, ln) || constant_operand(m + ra, rn))
			continue;
		if (!sensitive_operand(m + la, ln) && !sensitive_operand(m + ra, rn)) {
			if (hashing < 0)
				hashing = l->fn >= 0 && (rg__heuristic_fn_has(s, i, "hmac.new(", 0) ||
							 rg__heuristic_fn_has(s, i, "digest()", 0));
			if (!hashing)
				continue;
		}
		rg__heuristic_expr(ARG(args, 0), RG__H_SNIP_BYTES, l->code + la, ln);
		rg__heuristic_expr(ARG(args, 1), RG__H_SNIP_BYTES, l->code + ra, rn);
		ARG_SET(args, 2, "%c=", p[-1]);
		ARG_SET(args, 3, "%s", p[-1] == '!' ? "not " : "");
		return true;
	}
	return false;
}

bool rg__hr_weak_hash(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	static const char *const pw[] = { "passw", "pwd", "passphrase", NULL };
	regmatch_t m[1];
	if (!rg__heuristic_re(s, RE_WEAK_HASH, l->code, m, 1) ||
	    !(rg__heuristic_has_any(l->code, pw) || rg__heuristic_has_any(rg__heuristic_def_text(s, i), pw)))
		return false;
	rg__heuristic_group(ARG(args, 0), l->code, m, 0);
	ARG_SET(args, 0, "%s", rg__heuristic_ci(ARG(args, 0), "md5") ? "MD5" : "SHA-1");
	return true;
}

bool rg__hr_insecure_random(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	static const char *const what[] = { "token", "password", "passwd", "secret", "salt",
					    "nonce", "otp", "csrf", "session", "api_key", "reset",
					    "verification", NULL };
	regmatch_t m[3];
	if (!rg__heuristic_re(s, RE_RANDOM, l->mask, m, 3))
		return false;
	const char *def = rg__heuristic_def_text(s, i);
	size_t k = 0;
	while (what[k] && !rg__heuristic_ci(l->code, what[k]) && !rg__heuristic_ci(def, what[k]))
		k++;
	if (!what[k])
		return false;
	rg__heuristic_group(ARG(args, 0), l->code, m, 2);
	ARG_SET(args, 1, "%s", what[k]);
	return true;
}

bool rg__hr_redos(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[1];
	(void)args;
	if (!rg__heuristic_re(s, RE_REGEX_CALL, l->mask, m, 1))
		return false;
	size_t at, n = rg__heuristic_call_arg(l->mask, (size_t)m[0].rm_eo - 1, 0, &at);
	const char *p = l->mask + at, *e = p + n;
	p += strspn(p, " rRbBuU");
	if (p >= e || (*p != '"' && *p != '\''))
		return false;
	const char *close = memchr(p + 1, *p, (size_t)(e - p - 1));
	size_t from = (size_t)(p - l->mask) + 1;
	return close && rg__heuristic_catastrophic(l->code + from, (size_t)(close - l->mask) - from);
}
