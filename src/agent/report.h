/*
 * report.h - the shared state of a run and its JSON report (internal to the
 * runner: runner.c plays, this file counts, prints and summarises).
 *
 * Report (--report FILE): the run's configuration, every task block (episode,
 * task, family, difficulty, kind, score, success, steps, rewards, error,
 * seconds), and a summary: mean score and success rate overall, per difficulty
 * and per family; server reply latency (median, p95, mean, in ms); and for the
 * llm policy the calls, retries, failures and tokens used.
 */
#ifndef RG_AGENT_REPORT_H
#define RG_AGENT_REPORT_H

#include <pthread.h>

#include "agent/runner.h"

typedef struct rg_run_state {
	const rg_run_config *cfg;
	pthread_mutex_t lock;   /* everything below, and stdout */
	int next, done;
	rg_run_task *tasks;
	size_t n_tasks, cap_tasks;
	double *lat_ms;
	size_t n_lat, cap_lat;
	int failed;             /* blocks that ended with an error */
} rg_run_state;

int rg__run_state_init(rg_run_state *st, const rg_run_config *cfg);
void rg__run_state_free(rg_run_state *st);
/* The next episode number to play, or -1 when all are taken. */
int rg__run_next(rg_run_state *st);
/* Write a finished block to stdout in one piece and keep its result. */
void rg__run_record(rg_run_state *st, const rg_run_task *t, const char *text, size_t len);
void rg__run_latency(rg_run_state *st, double ms);
/* An episode finished: progress on stderr for multi-episode runs. */
void rg__run_episode_done(rg_run_state *st);
/* Summary on stderr, the report file; returns the exit code. */
int rg__run_finish(rg_run_state *st);

#endif
