/*
 * cmd_tasks.c - `reviewgym tasks list|show|check`.
 *
 * check validates the whole bank the way the server loads it, then per task:
 * the grader audit (grade/audit.h), labelled lines changed by the fix, and the
 * task's tests executed both ways (must fail on code.py, pass on fixed.py).
 * It prints one line per task and a closing "N passed, N failed" line.
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "bank/verify.h"
#include "core/limits.h"
#include "grade/audit.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: reviewgym tasks <list|show ID|check> [--tasks DIR] [--only ID]\n"
		"\n"
		"  list        one line per task: id, family, difficulty, split, issues, title\n"
		"  show ID     a task's metadata and issues\n"
		"  check       validate the bank: schema, grader audit, labelled lines changed\n"
		"              by the fix, tests failing on code.py and passing on fixed.py;\n"
		"              pr_review: tests on every version, the oracle's ideal path\n");
}

static int check_task(const rg_bank *b, const rg_task *t)
{
	if (t->pr)
		return rg__tasks_check_pr(b, t);
	int bad = 0;
	rg_err err;
	rg_err_clear(&err);
	rg_audit a;
	if (rg_audit_task(t, rg_bank_lexicon(b), &rg_grade_default, &a, &err)) {
		printf("FAIL %s: audit: %s\n", t->id, err.msg);
		return 1;
	}
	for (size_t i = 0; i < a.n_problems && i < 8; i++, bad = 1)
		printf("FAIL %s: %s\n", t->id, a.problems[i]);
	bool changed[RG_MAX_CODE_LINES + 2];
	rg_err_clear(&err);
	if (rg_verify_changed_lines(t, changed, &err)) {
		printf("FAIL %s: %s\n", t->id, err.msg);
		bad = 1;
	} else {
		for (size_t i = 0; i < t->n_issues; i++) {
			const rg_issue *is = &t->issues[i];
			bool any = false;
			for (int l = is->first_line; l <= is->last_line; l++)
				any = any || changed[l];
			if (!any) {
				printf("FAIL %s: issues[%zu] (%s) lines %d-%d are not changed by fixed.py\n",
				       t->id, i, is->id, is->first_line, is->last_line);
				bad = 1;
			}
		}
	}
	rg_test_run on_code, on_fixed;
	rg_err_clear(&err);
	if (rg_verify_run_test(t, t->code, RG_TASK_TEST_TIMEOUT_S, &on_code, &err) ||
	    rg_verify_run_test(t, t->fixed, RG_TASK_TEST_TIMEOUT_S, &on_fixed, &err)) {
		printf("FAIL %s: cannot run tests: %s\n", t->id, err.msg);
		return 1;
	}
	if (on_code.passed) {
		printf("FAIL %s: test.py passes on code.py (it must fail on the buggy snippet)\n", t->id);
		bad = 1;
	}
	if (!on_fixed.passed) {
		printf("FAIL %s: test.py fails on fixed.py (exit %d%s): %s\n", t->id,
		       on_fixed.exit_code, on_fixed.timed_out ? ", timed out" : "", on_fixed.tail);
		bad = 1;
	}
	if (!bad)
		printf("ok   %s (%s, %zu issues, reference review %.4f, tests %.2fs + %.2fs)\n", t->id,
		       rg_difficulty_name(t->difficulty), t->n_issues, a.reference_score,
		       on_code.seconds, on_fixed.seconds);
	fflush(stdout);
	return bad;
}

static void show(const rg_task *t)
{
	if (t->pr) {
		rg__tasks_show_pr(t);
		return;
	}
	printf("id:          %s\nfamily:      %s\ndifficulty:  %s\nsplit:       %s\ntitle:       %s\n"
	       "description: %s\ndirectory:   %s\nlines:       %zu\nissues:      %zu\n",
	       t->id, t->family, rg_difficulty_name(t->difficulty), t->eval_split ? "eval" : "train",
	       t->title, t->description, t->dir, t->n_lines, t->n_issues);
	for (size_t i = 0; i < t->n_issues; i++) {
		const rg_issue *is = &t->issues[i];
		printf("  [%zu] %s lines %d-%d %s/%s%s%s: %s\n", i, is->id, is->first_line,
		       is->last_line, rg_issue_type_name(is->type), rg_severity_name(is->severity),
		       is->cwe ? " " : "", is->cwe ? is->cwe : "", is->explanation);
	}
}

int rg_cmd_tasks(int argc, char **argv)
{
	const char *dir = NULL, *sub = NULL, *id = NULL, *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--tasks") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!sub) {
			sub = argv[i];
		} else if (!id) {
			id = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!sub || (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "check")) ||
	    (!strcmp(sub, "show") && !id)) {
		usage(stderr);
		return 2;
	}
	if (!dir)
		dir = rg_cmd_default_tasks_dir();
	rg_err err;
	rg_err_clear(&err);
	rg_bank *b = rg_bank_load(dir, &err);
	if (!b) {
		fprintf(stderr, "reviewgym tasks: invalid task bank: %s: %s\n", err.field, err.msg);
		if (!strcmp(sub, "check"))
			printf("0 passed, 1 failed\n");
		return 1;
	}
	int rc = 0;
	if (!strcmp(sub, "list")) {
		for (size_t i = 0; i < rg_bank_count(b); i++) {
			const rg_task *t = rg_bank_at(b, i);
			printf("%-40s %-12s %-7s %-6s %2zu  %s\n", t->id, t->family,
			       rg_difficulty_name(t->difficulty), t->eval_split ? "eval" : "train",
			       t->n_issues, t->title);
		}
	} else if (!strcmp(sub, "show")) {
		const rg_task *t = rg_bank_find(b, id);
		if (t)
			show(t);
		else {
			fprintf(stderr, "reviewgym tasks: no task \"%s\"\n", id);
			rc = 1;
		}
	} else {
		size_t pass = 0, fail = 0;
		for (size_t i = 0; i < rg_bank_count(b); i++) {
			const rg_task *t = rg_bank_at(b, i);
			if (only && strcmp(only, t->id))
				continue;
			if (check_task(b, t))
				fail++;
			else
				pass++;
		}
		printf("tasks check: %zu passed, %zu failed\n", pass, fail);
		rc = fail ? 1 : 0;
	}
	rg_bank_destroy(b);
	return rc;
}
