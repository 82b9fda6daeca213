/*
 * store_int.h - what the store's files share; not part of its contract.
 */
#ifndef RG_STORE_STORE_INT_H
#define RG_STORE_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/json.h"
#include "store/store.h"

double rg__store_mono_ms(void);
double rg__store_wall_s(void);

/* A queued record: this header, then copies of the bytes it points to; a
 * begin record also holds a reference to the state tree (see store.h). */
enum { REC_BEGIN, REC_STEP };
typedef struct rec rec;
struct rec {
	struct rec *next;
	int kind;
	int64_t episode;
	uint32_t index, latency_us;
	double at;            /* wall clock, unix seconds */
	double enq_ms;        /* monotonic, for the lag figure */
	uint64_t seq;
	size_t bytes;
	const char *episode_id, *family, *client, *difficulty, *params, *reply, *action, *error,
		*task_id, *outcome;
	rg_json *state;       /* a reference, or NULL */
	const char *normalized;
	const char *scores;   /* n_scores doubles (memcpy them: not aligned) */
	size_t n_scores, normalized_len;
	bool has_reward, done, has_score;
	double reward, episode_score;
	int success;
	size_t params_len, reply_len, action_len;
	char data[];
};

/* The store's shared state: the queue (store_queue.c, loop side) and the
 * connection and writer thread (store.c). */
struct rg_store {
	char *path;
	sqlite3 *db;
	uint64_t max_episodes;
	size_t max_records;
	pthread_t writer;
	bool writer_started;
	pthread_mutex_t mu;
	pthread_cond_t wake, flushed;
	rec *head, *tail;
	rec *garbage;                  /* written records, freed by the loop (store_queue.c) */
	size_t q_n, q_bytes;
	bool stopping;
	bool writer_idle;              /* waiting for work: the next record must wake it */
	uint64_t enq_seq, done_seq;
	int64_t next_id;               /* loop thread only */
	rg_store_stats stats;          /* under mu */
	double last_drop_log_ms, last_prune_ms;
	bool prune_due;               /* under mu: episodes written since the last prune */
	sqlite3_stmt *ins_episode, *ins_task, *ins_step, *upd_episode;
};

/* store_queue.c: free a list of records (linked by next). */
void rg__store_free_records(rec *r);

/* store_write.c: turn one record into rows (writer thread). Return an SQLite code. */
int rg__store_write_begin(sqlite3_stmt *ins_episode, sqlite3_stmt *ins_task, const rec *r);
int rg__store_write_step(sqlite3_stmt *ins_step, sqlite3_stmt *upd_episode, const rec *r);

/* The payload of a request or reply as stored: a WebSocket message's data, an HTTP
 * /step body's http_key ("action"), else the value itself. Borrowed from req. */
rg_json *rg__store_payload(rg_json *req, const char *http_key);

/* store_read.c: shared by the queries and the export. */
#define EPISODE_COLS                                                                     \
	"id, episode_id, family, client, started_at, ended_at, steps, task_ids, difficulty," \
	" seed, task_scores, episode_score, success, outcome, done, params, initial"
sqlite3 *rg__store_open_ro(const char *path, rg_err *err);
/* The row (EPISODE_COLS) as an object; full adds params and initial_observation. */
rg_json *rg__store_episode_row(sqlite3_stmt *q, bool full);
/* SELECT EPISODE_COLS FROM episode WHERE <filter> ORDER BY id DESC LIMIT limit. */
sqlite3_stmt *rg__store_filtered(sqlite3 *db, const rg_store_filter *f, unsigned limit,
				 rg_err *err);
rg_json *rg__store_steps_of(sqlite3 *db, long long episode, rg_err *err);

#endif
