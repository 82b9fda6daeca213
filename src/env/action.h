/*
 * action.h - the action normaliser: every code_review action, from HTTP or
 * WebSocket, structured or raw model text, becomes one rg_cr_action.
 *
 * Design (SPEC.md §3): accepted inputs are the canonical object
 * {"findings": [...], "review_summary": "..."}, the same with field aliases
 * (line/lineno, type/category, fix/suggestion, issues/bugs, summary, ...), type
 * aliases (security, vulnerability, logic, error, ...), line numbers as strings
 * ("12", "L12", "line 12", "12-14") or [first, last], and raw text - a JSON
 * string, or an object whose only field is text/content/response/... - which goes
 * through env/repair.c and then the same path. Every repair lands in warnings.
 * Unknown fields are errors (pydantic's extra_forbidden) naming the JSON path as
 * sent, e.g. findings[2].colour; a few harmless extras models like to add
 * (severity, confidence, cwe, ...) are ignored with a warning.
 *
 * Ownership: the action's strings are borrowed from the JSON tree they came from.
 * When the action came as text, the parsed tree is owned by the action (owned);
 * rg_cr_action_release frees it. Findings are heap-allocated, at most
 * RG_MAX_FINDINGS.
 */
#ifndef RG_ENV_ACTION_H
#define RG_ENV_ACTION_H

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"
#include "env/warn.h"
#include "grade/grade.h"

typedef struct rg_cr_action {
	rg_finding *findings; /* n entries, malloc'd */
	size_t n;
	const char *summary;  /* "" when absent */
	rg_json *owned;       /* tree parsed from text, or NULL */
} rg_cr_action;

/* Normalise a code_review action. On error nothing needs releasing. */
RG_MUST_CHECK int rg_cr_action_parse(const rg_json *action, rg_cr_action *out,
				     rg_warnings *w, rg_err *err);
void rg_cr_action_release(rg_cr_action *a);

/* The normalised action as compact JSON text appended to b: {"findings":
 * [{line_number, end_line, issue_type, description, suggested_fix}],
 * "review_summary"}; the findings list alone with the second. For the record of
 * a step, not for grading: written directly, since printing a jansson tree cost
 * the loop more than the rest of recording a step (bench/bench_store.c). */
RG_MUST_CHECK int rg_cr_action_text(const rg_cr_action *a, rg_buf *b);
RG_MUST_CHECK int rg_cr_findings_text(const rg_cr_action *a, rg_buf *b);

/* The findings value given under key (a list, one finding object, or null/absent
 * for none) into out->findings and out->n; errors name key[i].field as sent.
 * Shared by both families' actions. On error the caller releases out. */
RG_MUST_CHECK int rg_findings_parse(const rg_json *fs, const char *key, rg_cr_action *out,
				    rg_warnings *w, rg_err *err);

/* Resolve the top-level keys of an action object: field_of maps a key (and its
 * value, when the value decides) to a canonical field index or -1; val[f] and
 * key[f] receive the value and the key as sent (both arrays zeroed by the caller).
 * "metadata" must be an object and is skipped; an unknown key is extra_forbidden
 * naming expected; one field under two keys is an error; every alias used is
 * reported as "read field <key> as <canonical[f]>". Shared by both families. */
RG_MUST_CHECK int rg_action_fields(const rg_json *a, int n_fields,
				   int (*field_of)(const char *key, const rg_json *value),
				   const char *const *canonical, const char *expected,
				   const rg_json **val, const char **key, rg_warnings *w, rg_err *err);

/* A text field (string or null = ""), at most max UTF-8 characters; borrowed. */
RG_MUST_CHECK int rg_action_text(const rg_json *v, const char *path, size_t max,
				 const char **out, size_t *len, rg_err *err);

/* Parse a line reference ("12", "L12", "line 12", "12-14", "L3:L5"). Returns 0 and
 * sets first/last, or -1 when the text is not a line reference. */
int rg_parse_line_text(const char *s, int *first, int *last);

/* Canonical issue type for an alias ("security" -> RG_ISSUE_SECURITY), or -1. */
int rg_issue_type_from_alias(const char *s);

/* If action is raw text (a string, or an object holding only a text-like field and
 * optionally metadata), return that string (borrowed), else NULL. */
const rg_json *rg_action_raw_text(const rg_json *action);

#endif
