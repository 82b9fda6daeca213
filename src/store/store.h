/*
 * store.h - the embedded episode store: every episode and step the server serves,
 * recorded in one SQLite file, and the queries the dashboard reads it with.
 *
 * Design (after SQLite's own advice for servers and Redis's background fsync):
 * the event loop never touches the disk. It hands each record (bytes it already
 * has: the request as received, the reply it sent, the reward and scores as
 * numbers) to a bounded in-memory queue and goes on; one writer thread drains the
 * queue in group commits, binding those into rows without parsing them (the
 * request and reply are unwrapped when read, store_read.c). The database is
 * in WAL mode with synchronous=NORMAL, so a committed transaction survives the
 * process being killed (the WAL is in the OS page cache); only a power loss can
 * drop the last commits.
 *
 * Durability window: the writer wakes when a record is queued, lets the burst
 * gather for RG_STORE_GATHER_MS, and commits a batch at the latest
 * RG_STORE_BATCH_MS after it started writing it. So while the writer keeps up, a
 * step whose reply was sent is committed within about 2 x RG_STORE_BATCH_MS:
 * 250 ms is the stated window (bench/bench_store.c prints the longest lag seen).
 * kill -9 loses at most that window; a clean shutdown (rg_store_close) drains the
 * queue and loses nothing.
 *
 * Overload (steps arrive faster than the writer commits them): the queue holds at
 * most RG_STORE_QUEUE_MAX_RECORDS records and RG_STORE_QUEUE_MAX_BYTES bytes - a
 * few hundred ms of writer work at the benchmark's rate, which bounds the window
 * under overload too. A record that does not fit is dropped, never waited for:
 * the loop must not block. Drops are counted (stats.dropped, in /api/stats and
 * /metrics) and logged at most once per 10 s. A dropped episode start makes its
 * steps unrecorded too (counted), so the store never holds steps of an episode it
 * does not know.
 *
 * Reads open their own read-only connection (WAL readers never wait for the
 * writer) and are meant for worker threads, not the loop.
 *
 * Thread safety: rg_store_begin/step/stats may be called from one thread (the loop)
 * concurrently with the writer; the read functions from any thread.
 */
#ifndef RG_STORE_STORE_H
#define RG_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/json.h"

#define RG_STORE_BATCH_MS 100
#define RG_STORE_GATHER_MS 5     /* the writer waits this long after waking, to batch */
#define RG_STORE_QUEUE_MAX_RECORDS 8192
#define RG_STORE_QUEUE_MAX_BYTES (64u * 1024 * 1024)
#define RG_STORE_MAX_TASK_SCORES 64 /* an episode's tasks: more are not recorded */
#define RG_STORE_DEFAULT_MAX_EPISODES 100000
/* Pages of /api/episodes, and episodes in one export. */
#define RG_STORE_MAX_PAGE 200
#define RG_STORE_MAX_EXPORT 10000

typedef struct rg_store rg_store;

typedef struct rg_store_config {
	const char *path;
	uint64_t max_episodes;   /* keep the newest N; 0 = unbounded */
	size_t queue_max_records; /* 0 = RG_STORE_QUEUE_MAX_RECORDS (tests lower it) */
} rg_store_config;

typedef struct rg_store_stats {
	uint64_t queued;        /* records waiting for the writer */
	uint64_t written;       /* records committed */
	uint64_t dropped;       /* records refused by a full queue */
	uint64_t failed;        /* records lost to a write error */
	uint64_t commits;
	uint64_t episodes;      /* episode rows created since open (plus those found) */
	double lag_ms_max;      /* longest enqueue-to-commit seen */
	double lag_ms_last;
} rg_store_stats;

/* Open (creating the file and schema if needed) and start the writer thread. */
rg_store *rg_store_open(const rg_store_config *cfg, rg_err *err);
/* Drain the queue, commit, stop the writer, close. NULL is fine. */
void rg_store_close(rg_store *st);
const char *rg_store_path(const rg_store *st);

/* A JSON tree in a record (the state at reset): the record takes a reference
 * and the writer thread reads it, so the loop serialises nothing. The caller
 * promises never to modify the tree again (the environment builds a fresh state
 * for each call), and jansson allows reads from two threads with atomic
 * reference counts. The record drops its reference on the loop thread, which
 * frees what it allocated (a free from the writer thread slowed the loop ~2x).
 * Steps hand over text and numbers only: a tree freed later, out of cache, cost
 * the loop as much as printing it at once (bench/bench_store.c). */

/* A new episode. Returns its store id (> 0), or 0 when the record was dropped.
 * params: the reset request as received (JSON text: an HTTP body or a WebSocket
 * message; NULL/"" = {}); state: the environment's state after reset (a tree,
 * see above; task ids and seed come from it); difficulty: what the dashboard
 * filters the episode by, or NULL; reply: the reset reply as sent. Both texts
 * are stored as they are and unwrapped when read, so the writer parses nothing. */
typedef struct rg_store_begin_rec {
	const char *episode_id, *family, *client, *difficulty;
	const char *params; size_t params_len;
	const rg_json *state;                          /* or NULL */
	const char *reply; size_t reply_len;
} rg_store_begin_rec;
int64_t rg_store_begin(rg_store *st, const rg_store_begin_rec *r);

/* One step of episode `episode` (an id rg_store_begin returned): the request as
 * received and the reply as sent (NULL for a rejected action, then error says
 * why), stored as they are; plus the few values the loop already holds that the
 * episode row and the dashboard's filters need, so the writer parses nothing. */
typedef struct rg_store_step_rec {
	int64_t episode;
	uint32_t index;
	const char *action; size_t action_len;         /* the request as received */
	const char *normalized; size_t normalized_len; /* JSON text; NULL when rejected */
	const char *reply; size_t reply_len;
	const char *error;
	uint32_t latency_us;
	const char *task_id;                           /* or NULL */
	bool has_reward, done, has_score;
	double reward, episode_score;
	int success;                                   /* -1 unknown, 0, 1 */
	const char *outcome;                           /* or NULL */
	const double *task_scores;                     /* per task, NAN = not scored yet */
	size_t n_task_scores;                          /* 0 = none (pr_review) */
} rg_store_step_rec;
bool rg_store_step(rg_store *st, const rg_store_step_rec *r);

/* Count a record that was never queued (a step of an episode whose start was
 * dropped), so stats.dropped tells the whole loss. */
void rg_store_note_dropped(rg_store *st);
void rg_store_get_stats(rg_store *st, rg_store_stats *out);
/* Block until everything queued before the call is committed and any prune
 * that is due has run (so the retention limit holds): tests, shutdown. */
void rg_store_flush(rg_store *st);

/* --- reads (store_read.c) ------------------------------------------------ */

typedef struct rg_store_filter {
	const char *family;  /* NULL = any */
	const char *task;    /* NULL = any */
	double since;        /* unix seconds; 0 = any */
	int64_t before;      /* store id; 0 = newest */
	unsigned limit;
} rg_store_filter;

/* {"episodes":[...], "next_before": id|null} */
rg_json *rg_store_list(const char *path, const rg_store_filter *f, rg_err *err);
/* One episode with params, initial_observation and steps; id is a store id or an
 * episode_id. RG_ENOTFOUND when absent. */
rg_json *rg_store_get(const char *path, const char *id, rg_err *err);
/* {"tasks":[{task_id, family, episodes, steps, mean_reward, mean_task_score}]} */
rg_json *rg_store_task_means(const char *path, const rg_store_filter *f, rg_err *err);
/* Episodes (filter as rg_store_list, limit up to RG_STORE_MAX_EXPORT) as JSON lines
 * (each episode with its steps) or CSV (one row per episode), written through
 * out(ud, bytes, n); a non-zero return from out stops with that code. */
typedef int (*rg_store_out_fn)(void *ud, const char *bytes, size_t n);
int rg_store_export(const char *path, const rg_store_filter *f, bool csv, rg_store_out_fn out,
		    void *ud, rg_err *err);

#endif
