/*
 * jobs.h - worker threads for HTTP requests that would block the loop (see
 * jobs.c for the design).
 *
 * Ownership: a job owns data (freed with free_data) and body (the response,
 * rg_malloc'd). The connection owns nothing of the job; it only points at it while
 * waiting, and detaches on close.
 */
#ifndef RG_SERVER_JOBS_H
#define RG_SERVER_JOBS_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>

#define RG_JOB_THREADS 2
#define RG_MAX_PENDING_JOBS 64

typedef struct rg_jobs rg_jobs;
typedef void *rg_conn_ref; /* the waiting connection (server's rg_conn) */

typedef struct rg_job {
	struct rg_job *next;
	rg_jobs *pool;                  /* the pool it was submitted to */
	void (*run)(struct rg_job *);   /* on a worker: must not touch server state */
	void (*finish)(struct rg_job *, void *server); /* on the loop, optional, before delivery */
	void *data;
	void (*free_data)(void *);
	struct lws *wsi;
	rg_conn_ref conn;
	/* the response run (or finish) produced */
	int status;
	char *body;
	size_t len;
	const char *content_type;
	const char *disposition;        /* Content-Disposition, or NULL */
} rg_job;

rg_jobs *rg_jobs_create(struct lws_context *ctx);
void rg_jobs_destroy(rg_jobs *js);
/* A job with data (taken: freed with free_data even on failure); NULL on ENOMEM. */
rg_job *rg_job_new(void (*run)(rg_job *), void *data, void (*free_data)(void *));
/* Queue j for conn; false (j freed) when RG_MAX_PENDING_JOBS are pending. */
bool rg_jobs_submit(rg_jobs *js, rg_job *j, struct lws *wsi, rg_conn_ref conn);
/* The pool j was submitted to. */
rg_jobs *rg_job_pool(const rg_job *j);
/* The connection is closing: its job's result will be dropped. Loop thread. */
void rg_jobs_detach(rg_jobs *js, rg_job *j);
/* Loop thread, on wake-up: deliver(j, ud) each finished job whose connection waits. */
void rg_jobs_complete(rg_jobs *js, void (*deliver)(rg_job *j, void *ud), void *ud);

#endif
