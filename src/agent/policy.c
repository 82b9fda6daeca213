/*
 * policy.c - the runner's policies (see policy.h). The llm prompt lives here:
 * a system message per family that teaches the action format, then per turn a
 * user message rendering the observation (code with line numbers, the diff,
 * the author's message, the feedback on the previous turn), and the model's
 * replies as assistant messages. The conversation keeps the system message and
 * the latest MAX_TURN_MESSAGES messages, so long episodes stay bounded.
 */
#include "agent/policy.h"

#include <stdio.h>
#include <string.h>

#include "agent/heuristic.h"
#include "agent/oracle.h"
#include "core/alloc.h"
#include "core/buf.h"

#define LABEL_MAX 200
#define MAX_TURN_MESSAGES 11 /* odd: the window after the system message starts with a user turn */
#define PROMPT_MAX_BYTES (512 * 1024)

static const char *const names[] = { "oracle", "empty", "heuristic", "llm" };

int rg_policy_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

const char *rg_policy_name(enum rg_policy_kind k)
{
	return (unsigned)k < 4 ? names[k] : "?";
}

void rg_policy_init(rg_policy *p, rg_policy_shared *shared)
{
	memset(p, 0, sizeof *p);
	p->shared = shared;
	p->shared_ro = shared;
}

void rg_policy_free(rg_policy *p)
{
	rg_json_free(p->messages);
	p->messages = NULL;
}

void rg_policy_begin(rg_policy *p)
{
	rg_policy_free(p);
}

/* One line, at most LABEL_MAX bytes, for the [STEP] log. */
static char *one_line(const char *s)
{
	size_t n = strlen(s);
	size_t cut = n > LABEL_MAX ? LABEL_MAX : n;
	while (cut < n && cut && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--; /* whole UTF-8 sequences only */
	char *out = rg_malloc(cut + 4);
	if (!out)
		return NULL;
	for (size_t i = 0; i < cut; i++)
		out[i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
	memcpy(out + cut, cut < n ? "..." : "", cut < n ? 4 : 1);
	return out;
}

static char *json_label(const rg_json *a)
{
	size_t n;
	char *s = rg_json_dump(a, &n);
	char *l = s ? one_line(s) : NULL;
	rg_free(s);
	return l;
}

/* ------------------------------------------------------------------------ */
/* llm                                                                      */
/* ------------------------------------------------------------------------ */

static const char system_code_review[] =
	"You are a meticulous senior engineer reviewing Python code. Find every real defect: "
	"bugs, logic errors and security vulnerabilities. Answer with one JSON object and nothing "
	"else:\n"
	"{\"findings\": [{\"line_number\": <int>, \"issue_type\": \"bug\" | \"logic_error\" | "
	"\"security_vulnerability\", \"description\": \"what goes wrong and why, in your own "
	"words\", \"suggested_fix\": \"how to fix it\"}], \"review_summary\": \"one sentence\"}\n"
	"Use the line numbers shown. One finding per defect; do not list style issues or guesses: "
	"false positives cost points. You may get feedback on your review and another attempt.";

static const char system_pr_review[] =
	"You are a senior engineer reviewing a pull request, talking with its author over several "
	"turns. Each turn answer with one JSON object and nothing else:\n"
	"{\"decision\": \"approve\" | \"request_changes\" | \"escalate\" | \"comment\", "
	"\"comment\": \"your review: name the root cause of any defect and how to fix it\"}\n"
	"Approve only correct code. Request changes on flawed code and say precisely what is wrong; "
	"hold firm when the author pushes back or sends a cosmetic or partial fix. Escalate at once "
	"only for critical security flaws (leaked secrets, remote code execution); escalating "
	"anything else is an over-reaction. Approving broken code is the worst outcome.";

static int append_numbered(rg_buf *b, const char *code)
{
	int rc = 0;
	int line = 1;
	for (const char *p = code; !rc && *p; line++) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		rc = rg_buf_printf(b, "%4d | %.*s\n", line, (int)n, p);
		p = e ? e + 1 : p + n;
	}
	return rc;
}

static const char *str_of(const rg_json *obs, const char *k)
{
	const char *s = rg_json_str_val(rg_json_get(obs, k));
	return s ? s : "";
}

static int render_observation(rg_buf *b, const char *family, const rg_json *obs, const char *err)
{
	int rc = 0;
	if (err)
		rc = rg_buf_printf(b, "The server rejected your last answer: %s\nAnswer again with one "
				      "valid JSON object.\n\n", err);
	if (!strcmp(family, "pr_review")) {
		rc = rc || rg_buf_printf(b, "Pull request: %s\n%s\n\nTurn %lld of %lld. Author: %s\n",
					 str_of(obs, "pr_title"), str_of(obs, "pr_description"),
					 rg_json_int_val(rg_json_get(obs, "turn")) + 1,
					 rg_json_int_val(rg_json_get(obs, "max_turns")),
					 str_of(obs, "author_message"));
		if (!rc && rg_json_int_val(rg_json_get(obs, "turn")) > 0)
			rc = rg_buf_printf(b, "Feedback on your last turn: %s\n", str_of(obs, "feedback"));
		rc = rc || rg_buf_printf(b, "\nDiff (revision %lld):\n%s\nThe file now:\n",
					 rg_json_int_val(rg_json_get(obs, "revision")),
					 str_of(obs, "diff"));
	} else {
		rc = rc || rg_buf_printf(b, "%s\nTask: %s\nAttempt %lld of %lld.\n", str_of(obs, "title"),
					 str_of(obs, "task_description"),
					 rg_json_int_val(rg_json_get(obs, "attempt")) + 1,
					 rg_json_int_val(rg_json_get(obs, "max_attempts")));
		if (!rc && rg_json_int_val(rg_json_get(obs, "attempt")) > 0)
			rc = rg_buf_printf(b, "Feedback on your last attempt: %s\n", str_of(obs, "feedback"));
		rc = rc || rg_buf_puts(b, "\nCode:\n");
	}
	return rc || append_numbered(b, str_of(obs, "code_to_review"));
}

static int push_message(rg_json *msgs, const char *role, const char *content)
{
	rg_json *m = rg_json_obj();
	if (!m || rg_json_set_str(m, "role", role) || rg_json_set_str(m, "content", content)) {
		rg_json_free(m);
		return RG_ENOMEM;
	}
	return rg_json_push(msgs, m);
}

/* The conversation to send: system + the latest turns (bounded). The history
 * after the system message alternates user, assistant, ..., user, so keeping an
 * odd number of the latest messages keeps it starting with a user message, as
 * strict chat templates require. */
static rg_json *window(const rg_json *msgs)
{
	size_t n = rg_json_size(msgs);
	rg_json *w = rg_json_arr();
	for (size_t i = 0; w && i < n; i++) {
		if (i > 0 && i + MAX_TURN_MESSAGES < n)
			continue;
		if (rg_json_push(w, rg_json_ref(rg_json_at(msgs, i)))) {
			rg_json_free(w);
			return NULL;
		}
	}
	return w;
}

static bool budget_left(rg_policy *p)
{
	if (p->shared_ro->token_budget <= 0)
		return true;
	pthread_mutex_lock(&p->shared->lock);
	long long used = p->shared->usage.prompt_tokens + p->shared->usage.completion_tokens;
	pthread_mutex_unlock(&p->shared->lock);
	return used < p->shared_ro->token_budget;
}

static rg_json *llm_act(rg_policy *p, const char *family, const rg_json *obs, const char *ferr,
			char **label, rg_err *err)
{
	if (!budget_left(p)) {
		rg_err_set(err, RG_ECAPACITY, "llm", NULL, "the token budget (%lld) is spent",
			   p->shared_ro->token_budget);
		return NULL;
	}
	if (!p->messages) {
		p->messages = rg_json_arr();
		if (!p->messages || push_message(p->messages, "system",
						 strcmp(family, "pr_review") ? system_code_review
									     : system_pr_review)) {
			rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
			return NULL;
		}
	}
	rg_buf b;
	rg_buf_init(&b, PROMPT_MAX_BYTES);
	int rc = render_observation(&b, family, obs, ferr);
	rc = rc || push_message(p->messages, "user", b.data);
	rg_buf_free(&b);
	rg_json *w = rc ? NULL : window(p->messages);
	if (!w) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the prompt");
		return NULL;
	}
	char *text = NULL;
	rg_llm_usage u = { 0 };
	rc = rg_llm_chat(&p->shared_ro->llm, w, &text, &u, err);
	rg_json_free(w);
	pthread_mutex_lock(&p->shared->lock);
	p->shared->usage.prompt_tokens += u.prompt_tokens;
	p->shared->usage.completion_tokens += u.completion_tokens;
	p->shared->usage.calls += u.calls;
	p->shared->usage.retries += u.retries;
	p->shared->usage.failures += u.failures;
	pthread_mutex_unlock(&p->shared->lock);
	if (rc)
		return NULL;
	rg_json *a = rg_json_obj();
	if (push_message(p->messages, "assistant", text) || !a ||
	    rg_json_set_str(a, "text", text) || !(*label = one_line(text))) {
		rg_json_free(a);
		a = NULL;
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	}
	rg_free(text);
	return a;
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                 */
/* ------------------------------------------------------------------------ */

static rg_json *empty_action(const char *family)
{
	const char *text = strcmp(family, "pr_review") ? "{\"findings\":[]}"
						       : "{\"decision\":\"comment\",\"comment\":\"\"}";
	return rg_json_parse(text, strlen(text), NULL);
}

rg_json *rg_policy_act(rg_policy *p, const char *family, const rg_json *obs,
		       const char *feedback_error, char **label, rg_err *err)
{
	*label = NULL;
	rg_json *a = NULL;
	bool pr = !strcmp(family, "pr_review");
	switch (p->shared_ro->kind) {
	case RG_POLICY_LLM:
		return llm_act(p, family, obs, feedback_error, label, err);
	case RG_POLICY_ORACLE:
		a = rg_oracle_action(p->shared_ro->bank, obs, err);
		break;
	case RG_POLICY_HEURISTIC:
		a = pr ? rg_heuristic_pr_review(obs, err) : rg_heuristic_code_review(obs, err);
		break;
	default:
		a = empty_action(family);
		if (!a)
			rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		break;
	}
	if (a && !(*label = json_label(a))) {
		rg_json_free(a);
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		return NULL;
	}
	return a;
}
