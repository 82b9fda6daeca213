/*
 * test_heuristic.c - the heuristic policy (agent/heuristic.h).
 *
 * Design: most cases are data. Each rule has a small Python snippet it must flag
 * at a given line, with a description containing the rule's defect words, and the
 * fixed counterpart, on which the whole review must come back empty (so the fix
 * trips no other rule either). The lexicon test checks the reviewer's words: every
 * finding of the table names its own defect class of tasks/lexicon/ and no other,
 * description and fix together, because the grader ignores findings (and pr_review
 * comments) that name several classes. Then: comments and docstrings are skipped,
 * findings are deduplicated and capped, pr_review decides escalate /
 * request_changes / approve, a missing field is a named error, every allocation
 * failure ends in ENOMEM without a leak, concurrent calls agree.
 *
 * The bank test runs the heuristic over every task of the real bank (the test may
 * read ground truth; the policy never does), checks that every action passes the
 * real normaliser without a repair, and prints what it measures ("heuristic: ...").
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/heuristic.h"
#include "core/alloc.h"
#include "core/text.h"
#include "env/action.h"
#include "env/env.h"
#include "env/pr_action.h"
#include "grade/grade.h"
#include "unit/support.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static rg_json *observation(const char *code)
{
	rg_json *o = rg_json_obj();
	cr_assert(o && !rg_json_set_str(o, "code_to_review", code));
	return o;
}

/* The heuristic's action for code (pr_review's when pr). */
static rg_json *act(const char *code, bool pr)
{
	rg_json *o = observation(code);
	rg_err err;
	rg_err_clear(&err);
	rg_json *a = pr ? rg_heuristic_pr_review(o, &err) : rg_heuristic_code_review(o, &err);
	cr_assert_not_null(a, "%s: %s", pr ? "pr_review" : "code_review", err.msg);
	rg_json_free(o);
	return a;
}

static rg_json *review(const char *code)
{
	return act(code, false);
}

static rg_json *pr_review(const char *code)
{
	return act(code, true);
}

static const char *str_of(const rg_json *o, const char *key)
{
	const char *s = rg_json_str_val(rg_json_get(o, key));
	return s ? s : "";
}

/* The finding at line whose description contains words, or NULL. */
static const rg_json *finding_at(const rg_json *action, int line, const char *words)
{
	const rg_json *fs = rg_json_get(action, "findings");
	for (size_t k = 0; k < rg_json_size(fs); k++) {
		const rg_json *f = rg_json_at(fs, k);
		if (rg_json_int_val(rg_json_get(f, "line_number")) == line &&
		    strstr(str_of(f, "description"), words))
			return f;
	}
	return NULL;
}

static char *dump(const rg_json *v)
{
	char *s = rg_json_dump(v, NULL);
	cr_assert_not_null(s);
	return s;
}

/* ------------------------------------------------------------------------ */
/* One case per rule                                                        */
/* ------------------------------------------------------------------------ */

typedef struct rule_case {
	const char *words;  /* in the description */
	const char *lex;    /* the lexicon class it names, NULL when the lexicon has none */
	const char *type;
	int line;
	const char *bad;
	const char *fixed;
} rule_case;

static const rule_case cases[] = {
	{ "SQL injection", "sql_injection", "security_vulnerability", 2,
	  "def find(conn, name):\n"
	  "    q = f\"SELECT * FROM users WHERE name = '{name}'\"\n"
	  "    return conn.execute(q).fetchall()\n",
	  "def find(conn, name):\n"
	  "    q = \"SELECT * FROM users WHERE name = ?\"\n"
	  "    return conn.execute(q, (name,)).fetchall()\n" },
	{ "SQL injection", "sql_injection", "security_vulnerability", 4,
	  "SORTS = (\"name\", \"created\")\n"
	  "\n"
	  "def listing(cur, order):\n"
	  "    cur.execute(\"SELECT id FROM docs ORDER BY \" + order)\n",
	  "SORTS = (\"name\", \"created\")\n"
	  "\n"
	  "def listing(cur, order):\n"
	  "    if order not in SORTS:\n"
	  "        raise ValueError(order)\n"
	  "    cur.execute(f\"SELECT id FROM docs ORDER BY {order}\")\n" },
	{ "Command injection", "command_injection", "security_vulnerability", 3,
	  "import subprocess\n"
	  "def ping(host):\n"
	  "    return subprocess.run(f\"ping -c 1 {host}\", shell=True).returncode\n",
	  "import subprocess\n"
	  "def ping(host):\n"
	  "    return subprocess.run([\"ping\", \"-c\", \"1\", host], shell=False).returncode\n" },
	{ "Command injection", "command_injection", "security_vulnerability", 3,
	  "import os\n"
	  "def wipe(path):\n"
	  "    os.system(\"rm -rf \" + path)\n",
	  "import subprocess\n"
	  "def wipe(path):\n"
	  "    subprocess.run([\"rm\", \"-rf\", \"--\", path], check=True)\n" },
	{ "Insecure deserialization", "insecure_deserialization", "security_vulnerability", 3,
	  "import pickle\n"
	  "def load(blob):\n"
	  "    return pickle.loads(blob)\n",
	  "import json\n"
	  "def load(blob):\n"
	  "    return json.loads(blob)\n" },
	{ "Insecure deserialization", "insecure_deserialization", "security_vulnerability", 3,
	  "import yaml\n"
	  "def config(text):\n"
	  "    return yaml.load(text)\n",
	  "import yaml\n"
	  "def config(text):\n"
	  "    return yaml.load(text, Loader=yaml.SafeLoader)\n" },
	{ "Code injection", "code_injection", "security_vulnerability", 2,
	  "def calc(expr):\n"
	  "    return eval(expr)\n",
	  "import ast\n"
	  "def calc(expr):\n"
	  "    return ast.literal_eval(expr)\n" },
	{ "Hard-coded secret", "hardcoded_secret", "security_vulnerability", 3,
	  "import os\n"
	  "\n"
	  "JWT_SECRET = \"s3cr3t-signing-key-2024\"\n",
	  "import os\n"
	  "\n"
	  "JWT_SECRET = os.environ[\"JWT_SECRET\"]\n" },
	{ "Timing attack", "timing_attack", "security_vulnerability", 5,
	  "import hashlib\n"
	  "import hmac\n"
	  "def verify(key, body, signature):\n"
	  "    expected = hmac.new(key, body, hashlib.sha256).hexdigest()\n"
	  "    return expected == signature\n",
	  "import hashlib\n"
	  "import hmac\n"
	  "def verify(key, body, signature):\n"
	  "    expected = hmac.new(key, body, hashlib.sha256).hexdigest()\n"
	  "    return hmac.compare_digest(expected, signature)\n" },
	{ "Weak hash", "weak_crypto", "security_vulnerability", 3,
	  "import hashlib\n"
	  "def hash_password(password, salt):\n"
	  "    return hashlib.md5((salt + password).encode()).hexdigest()\n",
	  "import hashlib\n"
	  "def hash_password(password, salt):\n"
	  "    return hashlib.pbkdf2_hmac(\"sha256\", password.encode(), salt, 600000).hex()\n" },
	{ "Insecure random", "insecure_random", "security_vulnerability", 4,
	  "import random\n"
	  "import string\n"
	  "def reset_token():\n"
	  "    return \"\".join(random.choice(string.ascii_letters) for _ in range(32))\n",
	  "import secrets\n"
	  "def reset_token():\n"
	  "    return secrets.token_urlsafe(32)\n" },
	{ "Path traversal", "path_traversal", "security_vulnerability", 4,
	  "import os\n"
	  "BASE = \"/srv/files\"\n"
	  "def read(name):\n"
	  "    path = os.path.join(BASE, name)\n"
	  "    with open(path, \"rb\") as fh:\n"
	  "        return fh.read()\n",
	  "import os\n"
	  "BASE = os.path.realpath(\"/srv/files\")\n"
	  "def read(name):\n"
	  "    path = os.path.realpath(os.path.join(BASE, name))\n"
	  "    if os.path.commonpath([BASE, path]) != BASE:\n"
	  "        raise ValueError(\"outside the base directory\")\n"
	  "    with open(path, \"rb\") as fh:\n"
	  "        return fh.read()\n" },
	{ "Cross-site scripting (XSS)", "xss", "security_vulnerability", 3,
	  "def greet(user):\n"
	  "    name = user[\"name\"]\n"
	  "    return f\"<p>Hello {name}</p>\"\n",
	  "import html\n"
	  "def greet(user):\n"
	  "    name = html.escape(user[\"name\"], quote=True)\n"
	  "    return f\"<p>Hello {name}</p>\"\n" },
	{ "Server-side request forgery (SSRF)", "ssrf", "security_vulnerability", 3,
	  "import requests\n"
	  "def fetch(url):\n"
	  "    return requests.get(url, timeout=5).text\n",
	  "import requests\n"
	  "from urllib.parse import urlparse\n"
	  "ALLOWED_HOSTS = {\"api.example.com\"}\n"
	  "def fetch(url):\n"
	  "    if urlparse(url).hostname not in ALLOWED_HOSTS:\n"
	  "        raise ValueError(\"host not allowed\")\n"
	  "    return requests.get(url, timeout=5).text\n" },
	{ "Insecure temporary file", "insecure_temp_file", "security_vulnerability", 3,
	  "import tempfile\n"
	  "def scratch():\n"
	  "    return tempfile.mktemp(suffix=\".csv\")\n",
	  "import tempfile\n"
	  "def scratch():\n"
	  "    return tempfile.mkstemp(suffix=\".csv\")\n" },
	{ "Information disclosure", "info_leak", "security_vulnerability", 6,
	  "import traceback\n"
	  "def handle(fn):\n"
	  "    try:\n"
	  "        return fn()\n"
	  "    except Exception:\n"
	  "        return {\"error\": traceback.format_exc()}\n",
	  "import logging\n"
	  "def handle(fn):\n"
	  "    try:\n"
	  "        return fn()\n"
	  "    except Exception:\n"
	  "        logging.exception(\"handler failed\")\n"
	  "        return {\"error\": \"internal error\"}\n" },
	{ "XML external entity (XXE)", "xxe", "security_vulnerability", 3,
	  "from xml.sax.handler import feature_external_ges\n"
	  "def configure(parser):\n"
	  "    parser.setFeature(feature_external_ges, True)\n",
	  "from xml.sax.handler import feature_external_ges\n"
	  "def configure(parser):\n"
	  "    parser.setFeature(feature_external_ges, False)\n" },
	{ "ReDoS", "redos", "security_vulnerability", 2,
	  "import re\n"
	  "SLUG = re.compile(r\"^([a-z0-9]+[-_]?)+$\")\n",
	  "import re\n"
	  "SLUG = re.compile(r\"^[a-z0-9]+(?:[-_][a-z0-9]+)*$\")\n" },
	{ "Mutable default argument", "mutable_default", "bug", 1,
	  "def add(item, items=[]):\n"
	  "    items.append(item)\n"
	  "    return items\n",
	  "def add(item, items=None):\n"
	  "    items = [] if items is None else items\n"
	  "    items.append(item)\n"
	  "    return items\n" },
	{ "Bare except", "exception_handling", "bug", 4,
	  "def parse(text):\n"
	  "    try:\n"
	  "        return int(text)\n"
	  "    except:\n"
	  "        return 0\n",
	  "def parse(text):\n"
	  "    try:\n"
	  "        return int(text)\n"
	  "    except ValueError:\n"
	  "        return 0\n" },
	{ "Exception is swallowed", "exception_handling", "bug", 4,
	  "def save(store, item):\n"
	  "    try:\n"
	  "        store.put(item)\n"
	  "    except Exception:\n"
	  "        pass\n",
	  "def save(store, item):\n"
	  "    try:\n"
	  "        store.put(item)\n"
	  "    except KeyError:\n"
	  "        store.create(item)\n" },
	{ "Division by zero", "division_by_zero", "bug", 2,
	  "def mean(values):\n"
	  "    return sum(values) / len(values)\n",
	  "def mean(values):\n"
	  "    if not values:\n"
	  "        return 0.0\n"
	  "    return sum(values) / len(values)\n" },
	{ "Off-by-one", "off_by_one", "bug", 3,
	  "def biggest(xs):\n"
	  "    best = xs[0]\n"
	  "    for i in range(1, len(xs) - 1):\n"
	  "        if xs[i] > best:\n"
	  "            best = xs[i]\n"
	  "    return best\n",
	  "def biggest(xs):\n"
	  "    best = xs[0]\n"
	  "    for i in range(1, len(xs)):\n"
	  "        if xs[i] > best:\n"
	  "            best = xs[i]\n"
	  "    return best\n" },
	{ "Off-by-one", "off_by_one", "logic_error", 4,
	  "def paginate(items, page, size):\n"
	  "    if page < 1:\n"
	  "        raise ValueError(\"pages start at 1\")\n"
	  "    start = page * size\n"
	  "    return items[start:start + size]\n",
	  "def paginate(items, page, size):\n"
	  "    if page < 1:\n"
	  "        raise ValueError(\"pages start at 1\")\n"
	  "    start = (page - 1) * size\n"
	  "    return items[start:start + size]\n" },
	{ "Resource leak", "resource_leak", "bug", 2,
	  "def read_lines(path):\n"
	  "    fh = open(path)\n"
	  "    return fh.readlines()\n",
	  "def read_lines(path):\n"
	  "    with open(path) as fh:\n"
	  "        return fh.readlines()\n" },
	{ "Float money", NULL, "logic_error", 2,
	  "def line_total(price, qty):\n"
	  "    return round(float(price) * qty, 2)\n",
	  "from decimal import ROUND_HALF_UP, Decimal\n"
	  "def line_total(price, qty):\n"
	  "    return (Decimal(price) * qty).quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP)\n" },
};
#define N_CASES (sizeof cases / sizeof cases[0])

Test(heuristic, every_rule_fires_on_its_snippet_at_the_right_line)
{
	for (size_t c = 0; c < N_CASES; c++) {
		rg_json *a = review(cases[c].bad);
		const rg_json *f = finding_at(a, cases[c].line, cases[c].words);
		char *text = dump(a);
		cr_expect_not_null(f, "case %zu (%s): no finding at line %d: %s", c, cases[c].words,
				   cases[c].line, text);
		if (f) {
			cr_expect_str_eq(str_of(f, "issue_type"), cases[c].type, "case %zu", c);
			cr_expect_gt(strlen(str_of(f, "suggested_fix")), 20, "case %zu: no fix", c);
		}
		free(text);
		rg_json_free(a);
	}
	assert_no_leaks();
}

Test(heuristic, no_rule_fires_on_the_fixed_code)
{
	for (size_t c = 0; c < N_CASES; c++) {
		rg_json *a = review(cases[c].fixed);
		char *text = dump(a);
		cr_expect_eq(rg_json_size(rg_json_get(a, "findings")), 0,
			     "case %zu (%s), fixed code flagged: %s", c, cases[c].words, text);
		free(text);
		rg_json_free(a);
	}
	assert_no_leaks();
}

/* The lexicon classes a text names (a bit per class, by lexicon index). */
static void classes_named(const rg_lexicon *lex, const char *text, bool *named)
{
	size_t n = strlen(text);
	char *norm = malloc(n + 3);
	cr_assert_not_null(norm);
	size_t len = rg_text_normalize(text, n, norm, n + 3);
	for (size_t c = 0; c < lex->n; c++) {
		named[c] = false;
		for (size_t k = 0; k < lex->classes[c].n && !named[c]; k++)
			named[c] = rg_text_has(norm, len, lex->classes[c].phrases[k].text,
					       lex->classes[c].phrases[k].len);
	}
	free(norm);
}

Test(heuristic, each_finding_names_its_own_defect_class_and_no_other)
{
	rg_bank *bank = rg_test_load_bank();
	const rg_lexicon *lex = rg_bank_lexicon(bank);
	bool *named = calloc(lex->n, sizeof *named);
	cr_assert_not_null(named);
	for (size_t c = 0; c < N_CASES; c++) {
		int own = cases[c].lex ? rg_lexicon_find(lex, cases[c].lex) : -1;
		cr_assert(!cases[c].lex || own >= 0, "no lexicon class %s", cases[c].lex);
		rg_json *a = review(cases[c].bad);
		const rg_json *f = finding_at(a, cases[c].line, cases[c].words);
		cr_assert_not_null(f, "case %zu", c);
		char text[2048];
		snprintf(text, sizeof text, "%s %s", str_of(f, "description"), str_of(f, "suggested_fix"));
		classes_named(lex, text, named);
		if (own >= 0)
			cr_expect(named[own], "case %zu does not name %s: %s", c, cases[c].lex, text);
		for (size_t k = 0; k < lex->n; k++)
			cr_expect(!named[k] || (int)k == own, "case %zu (%s) also names %s: %s", c,
				  cases[c].words, lex->names[k], text);
		rg_json_free(a);
	}
	free(named);
	rg_bank_destroy(bank);
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* Scanning: comments, docstrings, dedup, cap                               */
/* ------------------------------------------------------------------------ */

Test(heuristic, comments_docstrings_and_strings_are_not_code)
{
	rg_json *a = review("\"\"\"Helpers.\n"
			    "\n"
			    "Never call eval(text) or pickle.loads(blob) here.\n"
			    "\"\"\"\n"
			    "# os.system(\"rm -rf \" + path) was removed\n"
			    "def describe(text):\n"
			    "    '''Do not use eval(text); random.choice(token) is also out.'''\n"
			    "    return \"eval(text) and exec(code) are banned\"  # eval(text)\n");
	char *text = dump(a);
	cr_expect_eq(rg_json_size(rg_json_get(a, "findings")), 0, "%s", text);
	free(text);
	rg_json_free(a);
}

Test(heuristic, a_line_after_a_docstring_keeps_its_number)
{
	rg_json *a = review("def mean(values):\n"
			    "    \"\"\"The mean.\n"
			    "\n"
			    "    Callers pass at least one value.\n"
			    "    \"\"\"\n"
			    "    return sum(values) / len(values)\n");
	cr_expect_not_null(finding_at(a, 6, "Division by zero"));
	rg_json_free(a);
}

Test(heuristic, one_finding_per_rule_and_line)
{
	rg_json *a = review("def both(a, b):\n"
			    "    return eval(a) + eval(b)\n");
	cr_expect_eq(rg_json_size(rg_json_get(a, "findings")), 1);
	rg_json_free(a);
}

/* Code that looks like a defect to a grep, but is not one. */
static const char *const lookalikes[] = {
	"def steps(xs):\n"
	"    out = []\n"
	"    for i in range(len(xs) - 1):\n"
	"        out.append(xs[i + 1] - xs[i])\n"
	"    return out\n",
	"import hashlib\n"
	"def checksum(data):\n"
	"    return hashlib.md5(data).hexdigest()\n",
	"PASSWORD_ENV_VAR = \"SMTP_PASSWORD\"\n"
	"TOKEN_HEADER = \"X-Auth-Token-Value\"\n",
	"import subprocess\n"
	"def listing():\n"
	"    return subprocess.run(\"ls -l\", shell=True, capture_output=True).stdout\n",
	"def predict(model, x):\n"
	"    model.eval()\n"
	"    return model(x)\n",
	"MAGIC = b\"PK\\x05\\x06\"\n"
	"def check(sig):\n"
	"    if sig != MAGIC:\n"
	"        raise ValueError(\"not a zip\")\n",
	"def reader(path):\n"
	"    f = open(path, \"rb\")\n"
	"    return Reader(f)\n",
	"import sys\n"
	"def head():\n"
	"    enc = sys.getfilesystemencoding()\n"
	"    return f'<meta charset=\"{enc}\">'\n",
	"def by_ids(cur, ids):\n"
	"    marks = \", \".join(\"?\" for _ in ids)\n"
	"    return cur.execute(f\"SELECT * FROM t WHERE id IN ({marks})\", ids).fetchall()\n",
	"def mean(xs):\n"
	"    return sum(xs) / len(xs) if xs else 0.0\n",
	"import random\n"
	"def deal(deck):\n"
	"    random.shuffle(deck)\n"
	"    return deck\n",
	"import os\n"
	"BASE = \"/etc/app\"\n"
	"def config_path():\n"
	"    return os.path.join(BASE, \"config.ini\")\n",
	"import logging\n"
	"log = logging.getLogger(__name__)\n"
	"def run(job):\n"
	"    try:\n"
	"        return job()\n"
	"    except Exception:\n"
	"        log.exception(\"job failed\")\n"
	"        raise\n",
};

Test(heuristic, lookalikes_are_not_flagged)
{
	for (size_t k = 0; k < sizeof lookalikes / sizeof lookalikes[0]; k++) {
		rg_json *a = review(lookalikes[k]);
		char *text = dump(a);
		cr_expect_eq(rg_json_size(rg_json_get(a, "findings")), 0, "lookalike %zu flagged: %s",
			     k, text);
		free(text);
		rg_json_free(a);
	}
	assert_no_leaks();
}

Test(heuristic, findings_are_capped)
{
	char code[8192];
	size_t n = 0;
	for (int k = 0; k < 100; k++)
		n += (size_t)snprintf(code + n, sizeof code - n, "x%d = eval(y%d)\n", k, k);
	cr_assert_lt(n, sizeof code - 1);
	rg_json *a = review(code);
	const rg_json *fs = rg_json_get(a, "findings");
	cr_assert_eq(rg_json_size(fs), RG_HEURISTIC_MAX_FINDINGS);
	cr_expect_eq(rg_json_int_val(rg_json_get(rg_json_at(fs, 63), "line_number")), 64);
	rg_json_free(a);
	assert_no_leaks();
}

Test(heuristic, empty_and_odd_code_is_reviewed)
{
	static const char *const odd[] = { "", "\n", "\"\"\"unterminated", "x = '\\", "def (",
					   "\r\n\r\n", "((((((((", "except:", "    \tpass\n" };
	for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++) {
		rg_json *a = review(odd[k]);
		cr_expect(rg_json_is_arr(rg_json_get(a, "findings")), "case %zu", k);
		cr_expect(rg_json_is_str(rg_json_get(a, "review_summary")), "case %zu", k);
		rg_json_free(a);
	}
	assert_no_leaks();
}

/* Names of 60 two-byte characters, quoted as they are (cut to fit) and after
 * another name (cut by a bounded format): the description stays valid UTF-8. */
Test(heuristic, quoted_names_are_cut_on_a_character_boundary)
{
	static const struct { const char *head, *tail, *words; } long_names[] = {
		{ "def run(x):\n    return eval(", ")\n", "Code injection" },
		{ "def find(conn, x):\n    return conn.execute(f\"SELECT a FROM t WHERE b = {x} AND c = {",
		  "}\")\n", "SQL injection" },
	};
	for (size_t k = 0; k < sizeof long_names / sizeof long_names[0]; k++) {
		char code[512];
		size_t n = (size_t)snprintf(code, sizeof code, "%s", long_names[k].head);
		for (int c = 0; c < 60; c++)
			n += (size_t)snprintf(code + n, sizeof code - n, "\xc3\xa9");
		snprintf(code + n, sizeof code - n, "%s", long_names[k].tail);
		rg_json *a = review(code);
		cr_expect_not_null(finding_at(a, 2, long_names[k].words), "case %zu", k);
		rg_json_free(a);
	}
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* pr_review decisions and errors                                           */
/* ------------------------------------------------------------------------ */

Test(heuristic, pr_hard_coded_jwt_secret_is_escalated)
{
	rg_json *a = pr_review("import hashlib\n"
			       "import hmac\n"
			       "JWT_SECRET = \"hs256-2f9c1a7e5b3d4860-signing\"\n"
			       "\n"
			       "def sign(payload):\n"
			       "    return hmac.new(JWT_SECRET.encode(), payload, hashlib.sha256).hexdigest()\n");
	cr_expect_str_eq(str_of(a, "decision"), "escalate");
	cr_expect(strstr(str_of(a, "comment"), "Hard-coded secret"), "%s", str_of(a, "comment"));
	cr_expect_not_null(finding_at(a, 3, "Hard-coded secret"));
	rg_json_free(a);
	assert_no_leaks();
}

Test(heuristic, pr_off_by_one_requests_changes_with_a_comment)
{
	const char *bad = NULL;
	for (size_t c = 0; c < N_CASES && !bad; c++)
		bad = strstr(cases[c].bad, "range(1, len(xs) - 1)") ? cases[c].bad : NULL;
	cr_assert_not_null(bad);
	rg_json *a = pr_review(bad);
	cr_expect_str_eq(str_of(a, "decision"), "request_changes");
	cr_expect(strstr(str_of(a, "comment"), "Off-by-one"), "%s", str_of(a, "comment"));
	cr_expect_eq(rg_json_size(rg_json_get(a, "findings")), 1);
	rg_json_free(a);
	assert_no_leaks();
}

Test(heuristic, pr_clean_code_is_approved)
{
	rg_json *a = pr_review("import hmac\n"
			       "\n"
			       "def check(expected, provided):\n"
			       "    \"\"\"True when provided matches, in constant time.\"\"\"\n"
			       "    return hmac.compare_digest(expected, provided)\n");
	cr_expect_str_eq(str_of(a, "decision"), "approve");
	cr_expect(rg_json_is_arr(rg_json_get(a, "findings")));
	cr_expect_eq(rg_json_size(rg_json_get(a, "findings")), 0);
	rg_json_free(a);
	assert_no_leaks();
}

Test(heuristic, missing_or_wrong_code_is_a_named_error)
{
	rg_json *obs = rg_json_obj();
	cr_assert(obs && !rg_json_set_str(obs, "diff", "--- a\n+++ b\n"));
	rg_err err;
	rg_err_clear(&err);
	cr_expect_null(rg_heuristic_code_review(obs, &err));
	cr_expect_eq(err.code, RG_EINVAL);
	cr_expect_str_eq(err.field, "code_to_review");
	rg_err_clear(&err);
	cr_expect_null(rg_heuristic_pr_review(obs, &err));
	cr_expect_eq(err.code, RG_EINVAL);
	cr_expect_str_eq(err.field, "code_to_review");
	cr_assert(!rg_json_set_int(obs, "code_to_review", 7));
	rg_err_clear(&err);
	cr_expect_null(rg_heuristic_code_review(obs, &err));
	cr_expect_str_eq(err.field, "code_to_review");
	cr_expect_str_eq(err.kind, "string_type");
	rg_err_clear(&err);
	cr_expect_null(rg_heuristic_pr_review(NULL, &err));
	cr_expect_str_eq(err.field, "code_to_review");
	rg_json_free(obs);
	assert_no_leaks();
}

Test(heuristic, every_allocation_failure_is_enomem_without_a_leak)
{
	rg_json *obs = observation(cases[0].bad);
	for (int pr = 0; pr < 2; pr++) {
		for (long n = 0;; n++) {
			rg_err err;
			rg_err_clear(&err);
			rg_alloc_fail_after(n);
			rg_json *a = pr ? rg_heuristic_pr_review(obs, &err)
					: rg_heuristic_code_review(obs, &err);
			int fired = rg_alloc_failed();
			rg_alloc_fail_after(-1);
			if (!fired) {
				cr_assert_not_null(a, "n=%ld: %s", n, err.msg);
				rg_json_free(a);
				break;
			}
			cr_assert_null(a, "n=%ld: an action despite a failed allocation", n);
			cr_assert_eq(err.code, RG_ENOMEM, "n=%ld: %s", n, err.msg);
			cr_assert_lt(n, 10000);
		}
	}
	rg_json_free(obs);
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* Threads                                                                  */
/* ------------------------------------------------------------------------ */

#define THREADS 4

static void *review_all(void *out)
{
	char **texts = out;
	for (size_t c = 0; c < N_CASES; c++) {
		rg_json *o = observation(cases[c].bad);
		rg_json *a = rg_heuristic_code_review(o, NULL);
		texts[c] = a ? rg_json_dump(a, NULL) : NULL;
		rg_json_free(a);
		rg_json_free(o);
	}
	return NULL;
}

Test(heuristic, concurrent_calls_agree)
{
	static char *texts[THREADS][N_CASES];
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++)
		cr_assert_eq(pthread_create(&th[t], NULL, review_all, texts[t]), 0);
	for (int t = 0; t < THREADS; t++)
		cr_assert_eq(pthread_join(th[t], NULL), 0);
	for (size_t c = 0; c < N_CASES; c++) {
		for (int t = 0; t < THREADS; t++) {
			cr_assert_not_null(texts[t][c]);
			cr_expect_str_eq(texts[t][c], texts[0][c], "case %zu differs across threads", c);
		}
		for (int t = 0; t < THREADS; t++)
			free(texts[t][c]);
	}
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* The real bank                                                            */
/* ------------------------------------------------------------------------ */

/* The action is valid: it passes the real normaliser without a repair. */
static void check_action(const rg_json *a, const rg_task *review_task, bool pr, const char *id)
{
	rg_warnings w;
	rg_warn_clear(&w);
	rg_err err;
	rg_err_clear(&err);
	const rg_json *fs = rg_json_get(a, "findings");
	cr_assert(rg_json_is_arr(fs), "%s: no findings array", id);
	cr_assert_leq(rg_json_size(fs), RG_HEURISTIC_MAX_FINDINGS, "%s", id);
	for (size_t k = 0; k < rg_json_size(fs); k++) {
		long long line = rg_json_int_val(rg_json_get(rg_json_at(fs, k), "line_number"));
		cr_assert(line >= 1 && (size_t)line <= review_task->n_lines, "%s: line %lld", id, line);
	}
	if (pr) {
		rg_pr_action pa;
		cr_assert_eq(rg_pr_action_parse(a, &pa, &w, &err), 0, "%s: %s: %s", id, err.field, err.msg);
		cr_expect(pa.decision != RG_DECIDE_COMMENT && (pa.decision == RG_DECIDE_APPROVE ||
							      pa.comment_len > 0), "%s", id);
		rg_pr_action_release(&pa);
	} else {
		rg_cr_action ca;
		cr_assert_eq(rg_cr_action_parse(a, &ca, &w, &err), 0, "%s: %s: %s", id, err.field, err.msg);
		rg_cr_action_release(&ca);
	}
	cr_expect_eq(w.n, 0, "%s: the normaliser repaired the action: %s", id, w.n ? w.msg[0] : "");
}

/* Play one pr_review scenario through the real environment; the episode score. */
static double play(const rg_bank *bank, const rg_task *t, bool *success)
{
	const rg_env_ops *ops = rg_env_family("pr_review");
	rg_env_world world = { .bank = bank };
	rg_err err;
	rg_err_clear(&err);
	void *env = ops->create(&world, &err);
	cr_assert_not_null(env);
	rg_reset_params p;
	memset(&p, 0, sizeof p);
	p.difficulty = -1;
	p.has_seed = true;
	snprintf(p.task_id, sizeof p.task_id, "%s", t->id);
	rg_env_result r = { 0 };
	cr_assert_eq(ops->reset(env, &p, &r, &err), RG_OK, "%s: %s", t->id, err.msg);
	for (int turn = 0; !r.done; turn++) {
		cr_assert_leq(turn, RG_MAX_PR_TURNS, "%s never ends", t->id);
		rg_json *a = rg_heuristic_pr_review(r.observation, &err);
		cr_assert_not_null(a, "%s: %s", t->id, err.msg);
		rg_json_free(r.observation);
		cr_assert_eq(ops->step(env, a, &r, &err), RG_OK, "%s: %s", t->id, err.msg);
		rg_json_free(a);
	}
	*success = rg_json_bool_val(rg_json_get(r.observation, "success"));
	double score = rg_json_real_val(rg_json_get(r.observation, "episode_score"));
	rg_json_free(r.observation);
	ops->destroy(env);
	return score;
}

Test(heuristic, runs_over_the_whole_bank, .timeout = 120)
{
	rg_bank *bank = rg_test_load_bank();
	const rg_lexicon *lex = rg_bank_lexicon(bank);
	size_t cr_tasks = 0, issues = 0, hit = 0, findings = 0, near = 0;
	size_t versions = 0, stance_ok = 0, scenarios = 0, wins = 0;
	double score_sum = 0, episode_sum = 0;
	for (size_t i = 0; i < rg_bank_count(bank); i++) {
		const rg_task *t = rg_bank_at(bank, i);
		if (t->pr) {
			for (size_t v = 0; v < t->pr->n_versions; v++) {
				const rg_pr_version *ver = &t->pr->versions[v];
				rg_json *a = pr_review(ver->review.code);
				check_action(a, &ver->review, true, t->id);
				enum rg_decision want = ver->verdict == RG_VERDICT_CORRECT ? RG_DECIDE_APPROVE
							: ver->verdict == RG_VERDICT_CRITICAL ? RG_DECIDE_ESCALATE
							: RG_DECIDE_REQUEST_CHANGES;
				stance_ok += !strcmp(str_of(a, "decision"), rg_decision_name(want));
				versions++;
				rg_json_free(a);
			}
			bool ok;
			episode_sum += play(bank, t, &ok);
			wins += ok;
			scenarios++;
			continue;
		}
		rg_json *a = review(t->code);
		check_action(a, t, false, t->id);
		const rg_json *fs = rg_json_get(a, "findings");
		cr_tasks++;
		issues += t->n_issues;
		findings += rg_json_size(fs);
		/* Issues with a finding within 3 lines, and findings within 3 lines of an issue. */
		for (size_t k = 0; k < t->n_issues; k++) {
			bool found = false;
			for (size_t f = 0; f < rg_json_size(fs) && !found; f++) {
				long long line = rg_json_int_val(rg_json_get(rg_json_at(fs, f), "line_number"));
				found = line >= t->issues[k].first_line - 3 && line <= t->issues[k].last_line + 3;
			}
			hit += found;
		}
		for (size_t f = 0; f < rg_json_size(fs); f++) {
			long long line = rg_json_int_val(rg_json_get(rg_json_at(fs, f), "line_number"));
			bool close = false;
			for (size_t k = 0; k < t->n_issues && !close; k++)
				close = line >= t->issues[k].first_line - 3 && line <= t->issues[k].last_line + 3;
			near += close;
		}
		rg_cr_action ca;
		rg_warnings w;
		rg_err err;
		rg_warn_clear(&w);
		rg_err_clear(&err);
		cr_assert_eq(rg_cr_action_parse(a, &ca, &w, &err), 0);
		rg_grade_result g;
		cr_assert_eq(rg_grade_attempt(t, lex, ca.findings, ca.n, &rg_grade_default, &g, &err), 0);
		score_sum += g.score;
		rg_cr_action_release(&ca);
		rg_json_free(a);
	}
	cr_assert_gt(cr_tasks, 0);
	cr_assert_gt(scenarios, 0);
	printf("heuristic: code_review %zu tasks: %zu of %zu issues have a finding within 3 lines; "
	       "%zu of %zu findings are within 3 lines of an issue; mean graded score %.4f\n",
	       cr_tasks, hit, issues, near, findings, score_sum / (double)cr_tasks);
	printf("heuristic: pr_review %zu versions: decision fits the verdict on %zu; %zu scenarios "
	       "played: mean episode score %.4f, success %zu of %zu\n",
	       versions, stance_ok, scenarios, episode_sum / (double)scenarios, wins, scenarios);
	rg_bank_destroy(bank);
	assert_no_leaks();
}
