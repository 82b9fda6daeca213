/*
 * assign.c - Kuhn-Munkres with potentials (see assign.h).
 *
 * The solver minimises cost = (max_w - w) over a square-ish problem with
 * rows <= cols (pad columns with weight 0 when there are fewer findings than
 * issues). Potentials u (rows) and v (cols), and for each column the row it is
 * matched to; each row is inserted by a Dijkstra-like scan for the cheapest
 * augmenting path. Written from the textbook description of the algorithm.
 */
#include "grade/assign.h"

#include <float.h>
#include <string.h>

size_t rg_assign_scratch_size(size_t rows, size_t cols)
{
	size_t n = rows, m = cols > rows ? cols : rows;
	return (n + 1) * sizeof(double) + 2 * (m + 1) * sizeof(double) +
	       2 * (m + 1) * sizeof(int) + (m + 1) * sizeof(unsigned char);
}

double rg_assign_max(const double *w, size_t rows, size_t cols, int *match, void *scratch)
{
	size_t n = rows, m = cols > rows ? cols : rows; /* padded columns: weight 0 */
	double maxw = 0;
	for (size_t i = 0; i < rows * cols; i++)
		if (w[i] > maxw)
			maxw = w[i];
	double *u = scratch;
	double *v = u + n + 1;
	double *minv = v + m + 1;
	int *p = (int *)(minv + m + 1); /* p[j]: row (1-based) matched to column j */
	int *way = p + m + 1;
	unsigned char *used = (unsigned char *)(way + m + 1);
	memset(u, 0, (n + 1) * sizeof *u);
	memset(v, 0, (m + 1) * sizeof *v);
	memset(p, 0, (m + 1) * sizeof *p);
	memset(way, 0, (m + 1) * sizeof *way);
#define COST(i, j) (maxw - (((j) <= cols) ? w[((i) - 1) * cols + ((j) - 1)] : 0.0))
	for (size_t i = 1; i <= n; i++) {
		p[0] = (int)i;
		size_t j0 = 0;
		for (size_t j = 0; j <= m; j++) {
			minv[j] = DBL_MAX;
			used[j] = 0;
		}
		do {
			used[j0] = 1;
			size_t i0 = (size_t)p[j0], j1 = 0;
			double delta = DBL_MAX;
			for (size_t j = 1; j <= m; j++) {
				if (used[j])
					continue;
				double cur = COST(i0, j) - u[i0] - v[j];
				if (cur < minv[j]) {
					minv[j] = cur;
					way[j] = (int)j0;
				}
				if (minv[j] < delta) {
					delta = minv[j];
					j1 = j;
				}
			}
			for (size_t j = 0; j <= m; j++) {
				if (used[j]) {
					u[p[j]] += delta;
					v[j] -= delta;
				} else {
					minv[j] -= delta;
				}
			}
			j0 = j1;
		} while (p[j0] != 0);
		do {
			size_t j1 = (size_t)way[j0];
			p[j0] = p[j1];
			j0 = j1;
		} while (j0);
	}
#undef COST
	double total = 0;
	for (size_t r = 0; r < rows; r++)
		match[r] = -1;
	for (size_t j = 1; j <= cols; j++) {
		if (!p[j])
			continue;
		size_t r = (size_t)p[j] - 1;
		double wt = w[r * cols + (j - 1)];
		if (wt > 0) {
			match[r] = (int)(j - 1);
			total += wt;
		}
	}
	return total;
}
