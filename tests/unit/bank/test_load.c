/*
 * test_load.c - loading the task bank (bank/bank.h).
 *
 * The real bank ($REVIEWGYM_TASKS, default "tasks") loads, has at least five tasks
 * per difficulty, is ordered and internally consistent, and its lookups and
 * rg_bank_select work. The fixture banks under tests/fixtures/bank/ (see the
 * README there) pin the loader's contract: valid/ loads to exactly the values its
 * files say, and every malformed bank is rejected with NULL, err.field naming the
 * file and the JSON path, and a message saying what was expected.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "core/limits.h"
#include "unit/support.h"

/* Under ASan a rejected load ends with a leak check: the loader promises that on
 * failure nothing leaks. */

#define EASY_TASK "code_review/easy/cr-easy-mini"

/* Root of the fixture bank `name`. */
static const char *fixture(const char *name)
{
	static char path[1024];
	const char *base = getenv("REVIEWGYM_FIXTURES");
	snprintf(path, sizeof path, "%s/bank/%s", base && *base ? base : "tests/fixtures", name);
	return path;
}

static rg_bank *load_ok(const char *root)
{
	rg_err err;
	rg_err_clear(&err);
	rg_bank *b = rg_bank_load(root, &err);
	cr_assert_not_null(b, "loading %s failed: %s: %s", root, err.field, err.msg);
	cr_assert_not(rg_err_is_set(&err));
	return b;
}

/* Destroy a loaded bank; under ASan, then check that the load left nothing behind. */
static void unload(rg_bank *b)
{
	rg_bank_destroy(b);
	assert_no_leaks();
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* Load fixture `name`, which must fail with code, err.field == "<root>/<where>"
 * (just "<root>" when where is ""), err.kind == kind, and msg_part inside err.msg. */
static void expect_rejected(const char *name, int code, const char *where, const char *kind,
			    const char *msg_part)
{
	const char *root = fixture(name);
	char field[RG_ERR_FIELD_BYTES];
	snprintf(field, sizeof field, "%s%s%s", root, *where ? "/" : "", where);
	rg_err err;
	rg_err_clear(&err);
	rg_bank *b = rg_bank_load(root, &err);
	if (b)
		rg_bank_destroy(b);
	cr_assert_null(b, "%s loaded but must be rejected", name);
	cr_assert_eq(err.code, code, "%s: code %s, want %s (%s)", name, rg_code_name(err.code),
		     rg_code_name(code), err.msg);
	cr_assert_str_eq(err.field, field);
	cr_assert_str_eq(err.kind, kind);
	cr_assert(strstr(err.msg, msg_part), "%s: msg \"%s\" lacks \"%s\"", name, err.msg,
		  msg_part);
	cr_assert_null(strchr(err.msg, '\n'));
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* The real bank                                                            */
/* ------------------------------------------------------------------------ */

Test(real_bank, loads_without_error)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	cr_assert_str_eq(rg_bank_root(b), rg_test_tasks_dir());
	cr_assert_geq(rg_bank_count(b), 3 * 5);
	cr_assert_gt(rg_bank_lexicon(b)->n, 0);
	unload(b);
}

Test(real_bank, has_at_least_five_tasks_per_difficulty)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	for (int d = 0; d < RG_DIFFICULTY__COUNT; d++) {
		size_t n = rg_bank_select(b, "code_review", d, NULL, 0);
		cr_assert_geq(n, 5, "%s has %zu tasks", rg_difficulty_name(d), n);
	}
	unload(b);
}

Test(real_bank, is_sorted_by_difficulty_then_id)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	for (size_t i = 1; i < rg_bank_count(b); i++) {
		const rg_task *p = rg_bank_at(b, i - 1), *t = rg_bank_at(b, i);
		if (strcmp(p->family, t->family)) { /* families load in order: code_review first */
			cr_assert_str_eq(p->family, "code_review");
			cr_assert_str_eq(t->family, "pr_review");
			continue;
		}
		cr_assert_leq(p->difficulty, t->difficulty, "task %zu out of order", i);
		if (p->difficulty == t->difficulty)
			cr_assert_lt(strcmp(p->id, t->id), 0, "%s before %s", p->id, t->id);
	}
	unload(b);
}

Test(real_bank, every_task_is_consistent)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	const rg_lexicon *lex = rg_bank_lexicon(b);
	for (size_t i = 0; i < rg_bank_count(b); i++) {
		const rg_task *t = rg_bank_at(b, i);
		char tail[128];
		snprintf(tail, sizeof tail, "/%s/%s/%s", t->family, rg_difficulty_name(t->difficulty),
			 t->id);
		cr_assert(ends_with(t->dir, tail), "%s loaded from %s", t->id, t->dir);
		if (t->pr)
			continue; /* scenarios: test_load_pr.c */
		cr_assert_str_eq(t->family, "code_review");
		cr_assert_str_eq(t->language, "python");
		cr_assert_gt(strlen(t->code), 0);
		cr_assert_gt(strlen(t->fixed), 0);
		cr_assert(t->n_lines >= 1 && t->n_lines <= RG_MAX_CODE_LINES, "%s", t->id);
		cr_assert(t->n_issues >= 1 && t->n_issues <= RG_MAX_ISSUES, "%s", t->id);
		for (size_t k = 0; k < t->n_issues; k++) {
			const rg_issue *is = &t->issues[k];
			cr_assert(is->first_line >= 1 && is->first_line <= is->last_line &&
					  (size_t)is->last_line <= t->n_lines,
				  "%s/%s lines [%d, %d]", t->id, is->id, is->first_line,
				  is->last_line);
			cr_assert(is->lex_class >= 0 && (size_t)is->lex_class < lex->n);
			if (is->type == RG_ISSUE_SECURITY)
				cr_assert(is->cwe && !strncmp(is->cwe, "CWE-", 4), "%s/%s has no cwe",
					  t->id, is->id);
			cr_assert_gt(is->n_concepts, 0);
			cr_assert_gt(is->n_fix_concepts, 0);
		}
	}
	unload(b);
}

Test(real_bank, find_returns_each_task_by_its_id)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	size_t n = rg_bank_count(b);
	for (size_t i = 0; i < n; i++) {
		const rg_task *t = rg_bank_at(b, i);
		cr_assert_not_null(t);
		cr_assert_eq(rg_bank_find(b, t->id), t, "find(\"%s\")", t->id);
	}
	cr_assert_null(rg_bank_find(b, "no-such-task"));
	cr_assert_null(rg_bank_find(b, ""));
	cr_assert_null(rg_bank_at(b, n), "index one past the end");
	unload(b);
}

Test(real_bank, select_returns_exactly_the_tasks_of_a_difficulty)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	size_t total = 0;
	static size_t idx[RG_MAX_TASKS];
	for (int d = 0; d < RG_DIFFICULTY__COUNT; d++) {
		size_t n = rg_bank_select(b, "code_review", d, idx, RG_MAX_TASKS);
		size_t want = 0;
		for (size_t i = 0; i < rg_bank_count(b); i++)
			want += (int)rg_bank_at(b, i)->difficulty == d && !rg_bank_at(b, i)->pr;
		cr_assert_eq(n, want, "%s: %zu selected, %zu in the bank", rg_difficulty_name(d),
			     n, want);
		for (size_t k = 0; k < n; k++) {
			cr_assert_eq((int)rg_bank_at(b, idx[k])->difficulty, d);
			if (k)
				cr_assert_lt(idx[k - 1], idx[k], "selection keeps bank order");
		}
		total += n;
	}
	cr_assert_eq(total, rg_bank_select(b, "code_review", -1, NULL, 0));
	cr_assert_eq(total + rg_bank_select(b, "pr_review", -1, NULL, 0), rg_bank_count(b));
	unload(b);
}

Test(real_bank, select_any_difficulty_and_unknown_family)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	static size_t idx[RG_MAX_TASKS];
	size_t n = rg_bank_select(b, "code_review", -1, idx, RG_MAX_TASKS);
	cr_assert_eq(n + rg_bank_select(b, "pr_review", -1, NULL, 0), rg_bank_count(b),
		     "difficulty -1 selects every task of the family");
	for (size_t k = 0; k < n; k++)
		cr_assert_eq(idx[k], k);
	cr_assert_eq(rg_bank_select(b, "no_such_family", -1, idx, RG_MAX_TASKS), 0);
	unload(b);
}

Test(real_bank, select_counts_past_cap_but_writes_only_cap)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	size_t idx[4] = { 999, 999, 999, 999 };
	size_t all = rg_bank_select(b, "code_review", RG_EASY, NULL, 0);
	size_t n = rg_bank_select(b, "code_review", RG_EASY, idx, 2);
	cr_assert_eq(n, all, "the return value is how many exist, not how many were written");
	cr_assert_neq(idx[0], 999);
	cr_assert_neq(idx[1], 999);
	cr_assert_eq(idx[2], 999, "nothing written past cap");
	cr_assert_eq(idx[3], 999);
	unload(b);
}

Test(real_bank, lexicon_lookup_by_name)
{
	rg_bank *b = load_ok(rg_test_tasks_dir());
	const rg_lexicon *lex = rg_bank_lexicon(b);
	for (size_t i = 0; i < lex->n; i++) {
		cr_assert_eq(rg_lexicon_find(lex, lex->names[i]), (int)i, "%s", lex->names[i]);
		cr_assert_gt(lex->classes[i].n, 0);
	}
	cr_assert_eq(rg_lexicon_find(lex, "no_such_class"), -1);
	unload(b);
}

/* ------------------------------------------------------------------------ */
/* Wire names                                                               */
/* ------------------------------------------------------------------------ */

Test(names, parse_and_name_round_trip)
{
	cr_assert_eq(rg_difficulty_parse("easy"), RG_EASY);
	cr_assert_eq(rg_difficulty_parse("medium"), RG_MEDIUM);
	cr_assert_eq(rg_difficulty_parse("hard"), RG_HARD);
	cr_assert_eq(rg_issue_type_parse("security_vulnerability"), RG_ISSUE_SECURITY);
	cr_assert_eq(rg_issue_type_parse("logic_error"), RG_ISSUE_LOGIC);
	cr_assert_eq(rg_severity_parse("critical"), RG_SEV_CRITICAL);
	for (int d = 0; d < RG_DIFFICULTY__COUNT; d++)
		cr_assert_eq(rg_difficulty_parse(rg_difficulty_name(d)), d);
	for (int t = 0; t < RG_ISSUE__COUNT; t++)
		cr_assert_eq(rg_issue_type_parse(rg_issue_type_name(t)), t);
	for (int s = 0; s < RG_SEV__COUNT; s++)
		cr_assert_eq(rg_severity_parse(rg_severity_name(s)), s);
}

Test(names, unknown_names_parse_to_minus_one)
{
	cr_assert_eq(rg_difficulty_parse("Easy"), -1, "names are case-sensitive");
	cr_assert_eq(rg_difficulty_parse(""), -1);
	cr_assert_eq(rg_difficulty_parse(NULL), -1);
	cr_assert_eq(rg_issue_type_parse("security"), -1);
	cr_assert_eq(rg_severity_parse("severe"), -1);
	cr_assert_str_eq(rg_difficulty_name(RG_DIFFICULTY__COUNT), "?");
}

/* ------------------------------------------------------------------------ */
/* Fixture banks that load                                                  */
/* ------------------------------------------------------------------------ */

Test(fixture_bank, valid_bank_loads_in_order_with_its_lexicon)
{
	const char *root = fixture("valid");
	rg_bank *b = load_ok(root);
	cr_assert_str_eq(rg_bank_root(b), root);
	cr_assert_eq(rg_bank_count(b), 2);
	cr_assert_str_eq(rg_bank_at(b, 0)->id, "cr-easy-mini");
	cr_assert_str_eq(rg_bank_at(b, 1)->id, "cr-hard-mini");
	cr_assert_null(rg_bank_at(b, 2));
	const rg_lexicon *lex = rg_bank_lexicon(b);
	cr_assert_eq(lex->n, 2, "lexicon/notes.txt is not a .json file and is ignored");
	cr_assert_str_eq(lex->names[0], "division_by_zero");
	cr_assert_str_eq(lex->names[1], "sql_injection");
	cr_assert_eq(lex->classes[0].n, 3);
	cr_assert_str_eq(lex->classes[0].phrases[0].text, " division by zero ");
	cr_assert_eq(lex->classes[0].phrases[0].len, strlen(" division by zero "));
	unload(b);
}

Test(fixture_bank, easy_task_fields_match_its_files)
{
	const char *root = fixture("valid");
	rg_bank *b = load_ok(root);
	const rg_task *t = rg_bank_find(b, "cr-easy-mini");
	cr_assert_not_null(t);
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/%s", root, EASY_TASK);
	cr_assert_str_eq(t->dir, dir);
	cr_assert_str_eq(t->family, "code_review");
	cr_assert_eq(t->difficulty, RG_EASY);
	cr_assert_str_eq(t->title, "Average of a list");
	cr_assert_str_eq(t->description, "Review this helper for runtime errors.");
	cr_assert_str_eq(t->language, "python");
	cr_assert_not(t->eval_split, "split defaults to train");
	cr_assert_str_eq(t->code, "def average(items):\n    return sum(items) / len(items)\n");
	cr_assert_str_eq(t->fixed,
			 "def average(items):\n    return sum(items) / len(items) if items else 0.0\n");
	cr_assert_eq(t->n_lines, 2, "a trailing newline does not start a line");
	cr_assert_str_eq(t->trimmed_lines[0], "def average(items):");
	cr_assert_str_eq(t->trimmed_lines[1], "return sum(items) / len(items)");
	cr_assert_eq(t->trimmed_lens[1], strlen("return sum(items) / len(items)"));

	cr_assert_eq(t->n_issues, 1);
	const rg_issue *is = &t->issues[0];
	cr_assert_str_eq(is->id, "zero-division");
	cr_assert_eq(is->first_line, 2);
	cr_assert_eq(is->last_line, 2);
	cr_assert_eq(is->type, RG_ISSUE_BUG);
	cr_assert_eq(is->severity, RG_SEV_HIGH);
	cr_assert_eq(is->lex_class, rg_lexicon_find(rg_bank_lexicon(b), "division_by_zero"));
	cr_assert_null(is->cwe, "cwe is optional for bugs");
	cr_assert_eq(is->n_concepts, 2);
	cr_assert_eq(is->concepts[0].n, 3);
	cr_assert_str_eq(is->concepts[0].phrases[1].text, " zerodivisionerror ");
	cr_assert_eq(is->concepts[1].n, 3);
	cr_assert_str_eq(is->concepts[1].phrases[0].text, " empty list ");
	cr_assert_eq(is->n_fix_concepts, 1);
	cr_assert_str_eq(is->fix_concepts[0].phrases[0].text, " guard",
			 "a trailing * compiles to an open word prefix");
	cr_assert_eq(is->fix_concepts[0].phrases[0].len, 6);
	cr_assert(strstr(is->explanation, "ZeroDivisionError"));
	cr_assert_str_eq(is->fix, "Guard against an empty list: return 0.0 when there are no items.");
	unload(b);
}

Test(fixture_bank, hard_task_line_shorthand_cwe_and_eval_split)
{
	rg_bank *b = load_ok(fixture("valid"));
	const rg_task *t = rg_bank_find(b, "cr-hard-mini");
	cr_assert_not_null(t);
	cr_assert_eq(t->difficulty, RG_HARD);
	cr_assert(t->eval_split, "\"split\": \"eval\" marks the task held out");
	cr_assert_eq(t->n_lines, 5);
	cr_assert_str_eq(t->trimmed_lines[2], "", "blank lines are kept as empty lines");
	const rg_issue *is = &t->issues[0];
	cr_assert_eq(is->first_line, 5, "\"line\": 5 means [5, 5]");
	cr_assert_eq(is->last_line, 5);
	cr_assert_eq(is->type, RG_ISSUE_SECURITY);
	cr_assert_eq(is->severity, RG_SEV_CRITICAL);
	cr_assert_str_eq(is->cwe, "CWE-89");
	cr_assert_eq(is->lex_class, rg_lexicon_find(rg_bank_lexicon(b), "sql_injection"));
	cr_assert_str_eq(is->concepts[0].phrases[1].text, " inject");
	unload(b);
}

Test(fixture_bank, valid_bank_select_by_difficulty)
{
	rg_bank *b = load_ok(fixture("valid"));
	size_t idx[4] = { 9, 9, 9, 9 };
	cr_assert_eq(rg_bank_select(b, "code_review", RG_EASY, idx, 4), 1);
	cr_assert_eq(idx[0], 0);
	cr_assert_eq(rg_bank_select(b, "code_review", RG_MEDIUM, idx, 4), 0);
	cr_assert_eq(rg_bank_select(b, "code_review", RG_HARD, idx, 4), 1);
	cr_assert_eq(idx[0], 1);
	cr_assert_eq(rg_bank_select(b, "code_review", -1, idx, 4), 2);
	cr_assert_eq(idx[0], 0);
	cr_assert_eq(idx[1], 1);
	unload(b);
}

Test(fixture_bank, code_at_the_line_limit_loads)
{
	rg_bank *b = load_ok(fixture("code-400-lines"));
	const rg_task *t = rg_bank_at(b, 0);
	cr_assert_eq(t->n_lines, RG_MAX_CODE_LINES);
	cr_assert_eq(t->issues[0].first_line, 400);
	cr_assert_str_eq(t->trimmed_lines[399], "x400 = 400");
	unload(b);
}

/* ------------------------------------------------------------------------ */
/* Fixture banks that must be rejected                                      */
/* ------------------------------------------------------------------------ */

Test(malformed_bank, missing_field)
{
	expect_rejected("missing-field", RG_EINVAL, EASY_TASK "/task.json: issues[0].severity", "",
			"required field is missing; expected one of low, medium, high, critical");
}

Test(malformed_bank, wrong_type)
{
	expect_rejected("wrong-type", RG_EINVAL, EASY_TASK "/task.json: title", "",
			"expected a string, got integer");
}

Test(malformed_bank, lines_one_past_the_end_of_code)
{
	expect_rejected("lines-out-of-range", RG_EINVAL, EASY_TASK "/task.json: issues[0].lines",
			"", "expected 1 <= first <= last <= 2, got [2, 3]");
}

Test(malformed_bank, lines_reversed)
{
	expect_rejected("lines-reversed", RG_EINVAL, EASY_TASK "/task.json: issues[0].lines", "",
			"expected 1 <= first <= last <= 2, got [2, 1]");
}

Test(malformed_bank, lines_not_a_pair)
{
	expect_rejected("lines-not-a-pair", RG_EINVAL, EASY_TASK "/task.json: issues[0].lines", "",
			"expected [first, last] integers");
}

Test(malformed_bank, unknown_lexicon_class)
{
	expect_rejected("unknown-class", RG_EINVAL, EASY_TASK "/task.json: issues[0].class", "",
			"unknown lexicon class \"no_such_class\"");
}

Test(malformed_bank, security_issue_without_cwe)
{
	expect_rejected("security-without-cwe", RG_EINVAL, EASY_TASK "/task.json: issues[0].cwe",
			"", "required field is missing");
}

Test(malformed_bank, cwe_without_a_number)
{
	expect_rejected("bad-cwe", RG_EINVAL, EASY_TASK "/task.json: issues[0].cwe", "",
			"expected \"CWE-<number>\", got \"CWE-abc\"");
}

Test(malformed_bank, unknown_severity)
{
	expect_rejected("bad-severity", RG_EINVAL, EASY_TASK "/task.json: issues[0].severity", "",
			"expected one of low, medium, high, critical");
}

Test(malformed_bank, id_not_matching_directory)
{
	expect_rejected("id-mismatch", RG_EINVAL, EASY_TASK "/task.json: id", "",
			"must equal the directory name \"cr-easy-mini\"");
}

Test(malformed_bank, id_with_forbidden_characters)
{
	expect_rejected("bad-id", RG_EINVAL, "code_review/easy/CR_Easy_Mini/task.json: id", "",
			"expected [a-z0-9-]{3,64}, got \"CR_Easy_Mini\"");
}

Test(malformed_bank, difficulty_not_matching_directory)
{
	expect_rejected("difficulty-mismatch", RG_EINVAL, EASY_TASK "/task.json: difficulty", "",
			"must equal the parent directory \"easy\"");
}

Test(malformed_bank, wrong_family)
{
	expect_rejected("wrong-family", RG_EINVAL, EASY_TASK "/task.json: family", "",
			"expected \"code_review\" (the directory's family), got \"math\"");
}

Test(malformed_bank, unknown_split)
{
	expect_rejected("bad-split", RG_EINVAL, EASY_TASK "/task.json: split", "",
			"expected \"train\" or \"eval\", got \"test\"");
}

Test(malformed_bank, nul_inside_a_string)
{
	expect_rejected("title-with-nul", RG_EINVAL, EASY_TASK "/task.json: title", "",
			"string contains a NUL character");
}

Test(malformed_bank, no_issues)
{
	expect_rejected("no-issues", RG_EINVAL, EASY_TASK "/task.json: issues", "",
			"expected an array of 1..16 issues");
}

Test(malformed_bank, empty_concepts)
{
	expect_rejected("empty-concepts", RG_EINVAL, EASY_TASK "/task.json: issues[0].concepts",
			"", "expected an array of 1..8 groups");
}

Test(malformed_bank, phrase_without_letters)
{
	expect_rejected("phrase-without-letters", RG_EINVAL,
			EASY_TASK "/task.json: issues[0].concepts[0][0]", "",
			"phrase \"--\" has no letters or digits");
}

Test(malformed_bank, duplicate_issue_ids)
{
	expect_rejected("duplicate-issue-id", RG_EINVAL, EASY_TASK "/task.json: issues[1].id", "",
			"duplicate issue id \"zero-division\"");
}

Test(malformed_bank, malformed_task_json)
{
	/* python3 json.loads reports this trailing comma at "line 5 column 1" too */
	expect_rejected("malformed-json", RG_EINVAL, EASY_TASK "/task.json", "json_invalid",
			"line 5 column 1");
}

Test(malformed_bank, empty_code)
{
	expect_rejected("empty-code", RG_EINVAL, EASY_TASK "/code.py", "", "file is empty");
}

Test(malformed_bank, code_one_line_past_the_limit)
{
	const char *root = fixture("code-401-lines");
	rg_err err;
	rg_err_clear(&err);
	cr_assert_null(rg_bank_load(root, &err));
	cr_assert_eq(err.code, RG_EINVAL);
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/%s/", root, EASY_TASK);
	cr_assert(!strncmp(err.field, dir, strlen(dir)), "field: %s", err.field);
	cr_assert(ends_with(err.field, "code.py"), "field: %s", err.field);
	cr_assert(strstr(err.msg, "401 lines") && strstr(err.msg, "at most 400"), "msg: %s", err.msg);
	assert_no_leaks();
}

Test(malformed_bank, missing_test_script)
{
	expect_rejected("missing-test", RG_EINVAL, EASY_TASK "/test.py", "", "missing test script");
}

Test(malformed_bank, missing_task_json)
{
	expect_rejected("missing-task-json", RG_EIO, EASY_TASK "/task.json", "", "cannot open");
}

Test(malformed_bank, malformed_lexicon_json)
{
	expect_rejected("malformed-lexicon", RG_EINVAL, "lexicon/core.json", "json_invalid",
			"line 4 column ");
}

Test(malformed_bank, duplicate_key_in_one_lexicon_file)
{
	expect_rejected("duplicate-lexicon-key", RG_EINVAL, "lexicon/core.json", "json_invalid",
			"duplicate");
}

Test(malformed_bank, lexicon_class_defined_in_two_files)
{
	expect_rejected("duplicate-lexicon-class", RG_EINVAL,
			"lexicon/more.json: classes.division_by_zero", "",
			"class \"division_by_zero\" is defined twice");
}

Test(malformed_bank, task_id_used_under_two_difficulties)
{
	const char *root = fixture("duplicate-task-id");
	char first[1024];
	snprintf(first, sizeof first, "task id \"cr-mini-dup\" is already used by %s/%s", root,
		 "code_review/easy/cr-mini-dup");
	expect_rejected("duplicate-task-id", RG_EINVAL, "code_review/hard/cr-mini-dup", "", first);
}

Test(malformed_bank, lexicon_without_tasks)
{
	expect_rejected("no-tasks", RG_EINVAL, "", "", "no tasks found");
}

Test(malformed_bank, missing_root)
{
	rg_err err;
	rg_err_clear(&err);
	cr_assert_null(rg_bank_load("tests/fixtures/bank/does-not-exist", &err));
	cr_assert_eq(err.code, RG_EINVAL);
	cr_assert_str_eq(err.field, "tests/fixtures/bank/does-not-exist");
	cr_assert(strstr(err.msg, "no tasks found"), "msg: %s", err.msg);
	assert_no_leaks();
}
