/*
 * pr_action.c - normalising pr_review actions (see pr_action.h).
 */
#include "env/pr_action.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "env/repair.h"

enum pr_field { P_DECISION, P_COMMENT, P_FINDINGS, P__COUNT };
static const char *const field_aliases[P__COUNT][12] = {
	[P_DECISION] = { "decision", "verdict", "event", "action", "stance", "review_decision",
			 "status", "outcome", NULL },
	[P_COMMENT] = { "comment", "body", "review", "review_comment", "message", "summary",
			"review_summary", "reason", "rationale", "explanation", NULL },
	[P_FINDINGS] = { "findings", "issues", "bugs", "problems", "vulnerabilities", "comments",
			 "inline_comments", NULL },
};

static const struct { const char *alias; enum rg_decision d; } decision_aliases[] = {
	{ "approve", RG_DECIDE_APPROVE }, { "approved", RG_DECIDE_APPROVE },
	{ "accept", RG_DECIDE_APPROVE }, { "accepted", RG_DECIDE_APPROVE },
	{ "lgtm", RG_DECIDE_APPROVE }, { "merge", RG_DECIDE_APPROVE },
	{ "ship_it", RG_DECIDE_APPROVE },
	{ "request_changes", RG_DECIDE_REQUEST_CHANGES },
	{ "changes_requested", RG_DECIDE_REQUEST_CHANGES },
	{ "request_change", RG_DECIDE_REQUEST_CHANGES }, { "reject", RG_DECIDE_REQUEST_CHANGES },
	{ "rejected", RG_DECIDE_REQUEST_CHANGES }, { "block", RG_DECIDE_REQUEST_CHANGES },
	{ "needs_work", RG_DECIDE_REQUEST_CHANGES }, { "needs_changes", RG_DECIDE_REQUEST_CHANGES },
	{ "escalate", RG_DECIDE_ESCALATE }, { "escalated", RG_DECIDE_ESCALATE },
	{ "escalation", RG_DECIDE_ESCALATE }, { "escalate_security", RG_DECIDE_ESCALATE },
	{ "security_escalation", RG_DECIDE_ESCALATE }, { "escalate_to_security", RG_DECIDE_ESCALATE },
	{ "comment", RG_DECIDE_COMMENT }, { "commented", RG_DECIDE_COMMENT },
	{ "question", RG_DECIDE_COMMENT }, { "discuss", RG_DECIDE_COMMENT },
	{ "neutral", RG_DECIDE_COMMENT },
};

int rg_decision_from_alias(const char *s)
{
	char norm[40];
	size_t n = 0;
	for (; s[n] && n < sizeof norm - 1; n++) {
		unsigned char c = (unsigned char)s[n];
		norm[n] = (c == '-' || c == ' ') ? '_' : (char)tolower(c);
	}
	if (s[n])
		return -1;
	norm[n] = 0;
	for (size_t i = 0; i < sizeof decision_aliases / sizeof *decision_aliases; i++)
		if (!strcmp(norm, decision_aliases[i].alias))
			return (int)decision_aliases[i].d;
	return -1;
}

static int field_of(const char *k)
{
	for (int f = 0; f < P__COUNT; f++)
		for (int i = 0; field_aliases[f][i]; i++)
			if (!strcmp(field_aliases[f][i], k))
				return f;
	return -1;
}

/* "comments" is a findings alias only when it holds findings (not a string). */
static int field_of_value(const char *k, const rg_json *v)
{
	int f = field_of(k);
	return f == P_FINDINGS && !strcmp(k, "comments") && rg_json_is_str(v) ? P_COMMENT : f;
}

static int parse_decision(const rg_json *v, const char *key, rg_pr_action *out, rg_warnings *w,
			  rg_err *err)
{
	const char *s = rg_json_str_val(v);
	int d = s && strlen(s) == rg_json_str_len(v) ? rg_decision_from_alias(s) : -1;
	if (d < 0) {
		if (!rg_json_is_str(v))
			return rg_err_set(err, RG_EINVAL, key, "enum",
					  "expected one of approve, request_changes, escalate, comment, got %s",
					  rg_json_type_name(v));
		return rg_err_set(err, RG_EINVAL, key, "enum",
				  "expected one of approve, request_changes, escalate, comment, got \"%.40s\"",
				  s);
	}
	out->decision = (enum rg_decision)d;
	if (strcmp(s, rg_decision_name(out->decision)))
		rg_warn(w, "read decision \"%.40s\" as \"%s\"", s, rg_decision_name(out->decision));
	return RG_OK;
}

static int parse_object(const rg_json *a, rg_pr_action *out, rg_warnings *w, rg_err *err)
{
	if (!rg_json_is_obj(a))
		return rg_err_set(err, RG_EINVAL, "action", "model_type",
				  "expected an object like {\"decision\": \"request_changes\", \"comment\": \"...\"}, got %s",
				  rg_json_type_name(a));
	static const char *const canonical[P__COUNT] = { "decision", "comment", "findings" };
	const rg_json *val[P__COUNT] = { 0 };
	const char *key[P__COUNT] = { 0 };
	int rc = rg_action_fields(a, P__COUNT, field_of_value, canonical,
				  "decision, comment, findings, metadata", val, key, w, err);
	if (rc)
		return rc;
	if (!val[P_DECISION])
		return rg_err_set(err, RG_EINVAL, "decision", "missing",
				  "field required; expected one of approve, request_changes, escalate, comment");
	if ((rc = parse_decision(val[P_DECISION], key[P_DECISION], out, w, err)))
		return rc;
	out->comment = "";
	out->comment_len = 0;
	if (val[P_COMMENT] &&
	    (rc = rg_action_text(val[P_COMMENT], key[P_COMMENT], RG_MAX_COMMENT_CHARS, &out->comment,
				 &out->comment_len, err)))
		return rc;
	if (out->comment_len == 0)
		rg_warn(w, "no comment: a decision without a comment names no root cause");
	return rg_findings_parse(val[P_FINDINGS], key[P_FINDINGS] ? key[P_FINDINGS] : "findings",
				 &out->findings, w, err);
}

int rg_pr_action_parse(const rg_json *action, rg_pr_action *out, rg_warnings *w, rg_err *err)
{
	memset(out, 0, sizeof *out);
	const rg_json *raw = rg_action_raw_text(action);
	/* {"message": "LGTM"} is a comment without a decision here, not model text
	 * (model text holds a JSON object). */
	if (raw && rg_json_is_obj(action) && field_of(rg_json_iter_key(rg_json_iter(action))) >= 0 &&
	    !memchr(rg_json_str_val(raw), '{', rg_json_str_len(raw)))
		raw = NULL;
	const rg_json *obj = action;
	if (raw) {
		out->findings.owned = rg_repair_parse(
			rg_json_str_val(raw), rg_json_str_len(raw),
			"{\"decision\": \"request_changes\", \"comment\": \"...\"}", w, err);
		if (!out->findings.owned)
			return err->code;
		rg_warn(w, "parsed the action from text");
		obj = out->findings.owned;
	}
	int rc = parse_object(obj, out, w, err);
	if (rc)
		rg_pr_action_release(out);
	return rc;
}

void rg_pr_action_release(rg_pr_action *a)
{
	rg_cr_action_release(&a->findings);
	memset(a, 0, sizeof *a);
}

int rg_pr_action_text(const rg_pr_action *a, rg_buf *b)
{
	const char *d = rg_decision_name(a->decision);
	int rc = rg_buf_puts(b, "{\"decision\":") ||
		 (d ? rg_buf_json_str(b, d, strlen(d)) : rg_buf_puts(b, "null")) ||
		 rg_buf_puts(b, ",\"comment\":") ||
		 rg_buf_json_str(b, a->comment, a->comment ? a->comment_len : 0) ||
		 rg_buf_puts(b, ",\"findings\":") || rg_cr_findings_text(&a->findings, b) ||
		 rg_buf_append(b, "}", 1);
	return rc ? RG_ENOMEM : RG_OK;
}
