/*
 * test_assign.c - maximum-weight one-to-one assignment (grade/assign.h): the
 * Hungarian solver against brute force over every partial matching, the
 * "weight 0 = not eligible" contract, tie order and determinism.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grade/assign.h"

#define MAX_R 5
#define MAX_C 7

/* Deterministic generator (xorshift32), so every run checks the same matrices. */
static uint32_t rng_state = 0x2545f491u;

static uint32_t rng(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* Best total over every partial one-to-one matching of rows r.. to unused columns;
 * zero-weight pairs add nothing, exactly as if left unmatched. */
static double brute(const double *w, size_t rows, size_t cols, size_t r, unsigned used)
{
	if (r == rows)
		return 0.0;
	double best = brute(w, rows, cols, r + 1, used); /* row r unmatched */
	for (size_t c = 0; c < cols; c++) {
		if (used & (1u << c) || w[r * cols + c] <= 0)
			continue;
		double t = w[r * cols + c] + brute(w, rows, cols, r + 1, used | (1u << c));
		if (t > best)
			best = t;
	}
	return best;
}

static double solve(const double *w, size_t rows, size_t cols, int *match)
{
	void *scratch = malloc(rg_assign_scratch_size(rows, cols));
	cr_assert_not_null(scratch);
	/* garbage scratch: the solver must not depend on its initial contents */
	memset(scratch, 0xa5, rg_assign_scratch_size(rows, cols));
	double total = rg_assign_max(w, rows, cols, match, scratch);
	free(scratch);
	return total;
}

/* match is a valid partial one-to-one matching over eligible pairs summing to total. */
static void assert_valid(const double *w, size_t rows, size_t cols, const int *match,
			 double total)
{
	unsigned used = 0;
	double sum = 0;
	for (size_t r = 0; r < rows; r++) {
		if (match[r] < 0) {
			cr_assert_eq(match[r], -1);
			continue;
		}
		cr_assert_lt((size_t)match[r], cols, "row %zu matched to column %d of %zu", r,
			     match[r], cols);
		cr_assert_not(used & (1u << match[r]), "column %d matched twice", match[r]);
		used |= 1u << match[r];
		cr_assert_gt(w[r * cols + (size_t)match[r]], 0.0,
			     "row %zu matched to an ineligible (zero) column %d", r, match[r]);
		sum += w[r * cols + (size_t)match[r]];
	}
	cr_assert_float_eq(sum, total, 1e-9, "reported total %f, matched pairs sum to %f",
			   total, sum);
}

Test(assign, random_matrices_reach_the_brute_force_optimum)
{
	double w[MAX_R * MAX_C];
	int match[MAX_R];
	size_t checked = 0;
	for (int round = 0; round < 60; round++)
		for (size_t rows = 1; rows <= MAX_R; rows++)
			for (size_t cols = 1; cols <= MAX_C; cols++) {
				/* ~35% zeros (ineligible); values on a coarse grid so ties occur */
				for (size_t i = 0; i < rows * cols; i++) {
					uint32_t x = rng() % 100;
					w[i] = x < 35 ? 0.0
					       : round % 2 ? (double)(1 + rng() % 8) / 8.0
							   : (double)(1 + rng() % 1000000) / 1e6;
				}
				double total = solve(w, rows, cols, match);
				double best = brute(w, rows, cols, 0, 0);
				cr_assert_float_eq(total, best, 1e-9,
						   "%zux%zu round %d: solver %f, brute force %f", rows,
						   cols, round, total, best);
				assert_valid(w, rows, cols, match, total);
				checked++;
			}
	cr_assert_eq(checked, 60u * MAX_R * MAX_C);
}

Test(assign, prefers_two_pairs_over_one_heavy_pair)
{
	/* greedy would take 0.9 (r0,c0) and leave r1 nothing: 0.9 < 0.6 + 0.8 */
	const double w[] = { 0.9, 0.6,
			     0.8, 0.0 };
	int match[2];
	double total = solve(w, 2, 2, match);
	cr_assert_float_eq(total, 1.4, 1e-12);
	cr_assert_eq(match[0], 1);
	cr_assert_eq(match[1], 0);
}

Test(assign, zero_weight_pairs_are_reported_unmatched)
{
	/* row 1 has no eligible column; the solver must not report it matched to the
	 * column padding put it on */
	const double w[] = { 0.5, 0.0, 0.0,
			     0.0, 0.0, 0.0,
			     0.0, 0.0, 0.7 };
	int match[3];
	double total = solve(w, 3, 3, match);
	cr_assert_float_eq(total, 1.2, 1e-12);
	cr_assert_eq(match[0], 0);
	cr_assert_eq(match[1], -1);
	cr_assert_eq(match[2], 2);
}

Test(assign, all_zero_matrix_matches_nothing)
{
	const double w[4 * 6] = { 0 };
	int match[4] = { 7, 7, 7, 7 };
	double total = solve(w, 4, 6, match);
	cr_assert_eq(total, 0.0);
	for (int r = 0; r < 4; r++)
		cr_assert_eq(match[r], -1, "row %d", r);
}

Test(assign, more_rows_than_columns_leaves_the_cheapest_row_out)
{
	/* 3 issues, 1 finding: the finding goes to the row where it weighs most */
	const double w[] = { 0.2, 0.9, 0.4 };
	int match[3];
	double total = solve(w, 3, 1, match);
	cr_assert_float_eq(total, 0.9, 1e-12);
	cr_assert_eq(match[0], -1);
	cr_assert_eq(match[1], 0);
	cr_assert_eq(match[2], -1);
}

Test(assign, ties_resolve_by_index_order)
{
	const double one[] = { 0.5, 0.5, 0.5 };
	int m1[1];
	solve(one, 1, 3, m1);
	cr_assert_eq(m1[0], 0, "a single row takes the first of equal columns");

	const double sq[] = { 0.5, 0.5, 0.5,
			      0.5, 0.5, 0.5,
			      0.5, 0.5, 0.5 };
	int m3[3];
	cr_assert_float_eq(solve(sq, 3, 3, m3), 1.5, 1e-12);
	for (int r = 0; r < 3; r++)
		cr_assert_eq(m3[r], r, "equal weights give the identity, row %d got %d", r, m3[r]);
}

Test(assign, same_input_gives_same_matching)
{
	double w[MAX_R * MAX_C];
	for (int round = 0; round < 200; round++) {
		size_t rows = 1 + rng() % MAX_R, cols = 1 + rng() % MAX_C;
		for (size_t i = 0; i < rows * cols; i++)
			w[i] = rng() % 3 == 0 ? 0.0 : (double)(rng() % 4) / 4.0;
		int a[MAX_R], b[MAX_R];
		double ta = solve(w, rows, cols, a);
		double tb = solve(w, rows, cols, b);
		cr_assert_eq(ta, tb, "round %d: totals differ", round);
		cr_assert_arr_eq(a, b, rows * sizeof *a, "round %d: matchings differ", round);
	}
}

Test(assign, scratch_size_covers_padding)
{
	/* rows > cols pads columns up to rows: scratch must grow with the larger side */
	cr_assert_geq(rg_assign_scratch_size(5, 1), rg_assign_scratch_size(1, 5));
	cr_assert_gt(rg_assign_scratch_size(16, 256), rg_assign_scratch_size(16, 16));
}
