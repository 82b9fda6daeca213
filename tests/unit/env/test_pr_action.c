/*
 * test_pr_action.c - the pr_review action normaliser (env/pr_action.h).
 *
 * What an agent sends as a pr_review turn must become one decision, one comment
 * and a findings list, however it was spelled: canonical keys or their aliases
 * (verdict, event, body, review, issues, ...), decision values as GitHub and
 * models write them ("APPROVE", "LGTM", "changes requested", "security
 * escalation"), or the whole action as model text with a ```json fence. Every
 * repair must be reported in warnings (the agent learns what was guessed), and
 * every refusal must name the field as sent, with the pydantic kind the server
 * copies into its 422 body: a missing decision, an unknown decision value, an
 * unknown key (extra_forbidden), a comment over RG_MAX_COMMENT_CHARS characters,
 * and findings errors by their JSON path (findings[0].line_number). On error the
 * action must be left empty (nothing to release). Cases are tables: a new alias
 * or error is one more row.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdint.h>

#include "core/limits.h"
#include "env/pr_action.h"
#include "unit/support.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static rg_json *parse(const char *text)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(text, strlen(text), &err);
	cr_assert_not_null(v, "test JSON does not parse: %s (%s)", text, err.msg);
	return v;
}

/* Normalise with fresh warnings and error. */
static int normalise(const rg_json *action, rg_pr_action *a, rg_warnings *w, rg_err *err)
{
	rg_warn_clear(w);
	rg_err_clear(err);
	return rg_pr_action_parse(action, a, w, err);
}

static bool warned(const rg_warnings *w, const char *needle)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->msg[i], needle))
			return true;
	return false;
}

static const char *warnings_text(const rg_warnings *w)
{
	static char out[RG_MAX_WARNINGS * (RG_WARNING_BYTES + 4)];
	out[0] = '\0';
	for (size_t i = 0; i < w->n; i++) {
		size_t l = strlen(out);
		snprintf(out + l, sizeof out - l, "%s[%s]", i ? " " : "", w->msg[i]);
	}
	return out;
}

/* Parse text that must be accepted; the caller releases *a. */
static void accept(const char *text, rg_json **v, rg_pr_action *a, rg_warnings *w)
{
	*v = parse(text);
	rg_err err;
	int rc = normalise(*v, a, w, &err);
	cr_assert_eq(rc, RG_OK, "%s refused: %s %s (%s): %s", text, rg_code_name(rc), err.field,
		     err.kind, err.msg);
	cr_assert_not_null(a->findings.findings, "%s: findings are allocated even when empty",
			   text);
	cr_assert_not_null(a->comment, "%s: the comment is \"\" when absent, never NULL", text);
}

/* text must be refused with code, field, kind and msg_part in the message. */
static void refuse(const char *text, int code, const char *field, const char *kind,
		   const char *msg_part)
{
	rg_json *v = parse(text);
	rg_pr_action a;
	rg_warnings w;
	rg_err err;
	int rc = normalise(v, &a, &w, &err);
	if (rc == RG_OK)
		rg_pr_action_release(&a);
	cr_expect_eq(rc, code, "%s: %s, want %s (%s)", text, rg_code_name(rc), rg_code_name(code),
		     err.msg);
	cr_expect_eq(err.code, rc, "%s: the returned code and err.code agree", text);
	cr_expect_str_eq(err.field, field, "%s: field \"%s\", want \"%s\"", text, err.field, field);
	cr_expect_str_eq(err.kind, kind, "%s: kind \"%s\", want \"%s\"", text, err.kind, kind);
	cr_expect(strstr(err.msg, msg_part), "%s: message \"%s\" lacks \"%s\"", text, err.msg,
		  msg_part);
	cr_expect(a.findings.findings == NULL && a.findings.owned == NULL && a.comment == NULL,
		  "%s: the action must be empty after an error", text);
	rg_json_free(v);
}

/* A JSON string of n copies of unit (a UTF-8 sequence), quoted; caller frees. */
static char *json_string_of(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = malloc(n * u + 3);
	cr_assert_not_null(s);
	s[0] = '"';
	for (size_t i = 0; i < n; i++)
		memcpy(s + 1 + i * u, unit, u);
	memcpy(s + 1 + n * u, "\"", 2);
	return s;
}

/* ------------------------------------------------------------------------ */
/* Decisions                                                                */
/* ------------------------------------------------------------------------ */

Test(pr_action, canonical_action_needs_no_repair)
{
	rg_json *v;
	rg_pr_action a;
	rg_warnings w;
	accept("{\"decision\":\"request_changes\",\"comment\":\"The search term is interpolated.\"}",
	       &v, &a, &w);
	cr_expect_eq(a.decision, RG_DECIDE_REQUEST_CHANGES);
	cr_expect_str_eq(a.comment, "The search term is interpolated.");
	cr_expect_eq(a.comment_len, strlen("The search term is interpolated."));
	cr_expect_eq(a.findings.n, 0);
	cr_expect_eq(w.n, 0, "nothing was repaired, nothing to report: %s", warnings_text(&w));
	cr_expect_null(a.findings.owned, "a structured action borrows from its input");
	rg_pr_action_release(&a);
	cr_expect_null(a.findings.findings, "release resets the action");
	rg_json_free(v);
	assert_no_leaks();
}

Test(pr_action, decision_values_as_models_and_github_write_them)
{
	static const struct { const char *value; enum rg_decision d; } cases[] = {
		{ "approve", RG_DECIDE_APPROVE },
		{ "APPROVE", RG_DECIDE_APPROVE },
		{ "Approved", RG_DECIDE_APPROVE },
		{ "LGTM", RG_DECIDE_APPROVE },
		{ "ship it", RG_DECIDE_APPROVE },
		{ "merge", RG_DECIDE_APPROVE },
		{ "request_changes", RG_DECIDE_REQUEST_CHANGES },
		{ "REQUEST_CHANGES", RG_DECIDE_REQUEST_CHANGES },
		{ "changes requested", RG_DECIDE_REQUEST_CHANGES },
		{ "Request-Changes", RG_DECIDE_REQUEST_CHANGES },
		{ "reject", RG_DECIDE_REQUEST_CHANGES },
		{ "needs work", RG_DECIDE_REQUEST_CHANGES },
		{ "escalate", RG_DECIDE_ESCALATE },
		{ "security escalation", RG_DECIDE_ESCALATE },
		{ "Escalate-To-Security", RG_DECIDE_ESCALATE },
		{ "comment", RG_DECIDE_COMMENT },
		{ "COMMENTED", RG_DECIDE_COMMENT },
		{ "question", RG_DECIDE_COMMENT },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char text[128];
		snprintf(text, sizeof text, "{\"decision\":\"%s\",\"comment\":\"c\"}", cases[i].value);
		rg_json *v;
		rg_pr_action a;
		rg_warnings w;
		accept(text, &v, &a, &w);
		cr_expect_eq(a.decision, cases[i].d, "\"%s\" read as %s, want %s", cases[i].value,
			     rg_decision_name(a.decision), rg_decision_name(cases[i].d));
		bool canonical = !strcmp(cases[i].value, rg_decision_name(cases[i].d));
		cr_expect_eq(warned(&w, "read decision"), !canonical,
			     "\"%s\": a non-canonical value is reported, a canonical one is not: %s",
			     cases[i].value, warnings_text(&w));
		rg_pr_action_release(&a);
		rg_json_free(v);
	}
}

Test(pr_action, decision_alias_function)
{
	cr_expect_eq(rg_decision_from_alias("lgtm"), RG_DECIDE_APPROVE);
	cr_expect_eq(rg_decision_from_alias("Changes-Requested"), RG_DECIDE_REQUEST_CHANGES);
	cr_expect_eq(rg_decision_from_alias("ESCALATION"), RG_DECIDE_ESCALATE);
	cr_expect_eq(rg_decision_from_alias("discuss"), RG_DECIDE_COMMENT);
	for (int d = 0; d < RG_DECISION__COUNT; d++)
		cr_expect_eq(rg_decision_from_alias(rg_decision_name((enum rg_decision)d)), d,
			     "canonical names round-trip");
	char longer[300];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	memcpy(longer, "approve", 7);
	static const char *const unknown[] = { "", "maybe", "approve!", " approve", "approv",
					       "yes", "request changes please" };
	for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++)
		cr_expect_eq(rg_decision_from_alias(unknown[i]), -1, "\"%s\" accepted", unknown[i]);
	cr_expect_eq(rg_decision_from_alias(longer), -1, "a 299-byte value is not a decision");
}

Test(pr_action, field_aliases_are_read_and_reported)
{
	static const struct { const char *json, *warning; enum rg_decision d; const char *comment; } cases[] = {
		{ "{\"verdict\":\"approve\",\"comment\":\"ok\"}", "\"verdict\" as \"decision\"",
		  RG_DECIDE_APPROVE, "ok" },
		{ "{\"event\":\"APPROVE\",\"body\":\"ok\"}", "\"body\" as \"comment\"",
		  RG_DECIDE_APPROVE, "ok" },
		{ "{\"action\":\"reject\",\"review\":\"no\"}", "\"action\" as \"decision\"",
		  RG_DECIDE_REQUEST_CHANGES, "no" },
		{ "{\"status\":\"escalate\",\"reason\":\"rce\"}", "\"reason\" as \"comment\"",
		  RG_DECIDE_ESCALATE, "rce" },
		{ "{\"stance\":\"comment\",\"message\":\"why?\"}", "\"message\" as \"comment\"",
		  RG_DECIDE_COMMENT, "why?" },
		{ "{\"decision\":\"approve\",\"comments\":\"text\"}", "\"comments\" as \"comment\"",
		  RG_DECIDE_APPROVE, "text" },
		{ "{\"review_decision\":\"approve\",\"rationale\":\"r\",\"metadata\":{\"k\":1}}",
		  "\"rationale\" as \"comment\"", RG_DECIDE_APPROVE, "r" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_json *v;
		rg_pr_action a;
		rg_warnings w;
		accept(cases[i].json, &v, &a, &w);
		cr_expect_eq(a.decision, cases[i].d, "%s", cases[i].json);
		cr_expect_str_eq(a.comment, cases[i].comment, "%s", cases[i].json);
		cr_expect(warned(&w, cases[i].warning), "%s: no warning contains %s; got %s",
			  cases[i].json, cases[i].warning, warnings_text(&w));
		rg_pr_action_release(&a);
		rg_json_free(v);
	}
}

Test(pr_action, missing_or_null_comment_is_empty_and_reported)
{
	static const char *const cases[] = { "{\"decision\":\"approve\"}",
					     "{\"decision\":\"approve\",\"comment\":null}",
					     "{\"decision\":\"approve\",\"comment\":\"\"}" };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_json *v;
		rg_pr_action a;
		rg_warnings w;
		accept(cases[i], &v, &a, &w);
		cr_expect_str_eq(a.comment, "", "%s", cases[i]);
		cr_expect_eq(a.comment_len, 0);
		cr_expect(warned(&w, "no comment"), "%s: a bare decision names no root cause: %s",
			  cases[i], warnings_text(&w));
		rg_pr_action_release(&a);
		rg_json_free(v);
	}
}

/* ------------------------------------------------------------------------ */
/* Findings                                                                 */
/* ------------------------------------------------------------------------ */

Test(pr_action, findings_under_their_aliases)
{
	static const char *const cases[] = {
		"{\"decision\":\"request_changes\",\"comment\":\"c\",\"findings\":[{\"line_number\":18,\"issue_type\":\"security_vulnerability\",\"description\":\"SQL injection\",\"suggested_fix\":\"bind it\"}]}",
		"{\"decision\":\"request_changes\",\"comment\":\"c\",\"issues\":[{\"line\":\"L18\",\"type\":\"security\",\"description\":\"SQL injection\",\"fix\":\"bind it\"}]}",
		"{\"decision\":\"request_changes\",\"comment\":\"c\",\"comments\":[{\"line\":18,\"description\":\"SQL injection\"}]}",
		"{\"decision\":\"request_changes\",\"comment\":\"c\",\"inline_comments\":{\"line\":[18,19],\"description\":\"SQL injection\"}}",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_json *v;
		rg_pr_action a;
		rg_warnings w;
		accept(cases[i], &v, &a, &w);
		cr_expect_eq(a.findings.n, 1, "%s", cases[i]);
		if (a.findings.n == 1) {
			const rg_finding *f = &a.findings.findings[0];
			cr_expect_eq(f->line, 18, "%s", cases[i]);
			cr_expect_str_eq(f->description, "SQL injection", "%s", cases[i]);
		}
		cr_expect_str_eq(a.comment, "c", "a findings list under \"comments\" is not the comment");
		cr_expect_eq(i == 0, w.n == 0, "%s: %s", cases[i], warnings_text(&w));
		rg_pr_action_release(&a);
		rg_json_free(v);
	}
}

/* ------------------------------------------------------------------------ */
/* Raw model text                                                           */
/* ------------------------------------------------------------------------ */

Test(pr_action, fenced_model_text_is_parsed_and_owned)
{
	rg_json *v = parse("{\"text\":\"My review:\\n```json\\n{'decision': 'LGTM', 'comment': "
			   "'Looks correct.', 'findings': [],}\\n```\\nThanks!\"}");
	rg_pr_action a;
	rg_warnings w;
	rg_err err;
	cr_assert_eq(normalise(v, &a, &w, &err), RG_OK, "%s: %s", err.field, err.msg);
	rg_json_free(v); /* the action owns the tree parsed from the text */
	cr_assert_not_null(a.findings.owned);
	cr_expect_eq(a.decision, RG_DECIDE_APPROVE);
	cr_expect_str_eq(a.comment, "Looks correct.");
	const char *wt = warnings_text(&w);
	cr_expect(warned(&w, "parsed the action from text"), "%s", wt);
	cr_expect(warned(&w, "code fence"), "%s", wt);
	cr_expect(warned(&w, "single-quoted"), "%s", wt);
	cr_expect(warned(&w, "trailing comma"), "%s", wt);
	cr_expect(warned(&w, "read decision \"LGTM\" as \"approve\""), "%s", wt);
	rg_pr_action_release(&a);
	assert_no_leaks();
}

Test(pr_action, bare_string_action_is_model_text)
{
	rg_json *v = rg_json_str("{\"decision\": \"escalate\", \"comment\": \"pickle.loads on a cookie\"}");
	cr_assert_not_null(v);
	rg_pr_action a;
	rg_warnings w;
	rg_err err;
	cr_assert_eq(normalise(v, &a, &w, &err), RG_OK, "%s", err.msg);
	cr_expect_eq(a.decision, RG_DECIDE_ESCALATE);
	cr_expect_str_eq(a.comment, "pickle.loads on a cookie");
	rg_pr_action_release(&a);
	rg_json_free(v);
	assert_no_leaks();
}

Test(pr_action, model_text_without_json_is_refused)
{
	refuse("{\"text\":\"I would approve this.\"}", RG_EINVAL, "action", "json_invalid",
	       "no JSON object found");
	/* text that parses but lacks the decision fails like a structured action */
	refuse("{\"text\":\"```json\\n{\\\"comment\\\": \\\"x\\\"}\\n```\"}", RG_EINVAL, "decision",
	       "missing", "field required");
	/* the error names the pr_review shape, not code_review's findings */
	refuse("{\"text\":\"I would approve this.\"}", RG_EINVAL, "action", "json_invalid",
	       "expected {\"decision\"");
	/* {"message": "LGTM"} is a comment without a decision, not model text */
	refuse("{\"message\":\"LGTM\"}", RG_EINVAL, "decision", "missing", "field required");
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

Test(pr_action, errors_name_the_field_as_sent)
{
	static const struct { const char *json; int code; const char *field, *kind, *msg; } cases[] = {
		{ "{}", RG_EINVAL, "decision", "missing", "field required" },
		{ "{\"comment\":\"SQL injection\"}", RG_EINVAL, "decision", "missing", "approve, request_changes" },
		{ "{\"decision\":\"maybe\"}", RG_EINVAL, "decision", "enum", "got \"maybe\"" },
		{ "{\"verdict\":\"perhaps\"}", RG_EINVAL, "verdict", "enum", "got \"perhaps\"" },
		{ "{\"decision\":3}", RG_EINVAL, "decision", "enum", "got integer" },
		{ "{\"decision\":null}", RG_EINVAL, "decision", "enum", "got null" },
		{ "{\"decision\":\"appro\\u0000ve\"}", RG_EINVAL, "decision", "enum", "expected one of" },
		{ "{\"decision\":\"approve\",\"extra\":1}", RG_EINVAL, "extra", "extra_forbidden", "unknown field" },
		{ "{\"decision\":\"approve\",\"Comment\":\"x\"}", RG_EINVAL, "Comment", "extra_forbidden", "expected decision, comment" },
		{ "{\"decision\":\"approve\",\"verdict\":\"approve\"}", RG_EINVAL, "verdict", "value_error", "given twice" },
		{ "{\"decision\":\"approve\",\"comment\":\"a\",\"body\":\"b\"}", RG_EINVAL, "body", "value_error", "given twice" },
		{ "{\"decision\":\"approve\",\"comment\":5}", RG_EINVAL, "comment", "string_type", "got integer" },
		{ "{\"decision\":\"approve\",\"body\":[]}", RG_EINVAL, "body", "string_type", "got array" },
		{ "{\"decision\":\"approve\",\"metadata\":[]}", RG_EINVAL, "metadata", "dict_type", "object" },
		{ "{\"decision\":\"approve\",\"findings\":\"none\"}", RG_EINVAL, "findings", "list_type", "got string" },
		{ "{\"decision\":\"request_changes\",\"findings\":[{\"line_number\":0,\"description\":\"d\"}]}",
		  RG_EINVAL, "findings[0].line_number", "greater_than_equal", "got 0" },
		{ "{\"decision\":\"request_changes\",\"findings\":[{\"description\":\"d\"}]}",
		  RG_EINVAL, "findings[0].line_number", "missing", "field required" },
		{ "{\"decision\":\"request_changes\",\"issues\":[{\"line\":1,\"description\":\"d\"},{\"line\":\"twelve\",\"description\":\"d\"}]}",
		  RG_EINVAL, "issues[1].line", "int_parsing", "got \"twelve\"" },
		{ "{\"decision\":\"request_changes\",\"findings\":[{\"line\":1,\"description\":\"d\",\"colour\":\"red\"}]}",
		  RG_EINVAL, "findings[0].colour", "extra_forbidden", "unknown field" },
		{ "{\"decision\":\"request_changes\",\"findings\":[7]}", RG_EINVAL, "findings[0]", "model_type", "got integer" },
		{ "[]", RG_EINVAL, "action", "model_type", "got array" },
		{ "42", RG_EINVAL, "action", "model_type", "got integer" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		refuse(cases[i].json, cases[i].code, cases[i].field, cases[i].kind, cases[i].msg);
}

Test(pr_action, comment_at_and_past_the_limit)
{
	/* the limit counts characters, not bytes: 2-byte characters are one each */
	static const char *const units[] = { "a", "\xc3\xa9" };
	for (size_t u = 0; u < 2; u++) {
		for (size_t n = RG_MAX_COMMENT_CHARS - 1; n <= RG_MAX_COMMENT_CHARS + 1; n++) {
			char *s = json_string_of(units[u], n);
			size_t cap = strlen(s) + 64;
			char *text = malloc(cap);
			cr_assert_not_null(text);
			snprintf(text, cap, "{\"decision\":\"comment\",\"comment\":%s}", s);
			free(s);
			if (n <= RG_MAX_COMMENT_CHARS) {
				rg_json *v;
				rg_pr_action a;
				rg_warnings w;
				accept(text, &v, &a, &w);
				cr_expect_eq(a.comment_len, n * strlen(units[u]),
					     "%zu characters of %zu bytes kept whole", n,
					     strlen(units[u]));
				rg_pr_action_release(&a);
				rg_json_free(v);
			} else {
				refuse(text, RG_ETOOBIG, "comment", "string_too_long", "at most 8000 characters");
			}
			free(text);
		}
	}
}

Test(pr_action, too_long_comment_under_an_alias_names_the_alias)
{
	char *s = json_string_of("x", RG_MAX_COMMENT_CHARS + 1);
	size_t cap = strlen(s) + 64;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	snprintf(text, cap, "{\"verdict\":\"reject\",\"review\":%s}", s);
	refuse(text, RG_ETOOBIG, "review", "string_too_long", "got 8001");
	free(s);
	free(text);
}

Test(pr_action, too_many_findings)
{
	rg_json *arr = rg_json_arr();
	cr_assert_not_null(arr);
	for (int i = 0; i < RG_MAX_FINDINGS + 1; i++) {
		rg_json *f = rg_json_obj();
		cr_assert(f && !rg_json_set_int(f, "line_number", i + 1) &&
			  !rg_json_set_str(f, "description", "d") && !rg_json_push(arr, f));
	}
	rg_json *act = rg_json_obj();
	cr_assert(act && !rg_json_set_str(act, "decision", "request_changes") &&
		  !rg_json_set(act, "findings", arr));
	rg_pr_action a;
	rg_warnings w;
	rg_err err;
	cr_expect_eq(normalise(act, &a, &w, &err), RG_ETOOBIG);
	cr_expect_str_eq(err.field, "findings");
	cr_expect_null(a.findings.findings, "nothing to release after an error");
	rg_json_free(act);
	assert_no_leaks();
}

/* The record of a turn (rg_pr_action_text) is JSON saying what was understood:
 * the canonical decision, the comment byte for byte, the findings. */
Test(pr_action, record_text_is_the_normalised_action)
{
	static const char *const cases[][3] = {
		{ "{\"verdict\": \"LGTM\", \"body\": \"ship \\\"it\\\"\\n\\u0000ok\"}", "approve", NULL },
		{ "{\"decision\": \"comment\", \"comment\": \"tab\\there, \\u00e9\"}", "comment", NULL },
		{ "{\"decision\": \"request_changes\", \"comment\": \"off by one\", \"findings\":"
		  " [{\"line\": \"L3\", \"type\": \"logic\", \"description\": \"skips the last\"}]}",
		  "request_changes", "logic_error" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_json *v = NULL;
		rg_pr_action a;
		rg_warnings w;
		accept(cases[i][0], &v, &a, &w);
		rg_buf b;
		rg_buf_init(&b, SIZE_MAX);
		cr_assert_eq(rg_pr_action_text(&a, &b), RG_OK);
		rg_json *t = parse(b.data);
		const rg_json *d = rg_json_get(t, "decision");
		cr_expect_str_eq(rg_json_str_val(d), cases[i][1], "case %zu: %s", i, b.data);
		const rg_json *c = rg_json_get(t, "comment");
		cr_expect(rg_json_str_len(c) == a.comment_len &&
				  !memcmp(rg_json_str_val(c), a.comment, a.comment_len),
			  "case %zu: comment differs: %s", i, b.data);
		const rg_json *fs = rg_json_get(t, "findings");
		cr_expect_eq(rg_json_size(fs), a.findings.n, "case %zu", i);
		if (cases[i][2])
			cr_expect_str_eq(rg_json_str_val(rg_json_get(rg_json_at(fs, 0), "issue_type")),
					 cases[i][2], "case %zu", i);
		rg_json_free(t);
		rg_buf_free(&b);
		rg_pr_action_release(&a);
		rg_json_free(v);
	}
}
