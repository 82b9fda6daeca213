/*
 * cr_report.h - what a graded code_review attempt tells the agent: the feedback
 * text and the reward_breakdown object. Internal to the code_review family.
 *
 * Design: feedback must help without leaking the answer. Per finding it says
 * whether it matched a known issue and how well (line exact / off by N,
 * description concepts k/n, type right or wrong, fix recognised k/n), whether it
 * was a duplicate, unfocused (named too many defect classes) or unmatched; then
 * how many issues remain and how many false positives cost points. It never
 * names the line, text or kind of a missed issue. The breakdown carries the same
 * facts as numbers, per issue (by index only) and per finding.
 */
#ifndef RG_ENV_CR_REPORT_H
#define RG_ENV_CR_REPORT_H

#include "bank/task.h"
#include "core/buf.h"
#include "core/json.h"
#include "env/action.h"
#include "grade/grade.h"

/* Append the feedback for one attempt. Returns 0 or RG_ENOMEM/RG_ETOOBIG. */
RG_MUST_CHECK int rg__cr_feedback(rg_buf *b, const rg_task *t, const rg_cr_action *a,
				  const rg_grade_result *r, int attempt, int max_attempts);
/* The reward_breakdown object (new reference, NULL on ENOMEM). */
rg_json *rg__cr_breakdown(const rg_task *t, const rg_cr_action *a, const rg_grade_result *r,
			  const rg_grade_profile *p, int attempt, double reward);

#endif
