/*
 * store_write.c - one record to rows, on the writer thread: parse the reply
 * envelope and the state the loop handed over and pick out the columns the
 * dashboard filters and sorts on (task ids, difficulty, seed, reward, scores).
 * Everything else stays as the JSON text it arrived as.
 *
 * Malformed bytes cannot happen from our own server, but the writer does not
 * trust them: a reply that does not parse is stored with null columns.
 */
#include "store/store_int.h"

#include <stdbool.h>

#include <string.h>

#include "core/alloc.h"
#include "core/json.h"

static rg_json *parse(const char *text)
{
	if (!text || !text[0])
		return NULL;
	rg_err err;
	rg_err_clear(&err);
	return rg_json_parse(text, strlen(text), &err);
}

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

int rg__store_write_begin(sqlite3 *db, sqlite3_stmt *ins_episode, sqlite3_stmt *ins_task,
			  int64_t id, double at, const char *episode_id, const char *family,
			  const char *client, const char *params, const char *state,
			  const char *reply)
{
	(void)db;
	rg_json *st = parse(state), *env = parse(reply), *req = parse(params);
	const rg_json *pa = rg__store_payload(req, NULL);
	const rg_json *obs = rg_json_get(rg__store_payload(env, NULL), "observation");
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
	sqlite3_bind_int64(q, 1, id);
	bind_text(q, 2, episode_id);
	bind_text(q, 3, family);
	bind_text(q, 4, client && client[0] ? client : NULL);
	sqlite3_bind_double(q, 5, at);
	sqlite3_bind_double(q, 6, at);
	size_t n = 0;
	char *ids_text = ids ? rg_json_dump(ids, &n) : NULL;
	sqlite3_bind_text(q, 7, ids_text ? ids_text : "[]", -1, SQLITE_TRANSIENT);
	rg_free(ids_text);
	const rg_json *diff = rg_json_get(pa, "difficulty");
	bind_str(q, 8, rg_json_is_str(diff) ? diff
			: !strcmp(family, "pr_review") ? rg_json_get(obs, "difficulty") : NULL);
	const rg_json *seed = rg_json_get(st, "seed");
	if (rg_json_is_int(seed))
		sqlite3_bind_int64(q, 9, rg_json_int_val(seed));
	else
		sqlite3_bind_null(q, 9);
	if (pa && !rg_json_is_null(pa))
		bind_json(q, 10, pa);
	else
		sqlite3_bind_text(q, 10, "{}", 2, SQLITE_STATIC);
	bind_json(q, 11, obs);
	int rc = run(q);
	for (size_t i = 0; rc == SQLITE_OK && ids && i < rg_json_size(ids); i++) {
		bind_str(ins_task, 1, rg_json_at(ids, i));
		sqlite3_bind_int64(ins_task, 2, id);
		rc = run(ins_task);
	}
	rg_json_free(ids);
	rg_json_free(st);
	rg_json_free(env);
	rg_json_free(req);
	return rc;
}

/* A step: the bytes as they came and went (the reader unwraps them), and the
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
	bind_text(q, 4, ok ? r->task_scores : NULL);
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
