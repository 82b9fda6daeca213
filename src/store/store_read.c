/*
 * store_read.c - the store's queries: pages of episodes, one episode with its
 * steps, per-task means, and exports (JSON lines or CSV).
 *
 * Each call opens its own read-only connection: in WAL mode a reader sees the
 * last commit and never waits for the writer, and opening costs ~0.1 ms, which
 * is nothing next to the query. Filters are bound parameters, never pasted SQL.
 * Every query is bounded: pages by RG_STORE_MAX_PAGE, exports by
 * RG_STORE_MAX_EXPORT episodes, an episode's steps by what its session could
 * produce (the server's own limits).
 */
#include "store/store.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"


sqlite3 *rg__store_open_ro(const char *path, rg_err *err)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rg_err_set(err, RG_EIO, "store", NULL, "cannot open %s: %s", path,
			   db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 2000);
	return db;
}

static int db_error(sqlite3 *db, rg_err *err)
{
	return rg_err_set(err, RG_EIO, "store", NULL, "query failed: %s", sqlite3_errmsg(db));
}

/* A column holding JSON text as a value (null when NULL or unparsable). */
static rg_json *col_json(sqlite3_stmt *q, int i)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	if (!t)
		return rg_json_null();
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(t, (size_t)sqlite3_column_bytes(q, i), &err);
	return v ? v : rg_json_null();
}

static rg_json *col_value(sqlite3_stmt *q, int i)
{
	switch (sqlite3_column_type(q, i)) {
	case SQLITE_INTEGER: return rg_json_int(sqlite3_column_int64(q, i));
	case SQLITE_FLOAT: return rg_json_real(sqlite3_column_double(q, i));
	case SQLITE_TEXT:
		return rg_json_strn((const char *)sqlite3_column_text(q, i),
				    (size_t)sqlite3_column_bytes(q, i));
	default: return rg_json_null();
	}
}

static rg_json *col_bool(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? rg_json_null()
							 : rg_json_bool(sqlite3_column_int(q, i) != 0);
}

/* The reset request's parameters and the first observation, from the bytes
 * stored as they came and went (an HTTP body or envelope, a WebSocket message).
 * Layout 2 stored them unwrapped already; unwrapping leaves those as they are. */
static rg_json *stored_params(sqlite3_stmt *q, int i)
{
	rg_json *req = col_json(q, i);
	rg_json *pa = rg__store_payload(req, NULL);
	rg_json *out = rg_json_is_obj(pa) ? rg_json_ref(pa) : rg_json_obj();
	rg_json_free(req);
	return out;
}

static rg_json *stored_observation(sqlite3_stmt *q, int i)
{
	rg_json *rep = col_json(q, i);
	rg_json *env = rg__store_payload(rep, NULL);
	rg_json *obs = rg_json_get(env, "observation");
	rg_json *out = rg_json_ref(obs ? obs : env);
	rg_json_free(rep);
	return out;
}

/* The episode row (EPISODE_COLS) as an object; full adds params and initial. */
rg_json *rg__store_episode_row(sqlite3_stmt *q, bool full)
{
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set(o, "id", col_value(q, 0)) ||
	    rg_json_set(o, "episode_id", col_value(q, 1)) ||
	    rg_json_set(o, "family", col_value(q, 2)) || rg_json_set(o, "client", col_value(q, 3)) ||
	    rg_json_set(o, "started_at", col_value(q, 4)) ||
	    rg_json_set(o, "ended_at", col_value(q, 5)) || rg_json_set(o, "steps", col_value(q, 6)) ||
	    rg_json_set(o, "task_ids", col_json(q, 7)) ||
	    rg_json_set(o, "difficulty", col_value(q, 8)) || rg_json_set(o, "seed", col_value(q, 9)) ||
	    rg_json_set(o, "task_scores", col_json(q, 10)) ||
	    rg_json_set(o, "episode_score", col_value(q, 11)) ||
	    rg_json_set(o, "success", col_bool(q, 12)) || rg_json_set(o, "outcome", col_value(q, 13)) ||
	    rg_json_set(o, "done", col_bool(q, 14)) ||
	    (full && (rg_json_set(o, "params", stored_params(q, 15)) ||
		      rg_json_set(o, "initial_observation", stored_observation(q, 16))))) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

/* SELECT ... FROM episode WHERE <filter> ORDER BY id DESC LIMIT ? */
sqlite3_stmt *rg__store_filtered(sqlite3 *db, const rg_store_filter *f, unsigned limit, rg_err *err)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT " EPISODE_COLS " FROM episode WHERE 1=1%s%s%s%s ORDER BY id DESC LIMIT ?",
		 f->family ? " AND family = ?" : "",
		 f->task ? " AND id IN (SELECT episode FROM episode_task WHERE task_id = ?)" : "",
		 f->since > 0 ? " AND started_at >= ?" : "", f->before > 0 ? " AND id < ?" : "");
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
		db_error(db, err);
		return NULL;
	}
	int i = 1;
	if (f->family)
		sqlite3_bind_text(q, i++, f->family, -1, SQLITE_STATIC);
	if (f->task)
		sqlite3_bind_text(q, i++, f->task, -1, SQLITE_STATIC);
	if (f->since > 0)
		sqlite3_bind_double(q, i++, f->since);
	if (f->before > 0)
		sqlite3_bind_int64(q, i++, f->before);
	sqlite3_bind_int64(q, i, limit);
	return q;
}

rg_json *rg_store_list(const char *path, const rg_store_filter *f, rg_err *err)
{
	sqlite3 *db = rg__store_open_ro(path, err);
	if (!db)
		return NULL;
	unsigned limit = f->limit ? f->limit : 50;
	sqlite3_stmt *q = rg__store_filtered(db, f, limit + 1, err); /* one more: is there a next page? */
	rg_json *list = rg_json_arr(), *out = NULL;
	unsigned n = 0;
	long long last = 0;
	int rc = q && list ? SQLITE_ROW : SQLITE_NOMEM;
	while (rc == SQLITE_ROW && (rc = sqlite3_step(q)) == SQLITE_ROW && n < limit) {
		last = sqlite3_column_int64(q, 0);
		if (rg_json_push(list, rg__store_episode_row(q, false)))
			rc = SQLITE_NOMEM;
		n++;
	}
	bool more = rc == SQLITE_ROW;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		if (q && list)
			db_error(db, err);
		else if (!rg_err_is_set(err))
			rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	} else {
		out = rg_json_obj();
		rg_json *l = list;
		list = NULL; /* rg_json_set takes it, even when it fails */
		if (!out || rg_json_set(out, "episodes", l) ||
		    rg_json_set(out, "next_before", more ? rg_json_int(last) : rg_json_null())) {
			if (!out)
				rg_json_free(l);
			rg_json_free(out);
			out = NULL;
		}
	}
	rg_json_free(list);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return out;
}

static rg_json *parse_col(sqlite3_stmt *q, int i)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	rg_err err;
	rg_err_clear(&err);
	return t ? rg_json_parse(t, (size_t)sqlite3_column_bytes(q, i), &err) : NULL;
}

static rg_json *ref_or_null(rg_json *v)
{
	return v ? rg_json_ref(v) : rg_json_null();
}

/* One step row: the request and the reply are stored as they were sent; the
 * action and the observation's parts are unwrapped here, on the reading side. */
static rg_json *step_row(sqlite3_stmt *q)
{
	rg_json *req = parse_col(q, 7), *rep = parse_col(q, 9);
	rg_json *action = req ? rg__store_payload(req, "action") : NULL;
	rg_json *obs = rg_json_get(rg__store_payload(rep, NULL), "observation");
	rg_json *o = rg_json_obj();
	if (o && (rg_json_set(o, "index", col_value(q, 0)) || rg_json_set(o, "at", col_value(q, 1)) ||
		  rg_json_set(o, "task_id", col_value(q, 2)) ||
		  rg_json_set(o, "action", ref_or_null(action)) ||
		  rg_json_set(o, "normalized", col_json(q, 8)) ||
		  rg_json_set(o, "reward", col_value(q, 3)) || rg_json_set(o, "done", col_bool(q, 4)) ||
		  rg_json_set(o, "error", col_value(q, 5)) ||
		  rg_json_set(o, "observation", ref_or_null(obs)) ||
		  rg_json_set(o, "breakdown", ref_or_null(rg_json_get(obs, "reward_breakdown"))) ||
		  rg_json_set(o, "feedback", ref_or_null(rg_json_get(obs, "feedback"))) ||
		  rg_json_set(o, "warnings", ref_or_null(rg_json_get(obs, "warnings"))) ||
		  rg_json_set(o, "latency_us", col_value(q, 6)))) {
		rg_json_free(o);
		o = NULL;
	}
	rg_json_free(req);
	rg_json_free(rep);
	return o;
}

rg_json *rg__store_steps_of(sqlite3 *db, long long episode, rg_err *err)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT idx, at, task_id, reward, done, error, latency_us, request,"
			       " normalized, reply FROM step WHERE episode = ? ORDER BY idx",
			       -1, &q, NULL) != SQLITE_OK) {
		db_error(db, err);
		return NULL;
	}
	sqlite3_bind_int64(q, 1, episode);
	rg_json *arr = rg_json_arr();
	while (arr && sqlite3_step(q) == SQLITE_ROW)
		if (rg_json_push(arr, step_row(q))) {
			rg_json_free(arr);
			arr = NULL;
		}
	if (!arr)
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	sqlite3_finalize(q);
	return arr;
}

rg_json *rg_store_get(const char *path, const char *id, rg_err *err)
{
	sqlite3 *db = rg__store_open_ro(path, err);
	if (!db)
		return NULL;
	bool numeric = id[0] && strspn(id, "0123456789") == strlen(id) && strlen(id) < 19;
	sqlite3_stmt *q = NULL;
	rg_json *e = NULL;
	if (sqlite3_prepare_v2(db,
			       numeric ? "SELECT " EPISODE_COLS " FROM episode WHERE id = ?"
				       : "SELECT " EPISODE_COLS " FROM episode WHERE episode_id = ?"
					 " ORDER BY id DESC LIMIT 1",
			       -1, &q, NULL) != SQLITE_OK) {
		db_error(db, err);
	} else {
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			long long eid = sqlite3_column_int64(q, 0);
			e = rg__store_episode_row(q, true);
			if (e && rg_json_set(e, "steps_list", rg__store_steps_of(db, eid, err))) {
				rg_json_free(e);
				e = NULL;
			}
		} else if (rc == SQLITE_DONE) {
			rg_err_set(err, RG_ENOTFOUND, "id", NULL, "no stored episode with id \"%.64s\"", id);
		} else {
			db_error(db, err);
		}
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	if (e) { /* "steps" is the count in lists; here it is the list itself */
		rg_json *list = rg_json_ref(rg_json_get(e, "steps_list"));
		rg_json_del(e, "steps_list");
		if (rg_json_set(e, "steps", list)) {
			rg_json_free(e);
			e = NULL;
		}
	}
	if (!e && !rg_err_is_set(err))
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	return e;
}

rg_json *rg_store_task_means(const char *path, const rg_store_filter *f, rg_err *err)
{
	sqlite3 *db = rg__store_open_ro(path, err);
	if (!db)
		return NULL;
	/* steps' rewards per task; the task score is the best reward of the episode
	 * on that task (what code_review's task_scores hold) */
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "WITH s AS (SELECT st.episode, st.task_id, st.reward, e.family FROM step st"
		 " JOIN episode e ON e.id = st.episode WHERE st.task_id IS NOT NULL%s%s),"
		 " per AS (SELECT task_id, family, episode, max(reward) AS best, count(*) AS n,"
		 " avg(reward) AS mean FROM s GROUP BY task_id, episode)"
		 " SELECT task_id, family, count(*), sum(n), avg(mean), avg(best) FROM per"
		 " GROUP BY task_id, family ORDER BY family, task_id",
		 f->family ? " AND e.family = ?" : "", f->since > 0 ? " AND e.started_at >= ?" : "");
	sqlite3_stmt *q = NULL;
	rg_json *arr = NULL, *out = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
		db_error(db, err);
	} else {
		int i = 1;
		if (f->family)
			sqlite3_bind_text(q, i++, f->family, -1, SQLITE_STATIC);
		if (f->since > 0)
			sqlite3_bind_double(q, i++, f->since);
		arr = rg_json_arr();
		int rc = SQLITE_ROW;
		while (arr && (rc = sqlite3_step(q)) == SQLITE_ROW) {
			rg_json *o = rg_json_obj();
			if (!o || rg_json_set(o, "task_id", col_value(q, 0)) ||
			    rg_json_set(o, "family", col_value(q, 1)) ||
			    rg_json_set(o, "episodes", col_value(q, 2)) ||
			    rg_json_set(o, "steps", col_value(q, 3)) ||
			    rg_json_set(o, "mean_reward", col_value(q, 4)) ||
			    rg_json_set(o, "mean_task_score", col_value(q, 5)) || rg_json_push(arr, o)) {
				rg_json_free(o);
				rg_json_free(arr);
				arr = NULL;
			}
		}
		if (arr && rc != SQLITE_DONE) {
			db_error(db, err);
		} else if (arr) {
			out = rg_json_obj();
			if (!out) {
				rg_json_free(arr);
			} else if (rg_json_set(out, "tasks", arr)) { /* takes arr */
				rg_json_free(out);
				out = NULL;
			}
			arr = NULL;
		}
	}
	rg_json_free(arr);
	sqlite3_finalize(q);
	sqlite3_close(db);
	if (!out && !rg_err_is_set(err))
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	return out;
}
