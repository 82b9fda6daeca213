/*
 * store_queue.c - the store's loop side: records into the bounded queue the writer
 * drains (store.c), the counters, and flush.
 *
 * A record is one allocation: the header (store_int.h) followed by copies of the
 * bytes the loop handed over, so enqueueing costs one malloc and a few memcpy
 * under a mutex held for microseconds. Nothing here parses or prints JSON: the
 * request and reply go in as the bytes that were sent, task scores as numbers,
 * and the reset state as a reference to the tree the loop already built.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"


static const char *put(char **p, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *d = *p;
	memcpy(d, s, n);
	d[n] = '\0';
	*p += n + 1;
	return d;
}

static size_t slen(const char *s)
{
	return s ? strlen(s) : 0;
}

static void rec_free(rec *r)
{
	rg_json_free(r->state);
	rg_free(r);
}

void rg__store_free_records(rec *r)
{
	while (r) {
		rec *next = r->next;
		rec_free(r);
		r = next;
	}
}

/* Queue r; false (counted, maybe logged) when the queue is full. */
static bool enqueue(rg_store *st, rec *r)
{
	pthread_mutex_lock(&st->mu);
	/* Records are allocated here, on the loop, and freed here too: a free from
	 * the writer thread would take the loop's malloc arena lock on every record
	 * and contend with the loop's own allocations (measured: most of the cost of
	 * recording before this). */
	rec *garbage = st->garbage;
	st->garbage = NULL;
	if (st->q_n >= st->max_records || st->q_bytes + r->bytes > RG_STORE_QUEUE_MAX_BYTES ||
	    st->stopping) {
		st->stats.dropped++;
		double now = rg__store_mono_ms();
		bool log = now - st->last_drop_log_ms > 10000;
		if (log)
			st->last_drop_log_ms = now;
		uint64_t dropped = st->stats.dropped;
		pthread_mutex_unlock(&st->mu);
		if (log)
			rg_log(RG_LOG_WARN,
			       "store: writer behind (%zu records queued): dropping records, %llu dropped so far",
			       st->q_n, (unsigned long long)dropped);
		rec_free(r);
		rg__store_free_records(garbage);
		return false;
	}
	r->seq = ++st->enq_seq;
	if (st->tail)
		st->tail->next = r;
	else
		st->head = r;
	st->tail = r;
	st->q_n++;
	st->q_bytes += r->bytes;
	if (st->writer_idle) { /* one wake-up per batch, not a futex call per record */
		st->writer_idle = false;
		pthread_cond_signal(&st->wake);
	}
	pthread_mutex_unlock(&st->mu);
	rg__store_free_records(garbage);
	return true;
}

static rec *rec_new(size_t payload)
{
	rec *r = rg_malloc(sizeof *r + payload);
	if (r) {
		memset(r, 0, sizeof *r);
		r->bytes = sizeof *r + payload;
		r->at = rg__store_wall_s();
		r->enq_ms = rg__store_mono_ms();
	}
	return r;
}

static void count_drop(rg_store *st)
{
	pthread_mutex_lock(&st->mu);
	st->stats.dropped++;
	pthread_mutex_unlock(&st->mu);
}

int64_t rg_store_begin(rg_store *st, const rg_store_begin_rec *b)
{
	size_t n_eid = slen(b->episode_id), n_fam = slen(b->family), n_cl = slen(b->client),
	       n_diff = slen(b->difficulty);
	rec *r = rec_new(n_eid + n_fam + n_cl + n_diff + b->params_len + b->reply_len + 6);
	if (!r) {
		count_drop(st);
		return 0;
	}
	char *p = r->data;
	r->kind = REC_BEGIN;
	r->episode_id = put(&p, b->episode_id ? b->episode_id : "", n_eid);
	r->family = put(&p, b->family ? b->family : "", n_fam);
	r->client = put(&p, b->client, n_cl);
	r->difficulty = put(&p, b->difficulty, n_diff);
	r->params = put(&p, b->params ? b->params : "", b->params ? b->params_len : 0);
	r->params_len = b->params ? b->params_len : 0;
	r->state = b->state ? rg_json_ref((rg_json *)b->state) : NULL;
	r->reply = put(&p, b->reply, b->reply_len);
	r->reply_len = b->reply_len;
	r->episode = st->next_id;
	if (!enqueue(st, r))
		return 0;
	return st->next_id++;
}

bool rg_store_step(rg_store *st, const rg_store_step_rec *s)
{
	size_t n_err = slen(s->error), n_task = slen(s->task_id), n_out = slen(s->outcome),
	       n_scores = s->task_scores ? s->n_task_scores : 0;
	if (n_scores > RG_STORE_MAX_TASK_SCORES)
		n_scores = RG_STORE_MAX_TASK_SCORES;
	rec *r = rec_new(s->action_len + s->normalized_len + s->reply_len + n_err + n_task +
				     n_out + n_scores * sizeof(double) + 7);
	if (!r) {
		count_drop(st);
		return false;
	}
	char *p = r->data;
	r->kind = REC_STEP;
	r->episode = s->episode;
	r->index = s->index;
	r->latency_us = s->latency_us;
	r->action = put(&p, s->action ? s->action : "", s->action ? s->action_len : 0);
	r->action_len = s->action ? s->action_len : 0;
	r->normalized = put(&p, s->normalized, s->normalized_len);
	r->normalized_len = s->normalized ? s->normalized_len : 0;
	r->reply = put(&p, s->reply, s->reply_len);
	r->reply_len = s->reply_len;
	r->error = put(&p, s->error, n_err);
	r->task_id = put(&p, s->task_id, n_task);
	r->outcome = put(&p, s->outcome, n_out);
	r->scores = n_scores ? put(&p, (const char *)s->task_scores, n_scores * sizeof(double))
			     : NULL;
	r->n_scores = n_scores;
	r->has_reward = s->has_reward;
	r->reward = s->reward;
	r->done = s->done;
	r->has_score = s->has_score;
	r->episode_score = s->episode_score;
	r->success = s->success;
	return enqueue(st, r);
}

void rg_store_note_dropped(rg_store *st)
{
	count_drop(st);
}

void rg_store_get_stats(rg_store *st, rg_store_stats *out)
{
	pthread_mutex_lock(&st->mu);
	*out = st->stats;
	out->queued = st->q_n;
	pthread_mutex_unlock(&st->mu);
}

void rg_store_flush(rg_store *st)
{
	pthread_mutex_lock(&st->mu);
	uint64_t want = st->enq_seq;
	/* a deferred prune runs within a second of the last one (writer_main) */
	while (st->done_seq < want || (st->prune_due && !st->stopping))
		pthread_cond_wait(&st->flushed, &st->mu);
	pthread_mutex_unlock(&st->mu);
}

const char *rg_store_path(const rg_store *st)
{
	return st->path;
}
