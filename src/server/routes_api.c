/*
 * routes_api.c - the dashboard's read API (docs/api.md): /api/config, /api/stats
 * from memory on the loop; /api/episodes, /api/episodes/{id}, /api/tasks/means and
 * /api/export from the store, on worker threads (jobs.c), since a query touches
 * the disk.
 *
 * Parameters are checked on the loop before a job is queued, so every bad value
 * is a 422 naming ["query", <name>] and no worker runs for it. A read job gets a
 * copy of everything it needs (the store's path, the filter, the bank pointer -
 * the bank is immutable after load, so reading it from a worker is safe) and
 * never touches the server.
 */
#include "server/server_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/version.h"
#include "server/api_truth.h"
#include "server/jobs.h"
#include "server/wire.h"

bool rg__query_arg(const rg_conn *c, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = c->query;
	while (*p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			size_t vl = len - nl - 1;
			if (vl >= cap)
				vl = cap - 1;
			memcpy(out, p + nl + 1, vl);
			out[vl] = '\0';
			return true;
		}
		p += len + (end ? 1 : 0);
	}
	return false;
}

static void query_error(rg_conn *c, const char *name, const char *kind, const char *msg)
{
	static const char *const pre[] = { "query" };
	rg_err err;
	rg_err_clear(&err);
	rg_err_set(&err, RG_EINVAL, name, kind, "%s", msg);
	rg__respond_err(c, &err, pre, 1);
}

static void respond_detail(rg_conn *c, int status, const char *msg)
{
	size_t len = 0;
	char *b = rg_wire_detail(msg, &len);
	rg__respond(c, status, b, len);
}

/* ------------------------------------------------------------------------ */
/* Reads on a worker                                                        */
/* ------------------------------------------------------------------------ */

enum read_kind { READ_LIST, READ_ONE, READ_MEANS, READ_EXPORT };

typedef struct read_req {
	enum read_kind kind;
	char *path;
	const rg_bank *bank;
	rg_store_filter f;
	char family[32], task[RG_MAX_ID_LEN + 1];
	char id[RG_MAX_EPISODE_ID_LEN + 1];
	bool csv;
} read_req;

static void read_free(void *p)
{
	read_req *r = p;
	if (r)
		rg_free(r->path);
	rg_free(r);
}

static int out_buf(void *ud, const char *bytes, size_t n)
{
	return rg_buf_append(ud, bytes, n);
}

static void job_json(rg_job *j, rg_json *v, const rg_err *err)
{
	if (!v) {
		j->status = rg_wire_http_status(err->code);
		j->body = rg_wire_detail(err->msg, &j->len);
		return;
	}
	j->status = 200;
	j->body = rg_json_dump(v, &j->len);
	rg_json_free(v);
}

static void run_read(rg_job *j)
{
	read_req *r = j->data;
	rg_err err;
	rg_err_clear(&err);
	switch (r->kind) {
	case READ_LIST:
		job_json(j, rg_store_list(r->path, &r->f, &err), &err);
		break;
	case READ_MEANS:
		job_json(j, rg_store_task_means(r->path, &r->f, &err), &err);
		break;
	case READ_ONE: {
		rg_json *e = rg_store_get(r->path, r->id, &err);
		if (e && rg_json_bool_val(rg_json_get(e, "done")) &&
		    rg_json_set(e, "tasks", rg__api_truth(r->bank, rg_json_get(e, "task_ids")))) {
			rg_json_free(e);
			e = NULL;
			rg_err_set(&err, RG_ENOMEM, NULL, NULL, "out of memory");
		}
		job_json(j, e, &err);
		break;
	}
	case READ_EXPORT: {
		rg_buf b;
		rg_buf_init(&b, RG_MAX_EXPORT_BYTES);
		int rc = rg_store_export(r->path, &r->f, r->csv, out_buf, &b, &err);
		if (rc == RG_ETOOBIG) {
			rg_err_clear(&err);
			rg_err_set(&err, RG_ETOOBIG, "limit", NULL,
				   "export larger than %u MiB: lower limit or narrow the filter (or use `reviewgym export`)",
				   (unsigned)(RG_MAX_EXPORT_BYTES >> 20));
			j->status = 413;
			j->body = rg_wire_detail(err.msg, &j->len);
		} else if (rc) {
			job_json(j, NULL, &err);
		} else {
			j->status = 200;
			j->body = rg_buf_take(&b, &j->len);
			j->content_type = r->csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
			j->disposition = r->csv ? "attachment; filename=\"reviewgym-episodes.csv\""
						: "attachment; filename=\"reviewgym-episodes.jsonl\"";
		}
		rg_buf_free(&b);
		break;
	}
	}
}

/* Parse the shared filter parameters; answers 422 and returns false on a bad one. */
static bool parse_filter(rg_conn *c, read_req *r, unsigned max_limit, unsigned def_limit)
{
	char v[64];
	if (c->query_too_long) {
		query_error(c, "query", "string_too_long", "query string too long");
		return false;
	}
	if (rg__query_arg(c, "family", r->family, sizeof r->family)) {
		if (strcmp(r->family, "code_review") && strcmp(r->family, "pr_review")) {
			query_error(c, "family", "enum", "expected code_review or pr_review");
			return false;
		}
		r->f.family = r->family;
	}
	if (rg__query_arg(c, "task", r->task, sizeof r->task) && r->task[0])
		r->f.task = r->task;
	r->f.limit = def_limit;
	if (rg__query_arg(c, "limit", v, sizeof v)) {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (!v[0] || *end || errno || n < 1 || (unsigned long)n > max_limit) {
			char msg[80];
			snprintf(msg, sizeof msg, "expected an integer in 1..%u", max_limit);
			query_error(c, "limit", "int_parsing", msg);
			return false;
		}
		r->f.limit = (unsigned)n;
	}
	if (rg__query_arg(c, "before", v, sizeof v)) {
		char *end;
		errno = 0;
		long long n = strtoll(v, &end, 10);
		if (!v[0] || *end || errno || n < 1) {
			query_error(c, "before", "int_parsing", "expected a positive store id");
			return false;
		}
		r->f.before = n;
	}
	if (rg__query_arg(c, "since", v, sizeof v)) {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		if (!v[0] || *end || errno || !(d >= 0) || d > 1e11) {
			query_error(c, "since", "float_parsing", "expected unix seconds (a number >= 0)");
			return false;
		}
		r->f.since = d;
	}
	return true;
}

static void submit_read(rg_server *s, rg_conn *c, read_req *r)
{
	r->path = rg_strdup(rg_store_path(s->store));
	r->bank = s->bank;
	rg_job *j = r->path ? rg_job_new(run_read, r, read_free) : NULL;
	if (!r->path)
		read_free(r);
	if (!j) {
		rg__respond(c, 500, NULL, 0);
		return;
	}
	if (!rg_jobs_submit(s->jobs, j, c->wsi, c)) {
		respond_detail(c, 503, "too many requests waiting for the store; retry shortly");
		return;
	}
	c->job = j;
}

static read_req *new_read(rg_server *s, rg_conn *c, enum read_kind kind)
{
	if (!s->store) {
		respond_detail(c, 503, "the episode store is off (server started with --no-store)");
		return NULL;
	}
	read_req *r = rg_calloc(1, sizeof *r);
	if (!r)
		rg__respond(c, 500, NULL, 0);
	else
		r->kind = kind;
	return r;
}

void rg__h_api_episodes(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	read_req *r = new_read(s, c, READ_LIST);
	if (!r)
		return;
	if (!parse_filter(c, r, RG_STORE_MAX_PAGE, 50))
		read_free(r);
	else
		submit_read(s, c, r);
}

void rg__h_api_episode(rg_server *s, rg_conn *c, const char *id)
{
	if (!id[0] || strlen(id) > RG_MAX_EPISODE_ID_LEN) {
		static const char *const pre[] = { "path" };
		rg_err err;
		rg_err_clear(&err);
		rg_err_set(&err, RG_EINVAL, "id", "value_error",
			   "expected a store id or an episode_id of 1..255 characters");
		rg__respond_err(c, &err, pre, 1);
		return;
	}
	read_req *r = new_read(s, c, READ_ONE);
	if (!r)
		return;
	snprintf(r->id, sizeof r->id, "%s", id);
	submit_read(s, c, r);
}

void rg__h_api_means(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	read_req *r = new_read(s, c, READ_MEANS);
	if (!r)
		return;
	if (!parse_filter(c, r, RG_STORE_MAX_EXPORT, RG_STORE_MAX_EXPORT))
		read_free(r);
	else
		submit_read(s, c, r);
}

void rg__h_api_export(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	read_req *r = new_read(s, c, READ_EXPORT);
	if (!r)
		return;
	char fmt[16] = "jsonl";
	if (!parse_filter(c, r, RG_STORE_MAX_EXPORT, 1000)) {
		read_free(r);
		return;
	}
	rg__query_arg(c, "format", fmt, sizeof fmt);
	if (strcmp(fmt, "jsonl") && strcmp(fmt, "csv")) {
		query_error(c, "format", "enum", "expected jsonl or csv");
		read_free(r);
		return;
	}
	r->csv = !strcmp(fmt, "csv");
	submit_read(s, c, r);
}

/* ------------------------------------------------------------------------ */
/* From memory                                                              */
/* ------------------------------------------------------------------------ */

void rg__h_api_config(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	rg_json *o = rg_json_obj();
	rg_json *fams = rg_json_arr();
	for (size_t i = 0; fams && i < rg_env_family_count(); i++)
		if (rg_json_push(fams, rg_json_str(rg_env_family_at(i)->family))) {
			rg_json_free(fams);
			fams = NULL;
		}
	/* the defect classes expected_issues may name (custom review) */
	const rg_lexicon *lex = rg_bank_lexicon(s->bank);
	rg_json *classes = rg_json_arr();
	for (size_t i = 0; classes && i < lex->n; i++)
		if (rg_json_push(classes, rg_json_str(lex->names[i]))) {
			rg_json_free(classes);
			classes = NULL;
		}
	if (!o || !fams || !classes) {
		rg_json_free(o);
		rg_json_free(fams);
		rg_json_free(classes);
		rg__respond(c, 500, NULL, 0);
		return;
	}
	if (rg_json_set(o, "families", fams) || rg_json_set(o, "lexicon_classes", classes) ||
	    rg_json_set_str(o, "version", RG_VERSION) ||
	    rg_json_set_bool(o, "store", s->store != NULL) ||
	    rg_json_set(o, "store_path", s->store ? rg_json_str(rg_store_path(s->store)) : rg_json_null()) ||
	    rg_json_set_bool(o, "allow_model_calls", s->cfg->allow_model_calls)) {
		rg_json_free(o);
		o = NULL;
	}
	rg__respond_json(c, 200, o);
}

static rg_json *store_stats(rg_server *s)
{
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set_bool(o, "enabled", s->store != NULL)) {
		rg_json_free(o);
		return NULL;
	}
	if (!s->store)
		return o;
	rg_store_stats st;
	rg_store_get_stats(s->store, &st);
	if (rg_json_set_int(o, "queued", (long long)st.queued) ||
	    rg_json_set_int(o, "written", (long long)st.written) ||
	    rg_json_set_int(o, "dropped", (long long)st.dropped) ||
	    rg_json_set_int(o, "failed", (long long)st.failed) ||
	    rg_json_set_int(o, "commits", (long long)st.commits) ||
	    rg_json_set_int(o, "episodes", (long long)st.episodes) ||
	    rg_json_set(o, "lag_ms_max", rg_json_real(st.lag_ms_max)) ||
	    rg_json_set(o, "lag_ms_last", rg_json_real(st.lag_ms_last))) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

/* {name_of(i): counts[i]} for the counts that are not 0. */
static rg_json *counts_json(const char *(*name_of)(int), const uint64_t *counts, int n)
{
	rg_json *o = rg_json_obj();
	for (int i = 0; o && i < n; i++)
		if (counts[i] && rg_json_set_int(o, name_of(i), (long long)counts[i])) {
			rg_json_free(o);
			o = NULL;
		}
	return o;
}

/* {"ws": {"INVALID_JSON": n, ...}, "http": {"404": n, ...}}: the codes seen only. */
static rg_json *errors_json(const rg_stats *st)
{
	rg_json *o = rg_json_obj();
	if (o && (rg_json_set(o, "ws", counts_json(rg_stats_ws_error_name, st->ws_errors,
						   RG_WS_ERR__COUNT)) ||
		  rg_json_set(o, "http", counts_json(rg_stats_http_status_name, st->http_errors,
						     RG_STATS_HTTP_STATUSES + 1)))) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static rg_json *sessions_json(rg_server *s)
{
	long long ws = 0, http = 0;
	rg_json *by = rg_json_obj();
	for (size_t i = 0; by && i < rg_env_family_count(); i++)
		if (rg_json_set_int(by, rg_env_family_at(i)->family, 0)) {
			rg_json_free(by);
			by = NULL;
		}
	for (rg_session *x = s->sessions.head; by && x; x = x->next) {
		x->kind == RG_SESSION_WS ? ws++ : http++;
		if (x->env.ops) {
			const rg_json *v = rg_json_get(by, x->env.ops->family);
			if (rg_json_set_int(by, x->env.ops->family, rg_json_int_val(v) + 1)) {
				rg_json_free(by);
				by = NULL;
			}
		}
	}
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set_int(o, "active", (long long)s->sessions.count) ||
	    rg_json_set_int(o, "ws", ws) || rg_json_set_int(o, "http", http) ||
	    rg_json_set(o, "by_family", by) ||
	    rg_json_set_int(o, "max", (long long)s->sessions.max)) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static rg_json *rewards_json(const rg_stats *st)
{
	rg_json *tasks = rg_json_obj(), *diff = rg_json_obj(), *o = rg_json_obj();
	int rc = !tasks || !diff || !o;
	for (size_t i = 0; !rc && i <= st->n_tasks; i++) {
		const rg_task_stat *t = i < st->n_tasks ? &st->tasks[i] : &st->other;
		if (!t->rewards.n)
			continue;
		rg_json *h = rg_stats_hist_json(&t->rewards);
		rc = !h || rg_json_set_str(h, "family", t->family) ||
		     rg_json_set(h, "difficulty", t->difficulty[0] ? rg_json_str(t->difficulty) : rg_json_null()) ||
		     rg_json_set(tasks, t->id, rg_json_ref(h));
		rg_json_free(h);
	}
	static const char *const names[3] = { "easy", "medium", "hard" };
	for (int i = 0; !rc && i < 3; i++)
		rc = rg_json_set(diff, names[i], rg_stats_hist_json(&st->by_difficulty[i]));
	if (!rc) {
		rc = rg_json_set(o, "by_task", tasks) || rg_json_set(o, "by_difficulty", diff) ||
		     rg_json_set(o, "all", rg_stats_hist_json(&st->all_rewards));
		tasks = diff = NULL;
	}
	rg_json_free(tasks);
	rg_json_free(diff);
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

void rg__h_api_stats(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	uint64_t now = rg__server_now_ms();
	const rg_stats *st = &s->stats;
	double per_s = 0;
	rg_json *series = rg_stats_series(st, now, &per_s);
	rg_json *feed = rg_json_obj();
	rg_json *o = rg_json_obj();
	if (!o || !feed || !series) {
		rg_json_free(series);
		rg_json_free(feed);
		rg_json_free(o);
		rg__respond(c, 500, NULL, 0);
		return;
	}
	/* rg_json_set takes its value even when it fails: the owned ones go first */
	if (rg_json_set(o, "steps_series", series) || rg_json_set(o, "feed", feed) ||
	    rg_json_set_int(feed, "subscribers", (long long)s->n_feed) ||
	    rg_json_set_int(feed, "dropped", (long long)st->feed_dropped) ||
	    rg_json_set(o, "uptime_s", rg_json_real((double)(now - st->start_ms) / 1000.0)) ||
	    rg_json_set(o, "sessions", sessions_json(s)) ||
	    rg_json_set_int(o, "steps_total", (long long)st->steps) ||
	    rg_json_set_int(o, "resets_total", (long long)st->resets) ||
	    rg_json_set(o, "steps_per_s", rg_json_real(per_s)) ||
	    rg_json_set_int(o, "errors_total", (long long)rg_stats_errors_total(st)) ||
	    rg_json_set(o, "errors", errors_json(st)) ||
	    rg_json_set_int(o, "episodes_finished", (long long)st->episodes_finished) ||
	    rg_json_set(o, "mean_episode_score",
			st->episodes_finished ? rg_json_real(st->episode_score_sum / (double)st->episodes_finished)
					      : rg_json_null()) ||
	    rg_json_set(o, "rewards", rewards_json(st)) ||
	    rg_json_set(o, "store", store_stats(s))) {
		rg_json_free(o);
		o = NULL;
	}
	rg__respond_json(c, 200, o);
}
