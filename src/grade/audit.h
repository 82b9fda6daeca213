/*
 * audit.h - grader-side consistency checks of one task, for `tasks check`:
 * every explanation hits all of its issue's concept groups, every reference fix
 * hits all fix groups, and the reference review (each issue reported at its first
 * line with its type, explanation and fix) scores at least RG_AUDIT_MIN_SCORE.
 * Pure: no I/O; problems are written into the caller's array.
 */
#ifndef RG_GRADE_AUDIT_H
#define RG_GRADE_AUDIT_H

#include "grade/grade.h"

#define RG_AUDIT_MIN_SCORE 0.95
#define RG_AUDIT_MSG_BYTES 200

typedef struct rg_audit {
	double reference_score;
	size_t n_problems;
	char problems[8][RG_AUDIT_MSG_BYTES];
} rg_audit;

/* The reference review of a task as findings (n = task->n_issues entries). */
void rg_audit_reference_findings(const rg_task *t, rg_finding *out);
RG_MUST_CHECK int rg_audit_task(const rg_task *t, const rg_lexicon *lex,
				const rg_grade_profile *p, rg_audit *out, rg_err *err);

#endif
