/*
 * session.h - environment sessions: one per WebSocket connection, and HTTP
 * episodes addressable by episode_id plus one default HTTP session.
 *
 * Design: every live session sits on one doubly-linked list (O(1) open/close, an
 * O(n) idle sweep every few seconds over at most max sessions). Capacity counts all
 * sessions, as the reference counts WS and MCP sessions together (protocol §5.1).
 * HTTP lookup by episode_id is a scan of that list: at the default 1024 sessions it
 * costs about a microsecond, far below the step itself, so no index is kept.
 * A session owns its environment instance and creates it lazily with the family a
 * reset asks for; switching family destroys the old instance.
 *
 * Activity (for the idle reaper) is reset and step, not state, as in the reference.
 * Only the server thread touches sessions.
 */
#ifndef RG_SERVER_SESSION_H
#define RG_SERVER_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "env/env.h"

typedef enum rg_session_kind { RG_SESSION_WS, RG_SESSION_HTTP } rg_session_kind;

typedef struct rg_session {
	struct rg_session *prev, *next;
	rg_session_kind kind;
	rg_env env;               /* ops NULL until created */
	uint64_t last_active_ms;
	void *owner;              /* WS: the connection; HTTP: NULL */
	/* The episode store's record of the current episode (server/record.c). */
	int64_t store_id;         /* 0 = not recorded (no store), -1 = its start was dropped */
	uint32_t step_index;      /* steps recorded so far, rejected ones included */
	char client[65];          /* reset's "client" label, "" when none */
} rg_session;

typedef struct rg_sessions {
	rg_session *head;
	size_t count, max;
	const rg_env_world *world;
	rg_session *http_default; /* the session id-less HTTP calls act on, or NULL */
} rg_sessions;

void rg_sessions_init(rg_sessions *ss, const rg_env_world *world, size_t max);
/* Close every session (server shutdown). */
void rg_sessions_shutdown(rg_sessions *ss);
/* New session of the default family; RG_ECAPACITY when full. */
rg_session *rg_sessions_open(rg_sessions *ss, rg_session_kind kind, void *owner,
			     uint64_t now_ms, rg_err *err);
void rg_sessions_close(rg_sessions *ss, rg_session *s);
/* The HTTP session whose current episode has this id, or NULL. */
rg_session *rg_sessions_find_http(rg_sessions *ss, const char *episode_id);
/* Close idle HTTP sessions; for idle WS sessions call on_ws_idle(owner) (the
 * connection closes itself and then calls rg_sessions_close). Returns the
 * number of sessions found idle. */
size_t rg_sessions_sweep(rg_sessions *ss, uint64_t now_ms, uint64_t idle_ms,
			 void (*on_ws_idle)(void *owner));

/* Reset, switching family when the parameters ask for another one (by family,
 * or by a task_id of another family). */
RG_MUST_CHECK int rg_session_reset(rg_session *s, const rg_env_world *world,
				   const rg_reset_params *p, uint64_t now_ms,
				   rg_env_result *out, rg_err *err);
RG_MUST_CHECK int rg_session_step(rg_session *s, const rg_json *action, uint64_t now_ms,
				  rg_env_result *out, rg_err *err);
/* State object (new reference); a session never reset reports the base State. */
rg_json *rg_session_state(rg_session *s);

#endif
