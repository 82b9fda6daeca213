/*
 * audit.c - see audit.h.
 */
#include "grade/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

static void problem(rg_audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(rg_audit *a, const char *fmt, ...)
{
	if (a->n_problems >= sizeof a->problems / sizeof *a->problems) {
		a->n_problems++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->problems[a->n_problems++], RG_AUDIT_MSG_BYTES, fmt, ap);
	va_end(ap);
}

/* Index of the first group text does not hit, or -1. */
static int first_missed(const char *text, const rg_group *g, size_t n)
{
	char norm[RG_MAX_EXPLANATION_LEN + 3];
	size_t len = rg_text_normalize(text, strlen(text), norm, sizeof norm);
	for (size_t i = 0; i < n; i++) {
		bool hit = false;
		for (size_t k = 0; k < g[i].n && !hit; k++)
			hit = rg_text_has(norm, len, g[i].phrases[k].text, g[i].phrases[k].len);
		if (!hit)
			return (int)i;
	}
	return -1;
}

void rg_audit_reference_findings(const rg_task *t, rg_finding *out)
{
	for (size_t i = 0; i < t->n_issues; i++) {
		const rg_issue *is = &t->issues[i];
		out[i] = (rg_finding){ .line = is->first_line, .line_end = is->first_line,
				       .type = (int)is->type, .description = is->explanation,
				       .description_len = strlen(is->explanation), .fix = is->fix,
				       .fix_len = strlen(is->fix) };
	}
}

int rg_audit_task(const rg_task *t, const rg_lexicon *lex, const rg_grade_profile *p,
		  rg_audit *out, rg_err *err)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < t->n_issues; i++) {
		const rg_issue *is = &t->issues[i];
		int g = first_missed(is->explanation, is->concepts, is->n_concepts);
		if (g >= 0)
			problem(out, "issues[%zu].explanation does not hit concepts[%d] (e.g. \"%s\")", i,
				g, is->concepts[g].phrases[0].text + 1);
		g = first_missed(is->fix, is->fix_concepts, is->n_fix_concepts);
		if (g >= 0)
			problem(out, "issues[%zu].fix does not hit fix_concepts[%d] (e.g. \"%s\")", i, g,
				is->fix_concepts[g].phrases[0].text + 1);
	}
	rg_finding f[RG_MAX_ISSUES];
	rg_audit_reference_findings(t, f);
	rg_grade_result r;
	int rc = rg_grade_attempt(t, lex, f, t->n_issues, p, &r, err);
	if (rc)
		return rc;
	out->reference_score = r.score;
	if (r.score < RG_AUDIT_MIN_SCORE) {
		problem(out, "the reference review scores %.4f < %.2f", r.score, RG_AUDIT_MIN_SCORE);
		for (size_t i = 0; i < t->n_issues; i++)
			if (r.issues[i].finding < 0)
				problem(out, "issues[%zu] is not matched by its own explanation (unfocused or pasted code?)", i);
	}
	return RG_OK;
}
