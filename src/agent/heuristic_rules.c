/*
 * heuristic_rules.c - the heuristic reviewer's rules (the list is in heuristic.h):
 * the patterns, the bug rules and the table; the security rules' predicates are
 * in heuristic_security.c.
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
	{ "hardcoded_secret", SEC, true, false, rg__hr_hardcoded_secret, NO_RE,
	  "Hard-coded secret: {0} is a credential written into the source, so anyone with the "
	  "code or its history has it, and rotating it needs a deploy.",
	  "Read it at startup from the environment or a secrets manager (os.environ[\"{1}\"]), "
	  "fail fast when it is missing, and rotate the value that was committed." },
	{ "pickle", SEC, true, false, rg__hr_pickle, NO_RE,
	  "Insecure deserialization: {0}() decodes {1}, and unpickling runs whatever callables the "
	  "bytes name, so anyone who controls that data controls this process.",
	  "Store plain data and decode it with json.loads(); if the value travels through a "
	  "client (a cookie, a form), sign it with an HMAC and verify the signature before "
	  "decoding." },
	{ "unsafe_yaml", SEC, true, false, rg__hr_unsafe_yaml, NO_RE,
	  "Insecure deserialization: yaml.{0}() without SafeLoader builds arbitrary Python objects "
	  "from the document, so a crafted YAML file runs code.",
	  "Use yaml.safe_load() (or Loader=yaml.SafeLoader), which builds only plain lists, dicts "
	  "and scalars." },
	{ "code_injection", SEC, true, false, rg__hr_code_injection, NO_RE,
	  "Code injection: {0}() runs {1} as Python code, so whoever controls that value can "
	  "execute anything in this process with its permissions.",
	  "Do not evaluate input: parse it as data with ast.literal_eval() or json.loads(), or map "
	  "the allowed names to functions explicitly." },
	{ "command_injection", SEC, true, false, rg__hr_command_injection, NO_RE,
	  "Command injection: {0} runs a shell command built from {1}, so shell metacharacters in "
	  "that value (; | && $(...)) run extra commands on the server.",
	  "Pass the program and its arguments as a list with shell=False, e.g. "
	  "subprocess.run([\"ping\", \"-c\", \"1\", host], check=True), and validate the value; "
	  "never hand caller input to a shell." },
	{ "sql_injection", SEC, false, false, rg__hr_sql_injection, NO_RE,
	  "SQL injection: the query is built with {0} from {1} and passed to execute(), so a quote "
	  "in that value rewrites the SQL; escaping quotes by hand does not make it safe.",
	  "Use a parameterised query: put placeholders (? or %s) in the SQL and pass the values as "
	  "execute()'s second argument; check identifiers such as a sort column against an "
	  "allow-list." },
	{ "path_traversal", SEC, false, true, rg__hr_path_traversal, NO_RE,
	  "Path traversal: {0} goes into os.path.join() unchecked, so a value such as "
	  "../../etc/passwd or an absolute path makes the result escape the base directory.",
	  "Resolve the joined path with os.path.realpath() and reject it unless "
	  "os.path.commonpath([base, path]) == base; or reduce the name with os.path.basename() "
	  "first." },
	{ "xss", SEC, false, true, rg__hr_xss, NO_RE,
	  "Cross-site scripting (XSS): {0} is put into the HTML without html.escape(), so a value "
	  "containing <script> or a quote injects markup and script into the page.",
	  "Escape every interpolated value with html.escape(value, quote=True), or render through "
	  "a template engine that autoescapes." },
	{ "ssrf", SEC, false, true, rg__hr_ssrf, NO_RE,
	  "Server-side request forgery (SSRF): the server fetches {0}, a URL its caller supplies, "
	  "without checking where it points, so it can be aimed at internal services or the "
	  "cloud metadata endpoint.",
	  "Parse the URL, allow only https to an allow-list of hosts, and reject names that "
	  "resolve to private, loopback or link-local addresses before fetching." },
	{ "timing_attack", SEC, false, false, rg__hr_timing_attack, NO_RE,
	  "Timing attack: comparing {0} and {1} with {2} stops at the first differing byte, so "
	  "response times tell an attacker how much of a forged signature or token is already "
	  "right.",
	  "Compare in constant time: {3}hmac.compare_digest({0}, {1})." },
	{ "weak_hash", SEC, false, true, rg__hr_weak_hash, NO_RE,
	  "Weak hash: passwords are hashed with {0}, which is fast and broken, so stolen hashes "
	  "fall to brute force and precomputed tables in seconds; a salt does not fix that.",
	  "Hash passwords with a slow salted key-derivation function: hashlib.scrypt(), "
	  "hashlib.pbkdf2_hmac(\"sha256\", password, salt, 600000), bcrypt or argon2." },
	{ "insecure_random", SEC, false, true, rg__hr_insecure_random, NO_RE,
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
	{ "info_leak", SEC, false, false, rg__hr_info_leak, NO_RE,
	  "Information disclosure: the full traceback goes back to the client, showing file "
	  "paths, code and library versions to whoever triggers an error.",
	  "Log it on the server with logging.exception() and return a generic error message, with "
	  "a request id to correlate the two." },
	{ "xxe", SEC, false, false, NULL, RE_XXE,
	  "XML external entity (XXE): the parser is told to resolve external entities, so a "
	  "crafted document can read local files or make the server fetch internal URLs.",
	  "Leave external entities off (setFeature(feature_external_ges, False)) or parse "
	  "untrusted XML with defusedxml." },
	{ "redos", SEC, false, false, rg__hr_redos, NO_RE,
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
