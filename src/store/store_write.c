/*
 * store_write.c - one record to rows, on the writer thread: bind the values the
 * loop extracted (the columns the dashboard filters and sorts on; task ids and
 * seed read off the state tree), print the task scores, and store the request,
 * reply and normalised action bytes as they were, to be unwrapped when read
 * (store_read.c). Nothing is parsed here: JSON parsing and printing were most of
 * the writer's work, and the writer's work slows the loop on the other core
 * (bench/bench_store.c).
 */
#include "store/store_int.h"

#include <math.h>
#include <stdbool.h>

#include <string.h>

#include "core/alloc.h"
#include "core/json.h"

/* Bind v (any JSON) as its text, or NULL when absent or null. */
static void bind_json(sqlite3_stmt *q, int i, const rg_json *v)
{
	size_t n = 0;
	char *s = v && !rg_json_is_null(v) ? rg_json_dump(v, &n) : NULL;
	if (s)
		sqlite3_bind_text(q, i, s, (int)n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
	rg_free(s);
}

/* The payload of a request as received: a WebSocket message {"type", "data"}
 * holds it in data, an HTTP /step body in action, an HTTP /reset body is it. */
rg_json *rg__store_payload(rg_json *req, const char *http_key)
{
	if (rg_json_is_obj(req) && rg_json_is_str(rg_json_get(req, "type")) &&
	    rg_json_get(req, "data"))
		return rg_json_get(req, "data");
	if (http_key && rg_json_is_obj(req) && rg_json_get(req, "action"))
		return rg_json_get(req, http_key);
	return req;
}

static void bind_str(sqlite3_stmt *q, int i, const rg_json *v)
{
	if (rg_json_is_str(v))
		sqlite3_bind_text(q, i, rg_json_str_val(v), (int)rg_json_str_len(v), SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

/* The task scores as a JSON list, printed here as every other real is (the
 * loop hands over the numbers, NAN for a task not scored yet). */
static void bind_scores(sqlite3_stmt *q, int i, const rec *r)
{
	rg_json *arr = r && r->scores ? rg_json_arr() : NULL;
	for (size_t k = 0; arr && k < r->n_scores; k++) {
		double v;
		memcpy(&v, r->scores + k * sizeof v, sizeof v);
		if (rg_json_push(arr, isnan(v) ? rg_json_null() : rg_json_real(v))) {
			rg_json_free(arr);
			arr = NULL;
		}
	}
	bind_json(q, i, arr);
	rg_json_free(arr);
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static int run(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* An episode: the request and reply as they came and went (the reader unwraps
 * them, as for steps), the difficulty the loop picked, and the task ids and seed
 * read off the state tree; no JSON is parsed here. */
int rg__store_write_begin(sqlite3_stmt *ins_episode, sqlite3_stmt *ins_task, const rec *r)
{
	const rg_json *st = r->state;
	/* task ids: code_review states list them; pr_review names its one task */
	rg_json *ids = rg_json_arr();
	const rg_json *list = rg_json_get(st, "task_ids");
	if (ids && rg_json_is_arr(list)) {
		for (size_t i = 0; i < rg_json_size(list); i++)
			if (rg_json_push(ids, rg_json_ref(rg_json_at(list, i))))
				break;
	} else if (ids && rg_json_is_str(rg_json_get(st, "task_id"))) {
		if (rg_json_push(ids, rg_json_ref(rg_json_get(st, "task_id")))) {
			rg_json_free(ids);
			ids = NULL;
		}
	}
	sqlite3_stmt *q = ins_episode;
	sqlite3_bind_int64(q, 1, r->episode);
	bind_text(q, 2, r->episode_id);
	bind_text(q, 3, r->family);
	bind_text(q, 4, r->client && r->client[0] ? r->client : NULL);
	sqlite3_bind_double(q, 5, r->at);
	sqlite3_bind_double(q, 6, r->at);
	size_t n = 0;
	char *ids_text = ids ? rg_json_dump(ids, &n) : NULL;
	sqlite3_bind_text(q, 7, ids_text ? ids_text : "[]", -1, SQLITE_TRANSIENT);
	rg_free(ids_text);
	bind_text(q, 8, r->difficulty);
	const rg_json *seed = rg_json_get(st, "seed");
	if (rg_json_is_int(seed))
		sqlite3_bind_int64(q, 9, rg_json_int_val(seed));
	else
		sqlite3_bind_null(q, 9);
	if (r->params_len)
		bind_text(q, 10, r->params);
	else
		sqlite3_bind_text(q, 10, "{}", 2, SQLITE_STATIC);
	bind_text(q, 11, r->reply);
	int rc = run(q);
	for (size_t i = 0; rc == SQLITE_OK && ids && i < rg_json_size(ids); i++) {
		bind_str(ins_task, 1, rg_json_at(ids, i));
		sqlite3_bind_int64(ins_task, 2, r->episode);
		rc = run(ins_task);
	}
	rg_json_free(ids);
	return rc;
}

/* A step: the bytes as they came and went (the reader unwraps them) and the
 * values the loop extracted; no JSON is parsed here. */
int rg__store_write_step(sqlite3_stmt *ins_step, sqlite3_stmt *upd_episode, const rec *r)
{
	sqlite3_stmt *q = ins_step;
	sqlite3_bind_int64(q, 1, r->episode);
	sqlite3_bind_int64(q, 2, r->index);
	sqlite3_bind_double(q, 3, r->at);
	bind_text(q, 4, r->task_id);
	if (r->has_reward)
		sqlite3_bind_double(q, 5, r->reward);
	else
		sqlite3_bind_null(q, 5);
	sqlite3_bind_int(q, 6, r->done);
	bind_text(q, 7, r->error);
	sqlite3_bind_int64(q, 8, r->latency_us);
	bind_text(q, 9, r->action);
	bind_text(q, 10, r->normalized);
	bind_text(q, 11, r->reply);
	int rc = run(q);
	if (rc != SQLITE_OK)
		return rc;
	q = upd_episode;
	bool ok = r->reply != NULL; /* a rejected step changes no score */
	sqlite3_bind_int64(q, 1, r->episode);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)r->index + 1);
	sqlite3_bind_double(q, 3, r->at);
	bind_scores(q, 4, ok ? r : NULL);
	if (ok && r->has_score)
		sqlite3_bind_double(q, 5, r->episode_score);
	else
		sqlite3_bind_null(q, 5);
	if (ok && r->success >= 0)
		sqlite3_bind_int(q, 6, r->success);
	else
		sqlite3_bind_null(q, 6);
	bind_text(q, 7, ok ? r->outcome : NULL);
	sqlite3_bind_int(q, 8, ok && r->done);
	return run(q);
}
