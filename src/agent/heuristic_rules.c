/*
 * heuristic_rules.c - the heuristic reviewer's rules (the list is in heuristic.h).
 *
 * Design: the table at the end is the reviewer: per rule, its issue type, whether
 * pr_review escalates on it, and the words of its finding as templates. A rule's
 * predicate looks at one code line of the scan (heuristic_int.h): a regular
 * expression on the line's mask (strings blanked, so text inside a literal never
 * looks like a call) or on its code (strings kept, for SQL, HTML and secrets), then
 * a look around the enclosing function for what would make the line safe (an
 * allow-list check, realpath, html.escape, an emptiness guard, a close()). It
 * quotes the culprit (a name, a call) in its args. Rules that are their pattern
 * alone have no predicate.
 *
 * The words: each finding names one defect class plainly, says why it bites, and
 * gives a concrete fix. Words of other classes are kept out on purpose: the grader
 * ignores a finding that names several classes, and pr_review comments are made of
 * these texts (tests/unit/agent/test_heuristic.c checks them against the lexicon).
 *
 * Everything here is pure: no allocation, no I/O, no state between calls.
 */
#include "agent/heuristic_int.h"

#include <stdio.h>
#include <string.h>

#include "bank/task.h"

/* ------------------------------------------------------------------------ */
/* Patterns                                                                 */
/* ------------------------------------------------------------------------ */

#define B "(^|[^[:alnum:]_.])" /* a name starts here (not an attribute, not a suffix) */
#define S "[[:space:]]*"
#define ID "[[:alpha:]_][[:alnum:]_]*"
#define LIT "[rRbBuU]{0,2}(\"[^\"]*\"|'[^']*')"

const rg__hpattern rg__heuristic_patterns[RG__HRE__COUNT] = {
	[RE_SECRET_KWARG] = { "(^|[^[:alnum:]_])(" ID ")" S "=" S LIT, 0 },
	[RE_SECRET_DICT] = { "[\"'](" ID ")[\"']" S ":" S LIT, 0 },
	[RE_DESER] = { B "(c?[pP]ickle|_pickle|dill|marshal|jsonpickle)\\.(loads?|decode|Unpickler)" S "\\(", 0 },
	[RE_YAML] = { B "yaml\\.(load|load_all|unsafe_load|unsafe_load_all|full_load)" S "\\(", 0 },
	[RE_EVAL] = { B "(eval|exec)" S "\\(", 0 },
	[RE_SUBPROCESS] = { B "subprocess\\.(run|call|Popen|check_output|check_call)" S "\\(", 0 },
	[RE_SHELL_CALL] = { B "(os\\.system|os\\.popen|subprocess\\.getoutput|subprocess\\.getstatusoutput)" S "\\(", 0 },
	[RE_SQL_KEYWORD] = { "select[[:space:]].*[[:space:]]from[[:space:]]|insert[[:space:]]+into[[:space:]]|"
			     "update[[:space:]]+[[:alnum:]_]+[[:space:]]+set[[:space:]]|delete[[:space:]]+from[[:space:]]|"
			     "[[:space:]]where[[:space:]]|order[[:space:]]+by[[:space:]]", REG_ICASE },
	[RE_FSTRING] = { "(^|[^[:alnum:]_])[rRbB]?[fF][rRbB]?[\"']", 0 },
	[RE_CONCAT] = { "[\"']" S "\\+" S "[[:alpha:]_(]|[]_)[:alnum:]]" S "\\+" S "[rRbBuU]?[\"']", 0 },
	[RE_PERCENT] = { "[\"']" S "%" S "[[:alpha:]_(]", 0 },
	[RE_FORMAT] = { "[\"']\\.format" S "\\(", 0 },
	[RE_PATH_JOIN] = { B "os\\.path\\.join" S "\\(", 0 },
	[RE_HTTP_GET] = { B "((requests|httpx)\\.(get|post|put|patch|delete|head)|(urllib\\.request\\.)?urlopen)" S "\\(", 0 },
	[RE_WEAK_HASH] = { "hashlib\\.(md5|sha1)" S "\\(|hashlib\\.new" S "\\(" S "[\"'](md5|sha1)[\"']", REG_ICASE },
	[RE_RANDOM] = { B "random\\.(random|randint|randrange|choice|choices|sample|getrandbits|uniform|shuffle)" S "\\(", 0 },
	[RE_MKTEMP] = { B "(tempfile\\.)?mktemp" S "\\(", 0 },
	[RE_TRACEBACK] = { "traceback\\.format_exc(eption)?" S "\\(", 0 },
	[RE_XXE] = { "feature_external_(ges|pes)" S "," S "(True|1)|(resolve_entities|load_dtd)" S "=" S "True", 0 },
	[RE_REGEX_CALL] = { B "re\\.(compile|match|search|fullmatch|findall|finditer|sub|subn|split)" S "\\(", 0 },
	[RE_MUTABLE_DEFAULT] = { "(" ID ")" S "(:[^=,()]*)?=" S
				 "(\\[|\\{|set" S "\\(|dict" S "\\(|list" S "\\(|(collections\\.)?(defaultdict|deque|OrderedDict)" S "\\()", 0 },
	[RE_BARE_EXCEPT] = { "^" S "except" S ":", 0 },
	[RE_BROAD_EXCEPT] = { "^" S "except" S "\\(?" S "(BaseException|Exception)" S "\\)?([[:space:]]+as[[:space:]]+" ID ")?" S ":", 0 },
	[RE_DIV_LEN] = { "/" S "len" S "\\(" S "(" ID "(\\." ID ")*)" S "\\)", 0 },
	[RE_RANGE_LEN] = { "for[[:space:]]+(" ID ")[[:space:]]+in[[:space:]]+range" S "\\((" S "[01]" S ",)?" S "len" S "\\(" S
			   "(" ID "(\\." ID ")*)" S "\\)" S "-" S "1" S "\\)", 0 },
	[RE_PAGE_OFFSET] = { B "(page|page_num|page_number|pageno|page_no|page_index)" S "\\*" S "(" ID "(\\." ID ")*)", 0 },
	[RE_OPEN_ASSIGN] = { "^" S "(" ID "(\\." ID ")*)" S "=" S "(io\\.)?open" S "\\(", 0 },
	[RE_OPEN_FOR] = { "^" S "for[[:space:]].*[[:space:]]in[[:space:]]+open" S "\\(", 0 },
	[RE_ROUND2] = { B "round" S "\\(.*," S "2" S "\\)", 0 },
};

/* ------------------------------------------------------------------------ */
/* Shorthands                                                               */
/* ------------------------------------------------------------------------ */

#define LINE(s, i) (&(s)->lines[i])
#define ARG(args, k) ((args)->a[k])
#define ARG_SET(args, k, ...) snprintf((args)->a[k], sizeof (args)->a[k], __VA_ARGS__)

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

static bool r_hardcoded_secret(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_pickle(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_unsafe_yaml(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_code_injection(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_command_injection(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_sql_injection(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_path_traversal(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_xss(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_ssrf(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_info_leak(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_timing_attack(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_weak_hash(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_insecure_random(const rg__hsrc *s, size_t i, rg__hargs *args)
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

static bool r_redos(const rg__hsrc *s, size_t i, rg__hargs *args)
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

/* ------------------------------------------------------------------------ */
/* Bugs                                                                     */
/* ------------------------------------------------------------------------ */

/* True when text reads var + 1 (the loop looks one element ahead). */
static bool plus_one(const char *text, const char *var)
{
	for (const char *p = text; (p = rg__heuristic_word(p, var)); p++) {
		const char *q = p + strlen(var);
		q += strspn(q, " ");
		if (*q != '+')
			continue;
		q += 1 + strspn(q + 1, " ");
		if (q[0] == '1' && !(q[1] >= '0' && q[1] <= '9'))
			return true;
	}
	return false;
}

static bool r_off_by_one(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[5];
	if (!rg__heuristic_re(s, RE_RANGE_LEN, l->mask, m, 5))
		return false;
	char var[RG__H_SNIP_BYTES];
	rg__heuristic_group(var, l->code, m, 1);
	for (size_t j = i, end = rg__heuristic_block_end(s, i); j <= end; j++)
		if (plus_one(LINE(s, j)->mask, var))
			return false;
	rg__heuristic_group(ARG(args, 1), l->code, m, 3);
	ARG_SET(args, 0, "%s", m[2].rm_so >= 0 && memchr(l->code + m[2].rm_so, '1',
						       (size_t)(m[2].rm_eo - m[2].rm_so)) ? "1, " : "");
	return true;
}

static bool r_page_offset(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[4];
	if (!rg__heuristic_re(s, RE_PAGE_OFFSET, l->mask, m, 4))
		return false;
	rg__heuristic_group(ARG(args, 0), l->code, m, 2);
	rg__heuristic_group(ARG(args, 1), l->code, m, 3);
	static const char *const doc[] = { "1-based", "one-based", "1 based", "start at 1",
					   "starts at 1", "from 1", NULL };
	for (size_t k = 0; doc[k]; k++)
		if (rg__heuristic_fn_has(s, i, doc[k], RG__H_CI | RG__H_DOCS))
			return true;
	static const char *const checks[] = { " < 1", " <= 0", " >= 1", " > 0", NULL };
	char probe[RG__H_SNIP_BYTES + 8];
	for (size_t k = 0; checks[k]; k++) {
		snprintf(probe, sizeof probe, "%s%s", ARG(args, 0), checks[k]);
		if (rg__heuristic_fn_has(s, i, probe, 0))
			return true;
	}
	return false;
}

/* True when x is checked for emptiness before line i (or guarded on it): not x,
 * if x:, x and/or ..., ... if x else ..., len(x) compared, ZeroDivisionError caught. */
static bool emptiness_guard(const rg__hsrc *s, size_t i, const char *x)
{
	static const char *const conds[] = { "not", "if", "elif", "while", "assert", "and", "or", NULL };
	if (rg__heuristic_fn_has(s, i, "ZeroDivisionError", 0))
		return true;
	size_t xn = strlen(x);
	for (size_t j = LINE(s, i)->fn_first; j <= i; j++) {
		const char *c = LINE(s, j)->mask;
		for (const char *p = c; (p = rg__heuristic_word(p, x)); p++) {
			const char *after = p + xn + strspn(p + xn, " ");
			bool in_len = p - c >= 4 && !strncmp(p - 4, "len(", 4);
			const char *b = in_len ? p - 4 : p, *w;
			while (b > c && b[-1] == ' ')
				b--;
			for (w = b; w > c && rg__heuristic_ident(w[-1]);)
				w--;
			bool cond = false;
			for (size_t k = 0; conds[k] && !cond; k++)
				cond = (size_t)(b - w) == strlen(conds[k]) && !strncmp(w, conds[k], (size_t)(b - w));
			if (in_len) {
				const char *q = after + (*after == ')');
				q += strspn(q, " ");
				if (cond || (*q && strchr("=!<>", *q)))
					return true;
			} else if (cond && (!*after || strchr(":),", *after) || !strncmp(after, "and ", 4) ||
					    !strncmp(after, "or ", 3) || !strncmp(after, "else", 4))) {
				return true;
			}
		}
	}
	return false;
}

static bool r_division_by_zero(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	regmatch_t m[2];
	if (!rg__heuristic_re(s, RE_DIV_LEN, LINE(s, i)->mask, m, 2))
		return false;
	rg__heuristic_group(ARG(args, 0), LINE(s, i)->code, m, 1);
	return !emptiness_guard(s, i, ARG(args, 0));
}

static bool r_mutable_default(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[4];
	if (!l->in_sig || !rg__heuristic_re(s, RE_MUTABLE_DEFAULT, l->mask, m, 4))
		return false;
	rg__heuristic_group(ARG(args, 0), l->code, m, 1);
	char c = l->mask[m[3].rm_so];
	bool list = c == '[' || c == 'l', set = c == 's', dict = c == '{' || c == 'd';
	ARG_SET(args, 1, "%s", list ? "list" : set ? "set" : dict ? "dict" : "object");
	ARG_SET(args, 2, "%s", list ? "[]" : set ? "set()" : "{}");
	return true;
}

/* The except clause at line i, when it neither re-raises nor (loud_ok) logs. */
static bool silent_except(const rg__hsrc *s, size_t i, enum rg__hre re, bool loud_ok)
{
	static const char *const loud[] = { "log.", "log(", "logger", "logging", "print(", "warn",
					    "traceback", "sys.exit", NULL };
	regmatch_t m[1];
	if (!rg__heuristic_re(s, re, LINE(s, i)->mask, m, 1))
		return false;
	const char *rest = LINE(s, i)->mask + m[0].rm_eo;
	bool raises = rg__heuristic_word(rest, "raise") != NULL, logs = rg__heuristic_has_any(rest, loud);
	for (size_t j = i + 1, end = rg__heuristic_block_end(s, i); j <= end; j++) {
		raises |= rg__heuristic_word(LINE(s, j)->mask, "raise") != NULL;
		logs |= rg__heuristic_has_any(LINE(s, j)->mask, loud);
	}
	return !raises && !(loud_ok && logs);
}

static bool r_bare_except(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	(void)args;
	return silent_except(s, i, RE_BARE_EXCEPT, false);
}

static bool r_broad_except(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	(void)args;
	return silent_except(s, i, RE_BROAD_EXCEPT, true);
}

/* True when text uses name itself as a value (f, g(f)), not one of its members. */
static bool hands_on(const char *text, const char *name)
{
	for (const char *p = text; (p = rg__heuristic_word(p, name)); p++) {
		const char *after = p + strlen(name);
		after += strspn(after, " ");
		if (!strchr(".[(", *after) || !*after)
			return true;
	}
	return false;
}

static bool r_resource_leak(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[2];
	(void)args;
	if (!rg__heuristic_re(s, RE_OPEN_ASSIGN, l->mask, m, 2))
		return rg__heuristic_re(s, RE_OPEN_FOR, l->mask, NULL, 0);
	char name[RG__H_SNIP_BYTES], probe[RG__H_SNIP_BYTES + 16];
	rg__heuristic_group(name, l->code, m, 1);
	if (strchr(name, '.'))
		return false; /* an attribute: its owner closes it */
	static const char *const closes[][2] = { { "", ".close()" }, { "with ", "" },
						 { "closing(", ")" }, { "close(", ")" } };
	for (size_t k = 0; k < sizeof closes / sizeof closes[0]; k++) {
		snprintf(probe, sizeof probe, "%s%s%s", closes[k][0], name, closes[k][1]);
		if (rg__heuristic_fn_has(s, i, probe, 0))
			return false;
	}
	size_t n = strlen(name);
	for (size_t j = l->fn_first; j <= l->fn_last; j++) { /* handed on: returned or stored */
		const char *c = LINE(s, j)->code + strspn(LINE(s, j)->code, " \t");
		size_t kw = !strncmp(c, "return ", 7) ? 7 : !strncmp(c, "yield ", 6) ? 6 : 0, len = strlen(c);
		const char *tail = len > n ? c + len - n : NULL;
		if ((kw && hands_on(c + kw, name)) ||
		    (j != i && tail && !strcmp(tail, name) && !rg__heuristic_ident(tail[-1]) &&
		     tail[-1 - (tail[-1] == ' ')] == '='))
			return false;
	}
	return true;
}

static bool r_float_money(const rg__hsrc *s, size_t i, rg__hargs *args)
{
	const rg__hline *l = LINE(s, i);
	static const char *const money[] = { "price", "amount", "total", "cost", "vat", "tax",
					     "money", "balance", "fee", "invoice", "payment",
					     "cents", "salary", "charge", NULL };
	(void)args;
	return rg__heuristic_re(s, RE_ROUND2, l->mask, NULL, 0) && rg__heuristic_fn_has(s, i, "float(", 0) &&
	       !rg__heuristic_fn_has(s, i, "Decimal", 0) &&
	       (rg__heuristic_has_any(l->code, money) || rg__heuristic_has_any(rg__heuristic_def_text(s, i), money));
}

/* ------------------------------------------------------------------------ */
/* The table                                                                */
/* ------------------------------------------------------------------------ */

#define SEC RG_ISSUE_SECURITY
#define NO_RE RG__HRE__COUNT

const rg__hrule rg__heuristic_rules[] = {
	{ "hardcoded_secret", SEC, true, false, r_hardcoded_secret, NO_RE,
	  "Hard-coded secret: {0} is a credential written into the source, so anyone with the "
	  "code or its history has it, and rotating it needs a deploy.",
	  "Read it at startup from the environment or a secrets manager (os.environ[\"{1}\"]), "
	  "fail fast when it is missing, and rotate the value that was committed." },
	{ "pickle", SEC, true, false, r_pickle, NO_RE,
	  "Insecure deserialization: {0}() decodes {1}, and unpickling runs whatever callables the "
	  "bytes name, so anyone who controls that data controls this process.",
	  "Store plain data and decode it with json.loads(); if the value travels through a "
	  "client (a cookie, a form), sign it with an HMAC and verify the signature before "
	  "decoding." },
	{ "unsafe_yaml", SEC, true, false, r_unsafe_yaml, NO_RE,
	  "Insecure deserialization: yaml.{0}() without SafeLoader builds arbitrary Python objects "
	  "from the document, so a crafted YAML file runs code.",
	  "Use yaml.safe_load() (or Loader=yaml.SafeLoader), which builds only plain lists, dicts "
	  "and scalars." },
	{ "code_injection", SEC, true, false, r_code_injection, NO_RE,
	  "Code injection: {0}() runs {1} as Python code, so whoever controls that value can "
	  "execute anything in this process with its permissions.",
	  "Do not evaluate input: parse it as data with ast.literal_eval() or json.loads(), or map "
	  "the allowed names to functions explicitly." },
	{ "command_injection", SEC, true, false, r_command_injection, NO_RE,
	  "Command injection: {0} runs a shell command built from {1}, so shell metacharacters in "
	  "that value (; | && $(...)) run extra commands on the server.",
	  "Pass the program and its arguments as a list with shell=False, e.g. "
	  "subprocess.run([\"ping\", \"-c\", \"1\", host], check=True), and validate the value; "
	  "never hand caller input to a shell." },
	{ "sql_injection", SEC, false, false, r_sql_injection, NO_RE,
	  "SQL injection: the query is built with {0} from {1} and passed to execute(), so a quote "
	  "in that value rewrites the SQL; escaping quotes by hand does not make it safe.",
	  "Use a parameterised query: put placeholders (? or %s) in the SQL and pass the values as "
	  "execute()'s second argument; check identifiers such as a sort column against an "
	  "allow-list." },
	{ "path_traversal", SEC, false, true, r_path_traversal, NO_RE,
	  "Path traversal: {0} goes into os.path.join() unchecked, so a value such as "
	  "../../etc/passwd or an absolute path makes the result escape the base directory.",
	  "Resolve the joined path with os.path.realpath() and reject it unless "
	  "os.path.commonpath([base, path]) == base; or reduce the name with os.path.basename() "
	  "first." },
	{ "xss", SEC, false, true, r_xss, NO_RE,
	  "Cross-site scripting (XSS): {0} is put into the HTML without html.escape(), so a value "
	  "containing <script> or a quote injects markup and script into the page.",
	  "Escape every interpolated value with html.escape(value, quote=True), or render through "
	  "a template engine that autoescapes." },
	{ "ssrf", SEC, false, true, r_ssrf, NO_RE,
	  "Server-side request forgery (SSRF): the server fetches {0}, a URL its caller supplies, "
	  "without checking where it points, so it can be aimed at internal services or the "
	  "cloud metadata endpoint.",
	  "Parse the URL, allow only https to an allow-list of hosts, and reject names that "
	  "resolve to private, loopback or link-local addresses before fetching." },
	{ "timing_attack", SEC, false, false, r_timing_attack, NO_RE,
	  "Timing attack: comparing {0} and {1} with {2} stops at the first differing byte, so "
	  "response times tell an attacker how much of a forged signature or token is already "
	  "right.",
	  "Compare in constant time: {3}hmac.compare_digest({0}, {1})." },
	{ "weak_hash", SEC, false, true, r_weak_hash, NO_RE,
	  "Weak hash: passwords are hashed with {0}, which is fast and broken, so stolen hashes "
	  "fall to brute force and precomputed tables in seconds; a salt does not fix that.",
	  "Hash passwords with a slow salted key-derivation function: hashlib.scrypt(), "
	  "hashlib.pbkdf2_hmac(\"sha256\", password, salt, 600000), bcrypt or argon2." },
	{ "insecure_random", SEC, false, true, r_insecure_random, NO_RE,
	  "Insecure random: random.{0}() is a Mersenne Twister, predictable and not "
	  "cryptographically secure, so an attacker who sees a few outputs can predict the next "
	  "{1}.",
	  "Use the secrets module: secrets.token_urlsafe(32) for tokens, secrets.choice(alphabet) "
	  "for characters." },
	{ "insecure_temp_file", SEC, false, false, NULL, RE_MKTEMP,
	  "Insecure temporary file: tempfile.mktemp() only picks a name, so another local user "
	  "can create or symlink that path before this code opens it and read or redirect the "
	  "data.",
	  "Use tempfile.mkstemp() or tempfile.NamedTemporaryFile(delete=False), which create the "
	  "file atomically with private permissions." },
	{ "info_leak", SEC, false, false, r_info_leak, NO_RE,
	  "Information disclosure: the full traceback goes back to the client, showing file "
	  "paths, code and library versions to whoever triggers an error.",
	  "Log it on the server with logging.exception() and return a generic error message, with "
	  "a request id to correlate the two." },
	{ "xxe", SEC, false, false, NULL, RE_XXE,
	  "XML external entity (XXE): the parser is told to resolve external entities, so a "
	  "crafted document can read local files or make the server fetch internal URLs.",
	  "Leave external entities off (setFeature(feature_external_ges, False)) or parse "
	  "untrusted XML with defusedxml." },
	{ "redos", SEC, false, false, r_redos, NO_RE,
	  "ReDoS (regular expression denial of service): the pattern repeats a group that itself "
	  "repeats, so a long input that almost matches makes the engine try exponentially many "
	  "ways to split it.",
	  "Remove the nested repetition so each character can match only one way (e.g. "
	  "[A-Za-z0-9]+(?:[ ._-][A-Za-z0-9]+)*), and cap the input length before matching." },
	{ "mutable_default", RG_ISSUE_BUG, false, false, r_mutable_default, NO_RE,
	  "Mutable default argument: the default {1} of {0} is created once, when the def runs, so "
	  "every call that omits {0} shares it and sees what earlier calls put in it.",
	  "Default to None and make a fresh one per call: {0}=None in the signature, then "
	  "{0} = {2} if {0} is None else {0}." },
	{ "bare_except", RG_ISSUE_BUG, false, false, r_bare_except, NO_RE,
	  "Bare except swallows the exception: except: catches everything, KeyboardInterrupt and "
	  "SystemExit included, so real failures are hidden.",
	  "Catch only the exceptions this code expects (e.g. except ValueError:) and let the rest "
	  "propagate, or log and re-raise them." },
	{ "broad_except", RG_ISSUE_BUG, false, false, r_broad_except, NO_RE,
	  "Exception is swallowed: except Exception catches every error, programming bugs "
	  "included, and carries on without re-raising or logging it, so failures go unnoticed.",
	  "Catch only the exceptions this code expects (e.g. except ValueError:) and let the rest "
	  "propagate, or log and re-raise them." },
	{ "division_by_zero", RG_ISSUE_BUG, false, false, r_division_by_zero, NO_RE,
	  "Division by zero: dividing by len({0}) raises ZeroDivisionError when {0} is empty, and "
	  "nothing guards that case.",
	  "Handle the empty case first, e.g. if not {0}: return 0.0 (or the value the contract "
	  "gives for no data)." },
	{ "off_by_one", RG_ISSUE_BUG, false, false, r_off_by_one, NO_RE,
	  "Off-by-one: range({0}len({1}) - 1) stops one short because range's end is already "
	  "exclusive, so the loop skips the last element of {1}.",
	  "Drop the - 1: range({0}len({1})), or iterate over {1} directly." },
	{ "page_offset", RG_ISSUE_LOGIC, false, false, r_page_offset, NO_RE,
	  "Off-by-one: pages are numbered from 1 here, but the offset {0} * {1} skips the first "
	  "page: page 1 starts at item {1} instead of item 0.",
	  "Compute the offset as ({0} - 1) * {1}." },
	{ "resource_leak", RG_ISSUE_BUG, false, false, r_resource_leak, NO_RE,
	  "Resource leak: the file opened here is never closed (no with block, no close()), so "
	  "each call leaks a file handle, and an exception mid-read leaves it open.",
	  "Open it in a with block so it is closed on every path: with open(path, "
	  "encoding=\"utf-8\") as fh: ..." },
	{ "float_money", RG_ISSUE_LOGIC, false, true, r_float_money, NO_RE,
	  "Float money: the amount is computed in binary floating point and rounded with "
	  "round(..., 2), but floats cannot hold most cent values exactly and round() rounds half "
	  "to even, so totals come out a cent off.",
	  "Keep money in decimal.Decimal: Decimal(price) * quantity, then "
	  ".quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP); or work in integer cents." },
};
const size_t rg__heuristic_n_rules = sizeof rg__heuristic_rules / sizeof rg__heuristic_rules[0];
