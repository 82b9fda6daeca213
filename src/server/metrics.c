/*
 * metrics.c - GET /metrics in Prometheus' text exposition format (version 0.0.4):
 * sessions by family, steps, errors by code, the step latency and reward
 * histograms, the store's queue. Built from the live stats on the loop; a scrape
 * costs a few microseconds and one buffer.
 */
#include "server/server_int.h"

#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"

static int metric(rg_buf *b, const char *name, const char *type, const char *help)
{
	return rg_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static int sessions(rg_buf *b, rg_server *s)
{
	int rc = metric(b, "reviewgym_sessions", "gauge", "Open sessions by environment family.");
	for (size_t i = 0; !rc && i < rg_env_family_count(); i++) {
		const char *fam = rg_env_family_at(i)->family;
		long long n = 0;
		for (rg_session *x = s->sessions.head; x; x = x->next)
			n += x->env.ops && !strcmp(x->env.ops->family, fam);
		rc = rg_buf_printf(b, "reviewgym_sessions{family=\"%s\"} %lld\n", fam, n);
	}
	long long idle = 0;
	for (rg_session *x = s->sessions.head; x; x = x->next)
		idle += !x->env.ops;
	rc = rc ? rc : rg_buf_printf(b, "reviewgym_sessions{family=\"none\"} %lld\n", idle);
	rc = rc ? rc : metric(b, "reviewgym_sessions_max", "gauge", "Session capacity.");
	return rc ? rc : rg_buf_printf(b, "reviewgym_sessions_max %zu\n", s->sessions.max);
}

static int histogram(rg_buf *b, const char *name, const char *help, const double *le,
		     const uint64_t *counts, size_t n, uint64_t total, double sum)
{
	int rc = metric(b, name, "histogram", help);
	uint64_t cum = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		cum += counts[i];
		rc = rg_buf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, le[i], (unsigned long long)cum);
	}
	rc = rc ? rc : rg_buf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.9g\n%s_count %llu\n",
				     name, (unsigned long long)total, name, sum, name,
				     (unsigned long long)total);
	return rc;
}

/* A counter with one label: name{label="name_of(i)"} counts[i] for i < n. */
static int labelled(rg_buf *b, const char *name, const char *help, const char *label,
		    const char *(*name_of)(int), const uint64_t *counts, int n)
{
	int rc = metric(b, name, "counter", help);
	for (int i = 0; !rc && i < n; i++)
		rc = rg_buf_printf(b, "%s{%s=\"%s\"} %llu\n", name, label, name_of(i),
				   (unsigned long long)counts[i]);
	return rc;
}

static int counters(rg_buf *b, rg_server *s)
{
	const rg_stats *st = &s->stats;
	int rc = metric(b, "reviewgym_steps_total", "counter", "Accepted steps.") ||
		 rg_buf_printf(b, "reviewgym_steps_total %llu\n", (unsigned long long)st->steps) ||
		 metric(b, "reviewgym_resets_total", "counter", "Episodes started.") ||
		 rg_buf_printf(b, "reviewgym_resets_total %llu\n", (unsigned long long)st->resets) ||
		 metric(b, "reviewgym_episodes_finished_total", "counter", "Episodes that reached done.") ||
		 rg_buf_printf(b, "reviewgym_episodes_finished_total %llu\n",
			       (unsigned long long)st->episodes_finished) ||
		 metric(b, "reviewgym_http_requests_total", "counter", "HTTP requests routed.") ||
		 rg_buf_printf(b, "reviewgym_http_requests_total %llu\n", (unsigned long long)s->requests) ||
		 labelled(b, "reviewgym_step_errors_total", "Rejected steps by error code.", "code",
			  rg_stats_error_name, st->errors, RG_STAT_ERR__COUNT) ||
		 labelled(b, "reviewgym_ws_errors_total", "WebSocket error frames sent, by their code.",
			  "code", rg_stats_ws_error_name, st->ws_errors, RG_WS_ERR__COUNT) ||
		 labelled(b, "reviewgym_http_errors_total",
			  "HTTP responses with status >= 400, by status.", "status",
			  rg_stats_http_status_name, st->http_errors, RG_STATS_HTTP_STATUSES + 1);
	return rc;
}

static int store(rg_buf *b, rg_server *s)
{
	rg_store_stats st = { 0 };
	if (s->store)
		rg_store_get_stats(s->store, &st);
	return metric(b, "reviewgym_store_enabled", "gauge", "1 when episodes are recorded.") ||
	       rg_buf_printf(b, "reviewgym_store_enabled %d\n", s->store != NULL) ||
	       metric(b, "reviewgym_store_queue_depth", "gauge", "Records waiting for the store's writer.") ||
	       rg_buf_printf(b, "reviewgym_store_queue_depth %llu\n", (unsigned long long)st.queued) ||
	       metric(b, "reviewgym_store_written_total", "counter", "Records committed.") ||
	       rg_buf_printf(b, "reviewgym_store_written_total %llu\n", (unsigned long long)st.written) ||
	       metric(b, "reviewgym_store_dropped_total", "counter", "Records dropped by a full queue.") ||
	       rg_buf_printf(b, "reviewgym_store_dropped_total %llu\n", (unsigned long long)st.dropped) ||
	       metric(b, "reviewgym_store_failed_total", "counter", "Records lost to write errors.") ||
	       rg_buf_printf(b, "reviewgym_store_failed_total %llu\n", (unsigned long long)st.failed) ||
	       metric(b, "reviewgym_store_commit_lag_seconds_max", "gauge", "Longest enqueue-to-commit delay seen.") ||
	       rg_buf_printf(b, "reviewgym_store_commit_lag_seconds_max %.6f\n", st.lag_ms_max / 1e3) ||
	       metric(b, "reviewgym_feed_subscribers", "gauge", "Open /api/feed connections.") ||
	       rg_buf_printf(b, "reviewgym_feed_subscribers %zu\n", s->n_feed) ||
	       metric(b, "reviewgym_feed_dropped_total", "counter", "Feed frames dropped for slow readers.") ||
	       rg_buf_printf(b, "reviewgym_feed_dropped_total %llu\n", (unsigned long long)s->stats.feed_dropped);
}

void rg__h_metrics(rg_server *s, rg_conn *c, const char *body, size_t n)
{
	(void)body, (void)n;
	const rg_stats *st = &s->stats;
	rg_buf b;
	rg_buf_init(&b, 1024 * 1024);
	double reward_le[RG_STATS_REWARD_BUCKETS];
	for (int i = 0; i < RG_STATS_REWARD_BUCKETS; i++)
		reward_le[i] = (i + 1) / (double)RG_STATS_REWARD_BUCKETS;
	int rc = sessions(&b, s) || counters(&b, s) ||
		 histogram(&b, "reviewgym_step_latency_seconds",
			   "Server time per step, from request parsed to reply built.",
			   rg_stats_latency_le, st->latency_bucket, RG_STATS_LATENCY_BUCKETS,
			   st->steps, st->latency_sum_s) ||
		 histogram(&b, "reviewgym_reward", "Rewards of graded steps.", reward_le,
			   st->all_rewards.bucket, RG_STATS_REWARD_BUCKETS, st->all_rewards.n,
			   st->all_rewards.sum) ||
		 store(&b, s);
	size_t len = 0;
	char *text = rc ? NULL : rg_buf_take(&b, &len);
	rg_buf_free(&b);
	c->content_type = "text/plain; version=0.0.4; charset=utf-8";
	rg__respond(c, 200, text, len);
}
