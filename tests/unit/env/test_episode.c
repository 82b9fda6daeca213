/*
 * test_episode.c - the code_review family through its public ops (env/env.h),
 * against the real task bank.
 *
 * Design: every test drives rg_env_family("code_review") exactly as the server
 * does: parse reset parameters with rg_reset_params_parse, call reset/step with
 * JSON actions, read observations and state as JSON. Perfect attempts are built
 * from the task's own ground truth (rg_audit_reference_findings) so the tests
 * keep working as the bank grows; task ids come from the bank, never from this
 * file. The bank root is $REVIEWGYM_TASKS or ./tasks (tests run from the
 * repository root).
 */
#define _GNU_SOURCE /* strcasestr */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bank/bank.h"
#include "env/env.h"
#include "env/schemas.h"
#include "grade/audit.h"
#include "unit/support.h"

static rg_bank *bank;
static const rg_env_ops *ops;

static void setup(void)
{
	bank = rg_test_load_bank();
	ops = rg_env_family("code_review");
	cr_assert_not_null(ops, "code_review is not registered");
}

static void teardown(void)
{
	rg_bank_destroy(bank);
}

TestSuite(episode, .init = setup, .fini = teardown);

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

#define ENTROPY 987654321u

static void *env_new(void)
{
	rg_err err;
	rg_err_clear(&err);
	void *ctx = ops->create(&(rg_env_world){ .bank = bank }, &err);
	cr_assert_not_null(ctx, "create: %s", err.msg);
	return ctx;
}

static rg_json *json(const char *text)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(text, strlen(text), &err);
	cr_assert_not_null(v, "test JSON does not parse: %s (%s)", text, err.msg);
	return v;
}

/* Parse params (NULL = no body) and reset; returns the code, err filled. */
static int try_reset(void *ctx, const char *params, rg_env_result *out, rg_err *err)
{
	rg_json *body = params ? json(params) : NULL;
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

/* Reset that must succeed; returns the observation (caller frees). */
static rg_json *reset(void *ctx, const char *params)
{
	rg_env_result r;
	rg_err err;
	int rc = try_reset(ctx, params, &r, &err);
	cr_assert_eq(rc, RG_OK, "reset %s: %s %s: %s", params ? params : "(none)", rg_code_name(rc),
		     err.field, err.msg);
	cr_assert_not_null(r.observation);
	cr_assert_not(r.has_reward, "reset carries no reward");
	cr_assert_not(r.done);
	return r.observation;
}

static int try_step(void *ctx, const rg_json *action, rg_env_result *out, rg_err *err)
{
	rg_err_clear(err);
	memset(out, 0, sizeof *out);
	return ops->step(ctx, action, out, err);
}

/* Step that must succeed; returns the observation, reward and done. */
static rg_json *step(void *ctx, const rg_json *action, double *reward, bool *done);

/* Reset onto one task ({"task_id": ...}); returns the observation. */
static rg_json *reset_task(void *ctx, const rg_task *t)
{
	char params[RG_MAX_ID_LEN + 32];
	snprintf(params, sizeof params, "{\"task_id\":\"%s\"}", t->id);
	return reset(ctx, params);
}

static rg_json *step(void *ctx, const rg_json *action, double *reward, bool *done)
{
	rg_env_result r;
	rg_err err;
	int rc = try_step(ctx, action, &r, &err);
	cr_assert_eq(rc, RG_OK, "step: %s %s: %s", rg_code_name(rc), err.field, err.msg);
	cr_assert_not_null(r.observation);
	cr_assert(r.has_reward, "a step always carries a reward");
	if (reward)
		*reward = r.reward;
	if (done)
		*done = r.done;
	return r.observation;
}

static rg_json *step_text(void *ctx, const char *action, double *reward, bool *done)
{
	rg_json *a = json(action);
	rg_json *o = step(ctx, a, reward, done);
	rg_json_free(a);
	return o;
}

static const char *str_of(const rg_json *o, const char *key)
{
	const rg_json *v = rg_json_get(o, key);
	cr_assert(rg_json_is_str(v), "observation field %s is not a string", key);
	return rg_json_str_val(v);
}

static long long int_of(const rg_json *o, const char *key)
{
	const rg_json *v = rg_json_get(o, key);
	cr_assert(rg_json_is_int(v), "field %s is not an integer", key);
	return rg_json_int_val(v);
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

static const rg_task *task_of(const rg_json *obs)
{
	const rg_task *t = rg_bank_find(bank, str_of(obs, "task_id"));
	cr_assert_not_null(t, "observation names unknown task %s", str_of(obs, "task_id"));
	return t;
}

/* The reference review of the issues in mask (bit i = issue i) as an action. */
static rg_json *reference_action(const rg_task *t, uint32_t mask)
{
	rg_finding f[RG_MAX_ISSUES];
	rg_audit_reference_findings(t, f);
	rg_json *arr = rg_json_arr();
	cr_assert_not_null(arr);
	for (size_t i = 0; i < t->n_issues; i++) {
		if (!(mask & (1u << i)))
			continue;
		rg_json *o = rg_json_obj();
		cr_assert_not_null(o);
		cr_assert_eq(rg_json_set_int(o, "line_number", f[i].line), 0);
		cr_assert_eq(rg_json_set_str(o, "issue_type",
					     rg_issue_type_name((enum rg_issue_type)f[i].type)), 0);
		cr_assert_eq(rg_json_set(o, "description", rg_json_strn(f[i].description,
									 f[i].description_len)), 0);
		cr_assert_eq(rg_json_set(o, "suggested_fix", rg_json_strn(f[i].fix, f[i].fix_len)), 0);
		cr_assert_eq(rg_json_push(arr, o), 0);
	}
	rg_json *a = rg_json_obj();
	cr_assert_not_null(a);
	cr_assert_eq(rg_json_set(a, "findings", arr), 0);
	cr_assert_eq(rg_json_set_str(a, "review_summary", "reference review"), 0);
	return a;
}

static uint32_t all_issues(const rg_task *t)
{
	return t->n_issues >= 32 ? ~0u : (1u << t->n_issues) - 1;
}

/* Step the perfect review of the task the observation shows. */
static rg_json *step_perfect(void *ctx, const rg_json *obs, double *reward, bool *done)
{
	rg_json *a = reference_action(task_of(obs), all_issues(task_of(obs)));
	rg_json *o = step(ctx, a, reward, done);
	rg_json_free(a);
	return o;
}

/* First code_review task (bank order) at difficulty d (-1: any) with at least
 * min_issues issues. */
static const rg_task *find_task(int d, size_t min_issues)
{
	for (size_t i = 0; i < rg_bank_count(bank); i++) {
		const rg_task *t = rg_bank_at(bank, i);
		if (!strcmp(t->family, "code_review") && (d < 0 || (int)t->difficulty == d) &&
		    t->n_issues >= min_issues)
			return t;
	}
	cr_assert_fail("the bank has no %s task with %zu+ issues",
		       d < 0 ? "code_review" : rg_difficulty_name(d), min_issues);
	return NULL;
}

static const char empty_action[] = "{\"findings\":[]}";

/* ------------------------------------------------------------------------ */
/* Reset and task choice                                                    */
/* ------------------------------------------------------------------------ */

Test(episode, default_episode_walks_easy_medium_hard)
{
	static const char *const want[] = { "easy", "medium", "hard" };
	for (int seed = 0; seed < 5; seed++) {
		void *ctx = env_new();
		char params[32];
		snprintf(params, sizeof params, "{\"seed\":%d}", seed);
		rg_json *obs = reset(ctx, params);
		cr_expect_eq(int_of(obs, "num_tasks"), 3);
		cr_expect_eq(int_of(obs, "max_attempts"), RG_DEFAULT_MAX_ATTEMPTS);
		cr_expect_eq(int_of(obs, "seed"), seed);
		for (int k = 0; k < 3; k++) {
			cr_expect_eq(int_of(obs, "task_index"), k);
			cr_expect_eq(int_of(obs, "attempt"), 0);
			cr_expect_str_eq(str_of(obs, "difficulty"), want[k], "seed %d task %d", seed, k);
			cr_expect_str_eq(str_of(obs, "difficulty"),
					 rg_difficulty_name(task_of(obs)->difficulty));
			cr_expect_not(task_of(obs)->eval_split, "default episodes use the training split");
			bool done;
			rg_json *next = step_perfect(ctx, obs, NULL, &done);
			cr_expect_eq(done, k == 2);
			rg_json_free(obs);
			obs = next;
		}
		rg_json_free(obs);
		ops->destroy(ctx);
	}
}

Test(episode, same_seed_same_episode_bit_for_bit)
{
	void *a = env_new(), *b = env_new();
	static const char params[] = "{\"seed\":4242,\"episode_id\":\"ep-1\"}";
	rg_json *oa = reset(a, params), *ob = reset(b, params);
	for (int k = 0; k < 4; k++) {
		char *sa = dump(oa), *sb = dump(ob);
		cr_expect_str_eq(sa, sb, "observation %d differs", k);
		free(sa);
		free(sb);
		char *ta = state_text(a), *tb = state_text(b);
		cr_expect_str_eq(ta, tb, "state %d differs", k);
		free(ta);
		free(tb);
		/* the same partial review on both: issue 0 only */
		rg_json *act = reference_action(task_of(oa), 1u);
		double ra, rb;
		rg_json *na = step(a, act, &ra, NULL), *nb = step(b, act, &rb, NULL);
		cr_expect_eq(ra, rb);
		rg_json_free(act);
		rg_json_free(oa);
		rg_json_free(ob);
		oa = na;
		ob = nb;
	}
	rg_json_free(oa);
	rg_json_free(ob);
	ops->destroy(a);
	ops->destroy(b);
}

/* The task ids the state reports, as JSON text (caller frees). */
static char *task_ids(void *ctx)
{
	rg_json *st = ops->state(ctx);
	cr_assert_not_null(st);
	char *s = dump(rg_json_get(st, "task_ids"));
	rg_json_free(st);
	return s;
}

Test(episode, seeds_choose_different_task_lists)
{
	void *ctx = env_new();
	rg_json_free(reset(ctx, "{\"seed\":0}"));
	char *first = task_ids(ctx);
	int differ = 0;
	for (int seed = 1; seed <= 20; seed++) {
		char params[32];
		snprintf(params, sizeof params, "{\"seed\":%d}", seed);
		rg_json_free(reset(ctx, params));
		char *ids = task_ids(ctx);
		differ += strcmp(ids, first) != 0;
		free(ids);
	}
	cr_expect_gt(differ, 0, "20 seeds all chose the same tasks as seed 0: %s", first);
	free(first);
	ops->destroy(ctx);
}

Test(episode, entropy_seeds_an_unseeded_reset_and_is_reported)
{
	void *a = env_new(), *b = env_new();
	rg_json *oa = reset(a, NULL);
	cr_expect_eq(int_of(oa, "seed"), ENTROPY, "the effective seed is reported for replay");
	char params[48];
	snprintf(params, sizeof params, "{\"seed\":%u}", ENTROPY);
	rg_json *ob = reset(b, params);
	char *sa = dump(oa), *sb = dump(ob);
	cr_expect_str_eq(sa, sb, "replaying the reported seed gives the same episode");
	free(sa);
	free(sb);
	rg_json_free(oa);
	rg_json_free(ob);
	ops->destroy(a);
	ops->destroy(b);
}

Test(episode, task_id_parameter_picks_one_task)
{
	const rg_task *t = find_task(RG_MEDIUM, 1);
	void *ctx = env_new();
	rg_json *obs = reset_task(ctx, t);
	cr_expect_str_eq(str_of(obs, "task_id"), t->id);
	cr_expect_eq(int_of(obs, "num_tasks"), 1);
	cr_expect_str_eq(str_of(obs, "difficulty"), "medium");
	cr_expect_str_eq(str_of(obs, "code_to_review"), t->code);
	cr_expect_str_eq(str_of(obs, "task_description"), t->description);
	cr_expect_eq(int_of(obs, "num_known_issues"), (long long)t->n_issues);
	rg_json_free(obs);
	ops->destroy(ctx);
}

Test(episode, tasks_parameter_keeps_the_given_order)
{
	const rg_task *h = find_task(RG_HARD, 1), *e = find_task(RG_EASY, 1), *m = find_task(RG_MEDIUM, 1);
	void *ctx = env_new();
	char params[256];
	snprintf(params, sizeof params, "{\"tasks\":[\"%s\",\"%s\",\"%s\",\"%s\"]}", h->id, e->id, m->id,
		 h->id);
	rg_json *obs = reset(ctx, params);
	cr_expect_eq(int_of(obs, "num_tasks"), 4);
	const rg_task *want[] = { h, e, m, h };
	for (int k = 0; k < 4; k++) {
		cr_expect_str_eq(str_of(obs, "task_id"), want[k]->id, "task %d", k);
		cr_expect_eq(int_of(obs, "task_index"), k);
		rg_json *next = step_perfect(ctx, obs, NULL, NULL);
		rg_json_free(obs);
		obs = next;
	}
	cr_expect(ops->is_done(ctx));
	rg_json_free(obs);
	ops->destroy(ctx);
}

Test(episode, difficulty_parameter_gives_one_task_of_that_level)
{
	static const char *const levels[] = { "easy", "medium", "hard" };
	void *ctx = env_new();
	for (int d = 0; d < 3; d++) {
		for (int seed = 0; seed < 6; seed++) {
			char params[64];
			snprintf(params, sizeof params, "{\"difficulty\":\"%s\",\"seed\":%d}", levels[d],
				 seed);
			rg_json *obs = reset(ctx, params);
			cr_expect_eq(int_of(obs, "num_tasks"), 1);
			cr_expect_str_eq(str_of(obs, "difficulty"), levels[d]);
			cr_expect_eq((int)task_of(obs)->difficulty, d);
			rg_json_free(obs);
		}
	}
	ops->destroy(ctx);
}

Test(episode, max_attempts_parameter)
{
	void *ctx = env_new();
	rg_json *obs = reset(ctx, "{\"seed\":1,\"max_attempts\":1}");
	cr_expect_eq(int_of(obs, "max_attempts"), 1);
	rg_json_free(obs);
	double reward;
	obs = step_text(ctx, empty_action, &reward, NULL);
	cr_expect_eq(int_of(obs, "task_index"), 1, "one allowed attempt: the task is over");
	cr_expect_eq(int_of(obs, "attempt"), 0);
	cr_expect_eq(reward, 0.0);
	rg_json_free(obs);

	obs = reset(ctx, "{\"seed\":1,\"max_attempts\":10}");
	cr_expect_eq(int_of(obs, "max_attempts"), 10);
	rg_json_free(obs);
	for (int k = 1; k <= 9; k++) {
		obs = step_text(ctx, empty_action, NULL, NULL);
		cr_expect_eq(int_of(obs, "task_index"), 0);
		cr_expect_eq(int_of(obs, "attempt"), k);
		rg_json_free(obs);
	}
	obs = step_text(ctx, empty_action, NULL, NULL);
	cr_expect_eq(int_of(obs, "task_index"), 1);
	rg_json_free(obs);
	ops->destroy(ctx);
}

Test(episode, reward_mode_parameter)
{
	void *ctx = env_new();
	rg_json_free(reset(ctx, "{\"seed\":1,\"reward_mode\":\"delta\"}"));
	rg_json *st = ops->state(ctx);
	cr_assert_not_null(st);
	cr_expect_str_eq(str_of(st, "reward_mode"), "delta");
	rg_json_free(st);
	rg_json_free(reset(ctx, "{\"seed\":1,\"reward_mode\":\"score\"}"));
	st = ops->state(ctx);
	cr_assert_not_null(st);
	cr_expect_str_eq(str_of(st, "reward_mode"), "score");
	rg_json_free(st);
	rg_json_free(reset(ctx, "{\"seed\":1}"));
	st = ops->state(ctx);
	cr_assert_not_null(st);
	cr_expect_str_eq(str_of(st, "reward_mode"), "score", "score is the default");
	rg_json_free(st);
	ops->destroy(ctx);
}

Test(episode, bad_parameters_name_the_field)
{
	const rg_task *t = find_task(RG_EASY, 1);
	char both[256], second_unknown[256];
	snprintf(both, sizeof both, "{\"task_id\":\"%s\",\"tasks\":[\"%s\"]}", t->id, t->id);
	snprintf(second_unknown, sizeof second_unknown, "{\"tasks\":[\"%s\",\"no-such-task\"]}", t->id);
	const struct { const char *params, *field; } cases[] = {
		{ "{\"seed\":-1}", "seed" },
		{ "{\"seed\":\"7\"}", "seed" },
		{ "{\"seed\":1.5}", "seed" },
		{ "{\"task_id\":\"no-such-task\"}", "task_id" },
		{ "{\"task_id\":\"\"}", "task_id" },
		{ "{\"task_id\":7}", "task_id" },
		{ second_unknown, "tasks[1]" },
		{ "{\"tasks\":[]}", "tasks" },
		{ "{\"tasks\":\"cr-easy-playlist\"}", "tasks" },
		{ "{\"difficulty\":\"extreme\"}", "difficulty" },
		{ "{\"difficulty\":2}", "difficulty" },
		{ "{\"max_attempts\":0}", "max_attempts" },
		{ "{\"max_attempts\":11}", "max_attempts" },
		{ "{\"max_attempts\":\"3\"}", "max_attempts" },
		{ "{\"reward_mode\":\"x\"}", "reward_mode" },
		{ "{\"reward_mode\":1}", "reward_mode" },
		{ "{\"family\":\"chess\"}", "family" },
		{ both, "tasks" },
		{ "[]", "body" },
	};
	void *ctx = env_new();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_env_result r;
		rg_err err;
		int rc = try_reset(ctx, cases[i].params, &r, &err);
		cr_expect_eq(rc, RG_EINVAL, "%s: %s", cases[i].params, rg_code_name(rc));
		cr_expect_eq(err.code, rc, "%s", cases[i].params);
		cr_expect_str_eq(err.field, cases[i].field, "%s: field \"%s\" (%s)", cases[i].params,
				 err.field, err.msg);
		cr_expect_neq(err.msg[0], '\0', "%s: no message", cases[i].params);
		cr_expect_null(r.observation, "%s: no observation on error", cases[i].params);
	}
	ops->destroy(ctx);
}

Test(episode, failed_reset_keeps_the_running_episode)
{
	void *ctx = env_new();
	rg_json *obs = reset(ctx, "{\"seed\":3}");
	rg_json_free(obs);
	rg_json_free(step_text(ctx, empty_action, NULL, NULL));
	char *before = state_text(ctx);
	rg_env_result r;
	rg_err err;
	cr_expect_eq(try_reset(ctx, "{\"task_id\":\"no-such-task\"}", &r, &err), RG_EINVAL);
	char *after = state_text(ctx);
	cr_expect_str_eq(before, after);
	free(before);
	free(after);
	obs = step_text(ctx, empty_action, NULL, NULL);
	cr_expect_eq(int_of(obs, "attempt"), 2, "the episode goes on where it was");
	rg_json_free(obs);
	ops->destroy(ctx);
}

Test(episode, reset_during_an_episode_starts_afresh)
{
	void *ctx = env_new();
	rg_json_free(reset(ctx, "{\"seed\":3}"));
	rg_json_free(step_text(ctx, empty_action, NULL, NULL));
	rg_json *obs = reset(ctx, "{\"seed\":3}");
	cr_expect_eq(int_of(obs, "attempt"), 0);
	cr_expect_eq(int_of(obs, "task_index"), 0);
	cr_expect(rg_json_is_null(rg_json_at(rg_json_get(obs, "task_scores"), 0)));
	rg_json *st = ops->state(ctx);
	cr_assert_not_null(st);
	cr_expect_eq(int_of(st, "step_count"), 0);
	rg_json_free(st);
	rg_json_free(obs);
	ops->destroy(ctx);
}

/* ------------------------------------------------------------------------ */
/* Steps                                                                    */
/* ------------------------------------------------------------------------ */

Test(episode, step_before_reset_is_a_state_error)
{
	void *ctx = env_new();
	rg_json *st = ops->state(ctx);
	cr_assert_not_null(st);
	cr_expect(rg_json_is_null(rg_json_get(st, "episode_id")));
	cr_expect_not(rg_json_bool_val(rg_json_get(st, "done")));
	rg_json_free(st);
	cr_expect_null(ops->episode_id(ctx));
	rg_json *a = json(empty_action);
	rg_env_result r;
	rg_err err;
	cr_expect_eq(try_step(ctx, a, &r, &err), RG_ESTATE);
	cr_expect_eq(err.code, RG_ESTATE);
	cr_expect_null(r.observation);
	rg_json_free(a);
	ops->destroy(ctx);
}

Test(episode, bad_action_leaves_the_state_unchanged)
{
	static const struct { const char *action, *field; int code; } bad[] = {
		{ "{\"findings\":[{\"line_number\":0,\"description\":\"x\"}]}", "findings[0].line_number",
		  RG_EINVAL },
		{ "{\"findings\":[],\"colour\":1}", "colour", RG_EINVAL },
		{ "\"no json here\"", "action", RG_EINVAL },
		{ "{\"findings\":[{\"line_number\":1}]}", "findings[0].description", RG_EINVAL },
		{ "42", "action", RG_EINVAL },
	};
	void *ctx = env_new();
	rg_json_free(reset(ctx, "{\"seed\":9,\"episode_id\":\"same\"}"));
	rg_json_free(step_text(ctx, empty_action, NULL, NULL));
	char *before = state_text(ctx);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		rg_json *a = json(bad[i].action);
		rg_env_result r;
		rg_err err;
		int rc = try_step(ctx, a, &r, &err);
		cr_expect_eq(rc, bad[i].code, "%s: %s", bad[i].action, rg_code_name(rc));
		cr_expect_str_eq(err.field, bad[i].field, "%s", bad[i].action);
		cr_expect_null(r.observation);
		char *after = state_text(ctx);
		cr_expect_str_eq(before, after, "%s changed the state", bad[i].action);
		free(after);
		rg_json_free(a);
	}
	free(before);
	rg_json *obs = step_text(ctx, empty_action, NULL, NULL);
	cr_expect_eq(int_of(obs, "attempt"), 2, "bad actions cost no attempt");
	rg_json_free(obs);
	ops->destroy(ctx);
}

Test(episode, three_empty_attempts_advance_with_reward_zero)
{
	void *ctx = env_new();
	rg_json *obs = reset(ctx, "{\"seed\":5}");
	char first[RG_MAX_ID_LEN + 1];
	snprintf(first, sizeof first, "%s", str_of(obs, "task_id"));
	rg_json_free(obs);
	for (int k = 1; k <= 3; k++) {
		double reward = -1;
		bool done = true;
		obs = step_text(ctx, empty_action, &reward, &done);
		cr_expect_eq(reward, 0.0, "attempt %d", k);
		cr_expect_not(done);
		cr_expect_eq(int_of(obs, "issues_found_so_far"), 0);
		if (k < 3) {
			cr_expect_str_eq(str_of(obs, "task_id"), first);
			cr_expect_eq(int_of(obs, "attempt"), k);
			cr_expect_eq(int_of(obs, "task_index"), 0);
		} else {
			cr_expect_str_neq(str_of(obs, "task_id"), first);
			cr_expect_eq(int_of(obs, "attempt"), 0);
			cr_expect_eq(int_of(obs, "task_index"), 1);
			const rg_json *ts = rg_json_get(obs, "task_scores");
			cr_expect_eq(rg_json_real_val(rg_json_at(ts, 0)), 0.0);
			cr_expect(rg_json_is_real(rg_json_at(ts, 0)) || rg_json_is_int(rg_json_at(ts, 0)),
				  "a finished task has a score, not null");
			cr_expect(rg_json_is_null(rg_json_at(ts, 1)));
		}
		const rg_json *bd = rg_json_get(obs, "reward_breakdown");
		cr_expect(rg_json_is_obj(bd));
		cr_expect_eq(rg_json_real_val(rg_json_get(bd, "score")), 0.0);
		cr_expect_eq(int_of(bd, "attempt"), k);
		rg_json_free(obs);
	}
	ops->destroy(ctx);
}

Test(episode, perfect_attempt_scores_one_and_advances_at_once)
{
	void *ctx = env_new();
	rg_json *obs = reset(ctx, "{\"seed\":8}");
	const rg_task *t = task_of(obs);
	double reward = 0;
	bool done = true;
	rg_json *next = step_perfect(ctx, obs, &reward, &done);
	cr_expect_eq(reward, 1.0);
	cr_expect_not(done);
	cr_expect_eq(int_of(next, "task_index"), 1);
	cr_expect_str_neq(str_of(next, "task_id"), t->id);
	cr_expect_eq(rg_json_real_val(rg_json_at(rg_json_get(next, "task_scores"), 0)), 1.0);
	const rg_json *bd = rg_json_get(next, "reward_breakdown");
	cr_expect_str_eq(str_of(bd, "task_id"), t->id, "the breakdown explains the graded task");
	cr_expect_eq(int_of(bd, "issues_found"), (long long)t->n_issues);
	cr_expect_eq(int_of(bd, "false_positives"), 0);
	cr_expect_not_null(strstr(str_of(next, "feedback"), "finished with best score 1"));
	rg_json_free(obs);
	rg_json_free(next);
	ops->destroy(ctx);
}

Test(episode, perfect_attempt_sent_as_model_text)
{
	void *ctx = env_new();
	rg_json *obs = reset(ctx, "{\"seed\":8}");
	rg_json *a = reference_action(task_of(obs), all_issues(task_of(obs)));
	char *inner = dump(a);
	size_t cap = strlen(inner) + 128;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	snprintf(text, cap, "Here is my review.\n```json\n%s\n```\nThanks.", inner);
	rg_json *wrapped = rg_json_obj();
	cr_assert_not_null(wrapped);
	cr_assert_eq(rg_json_set_str(wrapped, "text", text), 0);
	double reward = 0;
	rg_json *next = step(ctx, wrapped, &reward, NULL);
	cr_expect_eq(reward, 1.0);
	const rg_json *warn = rg_json_get(next, "warnings");
	cr_expect_gt(rg_json_size(warn), 0, "repairs are reported in the observation");
	char *wt = dump(warn);
	cr_expect_not_null(strstr(wt, "code fence"), "%s", wt);
	free(wt);
	free(inner);
	free(text);
	rg_json_free(a);
	rg_json_free(wrapped);
	rg_json_free(obs);
	rg_json_free(next);
	ops->destroy(ctx);
}

Test(episode, issues_found_so_far_accumulates_over_attempts)
{
	const rg_task *t = find_task(-1, 3);
	void *ctx = env_new();
	rg_json_free(reset_task(ctx, t));
	rg_json *a = reference_action(t, 1u);
	rg_json *obs = step(ctx, a, NULL, NULL);
	rg_json_free(a);
	cr_expect_eq(int_of(obs, "issues_found_so_far"), 1);
	rg_json_free(obs);
	a = reference_action(t, 2u);
	obs = step(ctx, a, NULL, NULL);
	rg_json_free(a);
	cr_expect_eq(int_of(obs, "issues_found_so_far"), 2, "issues found in any attempt count");
	cr_expect_eq(int_of(obs, "attempt"), 2);
	rg_json_free(obs);
	ops->destroy(ctx);
}

Test(episode, last_task_ends_the_episode_with_the_mean_score)
{
	void *ctx = env_new();
	rg_json *obs = reset(ctx, "{\"seed\":13}");
	double rewards[3] = { 0 };
	bool done = false;

	/* task 0: perfect */
	rg_json *next = step_perfect(ctx, obs, &rewards[0], &done);
	rg_json_free(obs);
	obs = next;
	/* task 1: three empty attempts */
	for (int k = 0; k < 3; k++) {
		next = step_text(ctx, empty_action, &rewards[1], &done);
		rg_json_free(obs);
		obs = next;
	}
	/* task 2: a partial review, then two empty attempts */
	const rg_task *t2 = task_of(obs);
	cr_assert_eq(int_of(obs, "task_index"), 2);
	rg_json *partial = reference_action(t2, 1u);
	next = step(ctx, partial, &rewards[2], &done);
	rg_json_free(partial);
	rg_json_free(obs);
	obs = next;
	cr_expect_gt(rewards[2], 0.0);
	cr_expect_lt(rewards[2], 1.0);
	cr_expect_not(done);
	for (int k = 0; k < 2; k++) {
		double r;
		next = step_text(ctx, empty_action, &r, &done);
		rg_json_free(obs);
		obs = next;
		cr_expect_eq(r, 0.0);
	}
	cr_expect(done);
	cr_expect(ops->is_done(ctx));
	cr_expect_eq(int_of(obs, "task_index"), 2, "the last task stays in view");

	const rg_json *ts = rg_json_get(obs, "task_scores");
	cr_assert_eq(rg_json_size(ts), 3);
	double sum = 0;
	for (size_t i = 0; i < 3; i++) {
		cr_expect_not(rg_json_is_null(rg_json_at(ts, i)));
		sum += rg_json_real_val(rg_json_at(ts, i));
	}
	cr_expect_eq(rg_json_real_val(rg_json_at(ts, 0)), 1.0);
	cr_expect_eq(rg_json_real_val(rg_json_at(ts, 1)), 0.0);
	cr_expect_eq(rg_json_real_val(rg_json_at(ts, 2)), rewards[2]);
	const rg_json *es = rg_json_get(obs, "episode_score");
	cr_assert(rg_json_is_real(es) || rg_json_is_int(es), "episode_score is set once done");
	cr_expect(fabs(rg_json_real_val(es) - sum / 3) < 0.5e-4, "episode_score %g, mean %g",
		  rg_json_real_val(es), sum / 3);

	rg_json *st = ops->state(ctx);
	cr_assert_not_null(st);
	cr_expect(rg_json_bool_val(rg_json_get(st, "done")));
	cr_expect_eq(rg_json_real_val(rg_json_get(st, "episode_score")), rg_json_real_val(es));
	cr_expect_eq(int_of(st, "step_count"), 1 + 3 + 3);
	rg_json_free(st);

	char *before = state_text(ctx);
	rg_json *a = json(empty_action);
	rg_env_result r;
	rg_err err;
	cr_expect_eq(try_step(ctx, a, &r, &err), RG_ESTATE, "step after done");
	cr_expect_null(r.observation);
	char *after = state_text(ctx);
	cr_expect_str_eq(before, after);
	free(before);
	free(after);
	rg_json_free(a);
	rg_json_free(obs);

	/* a new reset revives the session */
	rg_json_free(reset(ctx, "{\"seed\":13}"));
	cr_expect_not(ops->is_done(ctx));
	ops->destroy(ctx);
}

Test(episode, delta_rewards_of_a_task_sum_to_its_best_score)
{
	const rg_task *t = find_task(-1, 3);
	void *ctx = env_new();
	char params[160];
	snprintf(params, sizeof params, "{\"tasks\":[\"%s\"],\"reward_mode\":\"delta\"}", t->id);
	rg_json_free(reset(ctx, params));
	/* one issue, then nothing (no improvement), then two issues */
	const uint32_t masks[] = { 1u, 0u, 3u };
	double sum = 0, rewards[3];
	rg_json *obs = NULL;
	for (int k = 0; k < 3; k++) {
		rg_json *a = reference_action(t, masks[k]);
		rg_json_free(obs);
		obs = step(ctx, a, &rewards[k], NULL);
		rg_json_free(a);
		sum += rewards[k];
	}
	cr_expect(ops->is_done(ctx));
	double best = rg_json_real_val(rg_json_at(rg_json_get(obs, "task_scores"), 0));
	cr_expect_gt(best, 0.0);
	cr_expect_lt(best, 1.0);
	cr_expect(fabs(sum - best) < 1e-9, "delta rewards sum to %g, best is %g", sum, best);
	cr_expect_eq(rewards[1], 0.0, "no improvement, no reward");
	cr_expect_gt(rewards[2], 0.0);
	/* the breakdown still reports the attempt's own score */
	const rg_json *bd = rg_json_get(obs, "reward_breakdown");
	cr_expect_eq(rg_json_real_val(rg_json_get(bd, "score")), best);
	cr_expect_eq(rg_json_real_val(rg_json_get(bd, "reward")), rewards[2]);
	rg_json_free(obs);

	/* the same attempts in score mode return each attempt's score */
	snprintf(params, sizeof params, "{\"tasks\":[\"%s\"]}", t->id);
	rg_json_free(reset(ctx, params));
	double first;
	rg_json *a = reference_action(t, 1u);
	rg_json_free(step(ctx, a, &first, NULL));
	rg_json_free(a);
	cr_expect_eq(first, rewards[0]);
	double again;
	a = reference_action(t, 1u);
	rg_json_free(step(ctx, a, &again, NULL));
	rg_json_free(a);
	cr_expect_eq(again, first, "score mode repeats the score of an equal attempt");
	ops->destroy(ctx);
}

/* ------------------------------------------------------------------------ */
/* What observations reveal                                                 */
/* ------------------------------------------------------------------------ */

/* True when text says "line N" / "lines N" / "Line: N" for some N in [lo, hi]
 * other than the lines in allowed[]. */
static bool names_line(const char *text, int lo, int hi, const int *allowed, size_t n_allowed)
{
	for (const char *p = text; (p = strcasestr(p, "line")); p += 4) {
		const char *q = p + 4;
		if (*q == 's' || *q == 'S')
			q++;
		while (*q == ' ' || *q == ':' || *q == '#')
			q++;
		if (*q < '0' || *q > '9')
			continue;
		int v = (int)strtol(q, NULL, 10);
		bool ok = v < lo || v > hi;
		for (size_t i = 0; i < n_allowed && !ok; i++)
			ok = v == allowed[i];
		if (!ok)
			return true;
	}
	return false;
}

static void expect_no_leak(const rg_task *t, const char *text, uint32_t reported, const int *lines,
			   size_t n_lines, const char *what)
{
	for (size_t i = 0; i < t->n_issues; i++) {
		if (reported & (1u << i))
			continue;
		const rg_issue *is = &t->issues[i];
		cr_expect_null(strstr(text, is->explanation), "%s of %s leaks issues[%zu].explanation",
			       what, t->id, i);
		cr_expect_null(strstr(text, is->fix), "%s of %s leaks issues[%zu].fix", what, t->id, i);
		cr_expect_null(strstr(text, is->id), "%s of %s leaks issues[%zu].id", what, t->id, i);
		cr_expect_not(names_line(text, is->first_line, is->last_line, lines, n_lines),
			      "%s of %s names a line of missed issues[%zu] (%d-%d): %s", what, t->id, i,
			      is->first_line, is->last_line, text);
	}
}

Test(episode, feedback_never_reveals_missed_issues)
{
	void *ctx = env_new();
	size_t checked = 0;
	for (size_t k = 0; k < rg_bank_count(bank); k++) {
		const rg_task *t = rg_bank_at(bank, k);
		if (strcmp(t->family, "code_review"))
			continue;
		rg_json *obs = reset_task(ctx, t);
		expect_no_leak(t, str_of(obs, "feedback"), 0, NULL, 0, "reset feedback");
		rg_json_free(obs);

		/* an empty attempt: nothing may be revealed */
		obs = step_text(ctx, empty_action, NULL, NULL);
		const char *fb = str_of(obs, "feedback");
		expect_no_leak(t, fb, 0, NULL, 0, "empty-attempt feedback");
		char *bd = dump(rg_json_get(obs, "reward_breakdown"));
		expect_no_leak(t, bd, 0, NULL, 0, "empty-attempt breakdown");
		free(bd);
		rg_json_free(obs);

		/* issue 0 found: the others stay hidden (our own finding's line may
		 * be echoed back) */
		rg_json *a = reference_action(t, 1u);
		obs = step(ctx, a, NULL, NULL);
		rg_json_free(a);
		int own = t->issues[0].first_line;
		expect_no_leak(t, str_of(obs, "feedback"), 1u, &own, 1, "partial-attempt feedback");
		bd = dump(rg_json_get(obs, "reward_breakdown"));
		for (size_t i = 1; i < t->n_issues; i++) {
			cr_expect_null(strstr(bd, t->issues[i].explanation));
			cr_expect_null(strstr(bd, t->issues[i].id));
		}
		free(bd);
		rg_json_free(obs);
		checked++;
	}
	cr_expect_gt(checked, 0);
	ops->destroy(ctx);
}

/* Every key the schema requires is present, and (additionalProperties: false)
 * every key present is in the schema. */
static void expect_matches_schema(const rg_json *obs, const char *what)
{
	rg_json *schema = json(RG_SCHEMA_CODE_REVIEW_OBSERVATION);
	const rg_json *req = rg_json_get(schema, "required");
	const rg_json *props = rg_json_get(schema, "properties");
	cr_assert(rg_json_size(req) > 0);
	for (size_t i = 0; i < rg_json_size(req); i++) {
		const char *k = rg_json_str_val(rg_json_at(req, i));
		cr_expect_not_null(rg_json_get(obs, k), "%s lacks required %s", what, k);
	}
	for (void *it = rg_json_iter(obs); it; it = rg_json_iter_next(obs, it))
		cr_expect_not_null(rg_json_get(props, rg_json_iter_key(it)),
				   "%s has %s, which the schema does not declare", what,
				   rg_json_iter_key(it));
	const char *d = str_of(obs, "difficulty");
	cr_expect(!strcmp(d, "easy") || !strcmp(d, "medium") || !strcmp(d, "hard"), "%s", d);
	cr_expect_str_eq(str_of(obs, "family"), "code_review");
	cr_expect(rg_json_is_arr(rg_json_get(obs, "warnings")));
	cr_expect_geq(int_of(obs, "num_known_issues"), 1);
	cr_expect_geq(int_of(obs, "num_tasks"), 1);
	cr_expect_geq(int_of(obs, "seed"), 0);
	rg_json_free(schema);
}

Test(episode, observations_carry_every_schema_field)
{
	void *ctx = env_new();
	rg_json *obs = reset(ctx, "{\"seed\":21,\"episode_id\":\"schema\"}");
	expect_matches_schema(obs, "reset observation");
	cr_expect(rg_json_is_null(rg_json_get(obs, "reward_breakdown")));
	cr_expect_str_eq(str_of(obs, "episode_id"), "schema");
	cr_expect(rg_json_is_null(rg_json_get(obs, "episode_score")));
	rg_json_free(obs);
	obs = step_text(ctx, "{\"issues\":[{\"line\":1,\"description\":\"nothing\"}]}", NULL, NULL);
	expect_matches_schema(obs, "step observation");
	cr_expect_gt(rg_json_size(rg_json_get(obs, "warnings")), 0);
	rg_json_free(obs);
	ops->destroy(ctx);
}

Test(episode, breakdown_has_an_entry_per_issue)
{
	const rg_task *t = find_task(-1, 3);
	void *ctx = env_new();
	rg_json_free(reset_task(ctx, t));
	/* issue 1 found, plus one finding far from every issue */
	rg_json *a = reference_action(t, 2u);
	rg_json *fp = json("{\"line_number\":1000000,\"issue_type\":\"bug\","
			   "\"description\":\"an unrelated remark\"}");
	cr_assert_eq(rg_json_push(rg_json_get(a, "findings"), fp), 0);
	double reward;
	rg_json *obs = step(ctx, a, &reward, NULL);
	rg_json_free(a);
	const rg_json *bd = rg_json_get(obs, "reward_breakdown");
	cr_assert(rg_json_is_obj(bd));
	cr_expect_eq(rg_json_real_val(rg_json_get(bd, "reward")), reward);
	cr_expect_eq(rg_json_real_val(rg_json_get(bd, "score")), reward);
	cr_expect_eq(int_of(bd, "num_issues"), (long long)t->n_issues);
	cr_expect_eq(int_of(bd, "issues_found"), 1);
	cr_expect_eq(int_of(bd, "num_findings"), 2);
	cr_expect_eq(int_of(bd, "false_positives"), 1);
	cr_expect_gt(rg_json_real_val(rg_json_get(bd, "false_positive_penalty")), 0.0);
	const rg_json *issues = rg_json_get(bd, "issues");
	cr_assert_eq(rg_json_size(issues), t->n_issues);
	for (size_t i = 0; i < t->n_issues; i++) {
		const rg_json *e = rg_json_at(issues, i);
		cr_expect_eq(int_of(e, "issue"), (long long)i);
		if (i == 1) {
			cr_expect_eq(int_of(e, "finding"), 0);
			cr_expect_eq(int_of(e, "line_distance"), 0);
			cr_expect_eq(rg_json_real_val(rg_json_get(e, "total")), 1.0);
		} else {
			cr_expect(rg_json_is_null(rg_json_get(e, "finding")), "issues[%zu] was missed", i);
			cr_expect_eq(rg_json_real_val(rg_json_get(e, "total")), 0.0);
			cr_expect_null(rg_json_get(e, "line_distance"),
				       "a missed issue's entry must not hint at its line");
		}
	}
	const rg_json *fs = rg_json_get(bd, "findings");
	cr_assert_eq(rg_json_size(fs), 2);
	cr_expect_str_eq(str_of(rg_json_at(fs, 0), "verdict"), "matched");
	cr_expect_eq(int_of(rg_json_at(fs, 0), "issue"), 1);
	cr_expect_str_eq(str_of(rg_json_at(fs, 1), "verdict"), "unmatched");
	cr_expect(rg_json_is_null(rg_json_get(rg_json_at(fs, 1), "issue")));
	cr_expect_eq(int_of(rg_json_at(fs, 1), "line"), 1000000);
	rg_json_free(obs);
	ops->destroy(ctx);
}

/* ------------------------------------------------------------------------ */
/* Known bugs (disabled until fixed; enable each with its fix)              */
/* ------------------------------------------------------------------------ */

/* Regression test (the bug as it was): */
/* params.c reports every max_attempts failure as "less_than_equal": 0 is a
 * greater_than_equal failure and "3" an int_type one (pydantic's kinds, which
 * the server copies into 422 bodies). */
Test(regressions, max_attempts_error_kinds)
{
	static const struct { const char *params, *kind; } cases[] = {
		{ "{\"max_attempts\":0}", "greater_than_equal" },
		{ "{\"max_attempts\":\"3\"}", "int_type" },
		{ "{\"max_attempts\":11}", "less_than_equal" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_json *body = json(cases[i].params);
		rg_reset_params p;
		rg_err err;
		rg_err_clear(&err);
		cr_expect_eq(rg_reset_params_parse(body, &p, &err), RG_EINVAL);
		cr_expect_str_eq(err.kind, cases[i].kind, "%s", cases[i].params);
		rg_json_free(body);
	}
}
