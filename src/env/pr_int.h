/*
 * pr_int.h - the pr_review episode context, shared by the family's own files
 * (pr_review.c: lifecycle, reset, step; pr_view.c: observation and state JSON);
 * not part of any contract.
 */
#ifndef RG_ENV_PR_INT_H
#define RG_ENV_PR_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "env/env.h"
#include "grade/grade.h"

/* Feedback text ceiling. */
#define FEEDBACK_MAX_BYTES (64 * 1024)

typedef struct pr_turn {
	enum rg_decision decision;
	char *comment;         /* heap copy, truncated to RG_MAX_HISTORY_COMMENT_BYTES */
	const char *reply;     /* the author's answer (bank or static text) */
	int version;           /* the version the decision was about */
	bool has_reward;
	double reward;
} pr_turn;

typedef struct pr_ctx {
	rg_env_world world;
	const rg_grade_profile *profile;
	const rg_task *task;
	char episode_id[RG_MAX_EPISODE_ID_LEN + 1];
	uint64_t seed;
	bool started, done, reward_delta;
	bool success, catastrophic;
	bool critical_missed;  /* a critical version got a decision other than escalate */
	const char *outcome;   /* NULL while running */
	int state, version, turns;
	const char *author_message;
	bool has_score;
	double custom_score;
	pr_turn history[RG_MAX_PR_TURNS];
	long long step_count;
	rg_buf last_action;    /* the last accepted action, normalised, as JSON text (len 0:
				* none); kept across steps and episodes (see code_review.c) */
} pr_ctx;

/* pr_view.c */
const rg_pr_version *rg__pr_version(const pr_ctx *c);
/* Episode score; final adds the outcome (custom tasks: the graded score). */
double rg__pr_score(const pr_ctx *c, bool final);
/* The observation; takes breakdown and warnings (either may be NULL). */
rg_json *rg__pr_observation(const pr_ctx *c, const char *feedback, rg_json *breakdown,
			    rg_json *warnings);
/* The state object (new reference, NULL on ENOMEM). */
rg_json *rg__pr_state(void *ctx);

#endif
