/*
 * runner.c - playing episodes and writing the log blocks (see runner.h).
 *
 * A worker's loop: take an episode number, reset, then ask the policy and step
 * until the episode is done, opening and closing a log block at each task
 * boundary (code_review: when task_index moves on; pr_review: at done). A reply
 * the server rejects (VALIDATION_ERROR and friends) is logged as a step with its
 * error, and the policy hears about it on the next turn; a lost connection or a
 * policy that cannot answer ends the block with the reason and the worker
 * reconnects for the next episode.
 */
#include "agent/runner.h"

#include <libwebsockets.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "agent/report.h"
#include "agent/ws_client.h"
#include "core/alloc.h"
#include "core/buf.h"

typedef struct block {
	rg_buf text;
	rg_run_task t;
	double t0;
	long long task_index; /* code_review: the task this block is about */
	double best;          /* the server's score for the task so far (code_review) */
	bool open;
	bool overflow;        /* the text buffer was full (cannot happen within the
			       * limits: <= 1000 steps of <= 600 bytes in 1 MiB) */
} block;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One-line copy of s into out (newlines become spaces). */
static void flatten(char *out, size_t cap, const char *s)
{
	size_t i = 0;
	for (; s && s[i] && i + 1 < cap; i++)
		out[i] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
	out[i] = 0;
}

static const char *str_or(const rg_json *o, const char *k, const char *dflt)
{
	const char *s = rg_json_str_val(rg_json_get(o, k));
	return s ? s : dflt;
}

static void block_start(const rg_run_config *cfg, block *b, int episode, const rg_json *obs)
{
	memset(&b->t, 0, sizeof b->t);
	rg_buf_reset(&b->text);
	b->overflow = false;
	b->t.episode = episode;
	snprintf(b->t.task_id, sizeof b->t.task_id, "%s", str_or(obs, "task_id", "unknown"));
	snprintf(b->t.family, sizeof b->t.family, "%s", str_or(obs, "family", cfg->family));
	snprintf(b->t.difficulty, sizeof b->t.difficulty, "%s", str_or(obs, "difficulty", "custom"));
	snprintf(b->t.kind, sizeof b->t.kind, "%s", str_or(obs, "kind", ""));
	b->task_index = rg_json_int_val(rg_json_get(obs, "task_index"));
	b->best = 0;
	b->t0 = now_s();
	b->open = true;
	if (rg_buf_printf(&b->text, "[START] task=%s env=%s model=%s\n", b->t.task_id,
			    cfg->benchmark, cfg->model))
		b->overflow = true;
}

static void block_step(block *b, const char *label, double reward, bool done, const char *error)
{
	char err[200];
	flatten(err, sizeof err, error);
	b->t.steps++;
	if (b->t.n_rewards < RG_RUN_MAX_BLOCK_STEPS)
		b->t.rewards[b->t.n_rewards++] = reward;
	if (rg_buf_printf(&b->text, "[STEP] step=%d action=%s reward=%.2f done=%s error=%s\n",
			    b->t.steps, label ? label : "null", reward, done ? "true" : "false",
			    error ? err : "null"))
		b->overflow = true;
}

/* Close the block: write it whole and record the result. */
static void block_end(rg_run_state *st, block *b, bool success, double score, const char *error)
{
	if (!b->open)
		return;
	b->open = false;
	b->t.success = success;
	b->t.score = score < 0 ? 0 : score > 1 ? 1 : score;
	b->t.seconds = now_s() - b->t0;
	flatten(b->t.error, sizeof b->t.error, error ? error : "");
	if (rg_buf_printf(&b->text, "[END] success=%s steps=%d score=%.3f rewards=",
			    success ? "true" : "false", b->t.steps, b->t.score))
		b->overflow = true;
	for (int i = 0; i < b->t.n_rewards; i++)
		if (rg_buf_printf(&b->text, "%s%.2f", i ? "," : "", b->t.rewards[i]))
			b->overflow = true;
	if (rg_buf_puts(&b->text, "\n"))
		b->overflow = true;
	rg__run_record(st, &b->t, b->text.data, b->text.len);
}

/* A block for an episode that failed before it had a task. */
static void failed_block(rg_run_state *st, block *b, int episode, const char *error)
{
	block_start(st->cfg, b, episode, NULL);
	block_end(st, b, false, 0, error);
}

/* Send one message; the reply's parsed JSON (new reference) or NULL with err. */
static rg_json *exchange(rg_run_state *st, rg_ws_client *ws, const rg_json *msg, rg_err *err)
{
	size_t len;
	char *text = rg_json_dump(msg, &len);
	if (!text) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		return NULL;
	}
	char *reply = NULL;
	size_t rlen = 0;
	double t0 = now_s();
	int rc = rg_ws_request(ws, text, len, &reply, &rlen, st->cfg->timeout_s, err);
	rg_free(text);
	if (rc)
		return NULL;
	rg__run_latency(st, (now_s() - t0) * 1000.0);
	rg_err jerr;
	rg_err_clear(&jerr);
	rg_json *v = rg_json_parse(reply, rlen, &jerr);
	rg_free(reply);
	if (!v)
		rg_err_set(err, RG_EIO, NULL, NULL, "the server sent invalid JSON: %s", jerr.msg);
	return v;
}

static rg_json *envelope(const char *type, rg_json *data)
{
	rg_json *m = rg_json_obj();
	if (!m || rg_json_set_str(m, "type", type) || rg_json_set(m, "data", data)) {
		rg_json_free(m);
		return NULL;
	}
	return m;
}

static rg_json *reset_message(const rg_run_config *cfg, int episode)
{
	rg_json *d = rg_json_obj();
	/* the label the episode store keeps, so the dashboard tells runs apart */
	char client[160];
	snprintf(client, sizeof client, "reviewgym-run:%s", cfg->model ? cfg->model : "?");
	int rc = !d || rg_json_set_str(d, "family", cfg->family) ||
		 rg_json_set_str(d, "client", client) ||
		 (cfg->has_seed && rg_json_set_int(d, "seed", (long long)(cfg->seed + (uint64_t)episode))) ||
		 (cfg->task_ids && rg_json_set_str(d, "task_id", cfg->task_ids[episode])) ||
		 (!cfg->task_ids && cfg->task_id && rg_json_set_str(d, "task_id", cfg->task_id)) ||
		 (cfg->difficulty >= 0 &&
		  rg_json_set_str(d, "difficulty", cfg->difficulty == 0 ? "easy" : cfg->difficulty == 1 ? "medium" : "hard"));
	if (rc) {
		rg_json_free(d);
		return NULL;
	}
	return envelope("reset", d);
}

/* The server's error message in a reply of type "error", else NULL. */
static const char *reply_error(const rg_json *r, char *buf, size_t cap)
{
	if (strcmp(str_or(r, "type", ""), "error"))
		return NULL;
	const rg_json *d = rg_json_get(r, "data");
	snprintf(buf, cap, "%s: %s", str_or(d, "code", "ERROR"), str_or(d, "message", "(no message)"));
	return buf;
}

/* End the current block when the step finished its task; start the next. */
static void after_step(rg_run_state *st, block *b, rg_policy *pol, int episode, const rg_json *obs,
		       bool done)
{
	const rg_run_config *cfg = st->cfg;
	if (!strcmp(b->t.family, "pr_review")) {
		if (done)
			block_end(st, b, rg_json_bool_val(rg_json_get(obs, "success")),
				  rg_json_real_val(rg_json_get(obs, "episode_score")), NULL);
		return;
	}
	long long idx = rg_json_int_val(rg_json_get(obs, "task_index"));
	double best = rg_json_real_val(rg_json_at(rg_json_get(obs, "task_scores"), (size_t)b->task_index));
	b->best = best;
	if (!done && idx == b->task_index)
		return;
	block_end(st, b, best >= cfg->success_threshold, best, NULL);
	if (!done) {
		rg_policy_begin(pol);
		block_start(cfg, b, episode, obs);
	}
}

/* Play one episode; false when the connection is no longer usable. */
static bool play(rg_run_state *st, rg_ws_client *ws, rg_policy *pol, block *b, int episode)
{
	const rg_run_config *cfg = st->cfg;
	rg_err err;
	rg_err_clear(&err);
	char ebuf[400];
	rg_json *msg = reset_message(cfg, episode);
	rg_json *r = msg ? exchange(st, ws, msg, &err) : NULL;
	rg_json_free(msg);
	const char *e = r ? reply_error(r, ebuf, sizeof ebuf) : err.msg;
	if (e) {
		failed_block(st, b, episode, e);
		rg_json_free(r);
		return r != NULL;
	}
	rg_policy_begin(pol);
	rg_json *obs = rg_json_ref(rg_json_get(rg_json_get(r, "data"), "observation"));
	rg_json_free(r);
	block_start(cfg, b, episode, obs);
	char last_error[400] = "";
	bool alive = true;
	while (b->open) {
		if (b->t.steps >= cfg->max_steps) {
			block_end(st, b, false, b->best, "max steps reached");
			break;
		}
		char *label = NULL;
		rg_err_clear(&err);
		rg_json *action = rg_policy_act(pol, b->t.family, obs, last_error[0] ? last_error : NULL,
						&label, &err);
		if (!action) {
			snprintf(ebuf, sizeof ebuf, "policy: %s", err.msg);
			block_end(st, b, false, b->best, ebuf);
			rg_free(label);
			break;
		}
		msg = envelope("step", action);
		rg_err_clear(&err);
		r = msg ? exchange(st, ws, msg, &err) : NULL;
		rg_json_free(msg);
		if (!r) {
			block_end(st, b, false, b->best, err.msg);
			rg_free(label);
			alive = false;
			break;
		}
		e = reply_error(r, ebuf, sizeof ebuf);
		if (e) {
			block_step(b, label, 0.0, false, e);
			snprintf(last_error, sizeof last_error, "%s", e);
		} else {
			last_error[0] = 0;
			const rg_json *d = rg_json_get(r, "data");
			bool done = rg_json_bool_val(rg_json_get(d, "done"));
			rg_json_free(obs);
			obs = rg_json_ref(rg_json_get(d, "observation"));
			block_step(b, label, rg_json_real_val(rg_json_get(d, "reward")), done, NULL);
			after_step(st, b, pol, episode, obs, done);
		}
		rg_free(label);
		rg_json_free(r);
	}
	rg_json_free(obs);
	return alive;
}

static void *worker(void *arg)
{
	rg_run_state *st = arg;
	rg_policy pol;
	rg_policy_init(&pol, st->cfg->policy);
	block b;
	memset(&b, 0, sizeof b);
	rg_buf_init(&b.text, 1 << 20);
	rg_ws_client *ws = NULL;
	int e;
	while ((e = rg__run_next(st)) >= 0) {
		if (!ws) {
			rg_err err;
			rg_err_clear(&err);
			ws = rg_ws_connect(st->cfg->url, st->cfg->timeout_s, &err);
			if (!ws) {
				failed_block(st, &b, e, err.msg);
				continue;
			}
		}
		if (!play(st, ws, &pol, &b, e)) {
			rg_ws_close(ws);
			ws = NULL;
		}
		rg__run_episode_done(st);
	}
	rg_ws_close(ws);
	rg_buf_free(&b.text);
	rg_policy_free(&pol);
	return NULL;
}

int rg_run(const rg_run_config *cfg)
{
	lws_set_log_level(LLL_ERR, NULL); /* before any thread creates a context */
	rg_run_state st;
	if (rg__run_state_init(&st, cfg))
		return 2;
	int k = cfg->concurrency < 1 ? 1 : cfg->concurrency;
	if (k > cfg->episodes)
		k = cfg->episodes;
	pthread_t th[256];
	int started = 0;
	for (int i = 0; i < k && i < 256; i++, started++)
		if (pthread_create(&th[i], NULL, worker, &st))
			break;
	if (started == 0)
		worker(&st);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	int rc = rg__run_finish(&st);
	rg__run_state_free(&st);
	return rc;
}
