/*
 * grade.h - deterministic scoring of one code_review attempt against ground truth.
 *
 * Design (README.md "Reward rules" has a worked example): each finding is
 * compared with each issue. A pair is *eligible* when the finding's line is within
 * line_window of the issue's span, its description hits at least one of the
 * issue's concept groups, and the description is *focused*: it names at most
 * max_foreign_classes defect classes other than the issue's own (classes come from
 * the lexicon, plus any other issue of the task whose every concept group is hit).
 * Eligible pairs score line (exact = w_line, falling linearly to the window edge),
 * description (w_description x groups hit / groups), type and fix (fix groups hit
 * / groups). Findings and issues are then matched one-to-one by a maximum-weight
 * assignment; unmatched findings are false positives. Score = mean issue total +
 * coverage bonus (every issue matched) - penalty per false positive, clamped to
 * [0, 1] and rounded to 4 decimals. The assignment maximises exactly that score
 * (the bonus is handled by a second, coverage-first assignment), which gives the
 * monotonicity properties the tests check: a finding for an unfound issue never
 * lowers a score and a false positive never raises it.
 *
 * Before matching, every line of the snippet (trimmed, >= 6 chars) that appears
 * verbatim in a description or fix is blanked: pasted code earns nothing.
 *
 * Purity: no I/O, clock, globals or randomness; scratch memory is allocated and
 * freed inside the call (bounded by RG_MAX_FINDINGS x RG_MAX_ISSUES).
 */
#ifndef RG_GRADE_GRADE_H
#define RG_GRADE_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "bank/task.h"
#include "core/err.h"
#include "core/limits.h"

typedef struct rg_finding {
	int line;                /* 1-based */
	int line_end;            /* == line unless the reviewer gave a range */
	int type;                /* enum rg_issue_type, or -1 when absent */
	const char *description; /* borrowed */
	size_t description_len;
	const char *fix;         /* borrowed, may be "" */
	size_t fix_len;
} rg_finding;

typedef struct rg_grade_profile {
	const char *name;
	double w_line, w_description, w_type, w_fix;
	int line_window;             /* lines either side of the span that still earn */
	double coverage_bonus;       /* when every issue is matched */
	double false_positive_penalty;
	int max_foreign_classes;     /* more than this many other classes = spraying */
	double perfect;              /* attempts scoring >= this are perfect */
} rg_grade_profile;

/* The original design's rubric: 0.3 / 0.5 / 0.1 / 0.1, +-3 lines, +0.1, -0.05. */
extern const rg_grade_profile rg_grade_default;

typedef struct rg_issue_grade {
	int finding;            /* matched finding, -1 when missed */
	int line_distance;      /* lines between finding and span (0 = exact) */
	double line, description, type, fix, total;
	int concepts_hit, concepts_total;
	int fix_hit, fix_total;
} rg_issue_grade;

enum rg_finding_verdict {
	RG_FINDING_MATCHED,     /* earned an issue */
	RG_FINDING_DUPLICATE,   /* eligible, but another finding earned that issue */
	RG_FINDING_UNFOCUSED,   /* description names too many defect classes */
	RG_FINDING_UNMATCHED    /* matches no known issue */
};
const char *rg_finding_verdict_name(enum rg_finding_verdict v);

typedef struct rg_finding_grade {
	int issue;              /* matched issue, -1 otherwise */
	enum rg_finding_verdict verdict;
} rg_finding_grade;

typedef struct rg_grade_result {
	double score;           /* final, in [0, 1], rounded to 4 decimals */
	double issues_mean;     /* mean of issue totals, before bonus and penalty */
	double bonus, penalty;
	size_t n_issues, n_found, n_findings, n_false_positives;
	rg_issue_grade issues[RG_MAX_ISSUES];
	rg_finding_grade findings[RG_MAX_FINDINGS];
} rg_grade_result;

/* Grade n findings against task. RG_ETOOBIG when n > RG_MAX_FINDINGS, RG_ENOMEM.
 * out is fully written on success. */
RG_MUST_CHECK int rg_grade_attempt(const rg_task *task, const rg_lexicon *lex,
				   const rg_finding *findings, size_t n,
				   const rg_grade_profile *profile, rg_grade_result *out,
				   rg_err *err);

/* How a free text (a pr_review comment) names one issue of a task. The same
 * rules as a finding's description: pasted code lines are blanked, phrases match
 * after normalisation, and a text naming more than max_foreign_classes other
 * defect classes is unfocused and names nothing. */
typedef struct rg_naming {
	int hits, total;  /* concept groups hit / groups */
	bool focused;
	double fraction;  /* hits / total when focused, else 0 */
	bool named;       /* focused and at least half the groups hit */
} rg_naming;

/* Fill out[0..t->n_issues) for text (at most RG_MAX_NAMING_TEXT_BYTES are read). */
RG_MUST_CHECK int rg_grade_naming(const rg_task *t, const rg_lexicon *lex, const char *text,
				  size_t len, const rg_grade_profile *profile, rg_naming *out,
				  rg_err *err);

/* Round to 4 decimals, the precision of every score on the wire. */
double rg_grade_round(double x);

#endif
