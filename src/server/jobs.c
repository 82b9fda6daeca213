/*
 * jobs.c - HTTP requests answered off the loop: store reads and model calls.
 *
 * Design (libuv's uv_queue_work, on lws): a route that would block - an SQLite
 * query, an LLM call of several seconds - fills an rg_job with a run function and
 * hands it to a small pool of worker threads; the connection waits without
 * blocking anyone. When run returns, the worker moves the job to the done list
 * and wakes the loop with lws_cancel_service; the loop (EVENT_WAIT_CANCELLED)
 * then calls the job's finish on the loop thread, where server state may be
 * touched, and sends the response. A connection that closes while its job runs
 * detaches itself (job->conn = NULL under the lock); the result is then dropped.
 *
 * Bounds: at most RG_MAX_PENDING_JOBS jobs queued or running; beyond that the
 * route answers 503 at once rather than queueing without limit.
 */
#include "server/jobs.h"

#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"

struct rg_jobs {
	struct lws_context *ctx;
	pthread_t threads[RG_JOB_THREADS];
	size_t n_threads;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	rg_job *todo_head, *todo_tail, *done;
	size_t pending;
	bool stopping;
};

static void *worker(void *arg)
{
	rg_jobs *js = arg;
	pthread_mutex_lock(&js->mu);
	for (;;) {
		while (!js->todo_head && !js->stopping)
			pthread_cond_wait(&js->wake, &js->mu);
		if (!js->todo_head)
			break;
		rg_job *j = js->todo_head;
		js->todo_head = j->next;
		if (!js->todo_head)
			js->todo_tail = NULL;
		pthread_mutex_unlock(&js->mu);
		j->run(j);
		pthread_mutex_lock(&js->mu);
		j->next = js->done;
		js->done = j;
		lws_cancel_service(js->ctx);
	}
	pthread_mutex_unlock(&js->mu);
	return NULL;
}

rg_jobs *rg_jobs_create(struct lws_context *ctx)
{
	rg_jobs *js = rg_calloc(1, sizeof *js);
	if (!js)
		return NULL;
	js->ctx = ctx;
	pthread_mutex_init(&js->mu, NULL);
	pthread_cond_init(&js->wake, NULL);
	for (size_t i = 0; i < RG_JOB_THREADS; i++)
		if (!pthread_create(&js->threads[js->n_threads], NULL, worker, js))
			js->n_threads++;
	if (!js->n_threads) {
		rg_jobs_destroy(js);
		return NULL;
	}
	return js;
}

static void job_free(rg_job *j)
{
	if (j->free_data)
		j->free_data(j->data);
	rg_free(j->body);
	rg_free(j);
}

void rg_jobs_destroy(rg_jobs *js)
{
	if (!js)
		return;
	pthread_mutex_lock(&js->mu);
	js->stopping = true;
	/* jobs not started are dropped; running ones finish (model calls time out) */
	while (js->todo_head) {
		rg_job *j = js->todo_head;
		js->todo_head = j->next;
		job_free(j);
	}
	pthread_cond_broadcast(&js->wake);
	pthread_mutex_unlock(&js->mu);
	for (size_t i = 0; i < js->n_threads; i++)
		pthread_join(js->threads[i], NULL);
	while (js->done) {
		rg_job *j = js->done;
		js->done = j->next;
		job_free(j);
	}
	pthread_cond_destroy(&js->wake);
	pthread_mutex_destroy(&js->mu);
	rg_free(js);
}

rg_job *rg_job_new(void (*run)(rg_job *), void *data, void (*free_data)(void *))
{
	rg_job *j = rg_calloc(1, sizeof *j);
	if (!j) {
		if (free_data)
			free_data(data);
		return NULL;
	}
	j->run = run;
	j->data = data;
	j->free_data = free_data;
	j->status = 500;
	j->content_type = "application/json";
	return j;
}

bool rg_jobs_submit(rg_jobs *js, rg_job *j, struct lws *wsi, rg_conn_ref conn)
{
	pthread_mutex_lock(&js->mu);
	if (js->pending >= RG_MAX_PENDING_JOBS || js->stopping) {
		pthread_mutex_unlock(&js->mu);
		job_free(j);
		return false;
	}
	j->wsi = wsi;
	j->conn = conn;
	j->pool = js;
	j->next = NULL;
	if (js->todo_tail)
		js->todo_tail->next = j;
	else
		js->todo_head = j;
	js->todo_tail = j;
	js->pending++;
	pthread_cond_signal(&js->wake);
	pthread_mutex_unlock(&js->mu);
	return true;
}

rg_jobs *rg_job_pool(const rg_job *j)
{
	return j->pool;
}

void rg_jobs_detach(rg_jobs *js, rg_job *j)
{
	pthread_mutex_lock(&js->mu);
	j->conn = NULL;
	j->wsi = NULL;
	pthread_mutex_unlock(&js->mu);
}

void rg_jobs_complete(rg_jobs *js, void (*deliver)(rg_job *j, void *ud), void *ud)
{
	pthread_mutex_lock(&js->mu);
	rg_job *list = js->done;
	js->done = NULL;
	pthread_mutex_unlock(&js->mu);
	/* the loop is the only thread that detaches, so conn is stable from here */
	while (list) {
		rg_job *j = list;
		list = j->next;
		if (j->conn)
			deliver(j, ud);
		pthread_mutex_lock(&js->mu);
		js->pending--;
		pthread_mutex_unlock(&js->mu);
		job_free(j);
	}
}
