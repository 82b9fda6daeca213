/*
 * runner.h - `reviewgym run`: play episodes against a running server over the
 * OpenEnv WebSocket protocol and print the standard log lines.
 *
 * Design: K worker threads, each with its own WebSocket connection (one server
 * session) and its own policy memory, take episode numbers from a shared counter.
 * Every task of an episode is one log block (a code_review episode has one per
 * task, a pr_review episode one):
 *
 *   [START] task=<task_id> env=<benchmark> model=<model>
 *   [STEP] step=<n> action=<one line> reward=<0.00> done=<true|false> error=<msg|null>
 *   [END] success=<true|false> steps=<n> score=<0.000> rewards=<r1,r2,...>
 *
 * A block is written to stdout in one piece under a lock when it ends, so blocks
 * of parallel episodes never interleave; [END] is written whatever happens
 * (rejected actions, a failing LLM endpoint, the server going away). A task's
 * score is the server's: code_review the task's best attempt (success when it
 * reaches the success threshold), pr_review the episode score and success. A
 * block cut short keeps the best code_review score reached so far (a pr_review
 * episode has no score before it ends: 0) and is never a success.
 * Results are collected for the JSON report (agent/report.c).
 */
#ifndef RG_AGENT_RUNNER_H
#define RG_AGENT_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/policy.h"

#define RG_RUN_MAX_BLOCK_STEPS 64 /* rewards kept per task block */

typedef struct rg_run_config {
	const char *url;
	const char *family;        /* "code_review" | "pr_review" */
	const char *task_id;       /* NULL = drawn by seed */
	char *const *task_ids;     /* --all-tasks: episode e plays task_ids[e] */
	int difficulty;            /* -1 = any */
	int episodes, concurrency;
	bool has_seed;
	uint64_t seed;             /* episode e uses seed + e */
	int max_steps;             /* per task block */
	int timeout_s;             /* per server reply */
	double success_threshold;  /* code_review: task success when best >= this */
	const char *benchmark;     /* [START] env= */
	const char *model;         /* [START] model= */
	const char *report_path;   /* NULL = no report */
	bool progress;             /* progress lines on stderr */
	rg_policy_shared *policy;
} rg_run_config;

/* One task block's result. */
typedef struct rg_run_task {
	int episode;
	char task_id[72];
	char family[16];
	char difficulty[12];
	char kind[32];
	double score;
	bool success;
	int steps;
	int n_rewards;
	double rewards[RG_RUN_MAX_BLOCK_STEPS];
	char error[200];           /* "" when the block ended normally */
	double seconds;
} rg_run_task;

/* Play the run; returns the process exit code: 0 when every episode ran to its
 * end, 1 when any ended on a transport or policy failure, 2 on bad configuration. */
int rg_run(const rg_run_config *cfg);

#endif
