/*
 * test_pr_episode.c - the pr_review family (env/pr_review.c) through its public
 * ops (env/env.h), exactly as the server drives it: reset parameters parsed with
 * rg_reset_params_parse, JSON actions, observations and state read as JSON.
 *
 * What an agent notices: reset by task_id, by seed (the same seed gives the same
 * observation, byte for byte) or by difficulty; parameter errors name the field;
 * a bad action or a step out of turn changes nothing; each decision ends the
 * episode the way the README says (approving broken code is "merged_broken" with
 * score 0, escalating critical code at once is "escalated", escalating it late is
 * "escalated_late", escalating a mere flaw is "over_escalated", the turn limit is
 * "turn_limit"); naming the root cause moves the author to the next revision while
 * a vague request only gets pushback; history records every turn with comments
 * capped at 2000 bytes; delta rewards add up to the episode score; and custom
 * tasks (bank/custom.h) are one scored or unscored turn that holds its task until
 * the episode lets go. Scenario facts (states, messages, diffs) are read from the
 * bank, so the tests follow the data rather than copy it.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/custom.h"
#include "env/env.h"
#include "grade/grade.h"
#include "grade/pr_grade.h"
#include "unit/support.h"

#define SQLI "pr-medium-sqli-negotiation" /* flawed v1 -> v2 -> correct v3, 6 turns */
#define JWT "pr-hard-jwt-secret"          /* critical v1 */
#define ENTROPY 1234567u

/* Name the root cause of sqli v1 (name-injection) and of v2 (order-by-injection). */
static const char v1_root[] = "Escaping quotes with a backslash does not stop SQL injection: "
			      "the name is still formatted into the query.";
static const char v2_root[] = "The ORDER BY column is still formatted into the SQL: SQL "
			      "injection through the sort column. Check it against an allow-list.";
static const char vague[] = "This needs another look before it can go in.";

static rg_bank *bank;
static const rg_env_ops *ops;

static void setup(void)
{
	bank = rg_test_load_bank();
	ops = rg_env_family("pr_review");
	cr_assert_not_null(ops, "pr_review is not registered");
	cr_assert(rg_bank_find(bank, SQLI) && rg_bank_find(bank, JWT), "scenarios used here are gone");
}

static void teardown(void)
{
	rg_bank_destroy(bank);
}

TestSuite(pr_episode, .init = setup, .fini = teardown);

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static void *env_in(rg_custom_store *custom)
{
	rg_err err;
	rg_err_clear(&err);
	void *ctx = ops->create(&(rg_env_world){ .bank = bank, .custom = custom }, &err);
	cr_assert_not_null(ctx, "create: %s", err.msg);
	return ctx;
}

static void *env_new(void)
{
	return env_in(NULL);
}

static rg_json *json(const char *text)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(text, strlen(text), &err);
	cr_assert_not_null(v, "test JSON does not parse: %.200s (%s)", text, err.msg);
	return v;
}

static int try_reset(void *ctx, const char *params, rg_env_result *out, rg_err *err)
{
	rg_json *body = json(params);
	rg_reset_params p;
	rg_err_clear(err);
	memset(out, 0, sizeof *out);
	int rc = rg_reset_params_parse(body, &p, err);
	rg_json_free(body);
	if (rc)
		return rc;
	p.entropy = ENTROPY;
	return ops->reset(ctx, &p, out, err);
}

static rg_json *reset(void *ctx, const char *params)
{
	rg_env_result r;
	rg_err err;
	int rc = try_reset(ctx, params, &r, &err);
	cr_assert_eq(rc, RG_OK, "reset %s: %s %s: %s", params, rg_code_name(rc), err.field, err.msg);
	cr_assert_not_null(r.observation);
	cr_assert_not(r.has_reward, "reset carries no reward");
	cr_assert_not(r.done);
	return r.observation;
}

static rg_json *reset_task(void *ctx, const char *id)
{
	char params[128];
	snprintf(params, sizeof params, "{\"task_id\":\"%s\"}", id);
	return reset(ctx, params);
}

static int try_step(void *ctx, const rg_json *action, rg_env_result *out, rg_err *err)
{
	rg_err_clear(err);
	memset(out, 0, sizeof *out);
	return ops->step(ctx, action, out, err);
}

/* A step that must succeed; returns the observation, the reward (NAN when the
 * step has none) and done. */
static rg_json *step(void *ctx, const char *decision, const char *comment, double *reward,
		     bool *done)
{
	rg_json *a = rg_json_obj();
	cr_assert(a && !rg_json_set_str(a, "decision", decision) &&
		  !rg_json_set_str(a, "comment", comment));
	rg_env_result r;
	rg_err err;
	int rc = try_step(ctx, a, &r, &err);
	rg_json_free(a);
	cr_assert_eq(rc, RG_OK, "step %s: %s %s: %s", decision, rg_code_name(rc), err.field, err.msg);
	cr_assert_not_null(r.observation);
	if (reward)
		*reward = r.has_reward ? r.reward : NAN;
	if (done)
		*done = r.done;
	return r.observation;
}

static const char *str_of(const rg_json *o, const char *key)
{
	const rg_json *v = rg_json_get(o, key);
	cr_assert(rg_json_is_str(v), "field %s is not a string", key);
	return rg_json_str_val(v);
}

static long long int_of(const rg_json *o, const char *key)
{
	const rg_json *v = rg_json_get(o, key);
	cr_assert(rg_json_is_int(v), "field %s is not an integer", key);
	return rg_json_int_val(v);
}

static double real_of(const rg_json *o, const char *key)
{
	const rg_json *v = rg_json_get(o, key);
	cr_assert(rg_json_is_real(v) || rg_json_is_int(v), "field %s is not a number", key);
	return rg_json_real_val(v);
}

static char *dump(const rg_json *v)
{
	char *s = rg_json_dump(v, NULL);
	cr_assert_not_null(s);
	return s;
}

static char *state_text(void *ctx)
{
	rg_json *st = ops->state(ctx);
	cr_assert_not_null(st);
	char *s = dump(st);
	rg_json_free(st);
	return s;
}

/* The message of the scenario state called id. */
static const char *state_message(const char *task, const char *id)
{
	const rg_pr_scenario *s = rg_bank_find(bank, task)->pr;
	for (size_t i = 0; i < s->n_states; i++)
		if (!strcmp(s->states[i].id, id))
			return s->states[i].message;
	cr_assert_fail("%s has no state %s", task, id);
	return NULL;
}

/* The episode is over with this outcome and success. */
static void expect_end(const rg_json *obs, const char *outcome, bool success)
{
	cr_expect_str_eq(str_of(obs, "outcome"), outcome);
	cr_expect(rg_json_is_bool(rg_json_get(obs, "success")), "success is set once done");
	cr_expect_eq(rg_json_bool_val(rg_json_get(obs, "success")), success, "outcome %s", outcome);
	cr_expect_eq(rg_json_size(rg_json_get(obs, "allowed_decisions")), 0,
		     "nothing is allowed after the end");
}

/* ------------------------------------------------------------------------ */
/* Reset                                                                    */
/* ------------------------------------------------------------------------ */

Test(pr_episode, reset_by_task_id_shows_the_opening_state)
{
	const rg_task *t = rg_bank_find(bank, SQLI);
	const rg_pr_version *v = &t->pr->versions[t->pr->states[0].version];
	void *ctx = env_new();
	rg_json *obs = reset(ctx, "{\"task_id\":\"" SQLI "\",\"max_attempts\":3}");
	cr_expect_str_eq(str_of(obs, "task_id"), SQLI);
	cr_expect_str_eq(str_of(obs, "family"), "pr_review");
	cr_expect_str_eq(str_of(obs, "kind"), "iterative-negotiation");
	cr_expect_str_eq(str_of(obs, "difficulty"), "medium");
	cr_expect_str_eq(str_of(obs, "pr_title"), t->pr->pr_title);
	cr_expect_str_eq(str_of(obs, "file"), t->pr->file);
	cr_expect_str_eq(str_of(obs, "diff"), v->diff);
	cr_expect_str_eq(str_of(obs, "code_to_review"), v->review.code);
	cr_expect_str_eq(str_of(obs, "author_message"), t->pr->states[0].message);
	cr_expect_eq(int_of(obs, "revision"), 1);
	cr_expect_eq(int_of(obs, "turn"), 0);
	cr_expect_eq(int_of(obs, "max_turns"), t->pr->max_turns);
	cr_expect_eq(int_of(obs, "seed"), ENTROPY, "an unseeded reset reports the seed it used");
	cr_expect_eq(rg_json_size(rg_json_get(obs, "history")), 0);
	cr_expect_eq(rg_json_size(rg_json_get(obs, "allowed_decisions")), 4);
	cr_expect(rg_json_is_null(rg_json_get(obs, "success")));
	cr_expect(rg_json_is_null(rg_json_get(obs, "outcome")));
	cr_expect(rg_json_is_null(rg_json_get(obs, "episode_score")));
	char *w = dump(rg_json_get(obs, "warnings"));
	cr_expect_not_null(strstr(w, "max_attempts applies to code_review only"), "%s", w);
	free(w);
	rg_json_free(obs);
	cr_expect_not(ops->is_done(ctx));
	ops->destroy(ctx);
}

Test(pr_episode, same_seed_same_observation_and_seeds_vary_the_task)
{
	void *a = env_new(), *b = env_new();
	char *first = NULL;
	int differ = 0;
	for (int seed = 0; seed < 20; seed++) {
		char params[64];
		snprintf(params, sizeof params, "{\"seed\":%d,\"episode_id\":\"e\"}", seed);
		rg_json *oa = reset(a, params), *ob = reset(b, params);
		char *sa = dump(oa), *sb = dump(ob);
		cr_expect_str_eq(sa, sb, "seed %d: two resets differ", seed);
		cr_expect_eq(int_of(oa, "seed"), seed);
		const rg_task *t = rg_bank_find(bank, str_of(oa, "task_id"));
		cr_expect(t && t->pr, "seed %d chose %s, not a pr_review scenario", seed,
			  str_of(oa, "task_id"));
		if (!first)
			first = strdup(str_of(oa, "task_id"));
		else
			differ += strcmp(first, str_of(oa, "task_id")) != 0;
		free(sa);
		free(sb);
		rg_json_free(oa);
		rg_json_free(ob);
	}
	cr_expect_gt(differ, 0, "20 seeds all chose %s", first);
	free(first);
	ops->destroy(a);
	ops->destroy(b);
}

Test(pr_episode, difficulty_filter)
{
	static const char *const levels[] = { "easy", "medium", "hard" };
	void *ctx = env_new();
	for (int d = 0; d < 3; d++)
		for (int seed = 0; seed < 5; seed++) {
			char params[64];
			snprintf(params, sizeof params, "{\"difficulty\":\"%s\",\"seed\":%d}", levels[d], seed);
			rg_json *obs = reset(ctx, params);
			cr_expect_str_eq(str_of(obs, "difficulty"), levels[d]);
			cr_expect_eq((int)rg_bank_find(bank, str_of(obs, "task_id"))->difficulty, d);
			rg_json_free(obs);
		}
	ops->destroy(ctx);
}

Test(pr_episode, bad_reset_names_the_field_and_keeps_the_episode)
{
	void *ctx = env_new();
	rg_json_free(reset_task(ctx, SQLI));
	rg_json_free(step(ctx, "request_changes", vague, NULL, NULL));
	char *before = state_text(ctx);
	static const struct { const char *params, *field; } cases[] = {
		{ "{\"task_id\":\"no-such-task\"}", "task_id" },
		{ "{\"task_id\":\"cr-easy-order-stats\"}", "task_id" }, /* a code_review task */
		{ "{\"task_id\":\"custom-0123456789abcdef\"}", "task_id" },
		{ "{\"tasks\":[\"" SQLI "\"]}", "tasks" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_env_result r;
		rg_err err;
		int rc = try_reset(ctx, cases[i].params, &r, &err);
		cr_expect_eq(rc, RG_EINVAL, "%s: %s", cases[i].params, rg_code_name(rc));
		cr_expect_str_eq(err.field, cases[i].field, "%s (%s)", cases[i].params, err.msg);
		cr_expect_null(r.observation);
	}
	char *after = state_text(ctx);
	cr_expect_str_eq(before, after, "a refused reset leaves the running episode alone");
	free(before);
	free(after);
	ops->destroy(ctx);
}

/* ------------------------------------------------------------------------ */
/* Steps out of turn and bad actions                                        */
/* ------------------------------------------------------------------------ */

Test(pr_episode, step_before_reset_and_after_done)
{
	void *ctx = env_new();
	rg_json *a = json("{\"decision\":\"approve\",\"comment\":\"ok\"}");
	rg_env_result r;
	rg_err err;
	cr_expect_eq(try_step(ctx, a, &r, &err), RG_ESTATE, "step before reset");
	cr_expect_null(r.observation);
	rg_json_free(reset_task(ctx, SQLI));
	rg_json_free(step(ctx, "approve", "ok", NULL, NULL));
	cr_expect(ops->is_done(ctx));
	char *before = state_text(ctx);
	cr_expect_eq(try_step(ctx, a, &r, &err), RG_ESTATE, "step after done");
	cr_expect_null(r.observation);
	char *after = state_text(ctx);
	cr_expect_str_eq(before, after);
	free(before);
	free(after);
	rg_json_free(a);
	rg_json_free(reset_task(ctx, SQLI));
	cr_expect_not(ops->is_done(ctx), "a new reset starts over");
	ops->destroy(ctx);
}

Test(pr_episode, bad_action_leaves_the_episode_unchanged)
{
	static const char *const bad[] = {
		"{\"decision\":\"maybe\",\"comment\":\"x\"}",
		"{\"comment\":\"no decision\"}",
		"{\"decision\":\"approve\",\"colour\":\"red\"}",
		"{\"decision\":\"request_changes\",\"findings\":[{\"line_number\":0,\"description\":\"d\"}]}",
	};
	void *ctx = env_new();
	rg_json_free(reset_task(ctx, SQLI));
	rg_json_free(step(ctx, "request_changes", v1_root, NULL, NULL));
	char *before = state_text(ctx);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		rg_json *a = json(bad[i]);
		rg_env_result r;
		rg_err err;
		cr_expect_eq(try_step(ctx, a, &r, &err), RG_EINVAL, "%s", bad[i]);
		cr_expect_null(r.observation);
		char *after = state_text(ctx);
		cr_expect_str_eq(before, after, "%s changed the episode", bad[i]);
		free(after);
		rg_json_free(a);
	}
	free(before);
	rg_json *obs = step(ctx, "request_changes", v1_root, NULL, NULL);
	cr_expect_eq(int_of(obs, "turn"), 2, "refused actions cost no turn");
	rg_json_free(obs);
	ops->destroy(ctx);
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* Outcomes                                                                 */
/* ------------------------------------------------------------------------ */

/* Approve and escalate end the episode; how depends on the code and the past. */
Test(pr_episode, decisive_turns_end_the_episode_by_verdict)
{
	static const char jwt_root[] = "The JWT signing key is hardcoded in the source: anyone "
				       "with the repo can forge tokens.";
	static const struct {
		const char *task, *first; /* first: a vague request_changes before, or NULL */
		const char *decision, *comment, *outcome;
		bool success;
		double reward; /* of the decisive turn */
		double score;  /* < 0: 0.5 x mean(turn rewards), as there is no success */
		const char *feedback;
	} cases[] = {
		{ SQLI, NULL, "approve", "Looks good to me.", "merged_broken", false, 0.0, 0.0,
		  "the worst outcome" },
		{ JWT, NULL, "escalate", jwt_root, "escalated", true, 1.0, 1.0, "the right call" },
		{ JWT, vague, "escalate", jwt_root, "escalated_late", false, 1.0, -1,
		  "escalation must be immediate" },
		{ SQLI, NULL, "escalate", v1_root, "over_escalated", false,
		  0.1 * (0.6 + 0.4 * 0.75), -1,
		  "over-escalation ends the review" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		void *ctx = env_new();
		rg_json_free(reset_task(ctx, cases[i].task));
		double rewards[2];
		size_t n = 0;
		bool done;
		if (cases[i].first) {
			rg_json_free(step(ctx, "request_changes", cases[i].first, &rewards[n++], &done));
			cr_expect_not(done, "case %zu: a request for changes does not end it", i);
		}
		rg_json *obs = step(ctx, cases[i].decision, cases[i].comment, &rewards[n++], &done);
		cr_expect(done, "case %zu", i);
		expect_end(obs, cases[i].outcome, cases[i].success);
		cr_expect(fabs(rewards[n - 1] - cases[i].reward) < 1e-9, "case %zu: reward %f, want %f",
			  i, rewards[n - 1], cases[i].reward);
		double want = cases[i].score >= 0 ? cases[i].score
						  : rg_pr_episode_score(rewards, n, false, false);
		cr_expect(fabs(real_of(obs, "episode_score") - want) < 1e-9, "case %zu: score %f, want %f",
			  i, real_of(obs, "episode_score"), want);
		cr_expect_not_null(strstr(str_of(obs, "feedback"), cases[i].feedback), "case %zu: %s", i,
				   str_of(obs, "feedback"));
		rg_json_free(obs);
		ops->destroy(ctx);
	}
}

Test(pr_episode, naming_the_root_cause_moves_the_author_through_revisions)
{
	const rg_pr_scenario *s = rg_bank_find(bank, SQLI)->pr;
	void *ctx = env_new();
	rg_json *obs = reset_task(ctx, SQLI);
	char *diff1 = strdup(str_of(obs, "diff"));
	rg_json_free(obs);
	static const struct { const char *comment, *state; int revision; } turns[] = {
		{ v1_root, "defends", 1 },
		{ v1_root, "partial", 2 },
		{ v2_root, "fixed", 3 },
	};
	double rewards[4];
	for (int k = 0; k < 3; k++) {
		bool done;
		obs = step(ctx, "request_changes", turns[k].comment, &rewards[k], &done);
		cr_expect_not(done);
		cr_expect_eq(int_of(obs, "revision"), turns[k].revision, "turn %d", k + 1);
		cr_expect_str_eq(str_of(obs, "author_message"), state_message(SQLI, turns[k].state),
				 "turn %d", k + 1);
		cr_expect_str_eq(str_of(obs, "diff"), s->versions[turns[k].revision - 1].diff);
		cr_expect_eq(strcmp(str_of(obs, "diff"), diff1) != 0, turns[k].revision > 1,
			     "turn %d: the diff changes with the revision", k + 1);
		cr_expect(rg_json_bool_val(rg_json_get(rg_json_get(obs, "reward_breakdown"),
						       "root_cause_named")), "turn %d", k + 1);
		if (k == 1)
			cr_expect_not_null(strstr(str_of(obs, "feedback"), "pushed revision 2"), "%s",
					   str_of(obs, "feedback"));
		rg_json_free(obs);
	}
	bool done;
	obs = step(ctx, "approve", "Both inputs are safe now.", &rewards[3], &done);
	cr_expect(done);
	expect_end(obs, "merged", true);
	double want = rg_pr_episode_score(rewards, 4, true, false);
	cr_expect_eq(real_of(obs, "episode_score"), want);
	cr_expect_geq(want, 0.95, "the ideal path scores high");
	rg_json_free(obs);
	free(diff1);
	ops->destroy(ctx);
}

Test(pr_episode, a_vague_request_gets_pushback_not_a_revision)
{
	void *ctx = env_new();
	rg_json *obs = reset_task(ctx, SQLI);
	char *diff = strdup(str_of(obs, "diff"));
	rg_json_free(obs);
	double reward;
	obs = step(ctx, "request_changes", vague, &reward, NULL);
	cr_expect_eq(int_of(obs, "revision"), 1);
	cr_expect_str_eq(str_of(obs, "diff"), diff, "the author changed nothing");
	cr_expect_str_eq(str_of(obs, "author_message"), state_message(SQLI, "opened-vague"));
	cr_expect_eq(reward, 0.6, "the right stance, nothing named");
	rg_json_free(obs);
	obs = step(ctx, "request_changes", vague, NULL, NULL);
	const rg_pr_scenario *s = rg_bank_find(bank, SQLI)->pr;
	cr_expect_str_eq(str_of(obs, "author_message"), s->states[1].repeat,
			 "the author repeats in place");
	cr_expect_eq(int_of(obs, "revision"), 1);
	rg_json_free(obs);
	free(diff);
	ops->destroy(ctx);
}

Test(pr_episode, the_turn_limit_ends_the_episode)
{
	void *ctx = env_new();
	rg_json_free(reset_task(ctx, SQLI));
	int max = (int)rg_bank_find(bank, SQLI)->pr->max_turns;
	for (int k = 1; k <= max; k++) {
		bool done;
		rg_json *obs = step(ctx, "request_changes", vague, NULL, &done);
		cr_expect_eq(done, k == max, "turn %d of %d", k, max);
		cr_expect_eq(int_of(obs, "turn"), k);
		if (k == max) {
			expect_end(obs, "turn_limit", false);
			cr_expect(fabs(real_of(obs, "episode_score") - 0.3) < 1e-9,
				  "0.5 x mean(0.6): %f", real_of(obs, "episode_score"));
		}
		rg_json_free(obs);
	}
	cr_expect(ops->is_done(ctx));
	ops->destroy(ctx);
}

/* ------------------------------------------------------------------------ */
/* History and rewards                                                      */
/* ------------------------------------------------------------------------ */

Test(pr_episode, history_records_turns_and_caps_comments)
{
	char long_comment[2600], utf8_comment[2600];
	memset(long_comment, 'a', 2500);
	long_comment[2500] = '\0';
	memset(utf8_comment, 'b', 2500);
	memcpy(utf8_comment + 1999, "\xc3\xa9", 2); /* a 2-byte character across byte 2000 */
	utf8_comment[2500] = '\0';
	char exact[2001];
	memset(exact, 'c', 2000);
	exact[2000] = '\0';
	void *ctx = env_new();
	rg_json_free(reset_task(ctx, SQLI));
	rg_json_free(step(ctx, "comment", long_comment, NULL, NULL));
	rg_json_free(step(ctx, "request_changes", utf8_comment, NULL, NULL));
	rg_json *obs = step(ctx, "request_changes", exact, NULL, NULL);
	const rg_json *h = rg_json_get(obs, "history");
	cr_assert_eq(rg_json_size(h), 3);
	const char *c0 = str_of(rg_json_at(h, 0), "comment");
	cr_expect_eq(strlen(c0), 2003, "2000 bytes and \"...\"");
	cr_expect(!strncmp(c0, long_comment, 2000) && !strcmp(c0 + 2000, "..."));
	const char *c1 = str_of(rg_json_at(h, 1), "comment");
	cr_expect_eq(strlen(c1), 1999 + 3, "the cut does not split a UTF-8 character");
	cr_expect_str_eq(c1 + 1999, "...");
	cr_expect_str_eq(str_of(rg_json_at(h, 2), "comment"), exact, "2000 bytes are kept whole");
	cr_expect_str_eq(str_of(rg_json_at(h, 0), "decision"), "comment");
	cr_expect_str_eq(str_of(rg_json_at(h, 1), "decision"), "request_changes");
	for (size_t i = 0; i < 3; i++) {
		const rg_json *e = rg_json_at(h, i);
		cr_expect_eq(int_of(e, "turn"), (long long)i + 1);
		cr_expect_eq(int_of(e, "revision"), 1);
		cr_expect(rg_json_is_real(rg_json_get(e, "reward")) || rg_json_is_int(rg_json_get(e, "reward")));
	}
	cr_expect_str_eq(str_of(rg_json_at(h, 0), "author_reply"), state_message(SQLI, "opened-vague"));
	cr_expect_str_eq(str_of(rg_json_at(h, 2), "author_reply"), str_of(obs, "author_message"),
			 "the last reply is what the author says now");
	rg_json_free(obs);
	ops->destroy(ctx);
	assert_no_leaks();
}

/* Play comments (request_changes each, then a final decision) in delta mode;
 * returns the sum of the rewards and the final episode score. */
static void play_delta(const char *const *comments, size_t n, const char *last, double *sum,
		       double *score)
{
	void *ctx = env_new();
	rg_json_free(reset(ctx, "{\"task_id\":\"" SQLI "\",\"reward_mode\":\"delta\"}"));
	*sum = 0;
	for (size_t k = 0; k < n; k++) {
		double r;
		rg_json_free(step(ctx, "request_changes", comments[k], &r, NULL));
		*sum += r;
	}
	double r;
	rg_json *obs = step(ctx, last, "Final call.", &r, NULL);
	*sum += r;
	cr_expect(ops->is_done(ctx));
	*score = real_of(obs, "episode_score");
	rg_json_free(obs);
	rg_json *st = ops->state(ctx);
	cr_expect_str_eq(str_of(st, "reward_mode"), "delta");
	rg_json_free(st);
	ops->destroy(ctx);
}

Test(pr_episode, delta_rewards_sum_to_the_episode_score)
{
	static const char *const ideal[] = { v1_root, v1_root, v2_root };
	double sum, score;
	play_delta(ideal, 3, "approve", &sum, &score);
	cr_expect_gt(score, 0.9);
	cr_expect(fabs(sum - score) < 1e-3, "ideal path: rewards sum to %f, score %f", sum, score);
	static const char *const some[] = { vague, v1_root };
	play_delta(some, 2, "approve", &sum, &score); /* approves v1: broken */
	cr_expect_eq(score, 0.0);
	cr_expect(fabs(sum) < 1e-3, "approving broken code takes every reward back: sum %f", sum);
	play_delta(some, 2, "escalate", &sum, &score);
	cr_expect(fabs(sum - score) < 1e-3, "over-escalation: rewards sum to %f, score %f", sum, score);
}

/* ------------------------------------------------------------------------ */
/* Custom tasks                                                             */
/* ------------------------------------------------------------------------ */

#define CUSTOM_CODE "def average(items):\\n    return sum(items) / len(items)\\n"
#define CUSTOM_ISSUE                                                                          \
	"{\"id\":\"div-zero\",\"lines\":[2,2],\"type\":\"bug\",\"severity\":\"high\","          \
	"\"class\":\"division_by_zero\",\"concepts\":[[\"division by zero\",\"zerodivisionerror\"]," \
	"[\"empty\"]],\"fix_concepts\":[[\"guard*\"]],\"explanation\":\"An empty list divides by " \
	"zero.\",\"fix\":\"Return 0.0 when empty.\"}"

static void custom_add(rg_custom_store *cs, const char *text, char *id)
{
	rg_json *b = json(text);
	rg_err err;
	rg_err_clear(&err);
	int rc = rg_custom_add(cs, b, id, &err);
	rg_json_free(b);
	cr_assert_eq(rc, RG_OK, "custom: %s: %s", err.field, err.msg);
}

Test(pr_episode, custom_task_without_expected_issues_is_not_scored)
{
	rg_custom_store *cs = rg_custom_create(bank, 4);
	cr_assert_not_null(cs);
	char id[RG_MAX_ID_LEN + 1];
	custom_add(cs, "{\"code\":\"" CUSTOM_CODE "\"}", id);
	void *ctx = env_in(cs);
	rg_json *obs = reset_task(ctx, id);
	cr_expect_str_eq(str_of(obs, "kind"), "custom-review");
	cr_expect(rg_json_is_null(rg_json_get(obs, "difficulty")));
	cr_expect_eq(int_of(obs, "max_turns"), 1);
	rg_json_free(obs);
	double reward;
	bool done;
	obs = step(ctx, "approve", "Looks fine.", &reward, &done);
	cr_expect(isnan(reward), "no ground truth, no reward (got %f)", reward);
	cr_expect(done);
	cr_expect_not_null(strstr(str_of(obs, "feedback"), "no ground truth"), "%s",
			   str_of(obs, "feedback"));
	cr_expect_str_eq(str_of(obs, "outcome"), "reviewed");
	cr_expect(rg_json_is_null(rg_json_get(obs, "episode_score")));
	cr_expect(rg_json_is_null(rg_json_get(obs, "success")));
	cr_expect(rg_json_is_null(rg_json_get(rg_json_at(rg_json_get(obs, "history"), 0), "reward")));
	rg_json_free(obs);
	ops->destroy(ctx);
	rg_custom_destroy(cs);
	assert_no_leaks();
}

Test(pr_episode, custom_task_with_expected_issues_scores_like_code_review)
{
	rg_custom_store *cs = rg_custom_create(bank, 4);
	cr_assert_not_null(cs);
	char id[RG_MAX_ID_LEN + 1];
	custom_add(cs, "{\"code\":\"" CUSTOM_CODE "\",\"expected_issues\":[" CUSTOM_ISSUE "]}", id);
	static const char desc[] = "Division by zero when the list is empty.";
	/* what the code_review grader gives the same finding */
	rg_finding f = { .line = 3, .line_end = 3, .type = RG_ISSUE_BUG, .description = desc,
			 .description_len = strlen(desc), .fix = "", .fix_len = 0 };
	const rg_task *t = rg_custom_at(cs, 0);
	rg_grade_result *want = malloc(sizeof *want);
	cr_assert_not_null(want);
	rg_err err;
	rg_err_clear(&err);
	cr_assert_eq(rg_grade_attempt(&t->pr->versions[0].review, rg_bank_lexicon(bank), &f, 1,
				      &rg_grade_default, want, &err), RG_OK);
	cr_assert(want->score > 0 && want->score < 1, "the case needs a partial score: %f",
		  want->score);

	void *ctx = env_in(cs);
	rg_json_free(reset_task(ctx, id));
	rg_json *a = json("{\"decision\":\"request_changes\",\"comment\":\"see finding\","
			  "\"findings\":[{\"line_number\":3,\"issue_type\":\"bug\","
			  "\"description\":\"Division by zero when the list is empty.\"}]}");
	rg_env_result r;
	cr_assert_eq(try_step(ctx, a, &r, &err), RG_OK, "%s", err.msg);
	rg_json_free(a);
	cr_expect(r.has_reward);
	cr_expect(r.done);
	cr_expect_eq(r.reward, want->score, "reward %f, code_review grade %f", r.reward, want->score);
	cr_expect_eq(real_of(r.observation, "episode_score"), want->score);
	rg_json_free(r.observation);
	free(want);
	ops->destroy(ctx);
	rg_custom_destroy(cs);
	assert_no_leaks();
}

Test(pr_episode, a_custom_task_is_held_until_the_episode_lets_go)
{
	rg_custom_store *cs = rg_custom_create(bank, 1);
	cr_assert_not_null(cs);
	char a[RG_MAX_ID_LEN + 1], b[RG_MAX_ID_LEN + 1];
	custom_add(cs, "{\"code\":\"a = 1\"}", a);
	rg_json *body = json("{\"code\":\"b = 1\"}");
	rg_err err;

	/* held by a running episode: no room */
	void *ctx = env_in(cs);
	rg_json_free(reset_task(ctx, a));
	rg_err_clear(&err);
	cr_expect_eq(rg_custom_add(cs, body, b, &err), RG_ECAPACITY);
	/* a reset onto a bank task releases it */
	rg_json_free(reset_task(ctx, SQLI));
	rg_err_clear(&err);
	cr_expect_eq(rg_custom_add(cs, body, b, &err), RG_OK, "%s", err.msg);
	cr_expect_eq(rg_custom_count(cs), 1);
	cr_expect_null(rg_custom_acquire(cs, a), "a was evicted");

	/* destroy releases it too */
	rg_json_free(reset_task(ctx, b));
	rg_json *other = json("{\"code\":\"c = 1\"}");
	char c[RG_MAX_ID_LEN + 1];
	rg_err_clear(&err);
	cr_expect_eq(rg_custom_add(cs, other, c, &err), RG_ECAPACITY, "b is held");
	ops->destroy(ctx);
	rg_err_clear(&err);
	cr_expect_eq(rg_custom_add(cs, other, c, &err), RG_OK, "b is evictable after destroy: %s",
		     err.msg);
	rg_json_free(other);
	rg_json_free(body);
	rg_custom_destroy(cs);
	assert_no_leaks();
}
