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

typedef struct rg_task {
	const char *id;
	const char *family;        /* "code_review" */
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
} rg_task;

typedef struct rg_lexicon {
	const char *const *names;  /* class names */
	const rg_group *classes;   /* phrases per class */
	size_t n;
} rg_lexicon;

/* Index of a lexicon class by name, or -1. */
int rg_lexicon_find(const rg_lexicon *lex, const char *name);

#endif
