/*
 * pr_review.c - the pr_review family: a multi-turn review of one pull request
 * against a simulated author, or a one-turn custom review of user code.
 *
 * Design: the author is data (docs/pr-task-format.md): a state machine whose
 * states show a version of the file and say a message, with rules that move on
 * the reviewer's decision and on whether the review named the root cause. This
 * file only interprets it:
 *   approve / escalate   end the episode (merge / hand-off to security), with
 *                        success decided from the version's verdict;
 *   request_changes /    the first matching rule of the state moves the author
 *   comment              (no match: stay, and the author repeats); an end state
 *                        ends the episode with its own outcome;
 *   max_turns            ends the episode as "turn_limit".
 * Turn rewards and the episode score come from grade/pr_grade.c; the feedback
 * and breakdown from env/pr_report.c; the observation and state JSON from
 * env/pr_view.c (the context is in env/pr_int.h). As in code_review, a step parses and
 * grades before touching state, and commits only once the observation is built,
 * so a bad action or an allocation failure costs the episode nothing.
 *
 * Custom tasks (kind custom-review) are one turn: with expected issues the
 * findings are graded like a code_review attempt; without them the reward is
 * null and the feedback says there is no ground truth.
 *
 * Ownership: the context borrows the world; a custom task is held by reference
 * count while it is the episode's task; history comments are heap copies capped
 * at RG_MAX_HISTORY_COMMENT_BYTES.
 */
#include "env/env.h"
#include "env/pr_int.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/rng.h"
#include "env/cr_report.h"
#include "env/pr_action.h"
#include "env/pr_report.h"
#include "env/schemas.h"
#include "grade/pr_grade.h"

#define GENERIC_REPEAT "I'm not sure what you want me to change. What exactly is wrong?"

/* ------------------------------------------------------------------------ */
/* Lifecycle                                                                */
/* ------------------------------------------------------------------------ */

static void *pr_create(const rg_env_world *world, rg_err *err)
{
	pr_ctx *c = rg_calloc(1, sizeof *c);
	if (!c) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory creating an environment");
		return NULL;
	}
	c->world = *world;
	c->profile = &rg_grade_default;
	rg_buf_init(&c->last_action, SIZE_MAX); /* bounded by the action's own limits */
	return c;
}

/* Custom tasks come only from the store, and an episode holds its task. */
static bool held_custom(const pr_ctx *c)
{
	return c->task && c->task->pr->kind == RG_PR_CUSTOM && c->world.custom;
}

/* Free what an episode owns (history comments, the custom task hold). */
static void episode_release(pr_ctx *c)
{
	for (int i = 0; i < c->turns; i++)
		rg_free(c->history[i].comment);
	if (held_custom(c))
		rg_custom_release(c->world.custom, c->task);
}

static void pr_destroy(void *ctx)
{
	if (!ctx)
		return;
	episode_release(ctx);
	rg_buf_free(&((pr_ctx *)ctx)->last_action);
	rg_free(ctx);
}

static int choose_task(pr_ctx *c, const rg_reset_params *p, rg_err *err)
{
	const rg_bank *b = c->world.bank;
	if (p->n_tasks)
		return rg_err_set(err, RG_EINVAL, "tasks", "value_error",
				  "a pr_review episode reviews one pull request: give task_id instead");
	if (p->task_id[0]) {
		const rg_task *t = rg_bank_find(b, p->task_id);
		if (t && !strcmp(t->family, "pr_review")) {
			c->task = t;
			return RG_OK;
		}
		if (!t && c->world.custom && (t = rg_custom_acquire(c->world.custom, p->task_id))) {
			c->task = t; /* held: episode_release gives it back */
			return RG_OK;
		}
		return rg_err_set(err, RG_EINVAL, "task_id", "value_error",
				  "unknown pr_review task \"%.64s\" (GET /tasks lists them; POST /config/custom registers your own)",
				  p->task_id);
	}
	size_t idx[RG_MAX_TASKS];
	size_t n = rg_bank_select(b, "pr_review", p->difficulty, idx, RG_MAX_TASKS);
	size_t train = 0;
	for (size_t i = 0; i < n; i++)
		if (!rg_bank_at(b, idx[i])->eval_split)
			idx[train++] = idx[i];
	if (train)
		n = train;
	if (n == 0)
		return rg_err_set(err, RG_EINVAL, p->difficulty >= 0 ? "difficulty" : "family",
				  "value_error", "the bank has no %s%spr_review scenario",
				  p->difficulty >= 0 ? rg_difficulty_name(p->difficulty) : "",
				  p->difficulty >= 0 ? " " : "");
	rg_rng rng;
	rg_rng_seed(&rng, c->seed);
	c->task = rg_bank_at(b, idx[rg_rng_below(&rng, n)]);
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* reset                                                                    */
/* ------------------------------------------------------------------------ */

static int pr_reset(void *ctx, const rg_reset_params *p, rg_env_result *out, rg_err *err)
{
	pr_ctx *c = ctx;
	pr_ctx next;
	memset(&next, 0, sizeof next);
	next.world = c->world;
	next.profile = c->profile;
	next.seed = p->has_seed ? p->seed : p->entropy;
	next.reward_delta = p->reward_delta;
	snprintf(next.episode_id, sizeof next.episode_id, "%s", p->episode_id);
	int rc = choose_task(&next, p, err);
	if (rc)
		return rc; /* the previous episode is untouched */
	const rg_pr_scenario *s = next.task->pr;
	next.started = true;
	next.state = 0;
	next.version = s->states[0].version;
	next.author_message = s->states[0].message;
	rg_warnings w;
	rg_warn_clear(&w);
	if (p->max_attempts)
		rg_warn(&w, "max_attempts applies to code_review only; a pr_review episode has max_turns");
	rg_buf b;
	rg_buf_init(&b, FEEDBACK_MAX_BYTES);
	if (s->kind == RG_PR_CUSTOM)
		rc = rg_buf_printf(&b, "Custom review of %s (%zu lines). One turn: decide (approve, request_changes, escalate or comment), explain in comment, and list findings with line numbers of the new file.",
				   s->file, next.task->n_lines);
	else
		rc = rg_buf_printf(&b, "New pr_review episode: review the pull request \"%s\" over up to %d turn%s. Each turn: decide approve, request_changes, escalate or comment, and explain the root cause in comment. The author answers in author_message.",
				   s->pr_title, s->max_turns, s->max_turns == 1 ? "" : "s");
	rg_json *wj = rc ? NULL : rg_warn_to_json(&w);
	rg_json *obs = wj ? rg__pr_observation(&next, b.data, NULL, wj) : NULL;
	rg_buf_free(&b);
	if (!obs) {
		if (held_custom(&next))
			rg_custom_release(next.world.custom, next.task);
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the observation");
	}
	episode_release(c);
	next.last_action = c->last_action;
	rg_buf_reset(&next.last_action);
	*c = next;
	out->observation = obs;
	out->has_reward = false;
	out->reward = 0;
	out->done = false;
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* step                                                                     */
/* ------------------------------------------------------------------------ */

static char *history_copy(const rg_pr_action *a)
{
	size_t n = a->comment_len;
	if (n > RG_MAX_HISTORY_COMMENT_BYTES) {
		n = RG_MAX_HISTORY_COMMENT_BYTES;
		while (n && ((unsigned char)a->comment[n] & 0xc0) == 0x80)
			n--; /* do not cut a UTF-8 sequence */
	}
	char *s = rg_malloc(n + 4);
	if (s) {
		memcpy(s, a->comment, n);
		memcpy(s + n, n < a->comment_len ? "..." : "", n < a->comment_len ? 4 : 1);
	}
	return s;
}

/* Move the author for a request_changes / comment turn. */
static void follow_rules(pr_ctx *n, enum rg_decision d, bool root_cause)
{
	const rg_pr_scenario *s = n->task->pr;
	const rg_pr_state *st = &s->states[n->state];
	for (size_t i = 0; i < st->n_rules; i++) {
		const rg_pr_rule *r = &st->rules[i];
		if ((r->decision >= 0 && r->decision != (int)d) ||
		    (r->root_cause >= 0 && r->root_cause != (int)root_cause))
			continue;
		const rg_pr_state *to = &s->states[r->to];
		n->state = r->to;
		n->author_message = to->message;
		if (to->end) {
			n->done = true;
			n->outcome = to->end;
			n->success = to->success;
		} else {
			n->version = to->version;
		}
		return;
	}
	n->author_message = st->repeat ? st->repeat : GENERIC_REPEAT;
}

/* Apply a graded scenario turn to n (a copy of the context). */
static bool apply_turn(pr_ctx *n, const rg_pr_turn_grade *g)
{
	bool late = false;
	switch (g->decision) {
	case RG_DECIDE_APPROVE:
		n->done = true;
		if (g->catastrophic) {
			n->catastrophic = true;
			n->outcome = "merged_broken";
		} else {
			n->success = !n->critical_missed;
			n->outcome = n->critical_missed ? "merged_after_unescalated_critical" : "merged";
		}
		n->author_message = g->catastrophic ? "Thanks! Merging now." : "Thanks for the review, merging.";
		break;
	case RG_DECIDE_ESCALATE:
		n->done = true;
		late = g->verdict == RG_VERDICT_CRITICAL && n->critical_missed;
		n->success = g->verdict == RG_VERDICT_CRITICAL && !late;
		n->outcome = n->success ? "escalated" : late ? "escalated_late" : "over_escalated";
		n->author_message = "The PR is on hold while the security team takes a look.";
		break;
	default:
		if (g->verdict == RG_VERDICT_CRITICAL)
			n->critical_missed = true;
		follow_rules(n, g->decision, g->root_cause_named);
		break;
	}
	if (!n->done && n->turns >= n->task->pr->max_turns) {
		n->done = true;
		n->outcome = "turn_limit";
		n->success = false;
	}
	return late;
}

static int step_feedback(rg_buf *b, const pr_ctx *n, const rg_pr_turn_grade *g, bool late)
{
	int rc = rg_buf_printf(b, "Turn %d/%d: ", n->turns, n->task->pr->max_turns);
	rc = rc ? rc : rg__pr_feedback(b, g, late);
	if (!rc && n->done)
		rc = rg_buf_printf(b, " Episode over: %s (%s), score %.4g.", n->outcome,
				   n->success ? "success" : "failure", rg__pr_score(n, true));
	else if (!rc && n->version != n->history[n->turns - 1].version)
		rc = rg_buf_printf(b, " The author pushed revision %d: the diff has changed.",
				   n->version + 1);
	return rc;
}

/* One graded turn: fills next, the feedback and the breakdown. */
static int scenario_turn(pr_ctx *next, const rg_pr_action *a, rg_buf *b, rg_json **bd,
			 double *reward, rg_err *err)
{
	const rg_pr_version *v = rg__pr_version(next);
	rg_pr_turn_grade *g = rg_malloc(sizeof *g);
	if (!g)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory grading");
	int rc = rg_grade_pr_turn(&v->review, v->verdict, rg_bank_lexicon(next->world.bank),
				  a->decision, a->comment, a->comment_len, a->findings.findings,
				  a->findings.n, next->profile, g, err);
	if (rc)
		goto out;
	double before = rg__pr_score(next, false);
	pr_turn *h = &next->history[next->turns++];
	h->has_reward = true;
	h->reward = g->reward;
	bool late = apply_turn(next, g);
	h->reply = next->author_message;
	*reward = next->reward_delta ? rg_grade_round(rg__pr_score(next, true) - before) : g->reward;
	rc = step_feedback(b, next, g, late);
	if (!rc && !(*bd = rg__pr_breakdown(&v->review, g, next->turns, *reward)))
		rc = RG_ENOMEM;
	if (rc)
		rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the feedback");
out:
	rg_free(g);
	return rc;
}

/* The one turn of a custom review. */
static int custom_turn(pr_ctx *next, const rg_pr_action *a, rg_buf *b, rg_json **bd,
		       double *reward, bool *has_reward, rg_err *err)
{
	const rg_task *t = &rg__pr_version(next)->review;
	pr_turn *h = &next->history[next->turns++];
	next->done = true;
	next->outcome = "reviewed";
	next->author_message = "Thanks for the review.";
	h->reply = next->author_message;
	if (t->n_issues == 0) {
		*has_reward = false;
		return rg_buf_puts(b, "Review recorded. This custom task has no expected issues, so there is no ground truth: the review is not scored.")
			       ? rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory")
			       : RG_OK;
	}
	rg_grade_result *r = rg_malloc(sizeof *r);
	if (!r)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory grading");
	int rc = rg_grade_attempt(t, rg_bank_lexicon(next->world.bank), a->findings.findings,
				  a->findings.n, next->profile, r, err);
	if (!rc) {
		*has_reward = true;
		*reward = r->score;
		h->has_reward = true;
		h->reward = r->score;
		next->has_score = true;
		next->custom_score = r->score;
		if (rg__cr_feedback(b, t, &a->findings, r, 1, 1) ||
		    !(*bd = rg__cr_breakdown(t, &a->findings, r, next->profile, 1, r->score)))
			rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the feedback");
	}
	rg_free(r);
	return rc;
}

static int pr_step(void *ctx, const rg_json *action, rg_env_result *out, rg_err *err)
{
	pr_ctx *c = ctx;
	if (!c->started)
		return rg_err_set(err, RG_ESTATE, NULL, NULL, "no active episode: call reset first");
	if (c->done)
		return rg_err_set(err, RG_ESTATE, NULL, NULL,
				  "episode is done: call reset to start a new one");
	rg_warnings w;
	rg_warn_clear(&w);
	rg_pr_action a;
	int rc = rg_pr_action_parse(action, &a, &w, err);
	if (rc)
		return rc;
	pr_ctx next = *c;
	next.step_count++;
	pr_turn *h = &next.history[next.turns];
	memset(h, 0, sizeof *h);
	h->decision = a.decision;
	h->version = next.version;
	h->comment = history_copy(&a);
	rg_buf b;
	rg_buf_init(&b, FEEDBACK_MAX_BYTES);
	rg_json *bd = NULL, *obs = NULL;
	double reward = 0;
	bool has_reward = true;
	if (!h->comment)
		rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	else if (next.task->pr->kind == RG_PR_CUSTOM)
		rc = custom_turn(&next, &a, &b, &bd, &reward, &has_reward, err);
	else
		rc = scenario_turn(&next, &a, &b, &bd, &reward, err);
	if (!rc) {
		rg_json *wj = rg_warn_to_json(&w);
		obs = wj ? rg__pr_observation(&next, b.data, bd, wj) : NULL;
		bd = NULL;
		if (!obs)
			rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the observation");
	}
	rg_json_free(bd);
	rg_buf_free(&b);
	if (rc) {
		rg_pr_action_release(&a);
		rg_free(h->comment);
		return rc;
	}
	*c = next;
	out->observation = obs;
	out->has_reward = has_reward;
	out->reward = reward;
	out->done = c->done;
	rg_buf_reset(&c->last_action);
	if (rg_pr_action_text(&a, &c->last_action))
		rg_buf_reset(&c->last_action); /* out of memory: no record of this action */
	rg_pr_action_release(&a);
	return RG_OK;
}

static const char *pr_episode_id(void *ctx)
{
	const pr_ctx *c = ctx;
	return c->started ? c->episode_id : NULL;
}

static bool pr_is_done(void *ctx)
{
	return ((const pr_ctx *)ctx)->done;
}

static const char *pr_last_action(void *ctx, size_t *len)
{
	const pr_ctx *c = ctx;
	*len = c->last_action.len;
	return c->last_action.len ? c->last_action.data : NULL;
}

const rg_env_ops rg_env_pr_review = {
	.family = "pr_review",
	.description = "Review a pull request over several turns against a simulated author: "
		       "request changes naming the root cause, hold firm on cosmetic and partial "
		       "fixes, approve the real fix, escalate critical security flaws; plus custom "
		       "review of your own code.",
	.create = pr_create,
	.reset = pr_reset,
	.step = pr_step,
	.state = rg__pr_state,
	.episode_id = pr_episode_id,
	.is_done = pr_is_done,
	.last_action = pr_last_action,
	.destroy = pr_destroy,
	.action_schema = RG_SCHEMA_PR_REVIEW_ACTION,
	.observation_schema = RG_SCHEMA_PR_REVIEW_OBSERVATION,
};
