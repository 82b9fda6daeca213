/*
 * stats.c - live figures (see stats.h).
 */
#include "server/stats.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"

const double rg_stats_latency_le[RG_STATS_LATENCY_BUCKETS] = {
	0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 1.0,
};

void rg_stats_init(rg_stats *st, uint64_t now_ms)
{
	memset(st, 0, sizeof *st);
	st->start_ms = now_ms;
	snprintf(st->other.id, sizeof st->other.id, "(other)");
}

void rg_stats_free(rg_stats *st)
{
	rg_free(st->tasks);
	st->tasks = NULL;
	st->n_tasks = st->cap_tasks = 0;
}

static void hist_add(rg_hist *h, double v)
{
	if (v < 0)
		v = 0;
	if (v > 1)
		v = 1;
	int b = (int)(v * RG_STATS_REWARD_BUCKETS);
	if (b >= RG_STATS_REWARD_BUCKETS)
		b = RG_STATS_REWARD_BUCKETS - 1;
	h->bucket[b]++;
	h->n++;
	h->sum += v;
}

static rg_task_stat *task_stat(rg_stats *st, const char *id, const char *family,
			       const char *difficulty)
{
	for (size_t i = 0; i < st->n_tasks; i++)
		if (!strcmp(st->tasks[i].id, id))
			return &st->tasks[i];
	if (st->n_tasks == RG_STATS_MAX_TASKS)
		return &st->other;
	if (st->n_tasks == st->cap_tasks) {
		size_t cap = st->cap_tasks ? st->cap_tasks * 2 : 64;
		rg_task_stat *t = rg_realloc(st->tasks, cap * sizeof *t);
		if (!t)
			return &st->other;
		st->tasks = t;
		st->cap_tasks = cap;
	}
	rg_task_stat *t = &st->tasks[st->n_tasks++];
	memset(t, 0, sizeof *t);
	snprintf(t->id, sizeof t->id, "%s", id);
	snprintf(t->family, sizeof t->family, "%s", family ? family : "");
	snprintf(t->difficulty, sizeof t->difficulty, "%s", difficulty ? difficulty : "");
	return t;
}

/* Move the ring to the current second, zeroing the seconds that passed. */
static void series_advance(rg_stats *st, uint64_t now_ms)
{
	uint64_t sec = now_ms / 1000;
	if (st->series_sec == 0)
		st->series_sec = sec;
	if (sec <= st->series_sec)
		return;
	uint64_t gap = sec - st->series_sec;
	if (gap > RG_STATS_SERIES_S)
		gap = RG_STATS_SERIES_S;
	for (uint64_t k = 1; k <= gap; k++)
		st->series[(st->series_sec + k) % RG_STATS_SERIES_S] = 0;
	st->series_sec = sec;
}

void rg_stats_step(rg_stats *st, uint64_t now_ms, const char *family, const char *task_id,
		   const char *difficulty, bool has_reward, double reward, uint64_t latency_us)
{
	st->steps++;
	series_advance(st, now_ms);
	st->series[st->series_sec % RG_STATS_SERIES_S]++;
	double lat = (double)latency_us / 1e6;
	st->latency_sum_s += lat;
	int b = 0;
	while (b < RG_STATS_LATENCY_BUCKETS && lat > rg_stats_latency_le[b])
		b++;
	st->latency_bucket[b]++;
	if (!has_reward)
		return;
	hist_add(&st->all_rewards, reward);
	if (task_id && task_id[0])
		hist_add(&task_stat(st, task_id, family, difficulty)->rewards, reward);
	static const char *const names[3] = { "easy", "medium", "hard" };
	for (int i = 0; difficulty && i < 3; i++)
		if (!strcmp(difficulty, names[i]))
			hist_add(&st->by_difficulty[i], reward);
}

void rg_stats_episode_end(rg_stats *st, bool has_score, double score, int success)
{
	st->episodes_finished++;
	if (has_score)
		st->episode_score_sum += score;
	if (success >= 0) {
		st->success_known++;
		st->successes += (uint64_t)success;
	}
}

void rg_stats_error(rg_stats *st, int code)
{
	int i = code == RG_EINVAL || code == RG_EJSON || code == RG_ETOOBIG ? RG_STAT_ERR_VALIDATION
		: code == RG_ESTATE					       ? RG_STAT_ERR_STATE
		: code == RG_ENOTFOUND					       ? RG_STAT_ERR_NOTFOUND
		: code == RG_ECAPACITY					       ? RG_STAT_ERR_CAPACITY
										       : RG_STAT_ERR_OTHER;
	st->errors[i]++;
}

/* Sized by their initialisers and checked against the counters they label: a
 * name left out would otherwise be a NULL the lookup reads. */
static const char *const ws_error_names[] = {
	"INVALID_JSON", "UNKNOWN_TYPE", "MESSAGE_TOO_LARGE",
	"VALIDATION_ERROR", "CAPACITY_REACHED", "FACTORY_ERROR", "EXECUTION_ERROR",
};
_Static_assert(sizeof ws_error_names / sizeof *ws_error_names == RG_WS_ERR__COUNT,
	       "one name per RG_WS_ERR_*");

/* Labels as /metrics and /api/stats show them; the last slot counts the rest. */
static const char *const http_status_names[] = {
	"400", "401", "403", "404", "405", "409", "413", "415", "422", "429", "500", "502", "503",
	"other",
};
_Static_assert(sizeof http_status_names / sizeof *http_status_names == RG_STATS_HTTP_STATUSES + 1,
	       "RG_STATS_HTTP_STATUSES statuses and \"other\"");

/* Index of name in names[0..n), or fallback. Errors only: a scan is plenty. */
static int slot_of(const char *name, const char *const *names, int n, int fallback)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(name, names[k]))
			return k;
	return fallback;
}

void rg_stats_ws_error(rg_stats *st, const char *code)
{
	/* a code not listed counts as the generic one */
	st->ws_errors[slot_of(code, ws_error_names, RG_WS_ERR__COUNT, RG_WS_ERR_EXECUTION)]++;
}

const char *rg_stats_ws_error_name(int i)
{
	return i >= 0 && i < RG_WS_ERR__COUNT ? ws_error_names[i] : "?";
}

void rg_stats_http_status(rg_stats *st, int status)
{
	if (status < 400)
		return;
	char name[16];
	snprintf(name, sizeof name, "%d", status);
	st->http_errors[slot_of(name, http_status_names, RG_STATS_HTTP_STATUSES,
				RG_STATS_HTTP_STATUSES)]++;
}

const char *rg_stats_http_status_name(int i)
{
	return i >= 0 && i <= RG_STATS_HTTP_STATUSES ? http_status_names[i] : "?";
}

uint64_t rg_stats_errors_total(const rg_stats *st)
{
	uint64_t n = 0;
	for (int i = 0; i < RG_WS_ERR__COUNT; i++)
		n += st->ws_errors[i];
	for (int i = 0; i <= RG_STATS_HTTP_STATUSES; i++)
		n += st->http_errors[i];
	return n;
}

const char *rg_stats_error_name(int i)
{
	static const char *const names[RG_STAT_ERR__COUNT] = {
		"VALIDATION_ERROR", "STATE_ERROR", "NOT_FOUND", "CAPACITY_REACHED", "EXECUTION_ERROR",
	};
	return i >= 0 && i < RG_STAT_ERR__COUNT ? names[i] : "?";
}

rg_json *rg_stats_series(const rg_stats *st, uint64_t now_ms, double *per_s)
{
	uint64_t sec = now_ms / 1000;
	rg_json *arr = rg_json_arr();
	double last10 = 0;
	/* the last whole seconds, oldest first: sec-N .. sec-1 */
	for (uint64_t k = RG_STATS_SERIES_S; arr && k >= 1; k--) {
		uint64_t s = sec - k;
		uint32_t v = 0;
		if (st->series_sec && s <= st->series_sec && st->series_sec - s < RG_STATS_SERIES_S)
			v = st->series[s % RG_STATS_SERIES_S];
		if (k <= 10)
			last10 += v;
		if (rg_json_push(arr, rg_json_int(v))) {
			rg_json_free(arr);
			arr = NULL;
		}
	}
	*per_s = last10 / 10.0;
	return arr;
}

rg_json *rg_stats_hist_json(const rg_hist *h)
{
	rg_json *o = rg_json_obj();
	rg_json *b = rg_json_arr();
	for (int i = 0; b && i < RG_STATS_REWARD_BUCKETS; i++)
		if (rg_json_push(b, rg_json_int((long long)h->bucket[i]))) {
			rg_json_free(b);
			b = NULL;
		}
	if (!o || rg_json_set_int(o, "n", (long long)h->n) ||
	    (h->n ? rg_json_set(o, "mean", rg_json_real(h->sum / (double)h->n))
		  : rg_json_set_null(o, "mean")) ||
	    rg_json_set(o, "hist", b)) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}
