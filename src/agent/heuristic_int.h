/*
 * heuristic_int.h - what heuristic.c (the scanner and the actions) shares with
 * heuristic_rules.c (the rule table); not part of the policy's contract.
 *
 * Design: heuristic.c turns the code into an array of rg__hline - each line as
 * written, its code with the comment stripped, and a mask of that code in which
 * string literal contents are '~' (so an operator or a call inside a string never
 * matches) - plus the enclosing function of every line, so a rule can look for a
 * guard elsewhere in the same function. A rule is a table entry: a predicate on one
 * line (or just a pattern) plus the words of its finding as templates, filled from
 * the snippets the predicate quotes. Regular expressions are listed here by id,
 * written in heuristic_rules.c, compiled per call by heuristic.c.
 *
 * Invariants: every string of an rg__hline is NUL-terminated; code and mask have
 * the same length, so an offset found in the mask indexes the code; both are ""
 * on lines that are not code (blank, comment, docstring).
 */
#ifndef RG_AGENT_HEURISTIC_INT_H
#define RG_AGENT_HEURISTIC_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

/* Longest code excerpt (a name, an argument) quoted in a description. */
#define RG__H_SNIP_BYTES 48
/* Rules the table may hold (the runner keeps per-rule state on the stack). */
#define RG__H_MAX_RULES 64

typedef struct rg__hline {
	const char *text;   /* the line as written */
	const char *code;   /* comment stripped, right-trimmed; "" unless is_code */
	const char *mask;   /* code with string contents as '~' */
	int indent;         /* columns of leading whitespace (tab stops of 8) */
	bool is_code;
	bool cont;          /* continues a statement begun above (open bracket, '\') */
	bool in_sig;        /* part of a def's signature */
	int fn;             /* index of the enclosing def line, -1 at module level */
	size_t fn_first, fn_last; /* that function's lines (the whole file at module level) */
} rg__hline;

/* Regular expressions (POSIX ERE), by id; patterns in heuristic_rules.c. */
enum rg__hre {
	RE_SECRET_KWARG, RE_SECRET_DICT,
	RE_DESER, RE_YAML, RE_EVAL, RE_SUBPROCESS, RE_SHELL_CALL,
	RE_SQL_KEYWORD, RE_FSTRING, RE_CONCAT, RE_PERCENT, RE_FORMAT,
	RE_PATH_JOIN, RE_HTTP_GET, RE_WEAK_HASH, RE_RANDOM, RE_MKTEMP, RE_TRACEBACK,
	RE_XXE, RE_REGEX_CALL, RE_MUTABLE_DEFAULT, RE_BARE_EXCEPT, RE_BROAD_EXCEPT,
	RE_DIV_LEN, RE_RANGE_LEN, RE_PAGE_OFFSET, RE_OPEN_ASSIGN, RE_OPEN_FOR, RE_ROUND2,
	RG__HRE__COUNT
};

typedef struct rg__hpattern {
	const char *re;
	int flags;          /* added to REG_EXTENDED */
} rg__hpattern;

extern const rg__hpattern rg__heuristic_patterns[RG__HRE__COUNT];

/* The scanned code as rules see it. */
typedef struct rg__hsrc {
	const rg__hline *lines;
	size_t n;
	const regex_t *re;  /* RG__HRE__COUNT compiled patterns */
} rg__hsrc;

/* What a firing rule quotes: up to RG__H_ARGS short snippets (names, calls). */
#define RG__H_ARGS 4
typedef struct rg__hargs {
	char a[RG__H_ARGS][RG__H_SNIP_BYTES];
} rg__hargs;

/* True when the rule fires on line i (0-based, a code line); then args are set. */
typedef bool (*rg__hrule_fn)(const rg__hsrc *s, size_t i, rg__hargs *args);

/* A rule: a predicate, or (fn == NULL) its pattern alone, matched on the mask, and
 * the words of its finding. desc and fix are templates where {0}..{3} stand for
 * the args; nothing else in them is special. */
typedef struct rg__hrule {
	const char *id;
	int type;           /* enum rg_issue_type */
	bool critical;      /* pr_review escalates */
	bool once_per_fn;   /* one finding per function is enough (the same flaw repeated) */
	rg__hrule_fn fn;
	enum rg__hre re;    /* fn == NULL only */
	const char *desc;
	const char *fix;
} rg__hrule;

/* In priority order: the first rules are the most serious. */
extern const rg__hrule rg__heuristic_rules[];
extern const size_t rg__heuristic_n_rules;

/* --- helpers (heuristic.c) -------------------------------------------------- */

enum {
	RG__H_CI = 1,       /* case-insensitive */
	RG__H_DOCS = 2,     /* search the text of every line, docstrings included */
	RG__H_UPTO = 4      /* only the lines up to and including i */
};

/* regexec of pattern id on text; m (nm entries, may be NULL/0) gets the groups. */
bool rg__heuristic_re(const rg__hsrc *s, enum rg__hre id, const char *text, regmatch_t *m,
		      size_t nm);
/* Copy group g of a match on text into out (RG__H_SNIP_BYTES). */
void rg__heuristic_group(char *out, const char *text, const regmatch_t *m, size_t g);
/* True when needle occurs in the code of line i's function (flags above). */
bool rg__heuristic_fn_has(const rg__hsrc *s, size_t i, const char *needle, int flags);
/* True when needle occurs in the code of lines i .. i's statement end. */
bool rg__heuristic_stmt_has(const rg__hsrc *s, size_t i, const char *needle);
/* True when some line of i's function assigns name (name = ...) with needle in
 * the value. */
bool rg__heuristic_assigned_with(const rg__hsrc *s, size_t i, const char *name,
				 const char *needle);
/* True when name (its root: the part before any '.', '[' or '(') may carry the
 * caller's data at line i: a parameter of the function, a loop variable, or
 * assigned from a subscript, a .get(), a request or an expression naming a
 * parameter. A name of unknown origin (a global, a constant) is not. */
bool rg__heuristic_tainted(const rg__hsrc *s, size_t i, const char *name);
/* The text of line i's def line, "" at module level. */
const char *rg__heuristic_def_text(const rg__hsrc *s, size_t i);
/* The last line of the block that line i opens (i itself when none). */
size_t rg__heuristic_block_end(const rg__hsrc *s, size_t i);

/* n cut to at most max bytes without splitting a UTF-8 character. */
size_t rg__heuristic_utf8_cut(const char *p, size_t n, size_t max);
bool rg__heuristic_ident(char c);
/* First whole-identifier occurrence of word in hay, or NULL. */
const char *rg__heuristic_word(const char *hay, const char *word);
/* Case-insensitive strstr. */
const char *rg__heuristic_ci(const char *hay, const char *needle);
/* True when text contains any of the NULL-terminated words (case-insensitive). */
bool rg__heuristic_has_any(const char *text, const char *const *words);
/* Copy n bytes of p, whitespace-trimmed and cut to fit, into out (cap >= 1). */
void rg__heuristic_snip(char *out, size_t cap, const char *p, size_t n);
/* The same for an expression quoted in a description: a call's arguments
 * become "(...)". */
void rg__heuristic_expr(char *out, size_t cap, const char *p, size_t n);

/* Argument k of the call whose '(' is at mask[open]: *start and the length (0 when
 * there is none on this line). Brackets nest; commas inside strings are masked. */
size_t rg__heuristic_call_arg(const char *mask, size_t open, int k, size_t *start);
/* True when mask[p..p+n) is one plain string literal (no f prefix, nothing else). */
bool rg__heuristic_plain_literal(const char *mask, size_t p, size_t n);
/* Next interpolation {expr} inside a string literal of line l at or after p: the
 * expression (conversion and format spec cut) goes to expr (RG__H_SNIP_BYTES);
 * returns the position after '}' or NULL. *spec tells whether a format spec
 * followed. */
const char *rg__heuristic_next_field(const rg__hline *l, const char *p, char *expr, bool *spec);
/* The operand of the comparison operator at mask[p] (2 bytes), to its left
 * (dir < 0) or right: *start and its length. */
size_t rg__heuristic_operand(const char *mask, size_t p, int dir, size_t *start);
/* True when the regex source re[0..n) can backtrack catastrophically: a group
 * repeated with + or * whose body is a repeated atom and optional ones - (a+)+,
 * (\w+\s?)*, ([a-z]+[-_]?)+. */
bool rg__heuristic_catastrophic(const char *re, size_t n);

/* Shorthands for the rules (heuristic_rules.c, heuristic_security.c). */
#define LINE(s, i) (&(s)->lines[i])
#define ARG(args, k) ((args)->a[k])
#define ARG_SET(args, k, ...) snprintf((args)->a[k], sizeof (args)->a[k], __VA_ARGS__)

/* The security rules' predicates (heuristic_security.c), named by rule id. */
bool rg__hr_hardcoded_secret(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_pickle(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_unsafe_yaml(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_code_injection(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_command_injection(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_sql_injection(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_path_traversal(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_xss(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_ssrf(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_info_leak(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_timing_attack(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_weak_hash(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_insecure_random(const rg__hsrc *s, size_t i, rg__hargs *args);
bool rg__hr_redos(const rg__hsrc *s, size_t i, rg__hargs *args);

#endif
