/*
 * pr_report.h - what a graded pr_review turn tells the agent: the feedback text
 * and the reward_breakdown object. Internal to the pr_review family.
 *
 * Design: after a turn the agent learns how its decision fitted the code it was
 * shown (the verdict of a version is part of the lesson) and whether its comment
 * named the root cause (how many concept groups, never which words), so the next
 * turn can improve. It never quotes an issue's explanation or lines.
 */
#ifndef RG_ENV_PR_REPORT_H
#define RG_ENV_PR_REPORT_H

#include <stdbool.h>

#include "bank/task.h"
#include "core/buf.h"
#include "core/json.h"
#include "grade/pr_grade.h"

/* Append the sentences about one turn. escalated_late: an escalation of a
 * critical version that had already been in front of the reviewer. */
RG_MUST_CHECK int rg__pr_feedback(rg_buf *b, const rg_pr_turn_grade *g, bool escalated_late);

/* The reward_breakdown of one turn (new reference, NULL on ENOMEM). */
rg_json *rg__pr_breakdown(const rg_task *version, const rg_pr_turn_grade *g, int turn,
			  double reward);

#endif
