/*
 * pr_grade.h - deterministic scoring of one pr_review turn and of an episode.
 *
 * Design (README.md "pr_review rewards" has a worked negotiation): a turn is the
 * reviewer's decision on the version in front of them plus what their comment
 * (and optional findings) say. Two things are scored:
 *
 *   stance S  - the decision against the version's verdict (table below);
 *   naming R  - the mean, over the issues present in the version, of the best
 *               concept fraction any one text reaches (the comment through
 *               rg_grade_naming, a finding through the code_review grader), with
 *               the same focus rule, so keyword soup names nothing.
 *
 *                 approve  request_changes  escalate  comment
 *   correct        1.0          0.0           0.0       0.25
 *   flawed         0.0          1.0           0.1       0.25
 *   critical       0.0          0.3           1.0       0.1
 *
 * Turn reward = S x (0.6 + 0.4 R) on flawed and critical code (the root cause
 * only counts with a sensible stance), S x 0.6 + 0.4 [approve] on correct code
 * (there is nothing to name), minus 0.05 per false-positive finding, clamped to
 * [0, 1]. Approving flawed or critical code scores 0 and fails the episode.
 *
 * Episode score = 0 after approving broken code; otherwise
 * 0.5 x mean(turn rewards) + 0.5 x [success].
 *
 * Purity: no I/O, clock or globals; scratch is allocated and freed in the call.
 */
#ifndef RG_GRADE_PR_GRADE_H
#define RG_GRADE_PR_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "bank/task.h"
#include "grade/grade.h"

typedef struct rg_pr_turn_grade {
	enum rg_verdict verdict;
	enum rg_decision decision;
	double stance;          /* S */
	double naming;          /* R */
	bool root_cause_named;  /* the version's first issue is named */
	rg_naming issues[RG_MAX_ISSUES]; /* best naming per present issue */
	int named_by[RG_MAX_ISSUES];     /* -1 the comment, k finding k, -2 nobody */
	size_t n_issues;
	size_t n_findings, false_positives;
	double penalty;
	double reward;          /* the turn's reward, in [0, 1], 4 decimals */
	bool catastrophic;      /* approved flawed or critical code */
} rg_pr_turn_grade;

/* Stance value of a decision on a version with this verdict (the table). */
double rg_pr_stance(enum rg_verdict v, enum rg_decision d);

/* Grade one turn against `version` (a version's review task: its issues are the
 * ones present, the root cause first). */
RG_MUST_CHECK int rg_grade_pr_turn(const rg_task *version, enum rg_verdict verdict,
				   const rg_lexicon *lex, enum rg_decision decision,
				   const char *comment, size_t comment_len,
				   const rg_finding *findings, size_t n_findings,
				   const rg_grade_profile *profile, rg_pr_turn_grade *out,
				   rg_err *err);

/* Episode score from the turn rewards so far and the outcome (4 decimals). While
 * the episode runs, pass success = false: the score then counts the turns only. */
double rg_pr_episode_score(const double *turn_rewards, size_t n, bool success, bool catastrophic);

#endif
