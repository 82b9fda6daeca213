/*
 * grade.c - scoring one attempt (see grade.h for the rules).
 *
 * Flow: for each finding, blank pasted code, normalise description and fix once,
 * and record which lexicon classes and which concept/fix groups of each issue they
 * hit (the expensive part: memmem per phrase, bounded by the limits). Then build
 * the issues x findings weight matrix, run the assignment twice (plain, and
 * coverage-first for the bonus) and keep the better final score.
 */
#include "grade/grade.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grade/assign.h"
#include "core/text.h"
#include "core/alloc.h"

const rg_grade_profile rg_grade_default = {
	.name = "default",
	.w_line = 0.3,
	.w_description = 0.5,
	.w_type = 0.1,
	.w_fix = 0.1,
	.line_window = 3,
	.coverage_bonus = 0.1,
	.false_positive_penalty = 0.05,
	.max_foreign_classes = 1,
	.perfect = 0.9999,
};

/* Added to eligible weights in the coverage-first assignment: larger than any sum
 * of real weights (<= RG_MAX_ISSUES x 1.05), so cardinality is maximised first. */
#define COVERAGE_FIRST_BOOST 100.0
/* Shortest code line that counts as "pasted" when found verbatim. */
#define PASTE_MIN_LINE 6

#define LEX_WORDS ((RG_MAX_LEXICON_CLASSES + 63) / 64)

const char *rg_finding_verdict_name(enum rg_finding_verdict v)
{
	static const char *names[] = { "matched", "duplicate", "unfocused", "unmatched" };
	return (unsigned)v < 4 ? names[v] : "?";
}

double rg_grade_round(double x)
{
	return round(x * 10000.0) / 10000.0;
}

/* Per (finding, issue): what the texts hit. */
typedef struct pair_hits {
	uint8_t concepts, fixes;
	bool covers_all; /* every concept group hit: the text fully describes this issue */
} pair_hits;

static int count_groups(const char *norm, size_t len, const rg_group *g, size_t n)
{
	int hit = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < g[i].n; k++)
			if (rg_text_has(norm, len, g[i].phrases[k].text, g[i].phrases[k].len)) {
				hit++;
				break;
			}
	return hit;
}

/* Blank pasted code lines in a copy of text, then normalise into norm. */
static size_t prepare(const rg_task *t, const char *text, size_t n, char *copy, char *norm)
{
	memcpy(copy, text, n);
	rg_text_blank_needles(text, copy, n, (const char *const *)t->trimmed_lines,
			      t->trimmed_lens, t->n_lines, PASTE_MIN_LINE);
	return rg_text_normalize(copy, n, norm, n + 3);
}

static int distance(const rg_finding *f, const rg_issue *is)
{
	int a = f->line, b = f->line_end;
	/* A short range counts as a span; a long one only by its start, so that a
	 * reviewer cannot cover the file with "1-200". */
	if (b < a || b - a > 2)
		b = a;
	if (b < is->first_line)
		return is->first_line - b;
	if (a > is->last_line)
		return a - is->last_line;
	return 0;
}

static int popcount_words(const uint64_t *w)
{
	int n = 0;
	for (int i = 0; i < LEX_WORDS; i++)
		n += __builtin_popcountll(w[i]);
	return n;
}

static bool bit_is_set(const uint64_t *w, int i)
{
	return (w[i / 64] >> (i % 64)) & 1;
}

/* Number of defect classes other than issue i's that the finding's text names. */
static int foreign_classes(const rg_task *t, size_t i, const uint64_t *lex_hits,
			   const pair_hits *row /* this finding's hits per issue */)
{
	int own = t->issues[i].lex_class;
	int n = popcount_words(lex_hits) - (bit_is_set(lex_hits, own) ? 1 : 0);
	uint64_t counted[LEX_WORDS];
	memcpy(counted, lex_hits, sizeof counted);
	for (size_t j = 0; j < t->n_issues; j++) {
		int c = t->issues[j].lex_class;
		if (j == i || c == own || bit_is_set(counted, c) || !row[j].covers_all)
			continue;
		counted[c / 64] |= (uint64_t)1 << (c % 64);
		n++;
	}
	return n;
}

static void score_pair(const rg_grade_profile *p, const rg_finding *f, const rg_issue *is,
		       int dist, const pair_hits *h, rg_issue_grade *g)
{
	g->line_distance = dist;
	g->line = p->w_line * (double)(p->line_window + 1 - dist) / (double)(p->line_window + 1);
	g->concepts_hit = h->concepts;
	g->concepts_total = (int)is->n_concepts;
	g->description = p->w_description * h->concepts / (double)is->n_concepts;
	g->type = f->type == (int)is->type ? p->w_type : 0.0;
	g->fix_hit = h->fixes;
	g->fix_total = (int)is->n_fix_concepts;
	g->fix = p->w_fix * h->fixes / (double)is->n_fix_concepts;
	g->total = g->line + g->description + g->type + g->fix;
}

/* Final score of one assignment. */
static double final_score(const rg_grade_profile *p, const double *totals, const int *match,
			  size_t n_issues, size_t n_findings, size_t *found)
{
	double sum = 0;
	size_t k = 0;
	for (size_t i = 0; i < n_issues; i++)
		if (match[i] >= 0) {
			sum += totals[i * n_findings + (size_t)match[i]];
			k++;
		}
	*found = k;
	double s = sum / (double)n_issues + (k == n_issues ? p->coverage_bonus : 0.0) -
		   p->false_positive_penalty * (double)(n_findings - k);
	return s;
}

int rg_grade_attempt(const rg_task *t, const rg_lexicon *lex, const rg_finding *findings,
		     size_t n, const rg_grade_profile *p, rg_grade_result *out, rg_err *err)
{
	if (n > RG_MAX_FINDINGS)
		return rg_err_set(err, RG_ETOOBIG, "findings", "too_long",
				  "at most %d findings per attempt, got %zu", RG_MAX_FINDINGS, n);
	size_t ni = t->n_issues;
	memset(out, 0, sizeof *out);
	out->n_issues = ni;
	out->n_findings = n;
	for (size_t i = 0; i < ni; i++)
		out->issues[i].finding = -1;
	if (ni == 0) {
		/* Nothing to find (a correct revision): every finding is a false positive. */
		for (size_t f = 0; f < n; f++) {
			out->findings[f].issue = -1;
			out->findings[f].verdict = RG_FINDING_UNMATCHED;
		}
		out->n_false_positives = n;
		out->issues_mean = 1.0;
		out->penalty = p->false_positive_penalty * (double)n;
		double s = 1.0 - out->penalty;
		out->score = rg_grade_round(s < 0 ? 0 : s);
		return RG_OK;
	}
	if (n == 0) {
		for (size_t i = 0; i < ni; i++) {
			out->issues[i].concepts_total = (int)t->issues[i].n_concepts;
			out->issues[i].fix_total = (int)t->issues[i].n_fix_concepts;
		}
		return RG_OK; /* nothing said, nothing earned */
	}

	/* Scratch: totals and weights [ni][n], lexicon hits, two matches, hits[n][ni]
	 * (zeroed), then the solver's and two text buffers sized for the longest text
	 * actually given (written before they are read, so not zeroed). */
	size_t longest = 0;
	for (size_t f = 0; f < n; f++) {
		if (findings[f].description_len > longest)
			longest = findings[f].description_len;
		if (findings[f].fix_len > longest)
			longest = findings[f].fix_len;
	}
	size_t text_cap = (longest < RG_MAX_FINDING_TEXT_BYTES ? longest : RG_MAX_FINDING_TEXT_BYTES) + 3;
	size_t solver = rg_assign_scratch_size(ni, n);
	size_t bytes = n * ni * sizeof(pair_hits) + 3 * ni * n * sizeof(double) +
		       2 * ni * sizeof(int) + n * LEX_WORDS * sizeof(uint64_t) + solver +
		       2 * text_cap + 16;
	unsigned char *mem = rg_malloc(bytes);
	if (!mem)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory while grading");
	double *totals = (double *)mem;
	double *w_plain = totals + ni * n;
	double *w_cover = w_plain + ni * n;
	uint64_t *lex_hits = (uint64_t *)(w_cover + ni * n);
	int *match_plain = (int *)(lex_hits + n * LEX_WORDS);
	int *match_cover = match_plain + ni;
	pair_hits *hits = (pair_hits *)(match_cover + ni);
	/* solver scratch must be double-aligned: place it after hits, rounded up */
	size_t off = (size_t)((unsigned char *)(hits + n * ni) - mem);
	off = (off + 15) & ~(size_t)15;
	memset(mem, 0, off);
	void *solver_mem = mem + off;
	char *copy = (char *)solver_mem + solver;
	char *norm = copy + text_cap;

	/* 1. What each finding's text hits. */
	for (size_t f = 0; f < n; f++) {
		const rg_finding *fd = &findings[f];
		size_t dl = fd->description_len < RG_MAX_FINDING_TEXT_BYTES ? fd->description_len
									    : RG_MAX_FINDING_TEXT_BYTES;
		size_t len = prepare(t, fd->description, dl, copy, norm);
		uint64_t *lh = lex_hits + f * LEX_WORDS;
		for (size_t c = 0; c < lex->n && c < RG_MAX_LEXICON_CLASSES; c++)
			if (count_groups(norm, len, &lex->classes[c], 1))
				lh[c / 64] |= (uint64_t)1 << (c % 64);
		for (size_t i = 0; i < ni; i++) {
			const rg_issue *is = &t->issues[i];
			pair_hits *h = &hits[f * ni + i];
			h->concepts = (uint8_t)count_groups(norm, len, is->concepts, is->n_concepts);
			h->covers_all = h->concepts == is->n_concepts;
		}
		size_t fl = fd->fix_len < RG_MAX_FINDING_TEXT_BYTES ? fd->fix_len
								   : RG_MAX_FINDING_TEXT_BYTES;
		len = prepare(t, fd->fix, fl, copy, norm);
		for (size_t i = 0; i < ni; i++) {
			const rg_issue *is = &t->issues[i];
			hits[f * ni + i].fixes =
				(uint8_t)count_groups(norm, len, is->fix_concepts, is->n_fix_concepts);
		}
	}

	/* 2. Weights: eligible pairs only. */
	for (size_t f = 0; f < n; f++) {
		out->findings[f].issue = -1;
		out->findings[f].verdict = popcount_words(lex_hits + f * LEX_WORDS) >
						   p->max_foreign_classes + 1
					   ? RG_FINDING_UNFOCUSED
					   : RG_FINDING_UNMATCHED;
		for (size_t i = 0; i < ni; i++) {
			const rg_issue *is = &t->issues[i];
			const pair_hits *h = &hits[f * ni + i];
			int d = distance(&findings[f], is);
			if (d > p->line_window || h->concepts == 0 ||
			    foreign_classes(t, i, lex_hits + f * LEX_WORDS, &hits[f * ni]) >
				    p->max_foreign_classes)
				continue;
			rg_issue_grade g;
			score_pair(p, &findings[f], is, d, h, &g);
			totals[i * n + f] = g.total;
			w_plain[i * n + f] = g.total / (double)ni + p->false_positive_penalty;
			w_cover[i * n + f] = w_plain[i * n + f] + COVERAGE_FIRST_BOOST;
			if (out->findings[f].verdict == RG_FINDING_UNMATCHED)
				out->findings[f].verdict = RG_FINDING_DUPLICATE; /* until matched */
		}
	}

	/* 3. Two assignments; keep the one with the better final score. */
	size_t found_plain, found_cover;
	rg_assign_max(w_plain, ni, n, match_plain, solver_mem);
	double s_plain = final_score(p, totals, match_plain, ni, n, &found_plain);
	rg_assign_max(w_cover, ni, n, match_cover, solver_mem);
	double s_cover = final_score(p, totals, match_cover, ni, n, &found_cover);
	const int *match = s_cover > s_plain + 1e-12 ? match_cover : match_plain;
	size_t found = match == match_cover ? found_cover : found_plain;

	/* 4. The breakdown. */
	double sum = 0;
	for (size_t i = 0; i < ni; i++) {
		rg_issue_grade *g = &out->issues[i];
		const rg_issue *is = &t->issues[i];
		g->concepts_total = (int)is->n_concepts;
		g->fix_total = (int)is->n_fix_concepts;
		if (match[i] < 0)
			continue;
		size_t f = (size_t)match[i];
		score_pair(p, &findings[f], is, distance(&findings[f], is), &hits[f * ni + i], g);
		g->finding = (int)f;
		out->findings[f].issue = (int)i;
		out->findings[f].verdict = RG_FINDING_MATCHED;
		sum += g->total;
	}
	out->n_found = found;
	out->n_false_positives = n - found;
	out->issues_mean = sum / (double)ni;
	out->bonus = found == ni ? p->coverage_bonus : 0.0;
	out->penalty = p->false_positive_penalty * (double)(n - found);
	double s = out->issues_mean + out->bonus - out->penalty;
	out->score = rg_grade_round(s < 0 ? 0 : s > 1 ? 1 : s);
	rg_free(mem);
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* Naming: does a free text (a PR comment) name an issue?                   */
/* ------------------------------------------------------------------------ */

int rg_grade_naming(const rg_task *t, const rg_lexicon *lex, const char *text, size_t len,
		    const rg_grade_profile *p, rg_naming *out, rg_err *err)
{
	size_t ni = t->n_issues;
	memset(out, 0, ni * sizeof *out);
	for (size_t i = 0; i < ni; i++)
		out[i].total = (int)t->issues[i].n_concepts;
	if (ni == 0 || len == 0)
		return RG_OK;
	if (len > RG_MAX_NAMING_TEXT_BYTES)
		len = RG_MAX_NAMING_TEXT_BYTES;
	char *mem = rg_malloc(2 * (len + 3));
	if (!mem)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory while grading");
	char *copy = mem, *norm = mem + len + 3;
	size_t nl = prepare(t, text, len, copy, norm);
	uint64_t lh[LEX_WORDS] = { 0 };
	for (size_t c = 0; c < lex->n && c < RG_MAX_LEXICON_CLASSES; c++)
		if (count_groups(norm, nl, &lex->classes[c], 1))
			lh[c / 64] |= (uint64_t)1 << (c % 64);
	pair_hits row[RG_MAX_ISSUES];
	memset(row, 0, sizeof row);
	for (size_t i = 0; i < ni; i++) {
		const rg_issue *is = &t->issues[i];
		row[i].concepts = (uint8_t)count_groups(norm, nl, is->concepts, is->n_concepts);
		row[i].covers_all = row[i].concepts == is->n_concepts;
	}
	for (size_t i = 0; i < ni; i++) {
		rg_naming *o = &out[i];
		o->hits = row[i].concepts;
		o->focused = foreign_classes(t, i, lh, row) <= p->max_foreign_classes;
		o->fraction = o->focused && o->hits ? (double)o->hits / (double)o->total : 0.0;
		o->named = o->focused && o->hits > 0 && 2 * o->hits >= o->total;
	}
	rg_free(mem);
	return RG_OK;
}
