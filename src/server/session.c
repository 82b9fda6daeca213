/*
 * session.c - the session table (see session.h).
 */
#include "server/session.h"

#include <stdlib.h>
#include <string.h>
#include "core/alloc.h"

void rg_sessions_init(rg_sessions *ss, const rg_env_world *world, size_t max)
{
	memset(ss, 0, sizeof *ss);
	ss->world = world;
	ss->max = max;
}

static void env_drop(rg_session *s)
{
	if (s->env.ops)
		s->env.ops->destroy(s->env.ctx);
	s->env.ops = NULL;
	s->env.ctx = NULL;
}

rg_session *rg_sessions_open(rg_sessions *ss, rg_session_kind kind, void *owner,
			     uint64_t now_ms, rg_err *err)
{
	if (ss->count >= ss->max) {
		rg_err_set(err, RG_ECAPACITY, NULL, NULL,
			   "Server at capacity: %zu/%zu sessions active. Cannot accept new connections.",
			   ss->count, ss->max);
		return NULL;
	}
	rg_session *s = rg_calloc(1, sizeof *s);
	if (!s) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory creating a session");
		return NULL;
	}
	const rg_env_ops *ops = rg_env_default_family();
	s->env.ctx = ops->create(ss->world, err);
	if (!s->env.ctx) {
		rg_free(s);
		return NULL;
	}
	s->env.ops = ops;
	s->kind = kind;
	s->owner = owner;
	s->last_active_ms = now_ms;
	s->next = ss->head;
	if (ss->head)
		ss->head->prev = s;
	ss->head = s;
	ss->count++;
	return s;
}

void rg_sessions_close(rg_sessions *ss, rg_session *s)
{
	if (!s)
		return;
	if (s->prev)
		s->prev->next = s->next;
	else
		ss->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	if (ss->http_default == s)
		ss->http_default = NULL;
	ss->count--;
	env_drop(s);
	rg_free(s);
}

void rg_sessions_shutdown(rg_sessions *ss)
{
	while (ss->head)
		rg_sessions_close(ss, ss->head);
}

rg_session *rg_sessions_find_http(rg_sessions *ss, const char *episode_id)
{
	for (rg_session *s = ss->head; s; s = s->next) {
		if (s->kind != RG_SESSION_HTTP || !s->env.ops)
			continue;
		const char *id = s->env.ops->episode_id(s->env.ctx);
		if (id && !strcmp(id, episode_id))
			return s;
	}
	return NULL;
}

size_t rg_sessions_sweep(rg_sessions *ss, uint64_t now_ms, uint64_t idle_ms,
			 void (*on_ws_idle)(void *owner))
{
	size_t n = 0;
	rg_session *s = ss->head;
	while (s) {
		rg_session *next = s->next;
		if (now_ms - s->last_active_ms >= idle_ms) {
			n++;
			if (s->kind == RG_SESSION_HTTP)
				rg_sessions_close(ss, s);
			else if (on_ws_idle)
				on_ws_idle(s->owner);
		}
		s = next;
	}
	return n;
}

/* The family a reset asks for: named, else the family of the task it names, else
 * the session's current one. */
static const rg_env_ops *family_for(const rg_session *s, const rg_env_world *w,
				    const rg_reset_params *p)
{
	if (p->family[0])
		return rg_env_family(p->family);
	if (p->task_id[0]) {
		const rg_task *t = rg_bank_find(w->bank, p->task_id);
		if (t)
			return rg_env_family(t->family);
		if (rg_custom_is_id(p->task_id))
			return rg_env_family("pr_review");
	}
	return s->env.ops;
}

int rg_session_reset(rg_session *s, const rg_env_world *world, const rg_reset_params *p,
		     uint64_t now_ms, rg_env_result *out, rg_err *err)
{
	const rg_env_ops *ops = family_for(s, world, p);
	if (!ops)
		ops = rg_env_default_family();
	if (ops != s->env.ops) {
		void *ctx = ops->create(world, err);
		if (!ctx)
			return err->code;
		rg_env fresh = { ops, ctx };
		int rc = ops->reset(ctx, p, out, err);
		if (rc) {
			ops->destroy(ctx);
			return rc; /* the old episode survives a failed reset */
		}
		env_drop(s);
		s->env = fresh;
	} else {
		int rc = ops->reset(s->env.ctx, p, out, err);
		if (rc)
			return rc;
	}
	s->last_active_ms = now_ms;
	return RG_OK;
}

int rg_session_step(rg_session *s, const rg_json *action, uint64_t now_ms, rg_env_result *out,
		    rg_err *err)
{
	s->last_active_ms = now_ms; /* even a rejected action shows the client is alive */
	return s->env.ops->step(s->env.ctx, action, out, err);
}

rg_json *rg_session_state(rg_session *s)
{
	return s->env.ops->state(s->env.ctx);
}
