/*
 * test_alloc_fail.c - allocation failure walked across one reset and one graded
 * step (STYLE.md §8, after SQLite's test_malloc): for every N, the Nth
 * allocation fails; the call must either succeed or report RG_ENOMEM (a named
 * error, never a crash), leave no leak (ASan/valgrind runs check), and the
 * environment must still reset and step normally once allocation works again.
 * Also walks the normaliser over model text, where repair allocates.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "core/alloc.h"
#include "core/json.h"
#include "env/action.h"
#include "env/env.h"
#include "grade/audit.h"
#include "unit/support.h"

static rg_bank *bank;

static void setup(void)
{
	bank = rg_test_load_bank();
}

static void teardown(void)
{
	rg_alloc_fail_after(-1);
	rg_bank_destroy(bank);
}

/* The reference review of a task as an action JSON value. */
static rg_json *reference_action(const rg_task *t)
{
	rg_finding f[RG_MAX_ISSUES];
	rg_audit_reference_findings(t, f);
	rg_json *arr = rg_json_arr();
	for (size_t i = 0; i < t->n_issues; i++) {
		rg_json *o = rg_json_obj();
		cr_assert(!rg_json_set_int(o, "line_number", f[i].line));
		cr_assert(!rg_json_set_str(o, "issue_type", rg_issue_type_name(t->issues[i].type)));
		cr_assert(!rg_json_set_str(o, "description", f[i].description));
		cr_assert(!rg_json_set_str(o, "suggested_fix", f[i].fix));
		cr_assert(!rg_json_push(arr, o));
	}
	rg_json *a = rg_json_obj();
	cr_assert(!rg_json_set(a, "findings", arr));
	return a;
}

/* A healthy reset + step on env, with allocation working. */
static void assert_usable(const rg_env_ops *ops, void *ctx, const rg_json *action)
{
	rg_reset_params p;
	rg_err err;
	rg_err_clear(&err);
	cr_assert_eq(rg_reset_params_parse(NULL, &p, &err), RG_OK);
	p.has_seed = true;
	p.seed = 7;
	snprintf(p.episode_id, sizeof p.episode_id, "after-failure");
	rg_env_result r = { 0 };
	cr_assert_eq(ops->reset(ctx, &p, &r, &err), RG_OK, "reset after failure: %s", err.msg);
	rg_json_free(r.observation);
	cr_assert_eq(ops->step(ctx, action, &r, &err), RG_OK, "step after failure: %s", err.msg);
	rg_json_free(r.observation);
}

Test(alloc_fail, every_allocation_of_reset_and_step_can_fail, .init = setup, .fini = teardown)
{
	const rg_env_ops *ops = rg_env_family("code_review");
	rg_reset_params p;
	rg_err err;
	rg_err_clear(&err);
	cr_assert_eq(rg_reset_params_parse(NULL, &p, &err), RG_OK);
	p.task_id[0] = '\0';
	p.has_seed = true;
	p.seed = 7;
	snprintf(p.episode_id, sizeof p.episode_id, "walk");
	/* The action is built before failures are armed; the step grades the task
	 * that seed 7 puts first, so take its reference review. */
	void *probe = ops->create(&(rg_env_world){ .bank = bank }, &err);
	rg_env_result r = { 0 };
	cr_assert_eq(ops->reset(probe, &p, &r, &err), RG_OK);
	const char *first = rg_json_str_val(rg_json_get(r.observation, "task_id"));
	rg_json *action = reference_action(rg_bank_find(bank, first));
	rg_json_free(r.observation);
	ops->destroy(probe);

	long n, failures = 0;
	for (n = 0; n < 100000; n++) {
		rg_err_clear(&err);
		rg_alloc_fail_after(n);
		void *ctx = ops->create(&(rg_env_world){ .bank = bank }, &err);
		int rc = ctx ? RG_OK : err.code;
		if (ctx) {
			r = (rg_env_result){ 0 };
			rc = ops->reset(ctx, &p, &r, &err);
			rg_json_free(r.observation);
			if (rc == RG_OK) {
				r = (rg_env_result){ 0 };
				rc = ops->step(ctx, action, &r, &err);
				rg_json_free(r.observation);
			}
		}
		int fired = rg_alloc_failed();
		rg_alloc_fail_after(-1);
		if (rc != RG_OK) {
			cr_assert(fired, "N=%ld: failed without an allocation failure: %s", n, err.msg);
			cr_assert_eq(rc, RG_ENOMEM, "N=%ld: expected RG_ENOMEM, got %d (%s)", n, rc, err.msg);
			cr_assert(err.msg[0], "N=%ld: the error must say what failed", n);
			failures++;
		}
		if (ctx) {
			assert_usable(ops, ctx, action);
			ops->destroy(ctx);
		}
		if (!fired)
			break; /* the whole reset + step ran with fewer than n allocations */
	}
	cr_assert_gt(failures, 10, "the walk must actually hit allocations (hit %ld)", failures);
	cr_log_info("alloc_fail: walked %ld allocation points, %ld named failures", n, failures);
	rg_json_free(action);
}

Test(alloc_fail, text_action_normaliser_survives_every_failure, .init = setup, .fini = teardown)
{
	const char *text = "Review:\n```json\n{'findings': [{'line': 'L3-5', 'type': 'security', "
			   "'description': 'user input reaches the query', 'fix': 'bind it', },], "
			   "'summary': None}\n```";
	rg_json *raw = rg_json_str(text);
	long n;
	for (n = 0; n < 100000; n++) {
		rg_warnings w;
		rg_warn_clear(&w);
		rg_err err;
		rg_err_clear(&err);
		rg_cr_action a;
		rg_alloc_fail_after(n);
		int rc = rg_cr_action_parse(raw, &a, &w, &err);
		int fired = rg_alloc_failed();
		rg_alloc_fail_after(-1);
		if (rc == RG_OK) {
			cr_assert_eq(a.n, 1);
			rg_cr_action_release(&a);
		} else {
			cr_assert(fired, "N=%ld: %s", n, err.msg);
			cr_assert(rc == RG_ENOMEM || rc == RG_EINVAL, "N=%ld: rc %d", n, rc);
		}
		if (!fired)
			break;
	}
	cr_assert_gt(n, 3);
	rg_json_free(raw);
}
