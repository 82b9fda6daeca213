/*
 * store.c - the store's write side: schema, opening and closing, and the writer
 * thread that turns queued records (store_queue.c) into rows in group commits
 * (see store.h for the durability window and the overload policy).
 *
 * The writer binds what the loop handed over and parses nothing (store_write.c);
 * written records go back to the loop to be freed (see enqueue in
 * store_queue.c).
 */
#include "store/store.h"
#include "store/store_int.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "core/alloc.h"
#include "core/log.h"

double rg__store_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

double rg__store_wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define RG_STORE_SCHEMA 2
#define RG_STORE_SCHEMA_S "2"

/* A file written by another layout is refused with a clear message rather than
 * half-written: 0 is a new file, RG_STORE_SCHEMA ours. */
static int check_version(rg_store *st, rg_err *err)
{
	sqlite3_stmt *q = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (v < 0)
		return rg_err_set(err, RG_EIO, "store", NULL, "%s: not an SQLite database (%s)",
				  st->path, sqlite3_errmsg(st->db));
	if (v != 0 && v != RG_STORE_SCHEMA)
		return rg_err_set(err, RG_EIO, "store", NULL,
				  "%s has store layout %d, this server writes layout %d: move it aside or pass another --store",
				  st->path, v, RG_STORE_SCHEMA);
	return RG_OK;
}

/* 16 KiB pages (new files only: an existing file keeps its size): a step row is
 * ~7 KiB, which 4 KiB pages split over overflow pages, each its own WAL frame and
 * write; with 16 KiB pages the writer spends ~15 us of CPU a step instead of ~26
 * (bench/store_server.py). Set before WAL mode, which fixes the page size. */
static const char schema[] =
	"PRAGMA page_size=16384;"
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE IF NOT EXISTS episode("
	" id INTEGER PRIMARY KEY, episode_id TEXT NOT NULL, family TEXT NOT NULL, client TEXT,"
	" started_at REAL NOT NULL, ended_at REAL, last_at REAL, steps INTEGER NOT NULL DEFAULT 0,"
	" task_ids TEXT NOT NULL, difficulty TEXT, seed INTEGER, params TEXT NOT NULL,"
	" initial TEXT, task_scores TEXT, episode_score REAL, success INTEGER, outcome TEXT,"
	" done INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS episode_by_eid ON episode(episode_id);"
	"CREATE INDEX IF NOT EXISTS episode_by_family ON episode(family, id);"
	"CREATE INDEX IF NOT EXISTS episode_by_start ON episode(started_at);"
	"CREATE TABLE IF NOT EXISTS episode_task(task_id TEXT NOT NULL, episode INTEGER NOT NULL,"
	" PRIMARY KEY(task_id, episode)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS step("
	" id INTEGER PRIMARY KEY, episode INTEGER NOT NULL, idx INTEGER NOT NULL, at REAL NOT NULL,"
	" task_id TEXT, reward REAL, done INTEGER NOT NULL, error TEXT, latency_us INTEGER,"
	" request TEXT, normalized TEXT, reply TEXT);"
	"CREATE INDEX IF NOT EXISTS step_by_episode ON step(episode, idx);"
	"PRAGMA user_version=" RG_STORE_SCHEMA_S ";";

static int prepare(rg_store *st, const char *sql, sqlite3_stmt **out, rg_err *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return rg_err_set(err, RG_EIO, "store", NULL, "%s: %s", st->path,
				  sqlite3_errmsg(st->db));
	return RG_OK;
}

static int open_db(rg_store *st, rg_err *err)
{
	if (sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
						       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return rg_err_set(err, RG_EIO, "store", NULL, "cannot open %s: %s", st->path,
				  st->db ? sqlite3_errmsg(st->db) : "out of memory");
	sqlite3_busy_timeout(st->db, 5000);
	if (check_version(st, err))
		return err->code;
	char *msg = NULL;
	if (sqlite3_exec(st->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		rg_err_set(err, RG_EIO, "store", NULL, "%s: %s", st->path, msg ? msg : "schema");
		sqlite3_free(msg);
		return err->code;
	}
	sqlite3_stmt *q = NULL;
	if (prepare(st, "SELECT coalesce(max(id),0), count(*) FROM episode", &q, err))
		return err->code;
	if (sqlite3_step(q) == SQLITE_ROW) {
		st->next_id = sqlite3_column_int64(q, 0) + 1;
		st->stats.episodes = (uint64_t)sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	if (prepare(st,
		    "INSERT INTO episode(id, episode_id, family, client, started_at, last_at,"
		    " task_ids, difficulty, seed, params, initial) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
		    &st->ins_episode, err) ||
	    prepare(st, "INSERT OR IGNORE INTO episode_task(task_id, episode) VALUES(?,?)",
		    &st->ins_task, err) ||
	    prepare(st,
		    "INSERT INTO step(episode, idx, at, task_id, reward, done, error, latency_us,"
		    " request, normalized, reply) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
		    &st->ins_step, err) ||
	    prepare(st,
		    "UPDATE episode SET steps=?2, last_at=?3,"
		    " task_scores=coalesce(?4, task_scores), episode_score=coalesce(?5, episode_score),"
		    " success=coalesce(?6, success), outcome=coalesce(?7, outcome),"
		    " done=max(done, ?8), ended_at=CASE WHEN ?8 THEN ?3 ELSE ended_at END"
		    " WHERE id=?1",
		    &st->upd_episode, err))
		return err->code;
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* The writer thread                                                        */
/* ------------------------------------------------------------------------ */

/* Called by the writer without mu held. Deleting with an OFFSET scan costs a
 * pass over the episode ids, so it runs at most once a second; a skipped prune
 * is marked due and the idle writer runs it when the second is up. */
static void prune(rg_store *st)
{
	if (!st->max_episodes)
		return;
	double now = rg__store_mono_ms();
	if (now - st->last_prune_ms < 1000) {
		pthread_mutex_lock(&st->mu);
		st->prune_due = true;
		pthread_mutex_unlock(&st->mu);
		return;
	}
	st->last_prune_ms = now;
	char sql[512];
	snprintf(sql, sizeof sql,
		 "BEGIN;"
		 "CREATE TEMP TABLE IF NOT EXISTS cut(id INTEGER);DELETE FROM cut;"
		 "INSERT INTO cut SELECT id FROM episode ORDER BY id DESC LIMIT 1 OFFSET %llu;"
		 "DELETE FROM step WHERE episode <= (SELECT id FROM cut);"
		 "DELETE FROM episode_task WHERE episode <= (SELECT id FROM cut);"
		 "DELETE FROM episode WHERE id <= (SELECT id FROM cut);"
		 "COMMIT;",
		 (unsigned long long)st->max_episodes);
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		rg_log(RG_LOG_WARN, "store: retention failed: %s", msg ? msg : "?");
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_free(msg);
	/* stats.episodes tells what the file holds, so recount after pruning */
	sqlite3_stmt *q = NULL;
	bool counted = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM episode", -1, &q,
					  NULL) == SQLITE_OK &&
		       sqlite3_step(q) == SQLITE_ROW;
	pthread_mutex_lock(&st->mu);
	if (counted)
		st->stats.episodes = (uint64_t)sqlite3_column_int64(q, 0);
	st->prune_due = false;
	pthread_cond_broadcast(&st->flushed); /* rg_store_flush waits for due prunes */
	pthread_mutex_unlock(&st->mu);
	sqlite3_finalize(q);
}

/* Write one batch; returns the number of records lost to errors. */
static size_t write_batch(rg_store *st, rec *batch, double *lag_max)
{
	size_t lost = 0, in_txn = 0;
	double t0 = rg__store_mono_ms();
	sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
	for (rec *r = batch; r; r = r->next) {
		int rc = r->kind == REC_BEGIN
				 ? rg__store_write_begin(st->ins_episode, st->ins_task, r)
				 : rg__store_write_step(st->ins_step, st->upd_episode, r);
		in_txn++;
		if (rc != SQLITE_OK && rc != SQLITE_DONE) {
			lost++;
			rg_log(RG_LOG_WARN, "store: cannot write a record of episode %lld: %s",
			       (long long)r->episode, sqlite3_errmsg(st->db));
		}
		double now = rg__store_mono_ms();
		if (now - r->enq_ms > *lag_max)
			*lag_max = now - r->enq_ms;
		if (r->next && now - t0 > RG_STORE_BATCH_MS) {
			/* bound the window: commit what we have, start a new transaction */
			if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
				sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
				lost += in_txn;
			}
			in_txn = 0;
			t0 = now;
			sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
		}
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rg_log(RG_LOG_WARN, "store: commit failed: %s", sqlite3_errmsg(st->db));
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		lost += in_txn;
	}
	return lost;
}

static void *writer_main(void *arg)
{
	rg_store *st = arg;
	pthread_mutex_lock(&st->mu);
	for (;;) {
		while (!st->head && !st->stopping) {
			st->writer_idle = true;
			if (!st->prune_due) {
				pthread_cond_wait(&st->wake, &st->mu);
				continue;
			}
			/* a prune was skipped (once a second at most): do it when due */
			double wait_ms = st->last_prune_ms + 1000 - rg__store_mono_ms();
			if (wait_ms > 0) {
				struct timespec ts;
				clock_gettime(CLOCK_REALTIME, &ts);
				long long ns = ts.tv_nsec + (long long)(wait_ms * 1e6);
				ts.tv_sec += (time_t)(ns / 1000000000);
				ts.tv_nsec = (long)(ns % 1000000000);
				pthread_cond_timedwait(&st->wake, &st->mu, &ts);
			}
			if (!st->head && !st->stopping && rg__store_mono_ms() - st->last_prune_ms >= 1000) {
				pthread_mutex_unlock(&st->mu);
				prune(st);
				pthread_mutex_lock(&st->mu);
			}
		}
		st->writer_idle = false;
		if (!st->head)
			break; /* stopping, and the queue is drained */
		if (!st->stopping) {
			/* group commit: let a burst gather for RG_STORE_GATHER_MS */
			pthread_mutex_unlock(&st->mu);
			struct timespec ts = { 0, RG_STORE_GATHER_MS * 1000000L };
			nanosleep(&ts, NULL);
			pthread_mutex_lock(&st->mu);
		}
		rec *batch = st->head;
		size_t n = st->q_n;
		st->head = st->tail = NULL;
		st->q_n = 0;
		st->q_bytes = 0;
		uint64_t last_seq = st->enq_seq;
		pthread_mutex_unlock(&st->mu);

		double lag = 0;
		size_t lost = write_batch(st, batch, &lag);
		size_t episodes = 0;
		rec *last = batch;
		for (rec *r = batch; r; r = r->next) {
			episodes += r->kind == REC_BEGIN;
			last = r;
		}

		pthread_mutex_lock(&st->mu);
		last->next = st->garbage;
		st->garbage = batch;
		st->stats.written += n - lost;
		st->stats.failed += lost;
		st->stats.commits++;
		st->stats.episodes += episodes;
		st->stats.lag_ms_last = lag;
		if (lag > st->stats.lag_ms_max)
			st->stats.lag_ms_max = lag;
		pthread_mutex_unlock(&st->mu);
		prune(st); /* after the counts above: it recounts the episodes it keeps */
		pthread_mutex_lock(&st->mu);
		/* a flush returns with retention applied (or marked due) */
		st->done_seq = last_seq;
		pthread_cond_broadcast(&st->flushed);
	}
	st->done_seq = st->enq_seq;
	pthread_cond_broadcast(&st->flushed);
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

static void finalize_all(rg_store *st)
{
	sqlite3_finalize(st->ins_episode);
	sqlite3_finalize(st->ins_task);
	sqlite3_finalize(st->ins_step);
	sqlite3_finalize(st->upd_episode);
	sqlite3_close(st->db);
}

rg_store *rg_store_open(const rg_store_config *cfg, rg_err *err)
{
	rg_store *st = rg_calloc(1, sizeof *st);
	if (!st || !(st->path = rg_strdup(cfg->path))) {
		rg_free(st);
		rg_err_set(err, RG_ENOMEM, "store", NULL, "out of memory");
		return NULL;
	}
	st->max_episodes = cfg->max_episodes;
	st->max_records = cfg->queue_max_records ? cfg->queue_max_records
						 : RG_STORE_QUEUE_MAX_RECORDS;
	if (open_db(st, err)) {
		finalize_all(st);
		rg_free(st->path);
		rg_free(st);
		return NULL;
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->wake, NULL);
	pthread_cond_init(&st->flushed, NULL);
	st->writer_started = !pthread_create(&st->writer, NULL, writer_main, st);
	if (!st->writer_started) {
		rg_err_set(err, RG_EIO, "store", NULL, "cannot start the writer thread");
		rg_store_close(st);
		return NULL;
	}
	return st;
}

void rg_store_close(rg_store *st)
{
	if (!st)
		return;
	if (st->writer_started) {
		pthread_mutex_lock(&st->mu);
		st->stopping = true;
		pthread_cond_signal(&st->wake);
		pthread_mutex_unlock(&st->mu);
		pthread_join(st->writer, NULL);
	}
	finalize_all(st);
	rg__store_free_records(st->garbage);
	pthread_mutex_destroy(&st->mu);
	pthread_cond_destroy(&st->wake);
	pthread_cond_destroy(&st->flushed);
	rg_free(st->path);
	rg_free(st);
}
