/*
 * task.h - the task bank's data model: tasks, ground-truth issues, concept groups,
 * and the lexicon of defect classes.
 *
 * Design: tasks are data (docs/task-format.md). The loader turns each directory
 * into an rg_task whose strings and arrays all live in the bank's arena; phrases
 * are stored pre-compiled (core/text.h) so grading does no string preparation.
 * Code lines are kept trimmed for the grader's "pasted code earns nothing" rule.
 *
 * Ownership: the bank owns everything (one arena); it is immutable after load and
 * outlives every session, so episodes hold plain borrowed pointers into it.
 */
#ifndef RG_BANK_TASK_H
#define RG_BANK_TASK_H

#include <stdbool.h>
#include <stddef.h>

enum rg_difficulty { RG_EASY, RG_MEDIUM, RG_HARD, RG_DIFFICULTY__COUNT };
enum rg_issue_type { RG_ISSUE_BUG, RG_ISSUE_LOGIC, RG_ISSUE_SECURITY, RG_ISSUE__COUNT };
enum rg_severity { RG_SEV_LOW, RG_SEV_MEDIUM, RG_SEV_HIGH, RG_SEV_CRITICAL, RG_SEV__COUNT };

/* Wire names: "easy", "bug", "security_vulnerability", "critical", ... */
const char *rg_difficulty_name(enum rg_difficulty d);
const char *rg_issue_type_name(enum rg_issue_type t);
const char *rg_severity_name(enum rg_severity s);
/* Parse a wire name; -1 when unknown. */
int rg_difficulty_parse(const char *s);
int rg_issue_type_parse(const char *s);
int rg_severity_parse(const char *s);

/* A compiled phrase (" sql injection " or prefix " inject"). */
typedef struct rg_phrase {
	const char *text;
	size_t len;
} rg_phrase;

/* Alternatives: the group is hit when any phrase occurs. */
typedef struct rg_group {
	const rg_phrase *phrases;
	size_t n;
} rg_group;

typedef struct rg_issue {
	const char *id;
	int first_line, last_line; /* 1-based, inclusive */
	enum rg_issue_type type;
	enum rg_severity severity;
	int lex_class;             /* index into the bank's lexicon */
	const char *cwe;           /* "CWE-89" or NULL */
	const rg_group *concepts;
	size_t n_concepts;
	const rg_group *fix_concepts;
	size_t n_fix_concepts;
	const char *explanation;
	const char *fix;
} rg_issue;

typedef struct rg_pr_scenario rg_pr_scenario;

typedef struct rg_task {
	const char *id;
	const char *family;        /* "code_review" or "pr_review" */
	enum rg_difficulty difficulty;
	const char *title;
	const char *description;
	const char *language;
	bool eval_split;           /* held out: split == "eval" */
	const char *dir;           /* directory the task was loaded from */
	const char *code;          /* code.py, NUL-terminated */
	const char *fixed;         /* fixed.py */
	size_t n_lines;            /* lines of code */
	const char *const *trimmed_lines; /* each code line, trimmed */
	const size_t *trimmed_lens;
	const rg_issue *issues;
	size_t n_issues;
	const rg_pr_scenario *pr;  /* pr_review only: the PR and its author, else NULL */
} rg_task;

/* --- pr_review (docs/pr-task-format.md) ------------------------------------ */

enum rg_decision { RG_DECIDE_APPROVE, RG_DECIDE_REQUEST_CHANGES, RG_DECIDE_ESCALATE,
		   RG_DECIDE_COMMENT, RG_DECISION__COUNT };
/* What the code in front of the reviewer deserves: derived from its issues. */
enum rg_verdict { RG_VERDICT_CORRECT, RG_VERDICT_FLAWED, RG_VERDICT_CRITICAL };
enum rg_pr_kind { RG_PR_SINGLE_PASS, RG_PR_NEGOTIATION, RG_PR_ESCALATION, RG_PR_CUSTOM,
		  RG_PR_KIND__COUNT };

const char *rg_decision_name(enum rg_decision d);
const char *rg_verdict_name(enum rg_verdict v);
const char *rg_pr_kind_name(enum rg_pr_kind k);
int rg_pr_kind_parse(const char *s); /* the bank's kinds only (not custom); -1 if unknown */

/* One version of the file under review. `review` is a code_review-shaped task over
 * this version (code, trimmed lines, the issues present with their lines here, the
 * root cause first), so the code_review grader works on it unchanged. */
typedef struct rg_pr_version {
	const char *id;
	const char *file;          /* "v2.py" */
	const char *diff;          /* unified diff base -> this version */
	enum rg_verdict verdict;
	rg_task review;
} rg_pr_version;

/* A rule: when decision (or any of request_changes/comment when -1) and root_cause
 * (-1 either, 0, 1) match the reviewer's turn, go to state `to`. */
typedef struct rg_pr_rule {
	int decision;
	int root_cause;
	int to;
} rg_pr_rule;

typedef struct rg_pr_state {
	const char *id;
	int version;               /* index into versions; -1 on end states */
	const char *message;
	const char *repeat;        /* said when no rule matches; NULL = generic */
	const rg_pr_rule *rules;
	size_t n_rules;
	const char *end;           /* outcome name on end states, else NULL */
	bool success;              /* end states only */
} rg_pr_state;

struct rg_pr_scenario {
	enum rg_pr_kind kind;
	const char *pr_title;
	const char *pr_description;
	const char *file;          /* path in the diff headers */
	const char *base;          /* file before the PR, "" for a new file */
	int max_turns;
	const rg_pr_version *versions;
	size_t n_versions;
	const rg_pr_state *states; /* states[0] is the start */
	size_t n_states;
};

typedef struct rg_lexicon {
	const char *const *names;  /* class names */
	const rg_group *classes;   /* phrases per class */
	size_t n;
} rg_lexicon;

/* Index of a lexicon class by name, or -1. */
int rg_lexicon_find(const rg_lexicon *lex, const char *name);

#endif
