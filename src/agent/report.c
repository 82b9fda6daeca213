/*
 * report.c - counting a run and writing its report (see report.h).
 */
#include "agent/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

int rg__run_state_init(rg_run_state *st, const rg_run_config *cfg)
{
	memset(st, 0, sizeof *st);
	st->cfg = cfg;
	return pthread_mutex_init(&st->lock, NULL) ? -1 : 0;
}

void rg__run_state_free(rg_run_state *st)
{
	rg_free(st->tasks);
	rg_free(st->lat_ms);
	pthread_mutex_destroy(&st->lock);
}

int rg__run_next(rg_run_state *st)
{
	pthread_mutex_lock(&st->lock);
	int e = st->next < st->cfg->episodes ? st->next++ : -1;
	pthread_mutex_unlock(&st->lock);
	return e;
}

/* Grow an array to hold one more element (doubling); -1 on ENOMEM. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	void *q = rg_realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

void rg__run_record(rg_run_state *st, const rg_run_task *t, const char *text, size_t len)
{
	pthread_mutex_lock(&st->lock);
	fwrite(text, 1, len, stdout);
	fflush(stdout);
	if (!grow((void **)&st->tasks, &st->cap_tasks, st->n_tasks, sizeof *st->tasks))
		st->tasks[st->n_tasks++] = *t;
	if (t->error[0]) {
		st->failed++;
		fprintf(stderr, "run: episode %d, task %s: %s\n", t->episode, t->task_id, t->error);
	}
	pthread_mutex_unlock(&st->lock);
}

void rg__run_latency(rg_run_state *st, double ms)
{
	pthread_mutex_lock(&st->lock);
	if (!grow((void **)&st->lat_ms, &st->cap_lat, st->n_lat, sizeof *st->lat_ms))
		st->lat_ms[st->n_lat++] = ms;
	pthread_mutex_unlock(&st->lock);
}

static double mean_score(const rg_run_state *st, size_t *n_out)
{
	double sum = 0;
	for (size_t i = 0; i < st->n_tasks; i++)
		sum += st->tasks[i].score;
	*n_out = st->n_tasks;
	return st->n_tasks ? sum / (double)st->n_tasks : 0.0;
}

void rg__run_episode_done(rg_run_state *st)
{
	pthread_mutex_lock(&st->lock);
	st->done++;
	if (st->cfg->progress && st->cfg->episodes > 1) {
		size_t n;
		double m = mean_score(st, &n);
		fprintf(stderr, "run: %d/%d episodes, %zu tasks, mean score %.3f\n", st->done,
			st->cfg->episodes, n, m);
	}
	pthread_mutex_unlock(&st->lock);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* {"n", "mean_score", "success_rate"} over the tasks whose field key equals val
 * (all tasks when key is NULL). */
static rg_json *group(const rg_run_state *st, const char *key, const char *val)
{
	size_t n = 0, wins = 0;
	double sum = 0;
	for (size_t i = 0; i < st->n_tasks; i++) {
		const rg_run_task *t = &st->tasks[i];
		const char *f = !key ? NULL : !strcmp(key, "family") ? t->family : t->difficulty;
		if (key && strcmp(f, val))
			continue;
		n++;
		wins += t->success;
		sum += t->score;
	}
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set_int(o, "n", (long long)n) ||
	    rg_json_set_real(o, "mean_score", n ? sum / (double)n : 0.0) ||
	    rg_json_set_real(o, "success_rate", n ? (double)wins / (double)n : 0.0)) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

/* Per distinct value of key: {value: group}. */
static rg_json *groups(const rg_run_state *st, const char *key)
{
	rg_json *o = rg_json_obj();
	for (size_t i = 0; o && i < st->n_tasks; i++) {
		const char *v = !strcmp(key, "family") ? st->tasks[i].family : st->tasks[i].difficulty;
		if (rg_json_get(o, v))
			continue;
		if (rg_json_set(o, v, group(st, key, v))) {
			rg_json_free(o);
			return NULL;
		}
	}
	return o;
}

static rg_json *task_json(const rg_run_task *t)
{
	rg_json *o = rg_json_obj();
	rg_json *r = rg_json_arr();
	int rc = !o || !r;
	for (int i = 0; !rc && i < t->n_rewards; i++)
		rc = rg_json_push(r, rg_json_real(t->rewards[i]));
	rc = rc || rg_json_set_int(o, "episode", t->episode) ||
	     rg_json_set_str(o, "task_id", t->task_id) || rg_json_set_str(o, "family", t->family) ||
	     rg_json_set_str(o, "difficulty", t->difficulty) ||
	     (t->kind[0] ? rg_json_set_str(o, "kind", t->kind) : rg_json_set_null(o, "kind")) ||
	     rg_json_set_real(o, "score", t->score) || rg_json_set_bool(o, "success", t->success) ||
	     rg_json_set_int(o, "steps", t->steps);
	if (!rc) {
		rc = rg_json_set(o, "rewards", r);
		r = NULL;
	}
	rc = rc || (t->error[0] ? rg_json_set_str(o, "error", t->error) : rg_json_set_null(o, "error")) ||
	     rg_json_set_real(o, "seconds", t->seconds);
	rg_json_free(r);
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static rg_json *latency_json(rg_run_state *st)
{
	qsort(st->lat_ms, st->n_lat, sizeof *st->lat_ms, cmp_double);
	double sum = 0;
	for (size_t i = 0; i < st->n_lat; i++)
		sum += st->lat_ms[i];
	rg_json *o = rg_json_obj();
	size_t n = st->n_lat;
	if (!o || rg_json_set_int(o, "replies", (long long)n) ||
	    rg_json_set_real(o, "median_ms", n ? st->lat_ms[n / 2] : 0.0) ||
	    rg_json_set_real(o, "p95_ms", n ? st->lat_ms[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1] : 0.0) ||
	    rg_json_set_real(o, "mean_ms", n ? sum / (double)n : 0.0)) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static rg_json *llm_json(const rg_run_config *cfg)
{
	const rg_policy_shared *p = cfg->policy;
	if (p->kind != RG_POLICY_LLM)
		return rg_json_null();
	const rg_llm_usage *u = &p->usage;
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set_str(o, "model", p->llm.model) ||
	    rg_json_set_int(o, "calls", u->calls) || rg_json_set_int(o, "retries", u->retries) ||
	    rg_json_set_int(o, "failures", u->failures) ||
	    rg_json_set_int(o, "prompt_tokens", u->prompt_tokens) ||
	    rg_json_set_int(o, "completion_tokens", u->completion_tokens) ||
	    rg_json_set_int(o, "total_tokens", u->prompt_tokens + u->completion_tokens) ||
	    rg_json_set_int(o, "token_budget", p->token_budget)) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static rg_json *report_json(rg_run_state *st)
{
	const rg_run_config *cfg = st->cfg;
	rg_json *o = rg_json_obj();
	rg_json *tasks = rg_json_arr();
	rg_json *summary = rg_json_obj();
	int rc = !o || !tasks || !summary;
	for (size_t i = 0; !rc && i < st->n_tasks; i++)
		rc = rg_json_push(tasks, task_json(&st->tasks[i]));
	rc = rc || rg_json_set_str(summary, "family", cfg->family) ||
	     rg_json_set(summary, "overall", group(st, NULL, NULL)) ||
	     rg_json_set(summary, "by_difficulty", groups(st, "difficulty")) ||
	     rg_json_set(summary, "by_family", groups(st, "family")) ||
	     rg_json_set_int(summary, "failed_blocks", st->failed) ||
	     rg_json_set(summary, "latency", latency_json(st));
	rc = rc || rg_json_set_str(o, "benchmark", cfg->benchmark) ||
	     rg_json_set_str(o, "policy", rg_policy_name(cfg->policy->kind)) ||
	     rg_json_set_str(o, "model", cfg->model) || rg_json_set_str(o, "url", cfg->url) ||
	     rg_json_set_int(o, "episodes", cfg->episodes) ||
	     (cfg->has_seed ? rg_json_set_int(o, "seed", (long long)cfg->seed)
			    : rg_json_set_null(o, "seed"));
	if (!rc) {
		rc = rg_json_set(o, "summary", summary);
		summary = NULL;
	}
	if (!rc) {
		rc = rg_json_set(o, "tasks", tasks);
		tasks = NULL;
	}
	rc = rc || rg_json_set(o, "llm", llm_json(cfg));
	rg_json_free(tasks);
	rg_json_free(summary);
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

int rg__run_finish(rg_run_state *st)
{
	const rg_run_config *cfg = st->cfg;
	size_t n;
	double m = mean_score(st, &n);
	size_t wins = 0;
	for (size_t i = 0; i < n; i++)
		wins += st->tasks[i].success;
	fprintf(stderr, "run: %s policy, %zu tasks, mean score %.3f, success %.0f%%, %d failed\n",
		rg_policy_name(cfg->policy->kind), n, m, n ? 100.0 * (double)wins / (double)n : 0.0,
		st->failed);
	int rc = st->failed ? 1 : 0;
	if (cfg->report_path) {
		rg_json *r = report_json(st);
		size_t len = 0;
		char *text = r ? rg_json_dump(r, &len) : NULL;
		rg_json_free(r);
		FILE *f = text ? fopen(cfg->report_path, "w") : NULL;
		if (!f || fwrite(text, 1, len, f) != len || fputc('\n', f) == EOF) {
			fprintf(stderr, "run: cannot write the report %s\n", cfg->report_path);
			rc = 1;
		}
		if (f && fclose(f))
			rc = 1;
		rg_free(text);
	}
	return rc;
}
