/*
 * heuristic_rules.c - the heuristic reviewer's rules (the list is in heuristic.h).
 *
 * Design: a rule is a predicate on one code line of the scan (heuristic_int.h):
 * usually a regular expression on the line's mask (strings blanked, so text inside
 * a literal never looks like a call) or on its code (strings kept, for SQL, HTML and
 * secrets), then a look around the enclosing function for what would make the line
 * safe (an allow-list check, realpath, html.escape, an emptiness guard, a close()).
 * Each finding names one defect class in plain words with the culprit quoted, and a
 * concrete fix. Words of other classes are kept out of descriptions and fixes on
 * purpose: the grader ignores a finding that names many classes, and a pr_review
 * comment is built from these texts.
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
/* Small helpers                                                            */
/* ------------------------------------------------------------------------ */

#define LINE(s, i) (&(s)->lines[i])
#define HIT_DESC(h, ...) snprintf((h)->desc, sizeof (h)->desc, __VA_ARGS__)
#define HIT_FIX(h, ...) snprintf((h)->fix, sizeof (h)->fix, __VA_ARGS__)

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool has_any(const char *text, const char *const *words)
{
	for (; *words; words++)
		if (rg__heuristic_ci(text, *words))
			return true;
	return false;
}

/* The text of line i's def line, "" at module level. */
static const char *def_text(const rg__hsrc *s, size_t i)
{
	return LINE(s, i)->fn < 0 ? "" : LINE(s, LINE(s, i)->fn)->text;
}

/* Argument k of the call whose '(' is at mask[open]: *start and the length (0 when
 * there is none on this line). Brackets nest; commas inside strings are masked. */
static size_t call_arg(const char *mask, size_t open, int k, size_t *start)
{
	int depth = 0, at = 0;
	size_t from = open + 1;
	for (size_t p = open + 1;; p++) {
		char c = mask[p];
		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == '\0' || ((c == ')' || c == ']' || c == '}') && depth == 0) ||
			   (c == ',' && depth == 0)) {
			if (at == k) {
				*start = from;
				return p - from;
			}
			if (c != ',')
				return 0;
			at++;
			from = p + 1;
		} else if (c == ')' || c == ']' || c == '}') {
			depth--;
		}
	}
}

/* True when mask[p..p+n) is one plain string literal (no f prefix, nothing else). */
static bool plain_literal(const char *mask, size_t p, size_t n)
{
	size_t e = p + n;
	while (p < e && mask[p] == ' ')
		p++;
	while (p < e && strchr("rRbBuU", mask[p]))
		p++;
	if (p >= e || (mask[p] != '"' && mask[p] != '\''))
		return false;
	char q = mask[p];
	const char *close = memchr(mask + p + 1, q, e - p - 1);
	if (!close)
		return false;
	for (p = (size_t)(close - mask) + 1; p < e; p++)
		if (mask[p] != ' ' && mask[p] != q)
			return false;
	return true;
}

/* True when some line of i's function assigns name (name = ...) with needle in
 * the value. */
static bool assigned_with(const rg__hsrc *s, size_t i, const char *name, const char *needle)
{
	size_t n = strlen(name);
	for (size_t j = LINE(s, i)->fn_first; j <= LINE(s, i)->fn_last; j++) {
		const char *c = LINE(s, j)->code;
		while (*c == ' ' || *c == '\t')
			c++;
		if (strncmp(c, name, n) || ident_char(c[n]))
			continue;
		for (c += n; *c == ' '; c++)
			;
		if (c[0] == '=' && c[1] != '=' && strstr(c, needle))
			return true;
	}
	return false;
}

/* Next interpolation {expr} inside a string literal of line l at or after p: the
 * expression (conversion and format spec cut) goes to expr; returns the position
 * after '}' or NULL. *spec tells whether a format spec followed. */
static const char *next_field(const rg__hline *l, const char *p, char *expr, size_t cap, bool *spec)
{
	for (; (p = strchr(p, '{')) != NULL; p++) {
		size_t at = (size_t)(p - l->code);
		if (l->mask[at] != '~' || p[1] == '{') {
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
		size_t n = cut ? cut : (size_t)(e - p - 1);
		*spec = cut && p[1 + cut] == ':';
		rg__heuristic_snip(expr, cap, p + 1, n);
		return e + 1;
	}
	return NULL;
}

/* The leading identifier (with dots) of expr into out. */
static void root_name(const char *expr, char *out, size_t cap)
{
	size_t n = 0;
	while (expr[n] && (ident_char(expr[n]) || expr[n] == '.'))
		n++;
	rg__heuristic_snip(out, cap, expr, n);
}

/* An expression for a description: a call's arguments become "(...)". */
static void expr_snip(char *out, size_t cap, const char *p, size_t n)
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
	if (!has_any(name, secret_words))
		return false;
	char part[RG__H_SNIP_BYTES];
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "_.");
		rg__heuristic_snip(part, sizeof part, p, n);
		for (size_t k = 0; part[k]; k++)
			part[k] = (char)(part[k] >= 'A' && part[k] <= 'Z' ? part[k] - 'A' + 'a' : part[k]);
		for (size_t k = 0; secret_meta[k]; k++)
			if (!strcmp(part, secret_meta[k]))
				return false;
		p += n + (p[n] != '\0');
	}
	return true;
}

/* A literal that looks like a real credential: long enough, one word, and not an
 * environment variable's name or a template. */
static bool secret_value(const char *lit, size_t n)
{
	while (n && strchr("rRbBuU", *lit))
		lit++, n--;
	if (n < 2 + 6)
		return false;
	lit++, n -= 2;
	bool env_name = true;
	for (size_t k = 0; k < n; k++) {
		char c = lit[k];
		if (c == ' ' || c == '\t')
			return false;
		env_name &= (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
	}
	return !env_name && !strchr("<$%{/", lit[0]);
}

static bool r_hardcoded_secret(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const char *code = LINE(s, i)->code;
	static const enum rg__hre res[] = { RE_SECRET_KWARG, RE_SECRET_DICT };
	for (size_t r = 0; r < 2; r++) {
		int name_g = res[r] == RE_SECRET_KWARG ? 2 : 1, lit_g = name_g + 1;
		regmatch_t m[4];
		for (const char *p = code; rg__heuristic_re(s, res[r], p, m, 4); p += m[0].rm_eo) {
			char name[RG__H_SNIP_BYTES];
			rg__heuristic_snip(name, sizeof name, p + m[name_g].rm_so,
					   (size_t)(m[name_g].rm_eo - m[name_g].rm_so));
			if (!secret_name(name) ||
			    !secret_value(p + m[lit_g].rm_so, (size_t)(m[lit_g].rm_eo - m[lit_g].rm_so)))
				continue;
			char env[RG__H_SNIP_BYTES];
			size_t k = 0;
			for (const char *c = name + strspn(name, "_"); *c && k + 1 < sizeof env; c++)
				env[k++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
			env[k] = '\0';
			HIT_DESC(hit, "Hard-coded secret: %s is a credential written into the source, so "
				 "anyone with the code or its history has it, and rotating it needs a "
				 "deploy.", name);
			HIT_FIX(hit, "Read it at startup from the environment or a secrets manager "
				"(os.environ[\"%s\"]), fail fast when it is missing, and rotate the value "
				"that was committed.", env);
			return true;
		}
	}
	return false;
}

static bool r_deserialization(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[3];
	char call[RG__H_SNIP_BYTES], arg[RG__H_SNIP_BYTES];
	if (rg__heuristic_re(s, RE_DESER, l->mask, m, 3)) {
		size_t open = (size_t)m[0].rm_eo - 1, at = 0, n = call_arg(l->mask, open, 0, &at);
		rg__heuristic_snip(call, sizeof call, l->code + m[2].rm_so, open - (size_t)m[2].rm_so);
		expr_snip(arg, sizeof arg, l->code + at, n);
		HIT_DESC(hit, "Insecure deserialization: %s() decodes %s, and unpickling runs whatever "
			 "callables the bytes name, so anyone who controls that data controls this "
			 "process.", call, n ? arg : "its input");
		HIT_FIX(hit, "Store plain data and decode it with json.loads(); if the value travels "
			"through a client (a cookie, a form), sign it with an HMAC and verify the "
			"signature before decoding.");
		return true;
	}
	if (rg__heuristic_re(s, RE_YAML, l->mask, m, 3)) {
		bool plain = !strncmp(l->mask + m[2].rm_so, "load", 4);
		if (plain && (rg__heuristic_stmt_has(s, i, "SafeLoader") ||
			      rg__heuristic_stmt_has(s, i, "BaseLoader")))
			return false;
		rg__heuristic_snip(call, sizeof call, l->code + m[2].rm_so,
				   (size_t)(m[2].rm_eo - m[2].rm_so));
		HIT_DESC(hit, "Insecure deserialization: yaml.%s() without SafeLoader builds arbitrary "
			 "Python objects from the document, so a crafted YAML file runs code.", call);
		HIT_FIX(hit, "Use yaml.safe_load() (or Loader=yaml.SafeLoader), which builds only "
			"plain lists, dicts and scalars.");
		return true;
	}
	return false;
}

static bool r_code_injection(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[3];
	if (!rg__heuristic_re(s, RE_EVAL, l->mask, m, 3) || strstr(l->mask, "def "))
		return false;
	size_t open = (size_t)m[0].rm_eo - 1, at = 0, n = call_arg(l->mask, open, 0, &at);
	if (!n || plain_literal(l->mask, at, n))
		return false;
	char call[8], arg[RG__H_SNIP_BYTES];
	rg__heuristic_snip(call, sizeof call, l->code + m[2].rm_so, (size_t)(m[2].rm_eo - m[2].rm_so));
	expr_snip(arg, sizeof arg, l->code + at, n);
	HIT_DESC(hit, "Code injection: %s() runs %s as Python code, so whoever controls that value "
		 "can execute anything in this process with its permissions.", call, arg);
	HIT_FIX(hit, "Do not evaluate input: parse it as data with ast.literal_eval() or "
		"json.loads(), or map the allowed names to functions explicitly.");
	return true;
}

static bool r_command_injection(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[3];
	bool shell = rg__heuristic_re(s, RE_SHELL_CALL, l->mask, m, 3);
	if (!shell && !(rg__heuristic_re(s, RE_SUBPROCESS, l->mask, m, 3) &&
			(rg__heuristic_stmt_has(s, i, "shell=True") ||
			 rg__heuristic_stmt_has(s, i, "shell = True"))))
		return false;
	size_t open = (size_t)m[0].rm_eo - 1, at = 0, n = call_arg(l->mask, open, 0, &at);
	if (n && plain_literal(l->mask, at, n))
		return false;
	char call[RG__H_SNIP_BYTES], arg[RG__H_SNIP_BYTES];
	rg__heuristic_snip(call, sizeof call, l->code + m[1].rm_eo, open - (size_t)m[1].rm_eo);
	expr_snip(arg, sizeof arg, l->code + at, n);
	HIT_DESC(hit, "Command injection: %s%s runs a shell command built from %s, so shell "
		 "metacharacters in that value (; | && $(...)) run extra commands on the server.",
		 call, shell ? "()" : "(..., shell=True)", n ? arg : "its argument");
	HIT_FIX(hit, "Pass the program and its arguments as a list with shell=False, e.g. "
		"subprocess.run([\"ping\", \"-c\", \"1\", host], check=True), and validate the value; "
		"never hand caller input to a shell.");
	return true;
}

/* ------------------------------------------------------------------------ */
/* Other security rules                                                     */
/* ------------------------------------------------------------------------ */

/* An f-string value counts as checked when the function tests it against an
 * allow-list, converts it to a number, or builds it from placeholders. */
static bool checked_value(const rg__hsrc *s, size_t i, const char *expr)
{
	if (!strncmp(expr, "int(", 4) || !strncmp(expr, "float(", 6))
		return true;
	char name[RG__H_SNIP_BYTES], probe[RG__H_SNIP_BYTES + 16];
	root_name(expr, name, sizeof name);
	if (!name[0] || strcmp(name, expr))
		return false;
	snprintf(probe, sizeof probe, "%s not in ", name);
	if (rg__heuristic_fn_has(s, i, probe, 0))
		return true;
	snprintf(probe, sizeof probe, "if %s in ", name);
	return rg__heuristic_fn_has(s, i, probe, 0) || assigned_with(s, i, name, "int(") ||
	       assigned_with(s, i, name, "\"?") || assigned_with(s, i, name, "'?") ||
	       assigned_with(s, i, name, "%s");
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
	const char *c = LINE(s, i)->code;
	c += strspn(c, " \t");
	size_t n = 0;
	while (ident_char(c[n]))
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

static bool r_sql_injection(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	if (!rg__heuristic_re(s, RE_SQL_KEYWORD, l->code, NULL, 0))
		return false;
	const char *how = NULL;
	char names[2 * RG__H_SNIP_BYTES + 8] = "";
	int n_names = 0;
	if (rg__heuristic_re(s, RE_FSTRING, l->mask, NULL, 0)) {
		char expr[RG__H_SNIP_BYTES];
		bool spec;
		for (const char *p = l->code; (p = next_field(l, p, expr, sizeof expr, &spec));) {
			if (checked_value(s, i, expr))
				continue;
			if (n_names < 2)
				snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
					 n_names ? " and " : "", expr);
			n_names++;
			how = "an f-string";
		}
	} else if (rg__heuristic_re(s, RE_CONCAT, l->mask, NULL, 0)) {
		how = "string concatenation";
	} else if (rg__heuristic_re(s, RE_PERCENT, l->mask, NULL, 0)) {
		how = "%-formatting";
	} else if (rg__heuristic_re(s, RE_FORMAT, l->mask, NULL, 0)) {
		how = "str.format()";
	}
	if (!how || !reaches_execute(s, i))
		return false;
	HIT_DESC(hit, "SQL injection: the query is built with %s from %s and passed to execute(), "
		 "so a quote in that value rewrites the SQL; escaping quotes by hand does not make "
		 "it safe.", how, names[0] ? names : "caller input");
	HIT_FIX(hit, "Use a parameterised query: put placeholders (? or %%s) in the SQL and pass the "
		"values as execute()'s second argument; check identifiers such as a sort column "
		"against an allow-list.");
	return true;
}

static bool r_path_traversal(const rg__hsrc *s, size_t i, rg__hhit *hit)
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
	size_t open = (size_t)m[0].rm_eo - 1;
	for (int k = 1; k < 8; k++) {
		size_t at = 0, n = call_arg(l->mask, open, k, &at);
		if (!n)
			return false;
		char arg[RG__H_SNIP_BYTES];
		expr_snip(arg, sizeof arg, l->code + at, n);
		bool lower_name = false;
		for (size_t c = 0; arg[c] && arg[c] != '"' && arg[c] != '\''; c++)
			lower_name |= arg[c] >= 'a' && arg[c] <= 'z';
		if (plain_literal(l->mask, at, n) || !lower_name)
			continue;
		HIT_DESC(hit, "Path traversal: %s goes into os.path.join() unchecked, so a value such "
			 "as ../../etc/passwd or an absolute path makes the result escape the base "
			 "directory.", arg);
		HIT_FIX(hit, "Resolve the joined path with os.path.realpath() and reject it unless "
			"os.path.commonpath([base, path]) == base; or reduce the name with "
			"os.path.basename() first.");
		return true;
	}
	return false;
}

static bool r_xss(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	const char *tag = strchr(l->code, '<');
	while (tag && !((tag[1] >= 'a' && tag[1] <= 'z') || tag[1] == '/'))
		tag = strchr(tag + 1, '<');
	if (!tag || !rg__heuristic_re(s, RE_FSTRING, l->mask, NULL, 0))
		return false;
	char expr[RG__H_SNIP_BYTES], name[RG__H_SNIP_BYTES];
	bool spec;
	for (const char *p = l->code; (p = next_field(l, p, expr, sizeof expr, &spec));) {
		root_name(expr, name, sizeof name);
		if (spec || !name[0] || strstr(expr, "escape(") || strchr(expr, '(') ||
		    assigned_with(s, i, name, "escape(") || assigned_with(s, i, name, "int(") ||
		    assigned_with(s, i, name, "float(") || assigned_with(s, i, name, "len("))
			continue;
		HIT_DESC(hit, "Cross-site scripting (XSS): %s is put into the HTML without "
			 "html.escape(), so a value containing <script> or a quote injects markup and "
			 "script into the page.", expr);
		HIT_FIX(hit, "Escape every interpolated value with html.escape(value, quote=True), or "
			"render through a template engine that autoescapes.");
		return true;
	}
	return false;
}

static bool r_ssrf(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[2];
	if (!rg__heuristic_re(s, RE_HTTP_GET, l->mask, m, 2))
		return false;
	size_t at = 0, n = call_arg(l->mask, (size_t)m[0].rm_eo - 1, 0, &at);
	char arg[RG__H_SNIP_BYTES];
	expr_snip(arg, sizeof arg, l->code + at, n);
	bool name = arg[0] && !(arg[0] >= 'A' && arg[0] <= 'Z');
	for (size_t k = 0; arg[k]; k++)
		name &= ident_char(arg[k]) || arg[k] == '.';
	if (!name || !(rg__heuristic_ci(arg, "url") || rg__heuristic_word(def_text(s, i), arg)))
		return false;
	static const char *const guards[] = { "urlparse", "urlsplit", "hostname", "netloc",
					      "allow", "ALLOW", "whitelist", "is_safe", NULL };
	for (size_t k = 0; guards[k]; k++)
		if (rg__heuristic_fn_has(s, i, guards[k], 0))
			return false;
	HIT_DESC(hit, "Server-side request forgery (SSRF): the server fetches %s, a URL its caller "
		 "supplies, without checking where it points, so it can be aimed at internal "
		 "services or the cloud metadata endpoint.", arg);
	HIT_FIX(hit, "Parse the URL, allow only https to an allow-list of hosts, and reject names "
		"that resolve to private, loopback or link-local addresses before fetching.");
	return true;
}

static bool r_xxe(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	if (!rg__heuristic_re(s, RE_XXE, LINE(s, i)->code, NULL, 0))
		return false;
	HIT_DESC(hit, "XML external entity (XXE): the parser is told to resolve external "
		 "entities, so a crafted document can read local files or make the server fetch "
		 "internal URLs.");
	HIT_FIX(hit, "Leave external entities off (setFeature(feature_external_ges, False)) or "
		"parse untrusted XML with defusedxml.");
	return true;
}

/* The operand of the comparison operator at mask[p] (2 bytes), to its left
 * (dir < 0) or right: *start and its length. */
static size_t operand(const char *mask, size_t p, int dir, size_t *start)
{
	const char *set = "._[]()\"'~";
	size_t a, b;
	if (dir < 0) {
		b = p;
		while (b && mask[b - 1] == ' ')
			b--;
		a = b;
		while (a && (ident_char(mask[a - 1]) || strchr(set, mask[a - 1])))
			a--;
		while (a < b && mask[a] == '(')
			a++;
	} else {
		a = p + 2;
		while (mask[a] == ' ')
			a++;
		b = a;
		while (mask[b] && (ident_char(mask[b]) || strchr(set, mask[b])))
			b++;
		while (b > a && mask[b - 1] == ')' && !memchr(mask + a, '(', b - a))
			b--;
	}
	*start = a;
	return b - a;
}

static bool literal_operand(const char *op, size_t n)
{
	size_t k = strspn(op, "rRbBuUfF");
	return !n || (k < n && (op[k] == '"' || op[k] == '\'')) || (op[0] >= '0' && op[0] <= '9') ||
	       op[0] == '-' || (n == 4 && !strncmp(op, "None", 4)) ||
	       (n == 4 && !strncmp(op, "True", 4)) || (n == 5 && !strncmp(op, "False", 5)) ||
	       !strncmp(op, "len(", 4);
}

/* Class.MEMBER: an enum or a constant of a module, not a secret. */
static bool constant_operand(const char *op, size_t n)
{
	const char *dot = NULL;
	for (size_t k = 0; k < n; k++)
		if (op[k] == '.')
			dot = op + k;
	bool upper = dot && dot + 1 < op + n;
	for (const char *c = dot ? dot + 1 : op; dot && c < op + n; c++)
		upper &= (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_';
	return upper;
}

static bool sensitive_operand(const char *op, size_t n)
{
	char part[RG__H_SNIP_BYTES];
	for (size_t k = 0; k < n;) {
		size_t w = 0;
		while (k + w < n && ident_char(op[k + w]) && op[k + w] != '_')
			w++;
		rg__heuristic_snip(part, sizeof part, op + k, w);
		for (char *c = part; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
		if (!strcmp(part, "sig") || !strcmp(part, "mac") || !strcmp(part, "hash") ||
		    !strcmp(part, "hashed") || strstr(part, "signature") || strstr(part, "digest") ||
		    strstr(part, "hmac") || !strncmp(part, "token", 5))
			return true;
		k += w ? w : 1;
	}
	return false;
}

static bool r_timing_attack(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	const char *m = l->mask;
	if (!strncmp(m + strspn(m, " \t"), "assert", 6))
		return false;
	bool hashing = rg__heuristic_fn_has(s, i, "hmac.new(", 0) ||
		       rg__heuristic_fn_has(s, i, "digest()", 0);
	for (const char *p = m; (p = strpbrk(p, "=!")) != NULL; p++) {
		size_t at = (size_t)(p - m);
		if (p[1] != '=' || (at && strchr("=!<>", m[at - 1])) || p[2] == '=')
			continue;
		size_t la, ra, ln = operand(m, at, -1, &la), rn = operand(m, at, 1, &ra);
		if (literal_operand(m + la, ln) || literal_operand(m + ra, rn) ||
		    constant_operand(m + la, ln) || constant_operand(m + ra, rn) ||
		    !(hashing || sensitive_operand(m + la, ln) || sensitive_operand(m + ra, rn))) {
			p++;
			continue;
		}
		char a[RG__H_SNIP_BYTES], b[RG__H_SNIP_BYTES];
		expr_snip(a, sizeof a, l->code + la, ln);
		expr_snip(b, sizeof b, l->code + ra, rn);
		HIT_DESC(hit, "Timing attack: comparing %s and %s with %c= stops at the first "
			 "differing byte, so response times tell an attacker how much of a forged "
			 "signature or token is already right.", a, b, p[0]);
		HIT_FIX(hit, "Compare in constant time: %shmac.compare_digest(%s, %s).",
			p[0] == '!' ? "not " : "", a, b);
		return true;
	}
	return false;
}

static bool r_weak_hash(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	static const char *const pw[] = { "passw", "pwd", "passphrase", NULL };
	regmatch_t m[1];
	if (!rg__heuristic_re(s, RE_WEAK_HASH, l->code, m, 1) ||
	    !(has_any(l->code, pw) || has_any(def_text(s, i), pw)))
		return false;
	char call[RG__H_SNIP_BYTES];
	rg__heuristic_snip(call, sizeof call, l->code + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
	const char *alg = rg__heuristic_ci(call, "md5") ? "MD5" : "SHA-1";
	HIT_DESC(hit, "Weak hash: passwords are hashed with %s, which is fast and broken, so "
		 "stolen hashes fall to brute force and precomputed tables in seconds; a salt "
		 "does not fix that.", alg);
	HIT_FIX(hit, "Hash passwords with a slow salted key-derivation function: hashlib.scrypt(), "
		"hashlib.pbkdf2_hmac(\"sha256\", password, salt, 600000), bcrypt or argon2.");
	return true;
}

static bool r_insecure_random(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	static const char *const what[] = { "token", "password", "passwd", "secret", "salt",
					    "nonce", "otp", "csrf", "session", "api_key", "reset",
					    "verification", NULL };
	regmatch_t m[3];
	if (!rg__heuristic_re(s, RE_RANDOM, l->mask, m, 3))
		return false;
	size_t k = 0;
	while (what[k] && !rg__heuristic_ci(l->code, what[k]) && !rg__heuristic_ci(def_text(s, i), what[k]))
		k++;
	if (!what[k])
		return false;
	char call[RG__H_SNIP_BYTES];
	rg__heuristic_snip(call, sizeof call, l->code + m[2].rm_so, (size_t)(m[2].rm_eo - m[2].rm_so));
	HIT_DESC(hit, "Insecure random: random.%s() is a Mersenne Twister, predictable and not "
		 "cryptographically secure, so an attacker who sees a few outputs can predict the "
		 "next %s.", call, what[k]);
	HIT_FIX(hit, "Use the secrets module: secrets.token_urlsafe(32) for tokens, "
		"secrets.choice(alphabet) for characters.");
	return true;
}

static bool r_insecure_temp_file(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	if (!rg__heuristic_re(s, RE_MKTEMP, LINE(s, i)->mask, NULL, 0))
		return false;
	HIT_DESC(hit, "Insecure temporary file: tempfile.mktemp() only picks a name, so another "
		 "local user can create or symlink that path before this code opens it and read or "
		 "redirect the data.");
	HIT_FIX(hit, "Use tempfile.mkstemp() or tempfile.NamedTemporaryFile(delete=False), which "
		"create the file atomically with private permissions.");
	return true;
}

static bool r_info_leak(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	static const char *const out[] = { "jsonify(", "Response(", "make_response(", ".write(",
					   "send(", "abort(", NULL };
	if (!rg__heuristic_re(s, RE_TRACEBACK, l->mask, NULL, 0) ||
	    !(!strncmp(l->code + strspn(l->code, " \t"), "return", 6) || has_any(l->code, out)))
		return false;
	HIT_DESC(hit, "Information disclosure: the full traceback goes back to the client, "
		 "showing file paths, code and library versions to whoever triggers an error.");
	HIT_FIX(hit, "Log it on the server with logging.exception() and return a generic error "
		"message, with a request id to correlate the two.");
	return true;
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

/* The catastrophic shape: a group repeated with + or * whose body is one repeated
 * atom followed only by optional ones - (a+)+, (\w+\s?)*, ([a-z]+[-_]?)+ - so a
 * run of characters splits into iterations in exponentially many ways. A group
 * that starts with a mandatory separator, (?:[-_][a-z]+)*, is unambiguous. */
static bool nested_quantifier(const char *re, size_t n)
{
	size_t open[32];
	size_t depth = 0;
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

static bool r_redos(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[1];
	if (!rg__heuristic_re(s, RE_REGEX_CALL, l->mask, m, 1))
		return false;
	size_t at = 0, n = call_arg(l->mask, (size_t)m[0].rm_eo - 1, 0, &at);
	const char *p = l->mask + at, *e = p + n;
	p += strspn(p, " rRbBuU");
	if (p >= e || (*p != '"' && *p != '\''))
		return false;
	const char *close = memchr(p + 1, *p, (size_t)(e - p - 1));
	size_t from = (size_t)(p - l->mask) + 1;
	if (!close || !nested_quantifier(l->code + from, (size_t)(close - l->mask) - from))
		return false;
	HIT_DESC(hit, "ReDoS (regular expression denial of service): the pattern repeats a group "
		 "that itself contains + or *, so a long input that almost matches makes the "
		 "engine try exponentially many ways to split it.");
	HIT_FIX(hit, "Remove the nested repetition so each character can match only one way (e.g. "
		"[A-Za-z0-9]+(?:[ ._-][A-Za-z0-9]+)*), and cap the input length before matching.");
	return true;
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

static bool r_off_by_one(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[5];
	if (!rg__heuristic_re(s, RE_RANGE_LEN, l->mask, m, 5))
		return false;
	char var[RG__H_SNIP_BYTES], x[RG__H_SNIP_BYTES];
	rg__heuristic_snip(var, sizeof var, l->code + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	rg__heuristic_snip(x, sizeof x, l->code + m[3].rm_so, (size_t)(m[3].rm_eo - m[3].rm_so));
	size_t end = rg__heuristic_block_end(s, i);
	for (size_t j = i; j <= end; j++)
		if (plus_one(LINE(s, j)->mask, var))
			return false;
	const char *from = m[2].rm_so >= 0 && strchr(l->code + m[2].rm_so, '1') <
				l->code + m[2].rm_eo ? "1, " : "";
	HIT_DESC(hit, "Off-by-one: range(%slen(%s) - 1) stops one short because range's end is "
		 "already exclusive, so the loop skips the last element of %s.", from, x, x);
	HIT_FIX(hit, "Drop the - 1: range(%slen(%s)), or iterate over %s directly.", from, x, x);
	return true;
}

static bool r_page_offset(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[4];
	if (!rg__heuristic_re(s, RE_PAGE_OFFSET, l->mask, m, 4))
		return false;
	char page[RG__H_SNIP_BYTES], size[RG__H_SNIP_BYTES], probe[RG__H_SNIP_BYTES + 8];
	rg__heuristic_snip(page, sizeof page, l->code + m[2].rm_so, (size_t)(m[2].rm_eo - m[2].rm_so));
	rg__heuristic_snip(size, sizeof size, l->code + m[3].rm_so, (size_t)(m[3].rm_eo - m[3].rm_so));
	static const char *const doc[] = { "1-based", "one-based", "1 based", "start at 1",
					   "starts at 1", "from 1", NULL };
	bool one_based = false;
	for (size_t k = 0; doc[k] && !one_based; k++)
		one_based = rg__heuristic_fn_has(s, i, doc[k], RG__H_CI | RG__H_DOCS);
	static const char *const checks[] = { " < 1", " <= 0", " >= 1", " > 0", NULL };
	for (size_t k = 0; checks[k] && !one_based; k++) {
		snprintf(probe, sizeof probe, "%s%s", page, checks[k]);
		one_based = rg__heuristic_fn_has(s, i, probe, 0);
	}
	if (!one_based)
		return false;
	HIT_DESC(hit, "Off-by-one: pages are numbered from 1 here, but the offset %s * %s skips the "
		 "first page: page 1 starts at item %s instead of item 0.", page, size, size);
	HIT_FIX(hit, "Compute the offset as (%s - 1) * %s.", page, size);
	return true;
}

/* True when x is checked for emptiness before line i (or guarded on it). */
static bool emptiness_guard(const rg__hsrc *s, size_t i, const char *x)
{
	static const char *const conds[] = { "not", "if", "elif", "while", "assert", "and", "or", NULL };
	if (rg__heuristic_fn_has(s, i, "ZeroDivisionError", 0))
		return true;
	for (size_t j = LINE(s, i)->fn_first; j <= i; j++) {
		const char *c = LINE(s, j)->mask;
		for (const char *p = c; (p = rg__heuristic_word(p, x)); p++) {
			const char *after = p + strlen(x) + strspn(p + strlen(x), " ");
			if (p - c >= 4 && !strncmp(p - 4, "len(", 4)) {
				const char *q = after + (*after == ')');
				q += strspn(q, " ");
				const char *b = p - 4;
				while (b > c && b[-1] == ' ')
					b--;
				if (strchr("=!<>", *q) || (b - c >= 2 && !strncmp(b - 2, "if", 2)) ||
				    (b - c >= 3 && !strncmp(b - 3, "not", 3)))
					return true;
				continue;
			}
			const char *b = p;
			while (b > c && b[-1] == ' ')
				b--;
			const char *w = b;
			while (w > c && ident_char(w[-1]))
				w--;
			bool cond = false;
			for (size_t k = 0; conds[k] && !cond; k++)
				cond = (size_t)(b - w) == strlen(conds[k]) && !strncmp(w, conds[k], (size_t)(b - w));
			if (cond && (strchr(":),", *after) || !strncmp(after, "and ", 4) ||
				     !strncmp(after, "or ", 3) || !strncmp(after, "else", 4)))
				return true;
		}
	}
	return false;
}

static bool r_division_by_zero(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[2];
	if (!rg__heuristic_re(s, RE_DIV_LEN, l->mask, m, 2))
		return false;
	char x[RG__H_SNIP_BYTES];
	rg__heuristic_snip(x, sizeof x, l->code + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	if (emptiness_guard(s, i, x))
		return false;
	HIT_DESC(hit, "Division by zero: dividing by len(%s) raises ZeroDivisionError when %s is "
		 "empty, and nothing guards that case.", x, x);
	HIT_FIX(hit, "Handle the empty case first, e.g. if not %s: return 0.0 (or the value the "
		"contract gives for no data).", x);
	return true;
}

static bool r_mutable_default(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[4];
	if (!l->in_sig || !rg__heuristic_re(s, RE_MUTABLE_DEFAULT, l->mask, m, 4))
		return false;
	char name[RG__H_SNIP_BYTES];
	rg__heuristic_snip(name, sizeof name, l->code + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	char c = l->mask[m[3].rm_so];
	const char *kind = c == '[' || c == 'l' ? "list" : c == '{' || c == 'd' ? "dict"
							: c == 's' ? "set" : "object";
	HIT_DESC(hit, "Mutable default argument: the default %s of %s is created once, when the def "
		 "runs, so every call that omits %s shares it and sees what earlier calls put in "
		 "it.", kind, name, name);
	HIT_FIX(hit, "Default to None and make a fresh one per call: %s=None in the signature, then "
		"%s = %s if %s is None else %s.", name, name,
		c == '[' || c == 'l' ? "[]" : c == 's' ? "set()" : "{}", name, name);
	return true;
}

static bool r_swallowed_exception(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	static const char *const loud[] = { "log.", "log(", "logger", "logging", "print(", "warn",
					    "traceback", "sys.exit", NULL };
	regmatch_t m[1];
	bool bare = rg__heuristic_re(s, RE_BARE_EXCEPT, l->mask, m, 1);
	if (!bare && !rg__heuristic_re(s, RE_BROAD_EXCEPT, l->mask, m, 1))
		return false;
	bool raises = rg__heuristic_word(l->mask + m[0].rm_eo, "raise") != NULL;
	bool logs = has_any(l->mask + m[0].rm_eo, loud);
	for (size_t j = i + 1, end = rg__heuristic_block_end(s, i); j <= end; j++) {
		raises |= rg__heuristic_word(LINE(s, j)->mask, "raise") != NULL;
		logs |= has_any(LINE(s, j)->mask, loud);
	}
	if (raises || (!bare && logs))
		return false;
	if (bare)
		HIT_DESC(hit, "Bare except swallows the exception: except: catches everything, "
			 "KeyboardInterrupt and SystemExit included, so real failures are hidden.");
	else
		HIT_DESC(hit, "Exception is swallowed: except Exception catches every error, "
			 "programming bugs included, and carries on without re-raising or logging "
			 "it, so failures go unnoticed.");
	HIT_FIX(hit, "Catch only the exceptions this code expects (e.g. except ValueError:) and let "
		"the rest propagate, or log and re-raise them.");
	return true;
}

static bool r_resource_leak(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	regmatch_t m[2];
	if (rg__heuristic_re(s, RE_OPEN_ASSIGN, l->mask, m, 2)) {
		char name[RG__H_SNIP_BYTES], probe[RG__H_SNIP_BYTES + 16];
		rg__heuristic_snip(name, sizeof name, l->code + m[1].rm_so,
				   (size_t)(m[1].rm_eo - m[1].rm_so));
		if (strchr(name, '.'))
			return false; /* an attribute: its owner closes it */
		static const char *const closes[][2] = { { "", ".close()" }, { "with ", "" },
							 { "closing(", ")" } };
		for (size_t k = 0; k < sizeof closes / sizeof closes[0]; k++) {
			snprintf(probe, sizeof probe, "%s%s%s", closes[k][0], name, closes[k][1]);
			if (rg__heuristic_fn_has(s, i, probe, 0))
				return false;
		}
		for (size_t j = l->fn_first; j <= l->fn_last; j++) { /* handed to the caller */
			const char *c = LINE(s, j)->code + strspn(LINE(s, j)->code, " \t");
			size_t kw = !strncmp(c, "return ", 7) ? 7 : !strncmp(c, "yield ", 6) ? 6 : 0;
			if (kw && !strcmp(c + kw, name))
				return false;
		}
	} else if (!rg__heuristic_re(s, RE_OPEN_FOR, l->mask, NULL, 0)) {
		return false;
	}
	HIT_DESC(hit, "Resource leak: the file opened here is never closed (no with block, no "
		 "close()), so each call leaks a file handle, and an exception mid-read leaves it "
		 "open.");
	HIT_FIX(hit, "Open it in a with block so it is closed on every path: with open(path, "
		"encoding=\"utf-8\") as fh: ...");
	return true;
}

static bool r_float_money(const rg__hsrc *s, size_t i, rg__hhit *hit)
{
	const rg__hline *l = LINE(s, i);
	static const char *const money[] = { "price", "amount", "total", "cost", "vat", "tax",
					     "money", "balance", "fee", "invoice", "payment",
					     "cents", "salary", "charge", NULL };
	if (!rg__heuristic_re(s, RE_ROUND2, l->mask, NULL, 0) ||
	    !rg__heuristic_fn_has(s, i, "float(", 0) || rg__heuristic_fn_has(s, i, "Decimal", 0) ||
	    !(has_any(l->code, money) || has_any(def_text(s, i), money)))
		return false;
	HIT_DESC(hit, "Float money: the amount is computed in binary floating point and rounded "
		 "with round(..., 2), but floats cannot hold most cent values exactly and round() "
		 "rounds half to even, so totals come out a cent off.");
	HIT_FIX(hit, "Keep money in decimal.Decimal: Decimal(price) * quantity, then "
		".quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP); or work in integer cents.");
	return true;
}

/* ------------------------------------------------------------------------ */
/* The table                                                                */
/* ------------------------------------------------------------------------ */

#define SEC RG_ISSUE_SECURITY
const rg__hrule rg__heuristic_rules[] = {
	{ "hardcoded_secret", SEC, true, false, r_hardcoded_secret },
	{ "deserialization", SEC, true, false, r_deserialization },
	{ "code_injection", SEC, true, false, r_code_injection },
	{ "command_injection", SEC, true, false, r_command_injection },
	{ "sql_injection", SEC, false, false, r_sql_injection },
	{ "path_traversal", SEC, false, true, r_path_traversal },
	{ "xss", SEC, false, true, r_xss },
	{ "ssrf", SEC, false, true, r_ssrf },
	{ "timing_attack", SEC, false, false, r_timing_attack },
	{ "weak_hash", SEC, false, true, r_weak_hash },
	{ "insecure_random", SEC, false, true, r_insecure_random },
	{ "insecure_temp_file", SEC, false, false, r_insecure_temp_file },
	{ "info_leak", SEC, false, false, r_info_leak },
	{ "xxe", SEC, false, false, r_xxe },
	{ "redos", SEC, false, false, r_redos },
	{ "mutable_default", RG_ISSUE_BUG, false, false, r_mutable_default },
	{ "swallowed_exception", RG_ISSUE_BUG, false, false, r_swallowed_exception },
	{ "division_by_zero", RG_ISSUE_BUG, false, false, r_division_by_zero },
	{ "off_by_one", RG_ISSUE_BUG, false, false, r_off_by_one },
	{ "page_offset", RG_ISSUE_LOGIC, false, false, r_page_offset },
	{ "resource_leak", RG_ISSUE_BUG, false, false, r_resource_leak },
	{ "float_money", RG_ISSUE_LOGIC, false, true, r_float_money },
};
const size_t rg__heuristic_n_rules = sizeof rg__heuristic_rules / sizeof rg__heuristic_rules[0];
