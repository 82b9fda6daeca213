/*
 * assign.h - maximum-weight one-to-one assignment (Hungarian algorithm).
 *
 * Design: grading matches reviewer findings to ground-truth issues one-to-one so a
 * finding never earns two issues and a duplicate earns nothing. With rows = issues
 * (<= RG_MAX_ISSUES) and cols = findings (<= RG_MAX_FINDINGS) the O(rows^2 x cols)
 * shortest-augmenting-path form of Kuhn-Munkres is a few microseconds.
 *
 * Contract: w is rows x cols, row-major, weights >= 0; a weight of 0 means "not
 * eligible" and such a pair is reported unmatched. match[r] receives the column of
 * row r or -1. Deterministic: ties resolve by index order. Scratch memory is the
 * caller's (rg_assign_scratch_size bytes), so the solver never allocates.
 */
#ifndef RG_GRADE_ASSIGN_H
#define RG_GRADE_ASSIGN_H

#include <stddef.h>

size_t rg_assign_scratch_size(size_t rows, size_t cols);
/* Returns the total weight of the matched (eligible) pairs. */
double rg_assign_max(const double *w, size_t rows, size_t cols, int *match, void *scratch);

#endif
