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
 * The rules, in priority order: rule id (issue_type) - the defect words used.
 * Critical rules (*) make pr_review escalate.
 *   hardcoded_secret*     (security_vulnerability) - "hard-coded secret": a string literal
 *                         bound to a name with SECRET/PASSWORD/TOKEN/API_KEY/PRIVATE_KEY/...
 *   deserialization*      (security_vulnerability) - "insecure deserialization": pickle/marshal
 *                         loads, yaml.load without SafeLoader, jsonpickle.decode
 *   code_injection*       (security_vulnerability) - "code injection": eval()/exec() of a value
 *   command_injection*    (security_vulnerability) - "command injection": shell=True with a
 *                         non-literal command, os.system/os.popen of a non-literal
 *   sql_injection         (security_vulnerability) - "SQL injection": SQL built with an
 *                         f-string, +, % or .format() reaching execute() (allow-listed
 *                         f-string values excepted)
 *   path_traversal        (security_vulnerability) - "path traversal": os.path.join with a
 *                         variable and no realpath/commonpath/basename check in the function
 *   xss                   (security_vulnerability) - "cross-site scripting (XSS)": an HTML
 *                         f-string interpolating a value not passed through escape()
 *   ssrf                  (security_vulnerability) - "server-side request forgery (SSRF)":
 *                         requests/httpx/urlopen of a caller's URL with no host check
 *   timing_attack         (security_vulnerability) - "timing attack": ==/!= on a signature,
 *                         digest, token or HMAC (use hmac.compare_digest)
 *   weak_hash             (security_vulnerability) - "weak hash": hashlib.md5/sha1 where
 *                         passwords are hashed
 *   insecure_random       (security_vulnerability) - "insecure random": random.* producing
 *                         tokens, passwords, salts or nonces
 *   insecure_temp_file    (security_vulnerability) - "insecure temporary file": tempfile.mktemp
 *   info_leak             (security_vulnerability) - "information disclosure": a traceback
 *                         returned to the client
 *   xxe                   (security_vulnerability) - "XML external entity (XXE)": external
 *                         entities switched on
 *   redos                 (security_vulnerability) - "ReDoS": a regex with a repeated group
 *                         that itself repeats ((a+)+)
 *   mutable_default       (bug) - "mutable default argument": =[], ={}, =set(), =dict()...
 *   swallowed_exception   (bug) - "bare except" / "exception is swallowed": except: or
 *                         except Exception with no raise and no logging in its body
 *   division_by_zero      (bug) - "division by zero": / len(x) with no emptiness guard
 *   off_by_one            (bug) - "off-by-one": range(len(x) - 1), range(1, len(x) - 1)
 *                         whose body does not read x[i + 1]
 *   page_offset           (logic_error) - "off-by-one": page * size in a function whose
 *                         pages are 1-based
 *   resource_leak         (bug) - "resource leak": x = open(...) outside a with block and
 *                         never closed
 *   float_money           (logic_error) - "float money": round(x, 2) on float amounts
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
