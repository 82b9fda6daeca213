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
static rg_json *payload(rg_json *req, const char *http_key)
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
	const rg_json *pa = payload(req, NULL);
	const rg_json *obs = rg_json_get(payload(env, NULL), "observation");
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

int rg__store_write_step(sqlite3 *db, sqlite3_stmt *ins_step, sqlite3_stmt *upd_episode,
			 sqlite3_stmt *upd_rejected, int64_t episode, uint32_t index, double at,
			 const char *action, const char *normalized, const char *reply,
			 const char *error, uint32_t latency_us)
{
	(void)db;
	rg_json *full = parse(reply), *req = parse(action);
	const rg_json *env = payload(full, NULL);
	const rg_json *obs = rg_json_get(env, "observation");
	const rg_json *reward = rg_json_get(env, "reward");
	bool done = rg_json_bool_val(rg_json_get(env, "done"));
	sqlite3_stmt *q = ins_step;
	sqlite3_bind_int64(q, 1, episode);
	sqlite3_bind_int64(q, 2, index);
	sqlite3_bind_double(q, 3, at);
	bind_str(q, 4, rg_json_get(obs, "task_id"));
	if (req)
		bind_json(q, 5, payload(req, "action"));
	else { /* not JSON (cannot come from our server): keep the bytes as a string */
		rg_json *raw = rg_json_str(action ? action : "");
		bind_json(q, 5, raw);
		rg_json_free(raw);
	}
	bind_text(q, 6, normalized);
	if (reward && (rg_json_is_real(reward) || rg_json_is_int(reward)))
		sqlite3_bind_double(q, 7, rg_json_real_val(reward));
	else
		sqlite3_bind_null(q, 7);
	sqlite3_bind_int(q, 8, done);
	bind_text(q, 9, error);
	bind_json(q, 10, obs);
	bind_json(q, 11, rg_json_get(obs, "reward_breakdown"));
	bind_str(q, 12, rg_json_get(obs, "feedback"));
	bind_json(q, 13, rg_json_get(obs, "warnings"));
	sqlite3_bind_int64(q, 14, latency_us);
	int rc = run(q);
	if (rc == SQLITE_OK && !env) {
		q = upd_rejected;
		sqlite3_bind_int64(q, 1, episode);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)index + 1);
		sqlite3_bind_double(q, 3, at);
		rc = run(q);
	} else if (rc == SQLITE_OK) {
		q = upd_episode;
		sqlite3_bind_int64(q, 1, episode);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)index + 1);
		sqlite3_bind_double(q, 3, at);
		bind_json(q, 4, rg_json_get(obs, "task_scores"));
		const rg_json *es = rg_json_get(obs, "episode_score");
		if (es && (rg_json_is_real(es) || rg_json_is_int(es)))
			sqlite3_bind_double(q, 5, rg_json_real_val(es));
		else
			sqlite3_bind_null(q, 5);
		const rg_json *ok = rg_json_get(obs, "success");
		if (rg_json_is_bool(ok))
			sqlite3_bind_int(q, 6, rg_json_bool_val(ok));
		else
			sqlite3_bind_null(q, 6);
		bind_str(q, 7, rg_json_get(obs, "outcome"));
		sqlite3_bind_int(q, 8, done);
		rc = run(q);
	}
	rg_json_free(full);
	rg_json_free(req);
	return rc;
}
