/*
 * test_load_pr.c - loading pr_review scenarios (bank/load_pr.c).
 *
 * The engine trusts what the loader checked (load_pr.c's invariants): every rule
 * points at a state of its scenario, the start state is not an end state, every
 * non-end state shows a version and every version is shown, end states carry
 * success, each version's verdict is derived from the severities of the issues
 * present in it, and each version's diff is rendered once, in git's format. The
 * first half checks those invariants over every pr_review scenario of the real
 * bank, so a new scenario is covered the day it lands. The second half pins the
 * contract with the fixture banks under tests/fixtures/pr/ (see the README
 * there): valid/ loads to exactly what its files say, and each malformed bank is
 * rejected with err.field "<root>/pr_review/easy/pr-easy-mini/task.json: <json
 * path>" and a message naming the problem, leaking nothing.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bank/bank.h"
#include "core/limits.h"
#include "unit/support.h"

#define PR_TASK "pr_review/easy/pr-easy-mini"

/* Root of the pr fixture bank `name`. */
static const char *fixture(const char *name)
{
	static char path[1024];
	const char *base = getenv("REVIEWGYM_FIXTURES");
	snprintf(path, sizeof path, "%s/pr/%s", base && *base ? base : "tests/fixtures", name);
	return path;
}

static rg_bank *load_ok(const char *root)
{
	rg_err err;
	rg_err_clear(&err);
	rg_bank *b = rg_bank_load(root, &err);
	cr_assert_not_null(b, "loading %s failed: %s: %s", root, err.field, err.msg);
	return b;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* ------------------------------------------------------------------------ */
/* The real bank                                                            */
/* ------------------------------------------------------------------------ */

/* Runs check on every pr_review scenario of the real bank; returns how many. */
static size_t each_scenario(void (*check)(const rg_task *t))
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	size_t n = 0;
	for (size_t i = 0; i < rg_bank_count(b); i++) {
		const rg_task *t = rg_bank_at(b, i);
		cr_assert_eq(t->pr != NULL, !strcmp(t->family, "pr_review"),
			     "%s: only pr_review tasks carry a scenario", t->id);
		if (t->pr) {
			check(t);
			n++;
		}
	}
	rg_bank_destroy(b);
	cr_assert_geq(n, 12, "the bank has only %zu pr_review scenarios", n);
	return n;
}

static void check_shape(const rg_task *t)
{
	const rg_pr_scenario *s = t->pr;
	cr_expect(s->kind == RG_PR_SINGLE_PASS || s->kind == RG_PR_NEGOTIATION ||
			  s->kind == RG_PR_ESCALATION,
		  "%s: kind %s is not a bank kind", t->id, rg_pr_kind_name(s->kind));
	cr_expect(s->max_turns >= 1 && s->max_turns <= RG_MAX_PR_TURNS, "%s: max_turns %d", t->id,
		  s->max_turns);
	cr_expect(s->n_versions >= 1 && s->n_versions <= RG_MAX_PR_VERSIONS, "%s", t->id);
	cr_expect(s->n_states >= 1 && s->n_states <= RG_MAX_PR_STATES, "%s", t->id);
	cr_expect(s->pr_title[0] && s->pr_description[0] && s->file[0], "%s", t->id);
	cr_expect_str_eq(t->description, s->pr_description, "%s", t->id);
	const rg_task *first = &s->versions[s->states[0].version].review;
	cr_expect_eq(t->code, first->code, "%s: the task's code is the first version shown", t->id);
	cr_expect_eq(t->n_lines, first->n_lines, "%s", t->id);
}

static void check_states(const rg_task *t)
{
	const rg_pr_scenario *s = t->pr;
	cr_expect_null(s->states[0].end, "%s: the start state is an end state", t->id);
	bool shown[RG_MAX_PR_VERSIONS] = { 0 };
	for (size_t i = 0; i < s->n_states; i++) {
		const rg_pr_state *st = &s->states[i];
		cr_expect(st->id && st->id[0] && st->message && st->message[0], "%s: states[%zu]",
			  t->id, i);
		if (st->end) {
			cr_expect_eq(st->version, -1, "%s: end state %s shows a version", t->id, st->id);
			cr_expect_eq(st->n_rules, 0, "%s: end state %s has rules", t->id, st->id);
			continue;
		}
		cr_expect(st->version >= 0 && (size_t)st->version < s->n_versions,
			  "%s: state %s shows version %d of %zu", t->id, st->id, st->version,
			  s->n_versions);
		if (st->version >= 0 && (size_t)st->version < s->n_versions)
			shown[st->version] = true;
		for (size_t k = 0; k < st->n_rules; k++) {
			const rg_pr_rule *r = &st->rules[k];
			cr_expect(r->to >= 0 && (size_t)r->to < s->n_states,
				  "%s: %s.on[%zu] points at state %d of %zu", t->id, st->id, k, r->to,
				  s->n_states);
			cr_expect(r->decision == -1 || r->decision == RG_DECIDE_REQUEST_CHANGES ||
					  r->decision == RG_DECIDE_COMMENT,
				  "%s: %s.on[%zu]: approve and escalate always end the episode", t->id,
				  st->id, k);
			cr_expect(r->root_cause >= -1 && r->root_cause <= 1, "%s", t->id);
		}
	}
	for (size_t v = 0; v < s->n_versions; v++)
		cr_expect(shown[v], "%s: version %s is never shown", t->id, s->versions[v].id);
}

static void check_versions(const rg_task *t)
{
	const rg_pr_scenario *s = t->pr;
	for (size_t v = 0; v < s->n_versions; v++) {
		const rg_pr_version *ver = &s->versions[v];
		const rg_task *r = &ver->review;
		cr_expect_str_eq(r->id, t->id, "%s: a version reviews as its scenario", t->id);
		cr_expect_null(r->pr, "%s/%s: the version task is code_review-shaped", t->id, ver->id);
		cr_expect(r->code && r->code[0] && r->n_lines >= 1 && r->n_lines <= RG_MAX_CODE_LINES,
			  "%s/%s", t->id, ver->id);
		bool critical = false;
		for (size_t i = 0; i < r->n_issues; i++) {
			const rg_issue *is = &r->issues[i];
			critical |= is->severity == RG_SEV_CRITICAL;
			cr_expect(is->first_line >= 1 && is->first_line <= is->last_line &&
					  (size_t)is->last_line <= r->n_lines,
				  "%s/%s: %s at [%d, %d] of %zu lines", t->id, ver->id, is->id,
				  is->first_line, is->last_line, r->n_lines);
			bool defined = false;
			for (size_t k = 0; k < t->n_issues; k++)
				defined |= !strcmp(t->issues[k].id, is->id) &&
					   t->issues[k].severity == is->severity;
			cr_expect(defined, "%s/%s: %s is not one of the scenario's issues", t->id,
				  ver->id, is->id);
		}
		enum rg_verdict want = r->n_issues == 0 ? RG_VERDICT_CORRECT
				       : critical      ? RG_VERDICT_CRITICAL
						       : RG_VERDICT_FLAWED;
		cr_expect_eq(ver->verdict, want, "%s/%s: verdict %s, want %s", t->id, ver->id,
			     rg_verdict_name(ver->verdict), rg_verdict_name(want));
		char head[512];
		snprintf(head, sizeof head, "diff --git a/%s b/%s\n", s->file, s->file);
		cr_expect(starts_with(ver->diff, head), "%s/%s: diff starts %.60s", t->id, ver->id,
			  ver->diff);
		snprintf(head, sizeof head, "\n--- %s%s\n+++ b/%s\n@@ ", s->base[0] ? "a/" : "/dev/null",
			 s->base[0] ? s->file : "", s->file);
		cr_expect_not_null(strstr(ver->diff, head), "%s/%s: no \"%s\" in the diff", t->id,
				   ver->id, head);
	}
}

Test(real_pr_bank, scenario_shape)
{
	each_scenario(check_shape);
}

Test(real_pr_bank, every_rule_points_inside_and_every_version_is_shown)
{
	each_scenario(check_states);
}

Test(real_pr_bank, verdicts_follow_severities_and_diffs_are_git_diffs)
{
	each_scenario(check_versions);
}

Test(real_pr_bank, verdicts_of_known_scenarios)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	static const struct { const char *id; enum rg_verdict v[3]; size_t n; } cases[] = {
		{ "pr-medium-sqli-negotiation",
		  { RG_VERDICT_FLAWED, RG_VERDICT_FLAWED, RG_VERDICT_CORRECT }, 3 },
		{ "pr-hard-jwt-secret",
		  { RG_VERDICT_CRITICAL, RG_VERDICT_CRITICAL, RG_VERDICT_CORRECT }, 3 },
		{ "pr-easy-clean-slugify", { RG_VERDICT_CORRECT }, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const rg_task *t = rg_bank_find(b, cases[i].id);
		cr_assert(t && t->pr, "%s is gone", cases[i].id);
		cr_assert_eq(t->pr->n_versions, cases[i].n, "%s", cases[i].id);
		for (size_t v = 0; v < cases[i].n; v++)
			cr_expect_eq(t->pr->versions[v].verdict, cases[i].v[v], "%s versions[%zu]",
				     cases[i].id, v);
	}
	rg_bank_destroy(b);
}

/* ------------------------------------------------------------------------ */
/* The valid fixture                                                        */
/* ------------------------------------------------------------------------ */

Test(fixture_pr, valid_scenario_loads_as_its_files_say)
{
	rg_bank *b = load_ok(fixture("valid"));
	cr_assert_eq(rg_bank_count(b), 2);
	cr_expect_str_eq(rg_bank_at(b, 0)->id, "cr-easy-mini", "code_review tasks load first");
	const rg_task *t = rg_bank_find(b, "pr-easy-mini");
	cr_assert(t && t->pr);
	const rg_pr_scenario *s = t->pr;
	cr_expect_str_eq(t->family, "pr_review");
	cr_expect_eq(t->difficulty, RG_EASY);
	cr_expect_str_eq(t->language, "python");
	cr_expect_eq(s->kind, RG_PR_NEGOTIATION);
	cr_expect_str_eq(s->pr_title, "Simplify average()");
	cr_expect_str_eq(s->file, "lib/stats.py");
	cr_expect_eq(s->max_turns, 4);
	cr_expect_str_eq(s->base, "def average(items):\n    return sum(items) / max(len(items), 1)\n");
	cr_expect_eq(t->n_issues, 1);
	cr_expect_str_eq(t->issues[0].id, "zero-division");

	cr_assert_eq(s->n_versions, 2);
	const rg_pr_version *v1 = &s->versions[0], *v2 = &s->versions[1];
	cr_expect_str_eq(v1->id, "v1");
	cr_expect_str_eq(v1->file, "v1.py");
	cr_expect_eq(v1->verdict, RG_VERDICT_FLAWED);
	cr_expect_str_eq(v1->review.code, "def average(items):\n    total = sum(items)\n    return total / len(items)\n");
	cr_expect_eq(v1->review.n_lines, 3);
	cr_expect_str_eq(v1->review.trimmed_lines[2], "return total / len(items)");
	cr_assert_eq(v1->review.n_issues, 1);
	cr_expect_eq(v1->review.issues[0].first_line, 3, "lines come from the version");
	cr_expect_eq(v1->review.issues[0].last_line, 3);
	cr_expect_eq(v1->review.issues[0].severity, RG_SEV_HIGH, "the rest from the definition");
	cr_expect_eq(v2->verdict, RG_VERDICT_CORRECT);
	cr_expect_eq(v2->review.n_issues, 0);
	cr_expect_eq(t->code, v1->review.code);
	cr_expect(starts_with(v1->diff, "diff --git a/lib/stats.py b/lib/stats.py\n"), "%s", v1->diff);
	cr_expect_not_null(strstr(v1->diff, "\n--- a/lib/stats.py\n+++ b/lib/stats.py\n@@ -1,2 +1,3 @@\n"
					     " def average(items):\n-    return sum(items) / max(len(items), 1)\n"
					     "+    total = sum(items)\n+    return total / len(items)\n"),
			   "%s", v1->diff);

	cr_assert_eq(s->n_states, 4);
	const rg_pr_state *st = s->states;
	cr_expect_str_eq(st[0].id, "opened");
	cr_expect_eq(st[0].version, 0);
	cr_expect_null(st[0].repeat, "no repeat: the engine's generic line");
	cr_assert_eq(st[0].n_rules, 2);
	cr_expect(st[0].rules[0].decision == RG_DECIDE_REQUEST_CHANGES &&
		  st[0].rules[0].root_cause == 1 && st[0].rules[0].to == 2);
	cr_expect(st[0].rules[1].decision == -1 && st[0].rules[1].root_cause == -1 &&
			  st[0].rules[1].to == 1,
		  "an omitted decision or root_cause matches any");
	cr_expect_str_eq(st[1].repeat, "I still don't see the problem.");
	cr_expect(st[1].rules[1].decision == RG_DECIDE_COMMENT && st[1].rules[1].to == 3);
	cr_expect_eq(st[2].version, 1);
	cr_expect_eq(st[2].n_rules, 0);
	cr_expect_str_eq(st[3].end, "abandoned");
	cr_expect_not(st[3].success);
	cr_expect_eq(st[3].version, -1);
	rg_bank_destroy(b);
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* Malformed fixtures                                                       */
/* ------------------------------------------------------------------------ */

Test(malformed_pr, each_defect_is_rejected_naming_file_path_and_problem)
{
	static const struct { const char *name, *path, *msg; } cases[] = {
		{ "rule-unknown-state", "states[0].on[1].to", "expected the id of a state of this scenario" },
		{ "end-without-success", "states[3].success", "end states need \"success\"" },
		{ "start-is-end", "states[0]", "the start state cannot be an end state" },
		{ "version-never-shown", "versions[1]", "version \"v2\" is never shown by any state" },
		{ "version-issue-unknown", "versions[0].issues[0].id", "expected the id of one of the scenario's issues" },
		{ "version-lines-out-of-range", "versions[0].issues[0].lines", "expected 1 <= first <= last <= 3, got [3, 4]" },
		{ "issue-lines-top-level", "issues[0].lines", "pr_review issues have no lines" },
		{ "unknown-kind", "kind", "expected one of single-pass-review, iterative-negotiation, escalation-judgment" },
		{ "custom-kind", "kind", "expected one of single-pass-review, iterative-negotiation, escalation-judgment" },
		{ "max-turns-0", "max_turns", "expected an integer in 1..10" },
		{ "max-turns-11", "max_turns", "expected an integer in 1..10" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *root = fixture(cases[i].name);
		char field[RG_ERR_FIELD_BYTES];
		snprintf(field, sizeof field, "%s/" PR_TASK "/task.json: %s", root, cases[i].path);
		rg_err err;
		rg_err_clear(&err);
		rg_bank *b = rg_bank_load(root, &err);
		cr_expect_null(b, "%s loaded but must be rejected", cases[i].name);
		rg_bank_destroy(b);
		cr_expect_eq(err.code, RG_EINVAL, "%s: %s (%s)", cases[i].name, rg_code_name(err.code),
			     err.msg);
		cr_expect_str_eq(err.field, field, "%s", cases[i].name);
		cr_expect(strstr(err.msg, cases[i].msg), "%s: \"%s\" lacks \"%s\"", cases[i].name,
			  err.msg, cases[i].msg);
		cr_expect_null(strchr(err.msg, '\n'));
		assert_no_leaks();
	}
}

Test(malformed_pr, every_fixture_directory_is_tested)
{
	/* valid/ plus the cases above: a directory without a row here is untested */
	static const char *const dirs[] = {
		"valid", "rule-unknown-state", "end-without-success", "start-is-end",
		"version-never-shown", "version-issue-unknown", "version-lines-out-of-range",
		"issue-lines-top-level", "unknown-kind", "custom-kind", "max-turns-0", "max-turns-11",
	};
	const size_t n = sizeof dirs / sizeof *dirs;
	char root[1024];
	snprintf(root, sizeof root, "%s", fixture(""));
	DIR *d = opendir(root);
	cr_assert_not_null(d, "cannot open %s (tests run from the repository root)", root);
	size_t found = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[1400];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", root, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		bool listed = false;
		for (size_t i = 0; i < n && !listed; i++)
			listed = !strcmp(dirs[i], e->d_name);
		cr_expect(listed, "fixture %s has no test", e->d_name);
		found++;
	}
	closedir(d);
	cr_expect_eq(found, n, "%zu fixture directories, %zu listed", found, n);
}
