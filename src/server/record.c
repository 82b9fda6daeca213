/*
 * record.c - what happens after every reset and step besides the reply: the live
 * stats, the episode store, the /api/feed subscribers.
 *
 * Design: the loop already holds everything a record needs - the request bytes as
 * received, the reply bytes it sends, the observation still as a JSON tree - so
 * recording costs no parsing and no serialising here: a few field reads for the
 * stats and the task scores, a copy into the store's queue of the bytes (the
 * request, the reply, the normalised action the environment wrote as text), and
 * at reset a reference to the state tree, which the store's writer thread reads
 * while it does the disk (store/store.h). The feed frame is built only when
 * someone subscribes.
 */
#include "server/server_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/json.h"
#include "server/wire.h"

uint64_t rg__server_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static const char *family_of(const rg_session *ses)
{
	return ses->env.ops ? ses->env.ops->family : "";
}

static const char *episode_of(const rg_session *ses)
{
	const char *id = ses->env.ops ? ses->env.ops->episode_id(ses->env.ctx) : NULL;
	return id ? id : "";
}

void rg__record_reset(rg_server *s, rg_session *ses, const rg_json *params, const char *raw,
		      size_t raw_len, const rg_json *envelope, const char *reply,
		      size_t reply_len)
{
	s->stats.resets++;
	ses->store_id = 0;
	ses->step_index = 0;
	ses->client[0] = '\0';
	const rg_json *client = rg_json_get(params, "client");
	if (rg_json_is_str(client))
		snprintf(ses->client, sizeof ses->client, "%s", rg_json_str_val(client));
	if (!s->store)
		return;
	rg_json *state = rg_session_state(ses); /* a fresh tree: the record may keep it */
	/* the difficulty asked for, else a pr_review episode's one task's */
	const rg_json *diff = rg_json_get(params, "difficulty");
	if (!rg_json_is_str(diff) && !strcmp(family_of(ses), "pr_review"))
		diff = rg_json_get(rg_json_get(envelope, "observation"), "difficulty");
	rg_store_begin_rec r = {
		.episode_id = episode_of(ses), .family = family_of(ses), .client = ses->client,
		.params = raw, .params_len = raw ? raw_len : 0,
		.state = state,
		.difficulty = rg_json_is_str(diff) ? rg_json_str_val(diff) : NULL,
		.reply = reply, .reply_len = reply_len,
	};
	ses->store_id = rg_store_begin(s->store, &r);
	if (!ses->store_id)
		ses->store_id = -1; /* dropped: its steps are counted as dropped too */
	rg_json_free(state);
}

static void publish(rg_server *s, const rg_session *ses, const rg_json *obs, const rg_json *env,
		    const rg_err *err)
{
	rg_json *d = rg_json_obj();
	const rg_json *reward = rg_json_get(env, "reward");
	const rg_json *task = rg_json_get(obs, "task_id");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int rc = !d || rg_json_set_int(d, "id", (long long)ses->store_id) ||
		 rg_json_set_str(d, "episode_id", episode_of(ses)) ||
		 rg_json_set_str(d, "family", family_of(ses)) ||
		 rg_json_set(d, "task_id", task ? rg_json_ref((rg_json *)task) : rg_json_null()) ||
		 rg_json_set_int(d, "index", (long long)ses->step_index) ||
		 rg_json_set(d, "reward", reward ? rg_json_ref((rg_json *)reward) : rg_json_null()) ||
		 rg_json_set_bool(d, "done", rg_json_bool_val(rg_json_get(env, "done")));
	const char *keys[] = { "episode_score", "success", "outcome" };
	for (size_t i = 0; !rc && i < 3; i++) {
		const rg_json *v = rg_json_get(obs, keys[i]);
		rc = rg_json_set(d, keys[i], v ? rg_json_ref((rg_json *)v) : rg_json_null());
	}
	char why[RG_ERR_FIELD_BYTES + RG_ERR_MSG_BYTES + 4] = "";
	if (err)
		snprintf(why, sizeof why, "%s%s%s", err->field, err->field[0] ? ": " : "", err->msg);
	rc = rc || rg_json_set(d, "error", err ? rg_json_str(why) : rg_json_null()) ||
	     rg_json_set(d, "at", rg_json_real((double)ts.tv_sec + (double)ts.tv_nsec / 1e9));
	size_t len = 0;
	char *frame = NULL;
	if (!rc) {
		frame = rg_wire_ws_frame("step", d, &len);
		d = NULL;
	}
	rg_json_free(d);
	if (frame)
		rg__feed_publish(s, frame, len);
	rg_free(frame);
}

void rg__record_step(rg_server *s, rg_session *ses, const char *raw, size_t raw_len,
		     const rg_json *envelope, const char *reply, size_t reply_len,
		     const rg_err *err, uint64_t t0_us)
{
	uint64_t latency = rg__server_now_us() - t0_us;
	const rg_json *obs = rg_json_get(envelope, "observation");
	if (!envelope) {
		rg_stats_error(&s->stats, err ? err->code : RG_EINTERNAL);
	} else {
		const rg_json *reward = rg_json_get(envelope, "reward");
		const rg_json *task = rg_json_get(obs, "task_id");
		const rg_json *diff = rg_json_get(obs, "difficulty");
		bool has_reward = reward && !rg_json_is_null(reward);
		rg_stats_step(&s->stats, rg__server_now_ms(), family_of(ses),
			      rg_json_is_str(task) ? rg_json_str_val(task) : NULL,
			      rg_json_is_str(diff) ? rg_json_str_val(diff) : NULL, has_reward,
			      has_reward ? rg_json_real_val(reward) : 0, latency);
		if (rg_json_bool_val(rg_json_get(envelope, "done"))) {
			const rg_json *score = rg_json_get(obs, "episode_score");
			const rg_json *ok = rg_json_get(obs, "success");
			bool has_score = score && !rg_json_is_null(score);
			rg_stats_episode_end(&s->stats, has_score,
					     has_score ? rg_json_real_val(score) : 0,
					     rg_json_is_bool(ok) ? rg_json_bool_val(ok) : -1);
		}
	}
	if (s->store && ses->store_id < 0)
		rg_store_note_dropped(s->store);
	if (s->store && ses->store_id > 0) {
		size_t norm_len = 0;
		const char *norm = envelope && ses->env.ops->last_action
					   ? ses->env.ops->last_action(ses->env.ctx, &norm_len) : NULL;
		char why[RG_ERR_FIELD_BYTES + RG_ERR_MSG_BYTES + 4] = "";
		if (!envelope && err)
			snprintf(why, sizeof why, "%s%s%s", err->field, err->field[0] ? ": " : "",
				 err->msg);
		const rg_json *reward = rg_json_get(envelope, "reward");
		const rg_json *score = rg_json_get(obs, "episode_score");
		const rg_json *ok = rg_json_get(obs, "success");
		const rg_json *outcome = rg_json_get(obs, "outcome");
		const rg_json *task = rg_json_get(obs, "task_id");
		const rg_json *scores = rg_json_get(obs, "task_scores");
		double score_v[RG_STORE_MAX_TASK_SCORES];
		size_t n_scores = rg_json_is_arr(scores) ? rg_json_size(scores) : 0;
		if (n_scores > RG_STORE_MAX_TASK_SCORES)
			n_scores = RG_STORE_MAX_TASK_SCORES;
		for (size_t i = 0; i < n_scores; i++) {
			const rg_json *v = rg_json_at(scores, i);
			score_v[i] = rg_json_is_null(v) ? NAN : rg_json_real_val(v);
		}
		rg_store_step_rec r = {
			.episode = ses->store_id, .index = ses->step_index,
			.action = raw, .action_len = raw ? raw_len : 0,
			.normalized = norm, .normalized_len = norm_len,
			.reply = envelope ? reply : NULL, .reply_len = envelope ? reply_len : 0,
			.error = envelope ? NULL : why[0] ? why : "rejected",
			.latency_us = latency > UINT32_MAX ? UINT32_MAX : (uint32_t)latency,
			.task_id = rg_json_is_str(task) ? rg_json_str_val(task) : NULL,
			.has_reward = reward && !rg_json_is_null(reward),
			.reward = rg_json_real_val(reward),
			.done = rg_json_bool_val(rg_json_get(envelope, "done")),
			.has_score = score && !rg_json_is_null(score),
			.episode_score = rg_json_real_val(score),
			.success = rg_json_is_bool(ok) ? rg_json_bool_val(ok) : -1,
			.outcome = rg_json_is_str(outcome) ? rg_json_str_val(outcome) : NULL,
			.task_scores = n_scores ? score_v : NULL, .n_task_scores = n_scores,
		};
		rg_store_step(s->store, &r);
	}
	if (s->n_feed)
		publish(s, ses, obs, envelope, envelope ? NULL : err);
	ses->step_index++;
}
