/*
 * fuzz_action.c - libFuzzer target for the action normalisers: bytes arrive as a
 * WebSocket step's data would (a JSON value, or raw model text), go through
 * rg_json_parse and both families' parsers (rg_cr_action_parse, rg_pr_action_parse)
 * and, when they parse, are graded against a real task (a code_review attempt, a
 * pr_review turn on a scenario version). The same bytes are also read as a custom
 * review's unified diff (rg_diff_new_side). Any crash, sanitizer report or leak
 * is a bug; each becomes a fixture under tests/fixtures/actions/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "core/json.h"
#include "bank/diff.h"
#include "core/limits.h"
#include "env/action.h"
#include "env/pr_action.h"
#include "grade/grade.h"
#include "grade/pr_grade.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rg_bank *bank;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!bank) {
		rg_err err;
		rg_err_clear(&err);
		const char *dir = getenv("REVIEWGYM_TASKS");
		bank = rg_bank_load(dir ? dir : "tasks", &err);
		if (!bank)
			abort();
	}
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse((const char *)data, size, &err);
	if (!v) /* not JSON: treat the bytes as model text */
		v = rg_json_strn((const char *)data, size);
	if (!v)
		return 0;
	rg_warnings w;
	rg_warn_clear(&w);
	rg_cr_action a;
	rg_err_clear(&err);
	const rg_task *t = rg_bank_at(bank, size % rg_bank_count(bank));
	if (!t->pr && rg_cr_action_parse(v, &a, &w, &err) == RG_OK) {
		rg_grade_result *r = malloc(sizeof *r);
		if (r && rg_grade_attempt(t, rg_bank_lexicon(bank), a.findings, a.n, &rg_grade_default,
					  r, &err) == RG_OK &&
		    (r->score < 0 || r->score > 1))
			abort(); /* the score contract */
		free(r);
		rg_cr_action_release(&a);
	}
	rg_pr_action pa;
	rg_warn_clear(&w);
	rg_err_clear(&err);
	if (t->pr && rg_pr_action_parse(v, &pa, &w, &err) == RG_OK) {
		const rg_pr_version *ver = &t->pr->versions[size % t->pr->n_versions];
		rg_pr_turn_grade *g = malloc(sizeof *g);
		if (g && rg_grade_pr_turn(&ver->review, ver->verdict, rg_bank_lexicon(bank),
					  pa.decision, pa.comment, pa.comment_len,
					  pa.findings.findings, pa.findings.n, &rg_grade_default, g,
					  &err) == RG_OK &&
		    (g->reward < 0 || g->reward > 1))
			abort(); /* the reward contract */
		free(g);
		rg_pr_action_release(&pa);
	}
	rg_json_free(v);
	rg_buf out;
	rg_buf_init(&out, RG_MAX_CODE_BYTES);
	char path[128];
	rg_err_clear(&err);
	(void)rg_diff_new_side((const char *)data, size, RG_MAX_CODE_LINES, &out, path, sizeof path,
			       &err);
	rg_buf_free(&out);
	return 0;
}
