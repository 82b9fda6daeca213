/*
 * heuristic.h - the heuristic policy: an honest rule-based reviewer of Python code.
 *
 * Design: the heuristic sees only the observation - never the bank or any ground
 * truth - and reviews "code_to_review" line by line, the way a linter with a
 * security reviewer's taste would. The code is scanned once (heuristic.c): comments
 * are stripped, string literal contents masked, docstrings skipped, and each line
 * learns its enclosing function, so a rule can ask "is there a guard in this
 * function?". Each rule (heuristic_rules.c) then looks at one line with that
 * context and, when it fires, writes one finding in a reviewer's words that names
 * exactly one defect class (the grader ignores findings that name many) plus a
 * concrete fix. It is the middle baseline of the runner, between empty and oracle.
 *
 * The rules, in priority order (* = critical: pr_review escalates; sec =
 * security_vulnerability, logic = logic_error): id, issue_type, "the defect words
 * of the description": what fires it.
 *   hardcoded_secret*  sec   "hard-coded secret": a literal in a SECRET/PASSWORD/TOKEN/... name
 *   pickle*            sec   "insecure deserialization": pickle/marshal/dill/jsonpickle loads
 *   unsafe_yaml*       sec   "insecure deserialization": yaml.load without SafeLoader
 *   code_injection*    sec   "code injection": eval()/exec() of a value
 *   command_injection* sec   "command injection": shell=True/os.system of a non-literal
 *   sql_injection      sec   "SQL injection": f-string/+/%/format SQL to execute()
 *   path_traversal     sec   "path traversal": os.path.join(base, caller value), no realpath
 *   xss                sec   "cross-site scripting (XSS)": caller value in HTML, no escape()
 *   ssrf               sec   "server-side request forgery": fetch of a caller URL, no host check
 *   timing_attack      sec   "timing attack": == on a signature/digest/MAC/token
 *   weak_hash          sec   "weak hash": hashlib.md5/sha1 on passwords
 *   insecure_random    sec   "insecure random": random.* for tokens/passwords/salts
 *   insecure_temp_file sec   "insecure temporary file": tempfile.mktemp()
 *   info_leak          sec   "information disclosure": traceback returned to the client
 *   xxe                sec   "XML external entity (XXE)": external entities switched on
 *   redos              sec   "ReDoS": nested repetition such as (a+)+
 *   mutable_default    bug   "mutable default argument": =[], ={}, =set() in a def
 *   bare_except        bug   "bare except swallows the exception": except: with no raise
 *   broad_except       bug   "exception is swallowed": except Exception: no raise or log
 *   division_by_zero   bug   "division by zero": / len(x), no emptiness guard
 *   off_by_one         bug   "off-by-one": range(len(x) - 1) not reading x[i + 1]
 *   page_offset        logic "off-by-one": page * size where pages are 1-based
 *   resource_leak      bug   "resource leak": x = open() never closed
 *   float_money        logic "float money": round(x, 2) on float amounts
 *
 * Ownership: both calls return a new JSON object (release with rg_json_free). No
 * global state: patterns are compiled per call, so calls are thread-safe.
 */
#ifndef RG_AGENT_HEURISTIC_H
#define RG_AGENT_HEURISTIC_H

#include "core/err.h"
#include "core/json.h"

/* At most this many findings per action (the rest are dropped, in line order). */
#define RG_HEURISTIC_MAX_FINDINGS 64

/* code_review: the action for an observation: reads observation "code_to_review";
 * returns a new JSON object {"findings":[{line_number, issue_type, description,
 * suggested_fix}...], "review_summary": "..."} or NULL with err (ENOMEM, or EINVAL
 * naming "code_to_review" when the field is missing). */
rg_json *rg_heuristic_code_review(const rg_json *observation, rg_err *err);

/* pr_review: reads "code_to_review" (and may read "diff", "author_message",
 * "history"); returns {"decision": ..., "comment": ..., "findings": [...]}:
 * escalate when a critical-class rule fires (hard-coded secret, pickle/yaml/eval/exec
 * on untrusted data, shell command injection), request_changes with a comment
 * built from the findings when any other rule fires, approve when none does. */
rg_json *rg_heuristic_pr_review(const rg_json *observation, rg_err *err);

#endif
