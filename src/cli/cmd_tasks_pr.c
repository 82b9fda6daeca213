/*
 * cmd_tasks_pr.c - `reviewgym tasks check` and `show` for pr_review scenarios.
 *
 * check, per scenario: every version's issues pass the grader audit (each
 * explanation names its issue, the reference review of the version scores
 * >= 0.95); test.py passes on every correct version and fails on every flawed or
 * critical one; and the oracle, playing the real environment through its own
 * interface, reaches a successful end with an episode score >= 0.95 (so the
 * author's state machine has a working ideal path).
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

#include "agent/oracle.h"
#include "bank/verify.h"
#include "core/limits.h"
#include "env/env.h"
#include "grade/audit.h"

#define IDEAL_MIN_SCORE 0.95

/* Play the oracle through the environment; prints and returns 1 on failure. */
static int check_ideal_path(const rg_bank *b, const rg_task *t, double *score)
{
	const rg_env_ops *ops = rg_env_family("pr_review");
	rg_env_world w = { .bank = b, .custom = NULL };
	rg_err err;
	rg_err_clear(&err);
	void *env = ops->create(&w, &err);
	if (!env) {
		printf("FAIL %s: ideal path: %s\n", t->id, err.msg);
		return 1;
	}
	rg_reset_params p;
	memset(&p, 0, sizeof p);
	p.difficulty = -1;
	p.has_seed = true;
	snprintf(p.task_id, sizeof p.task_id, "%s", t->id);
	rg_env_result r = { 0 };
	int bad = ops->reset(env, &p, &r, &err) != RG_OK;
	for (int turn = 0; !bad && !r.done && turn <= RG_MAX_PR_TURNS; turn++) {
		rg_json *a = rg_oracle_action(b, r.observation, &err);
		rg_json_free(r.observation);
		r.observation = NULL;
		bad = !a || ops->step(env, a, &r, &err) != RG_OK;
		rg_json_free(a);
	}
	if (bad) {
		printf("FAIL %s: ideal path: %s%s%s\n", t->id, err.field, err.field[0] ? ": " : "",
		       err.msg);
	} else {
		const rg_json *o = r.observation;
		bool success = rg_json_bool_val(rg_json_get(o, "success"));
		*score = rg_json_real_val(rg_json_get(o, "episode_score"));
		if (!success || *score < IDEAL_MIN_SCORE) {
			printf("FAIL %s: the ideal path ends \"%s\" (%s) with score %.4f; it must succeed with >= %.2f\n",
			       t->id, rg_json_str_val(rg_json_get(o, "outcome")),
			       success ? "success" : "failure", *score, IDEAL_MIN_SCORE);
			bad = 1;
		}
	}
	rg_json_free(r.observation);
	ops->destroy(env);
	return bad;
}

static int check_version(const rg_bank *b, const rg_task *t, const rg_pr_version *v,
			 double *seconds)
{
	int bad = 0;
	rg_err err;
	rg_err_clear(&err);
	if (v->review.n_issues) {
		rg_audit a;
		if (rg_audit_task(&v->review, rg_bank_lexicon(b), &rg_grade_default, &a, &err)) {
			printf("FAIL %s: %s: audit: %s\n", t->id, v->id, err.msg);
			return 1;
		}
		for (size_t i = 0; i < a.n_problems && i < 8; i++, bad = 1)
			printf("FAIL %s: %s: %s\n", t->id, v->id, a.problems[i]);
	}
	rg_test_run run;
	if (rg_verify_run_test(&v->review, v->review.code, RG_TASK_TEST_TIMEOUT_S, &run, &err)) {
		printf("FAIL %s: cannot run tests on %s: %s\n", t->id, v->file, err.msg);
		return 1;
	}
	*seconds += run.seconds;
	bool correct = v->verdict == RG_VERDICT_CORRECT;
	if (run.passed != correct) {
		printf("FAIL %s: test.py %s on %s, which is %s (exit %d%s): %s\n", t->id,
		       run.passed ? "passes" : "fails", v->file, rg_verdict_name(v->verdict),
		       run.exit_code, run.timed_out ? ", timed out" : "", run.tail);
		bad = 1;
	}
	return bad;
}

int rg__tasks_check_pr(const rg_bank *b, const rg_task *t)
{
	int bad = 0;
	double seconds = 0, score = 0;
	for (size_t i = 0; i < t->pr->n_versions; i++)
		bad |= check_version(b, t, &t->pr->versions[i], &seconds);
	bad |= check_ideal_path(b, t, &score);
	if (!bad)
		printf("ok   %s (%s %s, %zu versions, ideal path %.4f, tests %.2fs)\n", t->id,
		       rg_difficulty_name(t->difficulty), rg_pr_kind_name(t->pr->kind),
		       t->pr->n_versions, score, seconds);
	fflush(stdout);
	return bad;
}

void rg__tasks_show_pr(const rg_task *t)
{
	const rg_pr_scenario *s = t->pr;
	printf("id:          %s\nfamily:      %s\nkind:        %s\ndifficulty:  %s\nsplit:       %s\n"
	       "title:       %s\npr_title:    %s\ndirectory:   %s\nmax_turns:   %d\n",
	       t->id, t->family, rg_pr_kind_name(s->kind), rg_difficulty_name(t->difficulty),
	       t->eval_split ? "eval" : "train", t->title, s->pr_title, t->dir, s->max_turns);
	for (size_t i = 0; i < s->n_versions; i++) {
		const rg_pr_version *v = &s->versions[i];
		printf("version %s (%s, %zu lines): %s\n", v->id, v->file, v->review.n_lines,
		       rg_verdict_name(v->verdict));
		for (size_t k = 0; k < v->review.n_issues; k++) {
			const rg_issue *is = &v->review.issues[k];
			printf("  %s%s lines %d-%d %s/%s%s%s: %s\n", k ? "" : "root cause: ", is->id,
			       is->first_line, is->last_line, rg_issue_type_name(is->type),
			       rg_severity_name(is->severity), is->cwe ? " " : "", is->cwe ? is->cwe : "",
			       is->explanation);
		}
	}
	for (size_t i = 0; i < s->n_states; i++) {
		const rg_pr_state *st = &s->states[i];
		if (st->end) {
			printf("state %s: end \"%s\" (%s)\n", st->id, st->end,
			       st->success ? "success" : "failure");
			continue;
		}
		printf("state %s: shows %s;", st->id, s->versions[st->version].id);
		for (size_t k = 0; k < st->n_rules; k++) {
			const rg_pr_rule *r = &st->rules[k];
			printf(" %s%s -> %s;",
			       r->decision < 0 ? "any" : rg_decision_name((enum rg_decision)r->decision),
			       r->root_cause < 0 ? "" : r->root_cause ? "+root_cause" : "-root_cause",
			       s->states[r->to].id);
		}
		printf(" else stay\n");
	}
}
