/*
 * bench_grade.c - cost of grading one attempt, over every task of the bank:
 * the reference review (one finding per issue) and a 256-finding flood (the
 * worst case the limits allow). Prints the median of 21 rounds, in microseconds
 * per attempt. Figures, not assertions: timings never gate tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bank/bank.h"
#include "grade/audit.h"
#include "grade/grade.h"
#include "grade/pr_grade.h"

#define ROUNDS 21

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_us(const rg_bank *b, int flood, rg_grade_result *r)
{
	static rg_finding f[RG_MAX_FINDINGS];
	static const char desc[] = "possible off by one or division by zero in this loop, check "
				   "the bounds and the empty case";
	double samples[ROUNDS];
	size_t attempts = 0;
	for (int round = 0; round < ROUNDS; round++) {
		double t0 = now_us();
		attempts = 0;
		for (size_t i = 0; i < rg_bank_count(b); i++) {
			const rg_task *t = rg_bank_at(b, i);
			if (t->pr)
				continue; /* code_review attempts only */
			size_t n = t->n_issues;
			if (flood) {
				n = RG_MAX_FINDINGS;
				for (size_t k = 0; k < n; k++)
					f[k] = (rg_finding){ .line = (int)(k % t->n_lines) + 1,
							     .line_end = (int)(k % t->n_lines) + 1,
							     .type = (int)(k % 3), .description = desc,
							     .description_len = sizeof desc - 1, .fix = "",
							     .fix_len = 0 };
			} else {
				rg_audit_reference_findings(t, f);
			}
			rg_err err;
			rg_err_clear(&err);
			if (rg_grade_attempt(t, rg_bank_lexicon(b), f, n, &rg_grade_default, r, &err))
				abort();
			attempts++;
		}
		samples[round] = (now_us() - t0) / (double)attempts;
	}
	qsort(samples, ROUNDS, sizeof *samples, cmp);
	return samples[ROUNDS / 2];
}

/* One pr_review turn per scenario version: request changes with a comment made
 * of the version's explanations (the oracle's comment). */
static double median_pr_turn_us(const rg_bank *b, size_t *turns_out)
{
	static char comment[16 * 1024];
	double samples[ROUNDS];
	size_t turns = 0;
	for (int round = 0; round < ROUNDS; round++) {
		double t0 = now_us();
		turns = 0;
		for (size_t i = 0; i < rg_bank_count(b); i++) {
			const rg_task *t = rg_bank_at(b, i);
			for (size_t v = 0; t->pr && v < t->pr->n_versions; v++) {
				const rg_pr_version *ver = &t->pr->versions[v];
				size_t n = 0;
				for (size_t k = 0; k < ver->review.n_issues; k++)
					n += (size_t)snprintf(comment + n, sizeof comment - n, "%s ",
							      ver->review.issues[k].explanation);
				rg_pr_turn_grade g;
				rg_err err;
				rg_err_clear(&err);
				if (rg_grade_pr_turn(&ver->review, ver->verdict, rg_bank_lexicon(b),
						     RG_DECIDE_REQUEST_CHANGES, comment, n, NULL, 0,
						     &rg_grade_default, &g, &err))
					abort();
				turns++;
			}
		}
		samples[round] = (now_us() - t0) / (double)turns;
	}
	qsort(samples, ROUNDS, sizeof *samples, cmp);
	*turns_out = turns;
	return samples[ROUNDS / 2];
}

int main(void)
{
	rg_err err;
	rg_err_clear(&err);
	const char *dir = getenv("REVIEWGYM_TASKS");
	rg_bank *b = rg_bank_load(dir ? dir : "tasks", &err);
	if (!b) {
		fprintf(stderr, "bench: %s: %s\n", err.field, err.msg);
		return 1;
	}
	rg_grade_result *r = malloc(sizeof *r);
	printf("grade: reference review   %8.2f us per attempt (median of %d rounds over %zu tasks)\n",
	       median_us(b, 0, r), ROUNDS, rg_bank_select(b, "code_review", -1, NULL, 0));
	printf("grade: 256-finding flood  %8.2f us per attempt (median of %d rounds over %zu tasks)\n",
	       median_us(b, 1, r), ROUNDS, rg_bank_select(b, "code_review", -1, NULL, 0));
	size_t turns = 0;
	double pr = median_pr_turn_us(b, &turns);
	printf("grade: pr_review turn     %8.2f us per turn (median of %d rounds over %zu scenario versions)\n",
	       pr, ROUNDS, turns);
	free(r);
	rg_bank_destroy(b);
	return 0;
}
