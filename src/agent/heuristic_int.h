/*
 * heuristic_int.h - what heuristic.c (the scanner and the actions) shares with
 * heuristic_rules.c (the rule table); not part of the policy's contract.
 *
 * Design: heuristic.c turns the code into an array of rg__hline - each line as
 * written, its code with the comment stripped, and a mask of that code in which
 * string literal contents are '~' (so an operator or a call inside a string never
 * matches) - plus the enclosing function of every line, so a rule can look for a
 * guard elsewhere in the same function. A rule is a predicate on one line that,
 * when it fires, writes the finding's description and fix. Regular expressions are
 * listed here by id, written in heuristic_rules.c, compiled per call by heuristic.c.
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

#define RG__H_DESC_BYTES 480
#define RG__H_FIX_BYTES 320
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

typedef struct rg__hhit {
	char desc[RG__H_DESC_BYTES];
	char fix[RG__H_FIX_BYTES];
} rg__hhit;

/* True when the rule fires on line i (0-based, a code line); then hit is written. */
typedef bool (*rg__hrule_fn)(const rg__hsrc *s, size_t i, rg__hhit *hit);

typedef struct rg__hrule {
	const char *id;
	int type;           /* enum rg_issue_type */
	bool critical;      /* pr_review escalates */
	bool once_per_fn;   /* one finding per function is enough (the same flaw repeated) */
	rg__hrule_fn fn;
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
/* True when needle occurs in the code of line i's function (flags above). */
bool rg__heuristic_fn_has(const rg__hsrc *s, size_t i, const char *needle, int flags);
/* True when needle occurs in the code of lines i .. i's statement end. */
bool rg__heuristic_stmt_has(const rg__hsrc *s, size_t i, const char *needle);
/* First whole-identifier occurrence of word in hay, or NULL. */
const char *rg__heuristic_word(const char *hay, const char *word);
/* Case-insensitive strstr. */
const char *rg__heuristic_ci(const char *hay, const char *needle);
/* The last line of the block that line i opens (i itself when none). */
size_t rg__heuristic_block_end(const rg__hsrc *s, size_t i);
/* Copy n bytes of p, whitespace-trimmed and cut to fit, into out (cap >= 1). */
void rg__heuristic_snip(char *out, size_t cap, const char *p, size_t n);

#endif
