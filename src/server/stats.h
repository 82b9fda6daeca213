/*
 * stats.h - the server's live figures: what /api/stats and /metrics report.
 *
 * Design: plain counters and fixed histograms updated on the loop thread after
 * every step (a few additions, no allocation except the first time a task is
 * seen), read on the same thread when a route answers. Nothing is locked because
 * nothing else touches them. They describe this process since it started; the
 * episode store is the long memory.
 *
 * Bounds: per-task figures for at most RG_STATS_MAX_TASKS task ids (the bank's
 * tasks plus custom ones); steps of further tasks count under "(other)".
 */
#ifndef RG_SERVER_STATS_H
#define RG_SERVER_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/json.h"
#include "core/limits.h"

#define RG_STATS_SERIES_S 60   /* steps-per-second history */
#define RG_STATS_MAX_TASKS 1024
#define RG_STATS_REWARD_BUCKETS 10
#define RG_STATS_LATENCY_BUCKETS 12

typedef struct rg_hist {
	uint64_t n;
	double sum;
	uint64_t bucket[RG_STATS_REWARD_BUCKETS]; /* [0,0.1) ... [0.9,1.0] */
} rg_hist;

typedef struct rg_task_stat {
	char id[RG_MAX_ID_LEN + 1];
	char family[16];
	char difficulty[8];
	rg_hist rewards;
} rg_task_stat;

/* Error codes counted for /metrics: the WS codes, which HTTP errors map onto. */
enum { RG_STAT_ERR_VALIDATION, RG_STAT_ERR_STATE, RG_STAT_ERR_NOTFOUND,
       RG_STAT_ERR_CAPACITY, RG_STAT_ERR_OTHER, RG_STAT_ERR__COUNT };

/* Every error answer, by what the client saw: WebSocket error codes, HTTP statuses. */
enum { RG_WS_ERR_INVALID_JSON, RG_WS_ERR_UNKNOWN_TYPE, RG_WS_ERR_MESSAGE_TOO_LARGE,
       RG_WS_ERR_VALIDATION, RG_WS_ERR_CAPACITY, RG_WS_ERR_FACTORY, RG_WS_ERR_EXECUTION,
       RG_WS_ERR__COUNT };
#define RG_STATS_HTTP_STATUSES 13 /* the statuses we send, listed in stats.c; + "other" */

typedef struct rg_stats {
	uint64_t start_ms;
	uint64_t steps, resets, episodes_finished, successes, success_known;
	double episode_score_sum;
	uint32_t series[RG_STATS_SERIES_S]; /* ring: steps per wall second */
	uint64_t series_sec;                /* the second series[series_sec % N] counts */
	rg_task_stat *tasks;                /* grown on demand, at most RG_STATS_MAX_TASKS */
	size_t n_tasks, cap_tasks;
	rg_task_stat other;
	rg_hist by_difficulty[3];           /* easy, medium, hard */
	rg_hist all_rewards;
	uint64_t latency_bucket[RG_STATS_LATENCY_BUCKETS + 1]; /* cumulative-ready, +Inf last */
	double latency_sum_s;
	uint64_t errors[RG_STAT_ERR__COUNT];
	uint64_t ws_errors[RG_WS_ERR__COUNT];
	uint64_t http_errors[RG_STATS_HTTP_STATUSES + 1];
	uint64_t feed_dropped;
} rg_stats;

/* Upper bounds of the latency buckets, seconds (Prometheus "le"). */
extern const double rg_stats_latency_le[RG_STATS_LATENCY_BUCKETS];

void rg_stats_init(rg_stats *st, uint64_t now_ms);
void rg_stats_free(rg_stats *st);
/* One accepted step. difficulty may be NULL; has_reward false for ungraded steps. */
void rg_stats_step(rg_stats *st, uint64_t now_ms, const char *family, const char *task_id,
		   const char *difficulty, bool has_reward, double reward, uint64_t latency_us);
void rg_stats_episode_end(rg_stats *st, bool has_score, double score, int success /* -1 unknown */);
/* One rejected step (err is an rg_err code). */
void rg_stats_error(rg_stats *st, int code);
/* One error frame sent over WebSocket (its "code"), one HTTP response >= 400. */
void rg_stats_ws_error(rg_stats *st, const char *code);
void rg_stats_http_status(rg_stats *st, int status);
const char *rg_stats_ws_error_name(int i);
/* The label of http_errors[i]: "404", ..., "other" for the last slot. */
const char *rg_stats_http_status_name(int i);
uint64_t rg_stats_errors_total(const rg_stats *st);
/* Steps in each of the last RG_STATS_SERIES_S whole seconds, oldest first, and
 * their mean over the last 10 s. */
rg_json *rg_stats_series(const rg_stats *st, uint64_t now_ms, double *per_s);
rg_json *rg_stats_hist_json(const rg_hist *h);
const char *rg_stats_error_name(int i);

#endif
