/*
 * pr_action.h - the pr_review action normaliser: every pr_review action, from
 * HTTP or WebSocket, structured or raw model text, becomes one rg_pr_action.
 *
 * Design: the same tolerance as code_review actions (SPEC.md §3) through the
 * same parts - raw text goes through env/repair.c, findings through
 * rg_findings_parse - plus aliases of its own: decision/verdict/event/...,
 * comment/body/review/..., and decision values as GitHub and models write them
 * ("APPROVE", "changes requested", "LGTM", "reject", "security escalation").
 * Every repair lands in warnings; unknown fields are extra_forbidden errors
 * naming the key as sent.
 *
 * Ownership: strings are borrowed from the action's JSON tree (or the tree parsed
 * from text, owned by findings.owned); rg_pr_action_release frees what is owned.
 */
#ifndef RG_ENV_PR_ACTION_H
#define RG_ENV_PR_ACTION_H

#include "bank/task.h"
#include "env/action.h"

typedef struct rg_pr_action {
	enum rg_decision decision;
	const char *comment;  /* "" when absent */
	size_t comment_len;
	rg_cr_action findings; /* findings, n; owns the tree parsed from text */
} rg_pr_action;

/* Normalise a pr_review action. On error nothing needs releasing. */
RG_MUST_CHECK int rg_pr_action_parse(const rg_json *action, rg_pr_action *out, rg_warnings *w,
				     rg_err *err);
void rg_pr_action_release(rg_pr_action *a);

/* {"decision","comment","findings":[...]} as the environment understood it, as
 * compact JSON text appended to b (see rg_cr_action_text). */
RG_MUST_CHECK int rg_pr_action_text(const rg_pr_action *a, rg_buf *b);

/* Canonical decision for an alias ("LGTM" -> approve), or -1. */
int rg_decision_from_alias(const char *s);

#endif
