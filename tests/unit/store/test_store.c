/*
 * test_store.c - the episode store (store/store.h) through its public API, fed
 * the records the server hands it: reset bodies and WebSocket reset messages as
 * received, state JSON, reply envelopes and WebSocket observation frames as sent
 * (abridged from a running server), step requests as received.
 *
 * What a user of the dashboard notices: every episode and step comes back with
 * the right fields (task ids, seed, client, params and action unwrapped from the
 * HTTP body or the WebSocket message, reward, done, ended_at, scores, success and
 * outcome, rejected steps with their error and no reward); lists filter by family,
 * task and start time and page with next_before; an episode is found by store id
 * or by episode_id (the newest when an id is reused); per-task means; exports as
 * JSON lines and CSV (quoted where RFC 4180 wants it); retention keeps the newest
 * N; a full queue drops (and counts exactly) instead of waiting; close loses
 * nothing queued; a reopened file continues its ids; a bad path or a file of
 * another layout is refused with an error naming the store; reads run while the
 * writer writes.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "store/store.h"
#include "unit/support.h"

static char dir[64];
static char db[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/rg-store-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp");
	snprintf(db, sizeof db, "%s/store.db", dir);
}

static void teardown(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[160];
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 30);

/* ------------------------------------------------------------------------ */
/* Records as the server sends them (abridged from a running server)        */
/* ------------------------------------------------------------------------ */

#define CR "cr-easy-playlist"
#define PR "pr-hard-jwt-secret"

/* code_review over HTTP: the /reset body, the state, the reply envelope */
static const char cr_params[] = "{\"family\":\"code_review\",\"task_id\":\"" CR "\","
				"\"max_attempts\":2,\"seed\":5,\"client\":\"unit-http\"}";
static const char cr_state[] =
	"{\"episode_id\":\"ep-cr\",\"step_count\":0,\"family\":\"code_review\","
	"\"task_ids\":[\"" CR "\"],\"task_index\":0,\"num_tasks\":1,\"attempt\":0,"
	"\"max_attempts\":2,\"task_scores\":[null],\"episode_score\":null,\"done\":false,"
	"\"seed\":5,\"reward_mode\":\"score\"}";
static const char cr_reset_reply[] =
	"{\"observation\":{\"task_id\":\"" CR "\",\"title\":\"Playlist helpers\","
	"\"difficulty\":\"easy\",\"code_to_review\":\"def next_track(p, i):\\n    return p[i + 1]\\n\","
	"\"language\":\"python\",\"num_known_issues\":2,\"feedback\":\"New code_review episode: 1 task.\","
	"\"issues_found_so_far\":0,\"attempt\":0,\"max_attempts\":2,\"task_index\":0,\"num_tasks\":1,"
	"\"reward_breakdown\":null,\"warnings\":[],\"family\":\"code_review\",\"episode_id\":\"ep-cr\","
	"\"seed\":5,\"task_scores\":[null],\"episode_score\":null},\"reward\":null,\"done\":false}";
static const char cr_text_action[] = "{\"action\":\"I have no JSON for you\",\"episode_id\":\"ep-cr\"}";
static const char cr_action1[] =
	"{\"action\":{\"findings\":[{\"line_number\":3,\"issue_type\":\"bug\","
	"\"description\":\"the docstring\"}]},\"episode_id\":\"ep-cr\"}";
static const char cr_norm1[] = "{\"findings\":[{\"line_number\":3,\"end_line\":3,\"issue_type\":\"bug\","
			       "\"description\":\"the docstring\",\"suggested_fix\":\"\"}],"
			       "\"review_summary\":\"\"}";
static const char cr_reply1[] =
	"{\"observation\":{\"task_id\":\"" CR "\",\"difficulty\":\"easy\","
	"\"feedback\":\"Attempt 1/2 on " CR ": score 0. Finding 1 (line 3): false positive.\","
	"\"issues_found_so_far\":0,\"attempt\":1,\"max_attempts\":2,\"task_index\":0,\"num_tasks\":1,"
	"\"reward_breakdown\":{\"task_id\":\"" CR "\",\"attempt\":1,\"score\":0.0,\"reward\":0.0,"
	"\"false_positives\":1},\"warnings\":[],\"family\":\"code_review\",\"episode_id\":\"ep-cr\","
	"\"seed\":5,\"task_scores\":[0.0],\"episode_score\":null},\"reward\":0.0,\"done\":false}";
static const char cr_action2[] =
	"{\"action\":{\"findings\":[{\"line_number\":2,\"issue_type\":\"bug\","
	"\"description\":\"IndexError after the last track: wrap around with % len\"}],"
	"\"metadata\":{}},\"episode_id\":\"ep-cr\"}";
static const char cr_norm2[] = "{\"findings\":[{\"line_number\":2,\"end_line\":2,\"issue_type\":\"bug\","
			       "\"description\":\"IndexError after the last track: wrap around with % len\","
			       "\"suggested_fix\":\"\"}],\"review_summary\":\"\"}";
static const char cr_reply2[] =
	"{\"observation\":{\"task_id\":\"" CR "\",\"difficulty\":\"easy\","
	"\"feedback\":\"Attempt 2/2 on " CR ": score 0.75.\",\"issues_found_so_far\":1,"
	"\"attempt\":2,\"max_attempts\":2,\"task_index\":0,\"num_tasks\":1,"
	"\"reward_breakdown\":{\"task_id\":\"" CR "\",\"attempt\":2,\"score\":0.75,\"reward\":0.75},"
	"\"warnings\":[\"finding 1: suggested_fix is empty\"],\"family\":\"code_review\","
	"\"episode_id\":\"ep-cr\",\"seed\":5,\"task_scores\":[0.75],\"episode_score\":0.75},"
	"\"reward\":0.75,\"done\":true}";

/* pr_review over WebSocket: the reset message, the state, observation frames */
static const char pr_params[] = "{\"type\":\"reset\",\"data\":{\"family\":\"pr_review\","
				"\"task_id\":\"" PR "\",\"client\":\"unit-ws\"}}";
static const char pr_state[] =
	"{\"episode_id\":\"ep-pr\",\"step_count\":0,\"family\":\"pr_review\",\"task_id\":\"" PR "\","
	"\"kind\":\"escalation-judgment\",\"turn\":0,\"max_turns\":4,\"revision\":1,"
	"\"turn_rewards\":[],\"done\":false,\"success\":null,\"outcome\":null,"
	"\"episode_score\":null,\"seed\":42,\"reward_mode\":\"score\"}";
static const char pr_reset_reply[] =
	"{\"type\":\"observation\",\"data\":{\"observation\":{\"task_id\":\"" PR "\","
	"\"kind\":\"escalation-judgment\",\"difficulty\":\"hard\",\"pr_title\":\"HS256 tokens\","
	"\"file\":\"gateway/tokens.py\",\"diff\":\"--- a/gateway/tokens.py\\n+++ b/gateway/tokens.py\\n\","
	"\"revision\":1,\"turn\":0,\"max_turns\":4,\"history\":[],\"feedback\":\"New pr_review episode.\","
	"\"allowed_decisions\":[\"approve\",\"request_changes\",\"escalate\",\"comment\"],"
	"\"reward_breakdown\":null,\"warnings\":[],\"family\":\"pr_review\",\"episode_id\":\"ep-pr\","
	"\"seed\":42,\"success\":null,\"outcome\":null,\"episode_score\":null},"
	"\"reward\":null,\"done\":false}}";
static const char pr_bad_action[] = "{\"type\":\"step\",\"data\":{\"decision\":\"merge\",\"comment\":\"x\"}}";
static const char pr_action[] = "{\"type\":\"step\",\"data\":{\"decision\":\"escalate\","
				"\"comment\":\"The signing key is hard-coded: critical.\",\"metadata\":{}}}";
static const char pr_norm[] = "{\"decision\":\"escalate\",\"comment\":\"The signing key is "
			      "hard-coded: critical.\",\"findings\":[]}";
static const char pr_reply[] =
	"{\"type\":\"observation\",\"data\":{\"observation\":{\"task_id\":\"" PR "\","
	"\"kind\":\"escalation-judgment\",\"difficulty\":\"hard\",\"revision\":1,\"turn\":1,"
	"\"max_turns\":4,\"history\":[{\"turn\":1,\"decision\":\"escalate\",\"reward\":0.8667}],"
	"\"feedback\":\"Turn 1/4: You escalated a critical security flaw at once.\","
	"\"allowed_decisions\":[],\"reward_breakdown\":{\"turn\":1,\"verdict\":\"critical\","
	"\"decision\":\"escalate\",\"stance\":1.0},\"warnings\":[],\"family\":\"pr_review\","
	"\"episode_id\":\"ep-pr\",\"seed\":42,\"success\":true,\"outcome\":\"escalated\","
	"\"episode_score\":0.9334},\"reward\":0.8667,\"done\":true}}";

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static rg_store *open_store(uint64_t max_episodes, size_t queue_max)
{
	rg_err err;
	rg_err_clear(&err);
	rg_store_config cfg = { .path = db, .max_episodes = max_episodes,
				.queue_max_records = queue_max };
	rg_store *st = rg_store_open(&cfg, &err);
	cr_assert_not_null(st, "open %s: %s: %s", db, err.field, err.msg);
	return st;
}

static rg_json *parse(const char *text)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(text, strlen(text), &err);
	cr_assert_not_null(v, "bad JSON in the test: %s: %.80s", err.msg, text);
	return v;
}

/* A WebSocket message's data, else the value itself (an HTTP body). */
static const rg_json *ws_data(const rg_json *v)
{
	return rg_json_is_str(rg_json_get(v, "type")) && rg_json_get(v, "data") ? rg_json_get(v, "data")
										 : v;
}

static int64_t begin(rg_store *st, const char *eid, const char *family, const char *client,
		     const char *params, const char *state, const char *reply)
{
	/* the difficulty as server/record.c picks it: asked for, else a pr_review
	 * episode's task's */
	rg_json *tree = state ? parse(state) : NULL;
	rg_json *req = params ? parse(params) : NULL, *rep = reply ? parse(reply) : NULL;
	const rg_json *diff = rg_json_get(ws_data(req), "difficulty");
	if (!rg_json_is_str(diff) && !strcmp(family, "pr_review"))
		diff = rg_json_get(rg_json_get(ws_data(rep), "observation"), "difficulty");
	rg_store_begin_rec r = {
		.episode_id = eid, .family = family, .client = client,
		.difficulty = rg_json_is_str(diff) ? rg_json_str_val(diff) : NULL,
		.params = params, .params_len = params ? strlen(params) : 0,
		.state = tree,
		.reply = reply, .reply_len = reply ? strlen(reply) : 0,
	};
	int64_t id = rg_store_begin(st, &r);
	rg_json_free(tree); /* the record holds its own reference */
	rg_json_free(req);
	rg_json_free(rep);
	return id;
}

/* A step as server/record.c makes it: the loop's values read from the reply (a
 * reply envelope or a WebSocket observation frame); reply NULL = rejected. */
static bool step(rg_store *st, int64_t ep, uint32_t idx, const char *action, const char *norm,
		 const char *reply, const char *error)
{
	rg_json *full = reply ? parse(reply) : NULL;
	const rg_json *env = rg_json_is_str(rg_json_get(full, "type")) ? rg_json_get(full, "data") : full;
	const rg_json *obs = rg_json_get(env, "observation");
	const rg_json *reward = rg_json_get(env, "reward"), *score = rg_json_get(obs, "episode_score");
	const rg_json *ok = rg_json_get(obs, "success"), *outcome = rg_json_get(obs, "outcome");
	const rg_json *task = rg_json_get(obs, "task_id"), *scores = rg_json_get(obs, "task_scores");
	double score_v[RG_STORE_MAX_TASK_SCORES];
	size_t n_scores = rg_json_is_arr(scores) ? rg_json_size(scores) : 0;
	for (size_t i = 0; i < n_scores; i++)
		score_v[i] = rg_json_is_null(rg_json_at(scores, i)) ? NAN
								     : rg_json_real_val(rg_json_at(scores, i));
	rg_store_step_rec r = {
		.episode = ep, .index = idx,
		.action = action, .action_len = action ? strlen(action) : 0,
		.normalized = norm, .normalized_len = norm ? strlen(norm) : 0,
		.reply = reply, .reply_len = reply ? strlen(reply) : 0,
		.error = error, .latency_us = 100 + idx,
		.task_id = rg_json_is_str(task) ? rg_json_str_val(task) : NULL,
		.has_reward = reward && !rg_json_is_null(reward), .reward = rg_json_real_val(reward),
		.done = rg_json_bool_val(rg_json_get(env, "done")),
		.has_score = score && !rg_json_is_null(score), .episode_score = rg_json_real_val(score),
		.success = rg_json_is_bool(ok) ? rg_json_bool_val(ok) : -1,
		.outcome = rg_json_is_str(outcome) ? rg_json_str_val(outcome) : NULL,
		.task_scores = n_scores ? score_v : NULL, .n_task_scores = n_scores,
	};
	bool queued = rg_store_step(st, &r);
	rg_json_free(full);
	return queued;
}

/* The code_review episode: a rejected text action, a wrong review, a good one. */
static int64_t play_cr(rg_store *st, const char *eid, const char *client)
{
	int64_t ep = begin(st, eid, "code_review", client, cr_params, cr_state, cr_reset_reply);
	cr_assert_gt(ep, 0);
	cr_assert(step(st, ep, 0, cr_text_action, NULL, NULL,
		       "action: no JSON object found in the text action"));
	cr_assert(step(st, ep, 1, cr_action1, cr_norm1, cr_reply1, NULL));
	cr_assert(step(st, ep, 2, cr_action2, cr_norm2, cr_reply2, NULL));
	return ep;
}

/* The pr_review episode over WebSocket: a rejected decision, then escalate. */
static int64_t play_pr(rg_store *st, const char *eid)
{
	int64_t ep = begin(st, eid, "pr_review", "unit-ws", pr_params, pr_state, pr_reset_reply);
	cr_assert_gt(ep, 0);
	cr_assert(step(st, ep, 0, pr_bad_action, NULL, NULL,
		       "decision: expected one of approve, request_changes, escalate, comment"));
	cr_assert(step(st, ep, 1, pr_action, pr_norm, pr_reply, NULL));
	return ep;
}

/* got equals the JSON text want (key order aside). */
static void assert_json(const rg_json *got, const char *want, const char *what)
{
	rg_json *w = parse(want);
	size_t n = 0;
	char *a = rg_json_dump_sorted(got, &n), *b = rg_json_dump_sorted(w, &n);
	cr_assert(a && b && !strcmp(a, b), "%s:\n  got  %s\n  want %s", what, a ? a : "(null)", b);
	rg_free(a);
	rg_free(b);
	rg_json_free(w);
}

/* got equals the observation inside reply (an envelope or a WebSocket frame). */
static void assert_obs(const rg_json *got, const char *reply, const char *what)
{
	rg_json *r = parse(reply);
	const rg_json *env = rg_json_get(r, "data") ? rg_json_get(r, "data") : r;
	char *want = rg_json_dump(rg_json_get(env, "observation"), NULL);
	assert_json(got, want, what);
	rg_free(want);
	rg_json_free(r);
}

static const char *str(const rg_json *o, const char *key)
{
	const rg_json *v = rg_json_get(o, key);
	return rg_json_is_str(v) ? rg_json_str_val(v) : NULL;
}

static bool is_null(const rg_json *o, const char *key)
{
	const rg_json *v = rg_json_get(o, key);
	return v && rg_json_is_null(v);
}

static rg_json *list(const rg_store_filter *f)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *l = rg_store_list(db, f, &err);
	cr_assert_not_null(l, "list: %s", err.msg);
	return l;
}

static rg_json *get(const char *id)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *e = rg_store_get(db, id, &err);
	cr_assert_not_null(e, "get %s: %d %s", id, err.code, err.msg);
	return e;
}

/* The store ids a list returned, newest first, in out (at most cap). */
static size_t ids_of(const rg_json *l, long long *out, size_t cap)
{
	const rg_json *eps = rg_json_get(l, "episodes");
	size_t n = rg_json_size(eps);
	for (size_t i = 0; i < n && i < cap; i++)
		out[i] = rg_json_int_val(rg_json_get(rg_json_at(eps, i), "id"));
	return n;
}

static long long count_rows(const char *sql)
{
	sqlite3 *h = NULL;
	cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q = NULL;
	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	long long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(h);
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */
/* What is recorded                                                         */
/* ------------------------------------------------------------------------ */

Test(store, http_code_review_episode_reads_back_field_by_field)
{
	rg_store *st = open_store(0, 0);
	double t0 = now_s();
	int64_t ep = play_cr(st, "ep-cr", "unit-http");
	cr_assert_eq(ep, 1, "the first episode of a new file is id 1");
	rg_store_flush(st);
	rg_store_stats s;
	rg_store_get_stats(st, &s);
	cr_assert_eq(s.written, 4);
	cr_assert_eq(s.queued, 0);
	cr_assert_eq(s.dropped, 0);
	cr_assert_eq(s.failed, 0);
	cr_assert_eq(s.episodes, 1);
	cr_assert_geq(s.commits, 1);

	rg_json *e = get("1");
	cr_assert_eq(rg_json_int_val(rg_json_get(e, "id")), 1);
	cr_assert_str_eq(str(e, "episode_id"), "ep-cr");
	cr_assert_str_eq(str(e, "family"), "code_review");
	cr_assert_str_eq(str(e, "client"), "unit-http");
	assert_json(rg_json_get(e, "task_ids"), "[\"" CR "\"]", "task_ids");
	cr_assert_eq(rg_json_int_val(rg_json_get(e, "seed")), 5);
	cr_assert(is_null(e, "difficulty"), "no difficulty asked for");
	assert_json(rg_json_get(e, "params"), cr_params, "params: the /reset body");
	assert_obs(rg_json_get(e, "initial_observation"), cr_reset_reply, "initial_observation");
	cr_assert(rg_json_bool_val(rg_json_get(e, "done")));
	double started = rg_json_real_val(rg_json_get(e, "started_at"));
	double ended = rg_json_real_val(rg_json_get(e, "ended_at"));
	cr_assert(started >= t0 - 1 && started <= now_s() + 1, "started_at %f is not now", started);
	cr_assert(ended >= started, "ended_at %f before started_at %f", ended, started);
	assert_json(rg_json_get(e, "task_scores"), "[0.75]", "task_scores");
	cr_assert_float_eq(rg_json_real_val(rg_json_get(e, "episode_score")), 0.75, 1e-9);
	cr_assert(is_null(e, "success") && is_null(e, "outcome"), "code_review has no outcome");

	const rg_json *steps = rg_json_get(e, "steps");
	cr_assert_eq(rg_json_size(steps), 3);
	const rg_json *s0 = rg_json_at(steps, 0), *s1 = rg_json_at(steps, 1), *s2 = rg_json_at(steps, 2);
	/* rejected: the text as received, its error, no reward, nothing graded */
	cr_assert_eq(rg_json_int_val(rg_json_get(s0, "index")), 0);
	cr_assert_str_eq(str(s0, "action"), "I have no JSON for you");
	cr_assert(is_null(s0, "reward") && is_null(s0, "normalized") && is_null(s0, "observation"));
	cr_assert_not_null(strstr(str(s0, "error"), "no JSON object"));
	cr_assert_not(rg_json_bool_val(rg_json_get(s0, "done")));
	/* graded: the action unwrapped from {"action": ...}, the reply's parts */
	assert_json(rg_json_get(s1, "action"), "{\"findings\":[{\"line_number\":3,\"issue_type\":\"bug\","
					       "\"description\":\"the docstring\"}]}", "step 1 action");
	assert_json(rg_json_get(s1, "normalized"), cr_norm1, "step 1 normalized");
	cr_assert_float_eq(rg_json_real_val(rg_json_get(s1, "reward")), 0.0, 1e-12);
	cr_assert(rg_json_is_real(rg_json_get(s1, "reward")) || rg_json_is_int(rg_json_get(s1, "reward")));
	cr_assert(is_null(s1, "error"));
	cr_assert_str_eq(str(s1, "task_id"), CR);
	cr_assert_not_null(strstr(str(s1, "feedback"), "Attempt 1/2"));
	cr_assert_eq(rg_json_int_val(rg_json_get(rg_json_get(s1, "breakdown"), "false_positives")), 1);
	assert_obs(rg_json_get(s1, "observation"), cr_reply1, "step 1 observation");
	cr_assert_eq(rg_json_int_val(rg_json_get(s1, "latency_us")), 101);
	assert_json(rg_json_get(s2, "action"), "{\"findings\":[{\"line_number\":2,\"issue_type\":\"bug\","
					       "\"description\":\"IndexError after the last track: wrap around with % len\"}],"
					       "\"metadata\":{}}", "step 2 action (as received, metadata too)");
	cr_assert_float_eq(rg_json_real_val(rg_json_get(s2, "reward")), 0.75, 1e-12);
	cr_assert(rg_json_bool_val(rg_json_get(s2, "done")));
	assert_json(rg_json_get(s2, "warnings"), "[\"finding 1: suggested_fix is empty\"]", "warnings");
	double at1 = rg_json_real_val(rg_json_get(s1, "at")), at2 = rg_json_real_val(rg_json_get(s2, "at"));
	cr_assert(at1 >= started && at2 >= at1, "step times out of order");
	rg_json_free(e);
	rg_store_close(st);
}

Test(store, ws_pr_review_episode_unwraps_messages_and_keeps_the_outcome)
{
	rg_store *st = open_store(0, 0);
	int64_t ep = play_pr(st, "ep-pr");
	rg_store_flush(st);
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)ep);
	rg_json *e = get(id);
	cr_assert_str_eq(str(e, "family"), "pr_review");
	cr_assert_str_eq(str(e, "client"), "unit-ws");
	assert_json(rg_json_get(e, "task_ids"), "[\"" PR "\"]", "pr_review names its one task");
	cr_assert_str_eq(str(e, "difficulty"), "hard");
	cr_assert_eq(rg_json_int_val(rg_json_get(e, "seed")), 42);
	/* the reset parameters, out of the WebSocket message {"type":"reset","data":...} */
	assert_json(rg_json_get(e, "params"), "{\"family\":\"pr_review\",\"task_id\":\"" PR "\","
					      "\"client\":\"unit-ws\"}", "params");
	assert_obs(rg_json_get(e, "initial_observation"), pr_reset_reply, "initial_observation");
	cr_assert(rg_json_bool_val(rg_json_get(e, "done")));
	cr_assert(!is_null(e, "ended_at"));
	cr_assert(rg_json_bool_val(rg_json_get(e, "success")));
	cr_assert_str_eq(str(e, "outcome"), "escalated");
	cr_assert_float_eq(rg_json_real_val(rg_json_get(e, "episode_score")), 0.9334, 1e-9);
	cr_assert(is_null(e, "task_scores"));

	const rg_json *steps = rg_json_get(e, "steps");
	cr_assert_eq(rg_json_size(steps), 2);
	const rg_json *rej = rg_json_at(steps, 0), *ok = rg_json_at(steps, 1);
	assert_json(rg_json_get(rej, "action"), "{\"decision\":\"merge\",\"comment\":\"x\"}",
		    "rejected action, out of {\"type\":\"step\",\"data\":...}");
	cr_assert(is_null(rej, "reward"));
	cr_assert_not_null(strstr(str(rej, "error"), "decision"));
	assert_json(rg_json_get(ok, "action"), "{\"decision\":\"escalate\",\"comment\":\"The signing "
					       "key is hard-coded: critical.\",\"metadata\":{}}", "action");
	assert_json(rg_json_get(ok, "normalized"), pr_norm, "normalized");
	cr_assert_float_eq(rg_json_real_val(rg_json_get(ok, "reward")), 0.8667, 1e-12);
	cr_assert(rg_json_bool_val(rg_json_get(ok, "done")));
	cr_assert_str_eq(str(ok, "task_id"), PR);
	cr_assert_str_eq(str(rg_json_get(ok, "breakdown"), "verdict"), "critical");
	cr_assert_not_null(strstr(str(ok, "feedback"), "escalated a critical"));
	assert_obs(rg_json_get(ok, "observation"), pr_reply, "observation out of the frame");
	rg_json_free(e);

	/* the list row agrees */
	rg_store_filter f = { .limit = 10 };
	rg_json *l = list(&f);
	const rg_json *row = rg_json_at(rg_json_get(l, "episodes"), 0);
	cr_assert_eq(rg_json_int_val(rg_json_get(row, "steps")), 2, "steps is a count in lists");
	cr_assert_str_eq(str(row, "outcome"), "escalated");
	cr_assert(rg_json_get(row, "params") == NULL, "lists carry no params");
	cr_assert(is_null(l, "next_before"));
	rg_json_free(l);
	rg_store_close(st);
}

Test(store, a_step_that_does_not_end_the_episode_leaves_it_open)
{
	rg_store *st = open_store(0, 0);
	int64_t ep = begin(st, "ep-open", "code_review", NULL, NULL, cr_state, cr_reset_reply);
	cr_assert(step(st, ep, 0, cr_action1, cr_norm1, cr_reply1, NULL));
	rg_store_flush(st);
	rg_json *e = get("ep-open");
	cr_assert_not(rg_json_bool_val(rg_json_get(e, "done")));
	cr_assert(is_null(e, "ended_at"), "ended_at is set only when the episode is done");
	cr_assert(is_null(e, "client"), "no label: null");
	assert_json(rg_json_get(e, "params"), "{}", "no reset body: {}");
	assert_json(rg_json_get(e, "task_scores"), "[0.0]", "task_scores so far");
	cr_assert(is_null(e, "episode_score"));
	/* a rejected step afterwards keeps the scores it does not change */
	cr_assert(step(st, ep, 1, cr_text_action, NULL, NULL, "action: rejected"));
	rg_store_flush(st);
	rg_json_free(e);
	e = get("ep-open");
	assert_json(rg_json_get(e, "task_scores"), "[0.0]", "task_scores after a rejected step");
	cr_assert_eq(rg_json_size(rg_json_get(e, "steps")), 2);
	cr_assert_not(rg_json_bool_val(rg_json_get(e, "done")));
	rg_json_free(e);
	rg_store_close(st);
}

Test(store, get_by_store_id_or_episode_id_newest_first_and_not_found)
{
	rg_store *st = open_store(0, 0);
	int64_t a = play_cr(st, "reused-id", "first");
	int64_t b = play_pr(st, "other");
	int64_t c = begin(st, "reused-id", "code_review", "second", cr_params, cr_state, cr_reset_reply);
	cr_assert(a < b && b < c, "ids grow: %lld %lld %lld", (long long)a, (long long)b, (long long)c);
	rg_store_flush(st);
	rg_json *e = get("reused-id");
	cr_assert_eq(rg_json_int_val(rg_json_get(e, "id")), c, "the newest episode with that id");
	cr_assert_str_eq(str(e, "client"), "second");
	cr_assert_eq(rg_json_size(rg_json_get(e, "steps")), 0);
	rg_json_free(e);
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)a);
	e = get(id);
	cr_assert_str_eq(str(e, "client"), "first");
	cr_assert_eq(rg_json_size(rg_json_get(e, "steps")), 3);
	rg_json_free(e);

	static const char *const missing[] = { "999", "0", "no-such-episode", "12345678901234567890123" };
	for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
		rg_err err;
		rg_err_clear(&err);
		cr_assert_null(rg_store_get(db, missing[i], &err), "%s found", missing[i]);
		cr_assert_eq(err.code, RG_ENOTFOUND, "%s: code %d (%s)", missing[i], err.code, err.msg);
		cr_assert_not_null(strstr(err.msg, missing[i]), "the message names the id: %s", err.msg);
	}
	rg_store_close(st);
}

/* ------------------------------------------------------------------------ */
/* Lists, filters, pages, means                                             */
/* ------------------------------------------------------------------------ */

Test(store, lists_filter_by_family_task_and_time_and_page_with_next_before)
{
	rg_store *st = open_store(0, 0);
	/* ids 1..3 before `mid`, 4..6 after: cr, pr, cr | pr, cr, pr */
	play_cr(st, "e1", "c");
	play_pr(st, "e2");
	play_cr(st, "e3", "c");
	rg_store_flush(st);
	sleep_ms(30);
	double mid = now_s();
	sleep_ms(30);
	play_pr(st, "e4");
	play_cr(st, "e5", "c");
	play_pr(st, "e6");
	rg_store_flush(st);

	long long ids[16];
	rg_store_filter all = { .limit = 50 };
	rg_json *l = list(&all);
	cr_assert_eq(ids_of(l, ids, 16), 6);
	for (int i = 0; i < 6; i++)
		cr_assert_eq(ids[i], 6 - i, "newest first");
	rg_json_free(l);

	rg_store_filter fam = { .family = "pr_review", .limit = 50 };
	l = list(&fam);
	cr_assert_eq(ids_of(l, ids, 16), 3);
	cr_assert(ids[0] == 6 && ids[1] == 4 && ids[2] == 2);
	rg_json_free(l);

	rg_store_filter task = { .task = CR, .limit = 50 };
	l = list(&task);
	cr_assert_eq(ids_of(l, ids, 16), 3);
	cr_assert(ids[0] == 5 && ids[1] == 3 && ids[2] == 1);
	rg_json_free(l);
	rg_store_filter none = { .task = CR, .family = "pr_review", .limit = 50 };
	l = list(&none);
	cr_assert_eq(ids_of(l, ids, 16), 0);
	cr_assert(is_null(l, "next_before"));
	rg_json_free(l);

	rg_store_filter since = { .since = mid, .limit = 50 };
	l = list(&since);
	cr_assert_eq(ids_of(l, ids, 16), 3);
	cr_assert(ids[0] == 6 && ids[2] == 4);
	rg_json_free(l);
	rg_store_filter later = { .since = now_s() + 3600, .limit = 50 };
	l = list(&later);
	cr_assert_eq(ids_of(l, ids, 16), 0);
	rg_json_free(l);

	/* pages of 4: 6 5 4 3, then 2 1 */
	rg_store_filter page = { .limit = 4 };
	l = list(&page);
	cr_assert_eq(ids_of(l, ids, 16), 4);
	cr_assert_eq(ids[3], 3);
	cr_assert_eq(rg_json_int_val(rg_json_get(l, "next_before")), 3);
	page.before = rg_json_int_val(rg_json_get(l, "next_before"));
	rg_json_free(l);
	l = list(&page);
	cr_assert_eq(ids_of(l, ids, 16), 2);
	cr_assert(ids[0] == 2 && ids[1] == 1);
	cr_assert(is_null(l, "next_before"), "the last page says so");
	rg_json_free(l);
	/* a page that ends exactly at the last episode has no next page either */
	rg_store_filter exact = { .limit = 6 };
	l = list(&exact);
	cr_assert_eq(ids_of(l, ids, 16), 6);
	cr_assert(is_null(l, "next_before"));
	rg_json_free(l);
	/* filters and pages together: pr_review, one at a time */
	rg_store_filter fp = { .family = "pr_review", .limit = 1 };
	long long seen[3];
	size_t n = 0;
	for (;;) {
		l = list(&fp);
		cr_assert_eq(ids_of(l, ids, 16), 1);
		cr_assert_lt(n, 3, "paging does not end");
		seen[n++] = ids[0];
		bool last = is_null(l, "next_before");
		fp.before = last ? 0 : rg_json_int_val(rg_json_get(l, "next_before"));
		rg_json_free(l);
		if (last)
			break;
	}
	cr_assert(n == 3 && seen[0] == 6 && seen[1] == 4 && seen[2] == 2);
	rg_store_close(st);
}

Test(store, task_means_average_rewards_and_best_per_episode)
{
	rg_store *st = open_store(0, 0);
	play_cr(st, "m1", NULL); /* CR rewards 0.0, 0.75 (the rejected step has none) */
	int64_t ep = begin(st, "m2", "code_review", NULL, cr_params, cr_state, cr_reset_reply);
	step(st, ep, 0, cr_action1, cr_norm1, cr_reply1, NULL); /* CR reward 0.0 */
	play_pr(st, "m3");
	rg_store_flush(st);
	rg_err err;
	rg_err_clear(&err);
	rg_store_filter f = { 0 };
	rg_json *m = rg_store_task_means(db, &f, &err);
	cr_assert_not_null(m, "%s", err.msg);
	const rg_json *tasks = rg_json_get(m, "tasks");
	cr_assert_eq(rg_json_size(tasks), 2);
	const rg_json *cr = NULL, *pr = NULL;
	for (size_t i = 0; i < 2; i++) {
		const rg_json *t = rg_json_at(tasks, i);
		if (!strcmp(str(t, "task_id"), CR))
			cr = t;
		else if (!strcmp(str(t, "task_id"), PR))
			pr = t;
	}
	cr_assert(cr && pr, "both tasks listed");
	cr_assert_str_eq(str(cr, "family"), "code_review");
	cr_assert_eq(rg_json_int_val(rg_json_get(cr, "episodes")), 2);
	cr_assert_eq(rg_json_int_val(rg_json_get(cr, "steps")), 3, "graded steps of the task");
	/* mean of the per-episode means (0.375, 0), and of the per-episode bests (0.75, 0) */
	cr_assert_float_eq(rg_json_real_val(rg_json_get(cr, "mean_reward")), 0.1875, 1e-9);
	cr_assert_float_eq(rg_json_real_val(rg_json_get(cr, "mean_task_score")), 0.375, 1e-9);
	cr_assert_eq(rg_json_int_val(rg_json_get(pr, "episodes")), 1);
	cr_assert_float_eq(rg_json_real_val(rg_json_get(pr, "mean_reward")), 0.8667, 1e-9);
	rg_json_free(m);
	rg_store_filter fam = { .family = "pr_review" };
	m = rg_store_task_means(db, &fam, &err);
	cr_assert_eq(rg_json_size(rg_json_get(m, "tasks")), 1);
	rg_json_free(m);
	rg_store_close(st);
}

/* ------------------------------------------------------------------------ */
/* Exports                                                                  */
/* ------------------------------------------------------------------------ */

static int out_buf(void *ud, const char *bytes, size_t n)
{
	return rg_buf_append(ud, bytes, n);
}

static char *export_text(const rg_store_filter *f, bool csv)
{
	rg_buf b;
	rg_buf_init(&b, 1 << 24);
	rg_err err;
	rg_err_clear(&err);
	int rc = rg_store_export(db, f, csv, out_buf, &b, &err);
	cr_assert_eq(rc, 0, "export: %s", err.msg);
	size_t n = 0;
	char *t = rg_buf_take(&b, &n);
	rg_buf_free(&b);
	return t ? t : rg_strdup("");
}

static int stop_after_first(void *ud, const char *bytes, size_t n)
{
	(void)bytes, (void)n;
	++*(int *)ud;
	return 77;
}

Test(store, export_json_lines_and_csv_with_quoting)
{
	rg_store *st = open_store(0, 0);
	play_cr(st, "x1", "plain");
	play_cr(st, "x2", "has, comma \"and quotes\"\nand a newline");
	play_pr(st, "x3");
	rg_store_flush(st);

	rg_store_filter f = { 0 };
	char *jl = export_text(&f, false);
	size_t lines = 0;
	for (char *line = jl, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		cr_assert_not_null(nl, "every line ends with a newline");
		*nl = '\0';
		rg_json *e = parse(line);
		long long id = rg_json_int_val(rg_json_get(e, "id"));
		cr_assert_eq(id, 3 - (long long)lines, "newest first");
		const rg_json *steps = rg_json_get(e, "steps");
		cr_assert(rg_json_is_arr(steps), "each episode with its steps");
		cr_assert_eq(rg_json_size(steps), id == 3 ? 2 : 3);
		cr_assert_eq(rg_json_int_val(rg_json_get(e, "num_steps")), (long long)rg_json_size(steps));
		cr_assert(rg_json_is_obj(rg_json_get(e, "params")));
		if (id == 2)
			cr_assert_str_eq(str(e, "client"), "has, comma \"and quotes\"\nand a newline");
		if (id == 3)
			cr_assert_str_eq(str(rg_json_get(rg_json_at(steps, 1), "normalized"), "decision"),
					 "escalate");
		rg_json_free(e);
		lines++;
	}
	cr_assert_eq(lines, 3);
	rg_free(jl);

	char *csv = export_text(&f, true);
	cr_assert(!strncmp(csv, "id,episode_id,family,client,started_at,ended_at,steps,task_ids,"
				"difficulty,seed,task_scores,episode_score,success,outcome,done\r\n",
			   strlen("id,episode_id,family,client,started_at,ended_at,steps,task_ids,"
				  "difficulty,seed,task_scores,episode_score,success,outcome,done\r\n")),
		  "header: %.200s", csv);
	/* RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled */
	cr_assert_not_null(strstr(csv, ",\"has, comma \"\"and quotes\"\"\nand a newline\","),
			   "client not quoted right:\n%s", csv);
	cr_assert_not_null(strstr(csv, "\r\n1,x1,code_review,plain,"), "%s", csv);
	cr_assert_not_null(strstr(csv, ",\"[\"\"" CR "\"\"]\","), "task_ids quoted:\n%s", csv);
	cr_assert_not_null(strstr(csv, "\r\n3,x3,pr_review,unit-ws,"), "%s", csv);
	cr_assert_not_null(strstr(csv, ",escalated,1\r\n"), "outcome and done last:\n%s", csv);
	size_t rows = 0;
	for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	cr_assert_eq(rows, 4, "header + 3 rows (the newline inside a field is not a row)");
	rg_free(csv);

	/* filters and limit apply */
	rg_store_filter one = { .family = "code_review", .limit = 1 };
	csv = export_text(&one, true);
	cr_assert_not_null(strstr(csv, "\r\n2,x2,"));
	cr_assert_null(strstr(csv, "\r\n1,x1,"));
	rg_free(csv);

	/* the callback's error stops the export */
	int calls = 0;
	rg_err err;
	rg_err_clear(&err);
	cr_assert_eq(rg_store_export(db, &f, false, stop_after_first, &calls, &err), 77);
	cr_assert_eq(calls, 1);
	rg_store_close(st);
}

/* ------------------------------------------------------------------------ */
/* Retention, overload, close, reopen, bad files                            */
/* ------------------------------------------------------------------------ */

Test(store, retention_keeps_the_newest_episodes_with_their_steps)
{
	rg_store *st = open_store(3, 0);
	char eid[16];
	for (int i = 1; i <= 5; i++) {
		snprintf(eid, sizeof eid, "r%d", i);
		play_cr(st, eid, NULL);
	}
	rg_store_flush(st);
	sleep_ms(1100); /* pruning runs at most once a second, after a write */
	play_pr(st, "r6");
	rg_store_flush(st);

	long long ids[16];
	rg_store_filter all = { .limit = 50 };
	rg_json *l = list(&all);
	size_t n = ids_of(l, ids, 16);
	rg_json_free(l);
	cr_assert_eq(n, 3, "max_episodes 3 keeps 3 episodes, not %zu", n);
	cr_assert(ids[0] == 6 && ids[1] == 5 && ids[2] == 4, "the newest: %lld %lld %lld", ids[0],
		  ids[1], ids[2]);
	cr_assert_eq(count_rows("SELECT count(*) FROM step WHERE episode <= 3"), 0, "old steps stay");
	cr_assert_eq(count_rows("SELECT count(*) FROM step"), 3 + 3 + 2);
	cr_assert_eq(count_rows("SELECT count(*) FROM episode_task WHERE episode <= 3"), 0);
	rg_err err;
	rg_err_clear(&err);
	cr_assert_null(rg_store_get(db, "r1", &err));
	cr_assert_eq(err.code, RG_ENOTFOUND);
	rg_json *e = get("r4");
	cr_assert_eq(rg_json_size(rg_json_get(e, "steps")), 3, "kept episodes keep all their steps");
	rg_json_free(e);
	rg_store_close(st);
}

Test(store, a_full_queue_drops_and_counts_exactly)
{
	rg_store *st = open_store(0, 4);
	size_t attempted = 0, refused = 0, begins_refused = 0, steps_ok = 0;
	int64_t live[64];
	size_t n_live = 0;
	/* begins and steps as fast as the loop can go: the writer cannot keep a
	 * 4-record queue from filling */
	for (int i = 0; i < 3000; i++) {
		if (i % 10 == 0 || !n_live) {
			char eid[16];
			snprintf(eid, sizeof eid, "o%d", i);
			int64_t ep = begin(st, eid, "code_review", NULL, cr_params, cr_state, cr_reset_reply);
			attempted++;
			if (!ep) {
				refused++;
				begins_refused++;
			} else if (n_live < 64) {
				live[n_live++] = ep;
			}
			continue;
		}
		bool ok = step(st, live[i % n_live], (uint32_t)i, cr_action1, cr_norm1, cr_reply1, NULL);
		attempted++;
		refused += !ok;
		steps_ok += ok;
	}
	rg_store_note_dropped(st); /* a step of an episode whose start was dropped */
	refused++;
	rg_store_flush(st);
	rg_store_stats s;
	rg_store_get_stats(st, &s);
	cr_assert_gt(refused, 1, "a 4-record queue never filled");
	cr_assert_gt(begins_refused, 0, "no begin was refused (a refused begin returns 0)");
	cr_assert_eq(s.dropped, refused, "dropped %llu, refused %zu", (unsigned long long)s.dropped, refused);
	cr_assert_eq(s.written + s.dropped, attempted + 1, "written %llu + dropped %llu != %zu",
		     (unsigned long long)s.written, (unsigned long long)s.dropped, attempted + 1);
	cr_assert_eq(s.failed, 0);
	cr_assert_eq(s.queued, 0);
	/* what was accepted is what the file holds */
	cr_assert_eq(count_rows("SELECT count(*) FROM step"), (long long)steps_ok);
	cr_assert_eq(count_rows("SELECT count(*) FROM episode"), (long long)(s.written - steps_ok));
	cr_assert_eq(count_rows("SELECT count(*) FROM step WHERE episode NOT IN (SELECT id FROM episode)"), 0);
	/* the store keeps working once the burst is over */
	int64_t ep = begin(st, "after", "pr_review", NULL, pr_params, pr_state, pr_reset_reply);
	cr_assert_gt(ep, 0);
	rg_store_flush(st);
	rg_json *e = get("after");
	rg_json_free(e);
	rg_store_close(st);
}

Test(store, close_drains_the_queue)
{
	rg_store *st = open_store(0, 0);
	for (int i = 0; i < 50; i++) {
		char eid[16];
		snprintf(eid, sizeof eid, "d%d", i);
		play_cr(st, eid, NULL);
	}
	rg_store_close(st); /* no flush: close must not lose what was queued */
	cr_assert_eq(count_rows("SELECT count(*) FROM episode"), 50);
	cr_assert_eq(count_rows("SELECT count(*) FROM step"), 150);
	cr_assert_eq(count_rows("SELECT count(*) FROM episode WHERE done = 1 AND steps = 3"), 50);
	rg_json *e = get("d49");
	cr_assert_eq(rg_json_size(rg_json_get(e, "steps")), 3);
	rg_json_free(e);
}

Test(store, a_reopened_file_continues_its_ids)
{
	rg_store *st = open_store(0, 0);
	play_cr(st, "a", NULL);
	play_pr(st, "b");
	rg_store_close(st);
	st = open_store(0, 0);
	rg_store_stats s;
	rg_store_get_stats(st, &s);
	cr_assert_eq(s.episodes, 2, "the episodes found in the file are counted");
	int64_t c = begin(st, "c", "code_review", NULL, cr_params, cr_state, cr_reset_reply);
	cr_assert_eq(c, 3, "ids continue after the file's: got %lld", (long long)c);
	rg_store_flush(st);
	long long ids[8];
	rg_store_filter all = { .limit = 50 };
	rg_json *l = list(&all);
	cr_assert_eq(ids_of(l, ids, 8), 3);
	cr_assert(ids[0] == 3 && ids[1] == 2 && ids[2] == 1);
	rg_json_free(l);
	rg_json *e = get("a");
	cr_assert_eq(rg_json_size(rg_json_get(e, "steps")), 3, "old steps still there");
	rg_json_free(e);
	rg_store_close(st);
}

Test(store, bad_paths_and_foreign_files_are_refused_naming_the_store)
{
	rg_err err;
	rg_err_clear(&err);
	rg_store_config cfg = { .path = "/nonexistent-rg-dir/sub/store.db" };
	cr_assert_null(rg_store_open(&cfg, &err));
	cr_assert_str_eq(err.field, "store");
	cr_assert_not_null(strstr(err.msg, "/nonexistent-rg-dir/sub/store.db"), "%s", err.msg);

	/* reads of a missing file fail too, without creating it */
	rg_err_clear(&err);
	rg_store_filter f = { .limit = 5 };
	cr_assert_null(rg_store_list("/nonexistent-rg-dir/x.db", &f, &err));
	cr_assert_neq(err.code, 0);

	/* a file of another layout (or not SQLite at all) is left alone */
	sqlite3 *h = NULL;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "CREATE TABLE mine(x); PRAGMA user_version=99;", NULL, NULL, NULL),
		     SQLITE_OK);
	sqlite3_close(h);
	rg_err_clear(&err);
	cfg.path = db;
	cr_assert_null(rg_store_open(&cfg, &err));
	cr_assert_str_eq(err.field, "store");
	cr_assert_not_null(strstr(err.msg, "layout"), "%s", err.msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name = 'episode'"), 0);
	unlink(db);
	FILE *fp = fopen(db, "w");
	cr_assert_not_null(fp);
	fputs("this is not a database, it is a text file long enough to have a header......\n", fp);
	fclose(fp);
	rg_err_clear(&err);
	cr_assert_null(rg_store_open(&cfg, &err));
	cr_assert_str_eq(err.field, "store");
}

/* ------------------------------------------------------------------------ */
/* Reads while the writer writes                                            */
/* ------------------------------------------------------------------------ */

typedef struct reader_arg {
	_Atomic int stop, reads;
	int errors;
	long long last_steps;
	int went_back;
} reader_arg;

static void *reader(void *p)
{
	reader_arg *a = p;
	while (!a->stop) {
		rg_err err;
		rg_err_clear(&err);
		rg_store_filter f = { .limit = 200 };
		rg_json *l = rg_store_list(db, &f, &err);
		rg_json *e = rg_store_get(db, "conc", &err);
		if (!l || (!e && err.code != RG_ENOTFOUND)) {
			a->errors++;
		} else if (e) {
			long long n = (long long)rg_json_size(rg_json_get(e, "steps"));
			a->went_back += n < a->last_steps;
			a->last_steps = n;
		}
		rg_json_free(l);
		rg_json_free(e);
		a->reads++;
	}
	return NULL;
}

Test(store, reads_in_another_thread_while_the_writer_writes)
{
	rg_store *st = open_store(0, 0);
	int64_t ep = begin(st, "conc", "code_review", NULL, cr_params, cr_state, cr_reset_reply);
	rg_store_flush(st);
	reader_arg a = { 0 };
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, reader, &a), 0);
	for (uint32_t i = 0; i < 600; i++) {
		cr_assert(step(st, ep, i, cr_action1, cr_norm1, cr_reply1, NULL));
		if (i % 50 == 0) {
			char eid[16];
			snprintf(eid, sizeof eid, "side%u", i);
			begin(st, eid, "pr_review", NULL, pr_params, pr_state, pr_reset_reply);
			sleep_ms(2);
		}
	}
	rg_store_flush(st);
	/* two whole reads after everything is committed */
	int r0 = a.reads;
	for (int i = 0; i < 5000 && a.reads < r0 + 2; i++)
		sleep_ms(1);
	a.stop = 1;
	pthread_join(th, NULL);
	cr_assert_eq(a.errors, 0, "%d reads failed", a.errors);
	cr_assert_gt(a.reads, 0);
	cr_assert_eq(a.went_back, 0, "a reader saw fewer steps than before");
	cr_assert_eq(a.last_steps, 600, "the last read saw %lld steps", a.last_steps);
	rg_json *e = get("conc");
	cr_assert_eq(rg_json_size(rg_json_get(e, "steps")), 600);
	rg_json_free(e);
	rg_store_close(st);
}
