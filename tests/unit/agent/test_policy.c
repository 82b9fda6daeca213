/*
 * test_policy.c - the runner's policies without a server: the oracle answers
 * every bank task with its ground truth (the reference review / the ideal stance
 * for the revision shown), the empty policy answers with nothing, [STEP] labels
 * are one line and bounded, and an llm whose token budget is spent refuses to
 * call the endpoint at all.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "agent/oracle.h"
#include "agent/policy.h"
#include "core/alloc.h"
#include "unit/support.h"

static rg_bank *bank;
static rg_policy_shared shared;

static void setup(void)
{
	bank = rg_test_load_bank();
	memset(&shared, 0, sizeof shared);
	shared.bank = bank;
	cr_assert_eq(pthread_mutex_init(&shared.lock, NULL), 0);
}

static void teardown(void)
{
	pthread_mutex_destroy(&shared.lock);
	rg_bank_destroy(bank);
}

TestSuite(policy, .init = setup, .fini = teardown);

static rg_json *obs_of(const char *json)
{
	rg_json *o = rg_json_parse(json, strlen(json), NULL);
	cr_assert_not_null(o);
	return o;
}

static rg_json *act(enum rg_policy_kind kind, const char *family, const rg_json *obs, char **label,
		    rg_err *err)
{
	shared.kind = kind;
	rg_policy p;
	rg_policy_init(&p, &shared);
	rg_err_clear(err);
	rg_json *a = rg_policy_act(&p, family, obs, NULL, label, err);
	rg_policy_free(&p);
	return a;
}

Test(policy, oracle_gives_the_reference_review_for_code_review)
{
	rg_json *obs = obs_of("{\"task_id\":\"cr-easy-order-stats\"}");
	char *label = NULL;
	rg_err err;
	rg_json *a = act(RG_POLICY_ORACLE, "code_review", obs, &label, &err);
	cr_assert_not_null(a, "%s", err.msg);
	const rg_task *t = rg_bank_find(bank, "cr-easy-order-stats");
	const rg_json *f = rg_json_get(a, "findings");
	cr_assert_eq(rg_json_size(f), t->n_issues);
	for (size_t i = 0; i < t->n_issues; i++)
		cr_assert_str_eq(rg_json_str_val(rg_json_get(rg_json_at(f, i), "description")),
				 t->issues[i].explanation);
	cr_assert_null(strchr(label, '\n'));
	cr_assert_leq(strlen(label), 203, "labels are at most 200 bytes plus \"...\"");
	cr_assert(strstr(label, "...") != NULL, "a long action is cut with ...");
	rg_free(label);
	rg_json_free(a);
	rg_json_free(obs);
	assert_no_leaks();
}

Test(policy, oracle_takes_the_ideal_stance_for_each_revision)
{
	const rg_task *t = rg_bank_find(bank, "pr-medium-sqli-negotiation");
	cr_assert_not_null(t);
	const char *want[] = { "request_changes", "request_changes", "approve" };
	for (size_t v = 0; v < t->pr->n_versions; v++) {
		char text[160];
		snprintf(text, sizeof text, "{\"task_id\":\"%s\",\"revision\":%zu}", t->id, v + 1);
		rg_json *obs = obs_of(text);
		char *label = NULL;
		rg_err err;
		rg_json *a = act(RG_POLICY_ORACLE, "pr_review", obs, &label, &err);
		cr_assert_not_null(a, "%s", err.msg);
		cr_assert_str_eq(rg_json_str_val(rg_json_get(a, "decision")), want[v], "revision %zu",
				 v + 1);
		rg_free(label);
		rg_json_free(a);
		rg_json_free(obs);
	}
	const rg_task *jwt = rg_bank_find(bank, "pr-hard-jwt-secret");
	cr_assert_eq(rg_oracle_decision(jwt->pr->versions[0].verdict), RG_DECIDE_ESCALATE);
	assert_no_leaks();
}

Test(policy, oracle_refuses_tasks_outside_the_bank)
{
	rg_json *obs = obs_of("{\"task_id\":\"custom-0123456789abcdef\",\"revision\":1}");
	char *label = NULL;
	rg_err err;
	cr_assert_null(act(RG_POLICY_ORACLE, "pr_review", obs, &label, &err));
	cr_assert_eq(err.code, RG_ENOTFOUND);
	cr_assert_str_eq(err.field, "task_id");
	rg_json_free(obs);
}

Test(policy, empty_says_nothing)
{
	rg_json *obs = obs_of("{\"task_id\":\"cr-easy-order-stats\"}");
	char *label = NULL;
	rg_err err;
	rg_json *a = act(RG_POLICY_EMPTY, "code_review", obs, &label, &err);
	cr_assert_eq(rg_json_size(rg_json_get(a, "findings")), 0);
	cr_assert_str_eq(label, "{\"findings\":[]}");
	rg_free(label);
	rg_json_free(a);
	a = act(RG_POLICY_EMPTY, "pr_review", obs, &label, &err);
	cr_assert_str_eq(rg_json_str_val(rg_json_get(a, "decision")), "comment");
	rg_free(label);
	rg_json_free(a);
	rg_json_free(obs);
	assert_no_leaks();
}

Test(policy, llm_with_a_spent_budget_makes_no_call)
{
	shared.llm = (rg_llm_config){ .base_url = "http://127.0.0.1:9/v1", .model = "m",
				      .timeout_s = 1, .retries = 0 };
	shared.token_budget = 10;
	shared.usage.prompt_tokens = 8;
	shared.usage.completion_tokens = 2;
	rg_json *obs = obs_of("{\"task_id\":\"cr-easy-order-stats\",\"code_to_review\":\"x = 1\\n\"}");
	char *label = NULL;
	rg_err err;
	cr_assert_null(act(RG_POLICY_LLM, "code_review", obs, &label, &err));
	cr_assert_eq(err.code, RG_ECAPACITY);
	cr_assert(strstr(err.msg, "budget") != NULL, "%s", err.msg);
	cr_assert_eq(shared.usage.calls, 0, "no request was made");
	rg_json_free(obs);
	assert_no_leaks();
}

Test(policy, names_parse_both_ways)
{
	for (int k = 0; k < 4; k++)
		cr_assert_eq(rg_policy_parse(rg_policy_name((enum rg_policy_kind)k)), k);
	cr_assert_eq(rg_policy_parse("genius"), -1);
}
