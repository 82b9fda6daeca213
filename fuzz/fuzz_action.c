/*
 * fuzz_action.c - libFuzzer target for the action normaliser: bytes arrive as a
 * WebSocket step's data would (a JSON value, or raw model text), go through
 * rg_json_parse / rg_cr_action_parse, and, when they parse, are graded against a
 * real task. Any crash, sanitizer report or leak is a bug; each becomes a fixture
 * under tests/fixtures/actions/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "core/json.h"
#include "env/action.h"
#include "grade/grade.h"

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
	if (rg_cr_action_parse(v, &a, &w, &err) == RG_OK) {
		const rg_task *t = rg_bank_at(bank, size % rg_bank_count(bank));
		rg_grade_result *r = malloc(sizeof *r);
		if (r && rg_grade_attempt(t, rg_bank_lexicon(bank), a.findings, a.n, &rg_grade_default,
					  r, &err) == RG_OK &&
		    (r->score < 0 || r->score > 1))
			abort(); /* the score contract */
		free(r);
		rg_cr_action_release(&a);
	}
	rg_json_free(v);
	return 0;
}
