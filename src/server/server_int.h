/*
 * server_int.h - state shared by the server's files (server.c, http.c, ws.c,
 * routes.c); not part of the server's contract.
 *
 * Ownership: rg_server owns the bank, the sessions and the precomputed static
 * bodies. A conn is lws's per-connection user data (zeroed by lws, freed by lws);
 * what it points to (buffers, queued replies) it owns and conn_release frees.
 */
#ifndef RG_SERVER_SERVER_INT_H
#define RG_SERVER_SERVER_INT_H

#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>

#include "bank/bank.h"
#include "bank/custom.h"
#include "core/buf.h"
#include "core/rng.h"
#include "server/server.h"
#include "server/session.h"
#include "server/stats.h"
#include "store/store.h"

typedef struct rg_jobs rg_jobs;
typedef struct rg_web rg_web;
typedef struct rg_conn rg_conn;

typedef struct rg_server {
	lws_sorted_usec_list_t reaper; /* first member: the timer callback casts back */
	struct lws_context *ctx;
	const rg_server_config *cfg;
	rg_bank *bank;
	rg_custom_store *custom;       /* custom review tasks (POST /config/custom) */
	rg_env_world world;            /* { bank, custom }: what environments read */
	rg_sessions sessions;
	rg_rng rng;                    /* seeds for seedless resets, episode ids */
	char *readme;                  /* README text or NULL */
	char *body_schema, *body_schema_pr, *body_openapi, *body_metadata; /* precomputed */
	size_t len_schema, len_schema_pr, len_openapi, len_metadata;
	uint64_t requests, steps;
	rg_store *store;               /* NULL with --no-store */
	rg_stats stats;
	rg_jobs *jobs;                 /* worker threads for store reads */
	rg_jobs *model_jobs;           /* and for model calls, apart: seconds each, they must
					* never hold up the dashboard's reads */
	rg_web *web;                   /* the dashboard's static files, or NULL */
	rg_conn *feed;                 /* /api/feed subscribers (list through feed_next) */
	size_t n_feed;
} rg_server;

/* One queued reply (WS). */
typedef struct rg_reply {
	struct rg_reply *next;
	size_t len;
	unsigned char data[]; /* LWS_PRE headroom, then len bytes */
} rg_reply;

typedef enum { M_NONE, M_GET, M_POST, M_PUT, M_PATCH, M_DELETE, M_OPTIONS, M_HEAD } rg_method;

struct rg_job;

struct rg_conn {
	/* HTTP */
	rg_method method;
	char uri[RG_MAX_URI_LEN + 1];
	char query_episode[RG_MAX_EPISODE_ID_LEN + 1];
	char query_family[32];
	char query[1024];             /* all query arguments, '&'-joined, decoded */
	bool query_too_long;
	rg_buf body;
	bool body_too_big, close_after, responded;
	int status;
	const char *allow;            /* Allow header for 405 */
	const char *content_type;
	unsigned char *resp;          /* LWS_PRE + len */
	size_t resp_len;
	/* WebSocket */
	bool is_ws;
	struct lws *wsi;              /* for closes initiated by the reaper */
	rg_session *session;
	rg_buf msg;
	bool msg_too_big;
	rg_reply *q_head, *q_tail;
	size_t q_n;
	bool close_pending;           /* close after the queue drains */
	int close_status;
	const char *close_reason;
	/* /api/feed subscriber */
	bool is_feed;
	rg_conn *feed_prev, *feed_next;
	/* HTTP answered by a worker thread (jobs.c): the pending job, or NULL */
	struct rg_job *job;
	const char *disposition;       /* Content-Disposition for downloads, or NULL */
	const char *location;          /* Location for redirects, or NULL */
};

uint64_t rg__server_now_ms(void);
rg_server *rg__server_of(struct lws *wsi);
/* Parse reset parameters (data may be NULL) and complete them the same way for
 * HTTP and WebSocket: server entropy for seedless resets, a fresh UUID4 when no
 * episode_id was given (*id_given says which). RG_EINVAL with err naming the field. */
int rg__server_reset_params(rg_server *s, const rg_json *data, rg_reset_params *p,
			    bool *id_given, rg_err *err);

/* http.c */
int rg__http_callback(struct lws *wsi, enum lws_callback_reasons reason, rg_conn *c,
		      void *in, size_t len);
/* ws.c */
int rg__ws_callback(struct lws *wsi, enum lws_callback_reasons reason, rg_conn *c, void *in,
		    size_t len);
void rg__ws_idle(void *owner);

/* routes.c: handle one complete HTTP request; fills status, body and headers on c. */
int rg__server_build_docs(rg_server *s);

void rg__route(rg_server *s, rg_conn *c, const char *body, size_t len);
/* Reply helpers shared by the route files. rg__respond takes a malloc'd body
 * (NULL = out of memory: 500); rg__respond_json takes the value; rg__respond_err
 * answers FastAPI-shaped errors with loc = prefix + the error's field path.
 * rg__body_json parses a body ({} when empty) or answers 422 and returns NULL. */
void rg__respond(rg_conn *c, int status, char *body, size_t len);
void rg__respond_json(rg_conn *c, int status, rg_json *v);
void rg__respond_err(rg_conn *c, const rg_err *err, const char *const *prefix, size_t np);
rg_json *rg__body_json(rg_conn *c, const char *body, size_t len);
/* routes_pr.c: GET /tasks, POST /diff, POST /config/custom. */
void rg__h_tasks(rg_server *s, rg_conn *c, const char *body, size_t len);
void rg__h_diff(rg_server *s, rg_conn *c, const char *body, size_t len);
void rg__h_custom(rg_server *s, rg_conn *c, const char *body, size_t len);
/* record.c: after each reset and step, feed the live stats, the episode store
 * and the /api/feed subscribers. raw is the request as received (HTTP body or WS
 * message); envelope the reply's {observation, reward, done} (NULL when the step
 * was rejected, err then says why); reply the bytes sent. */
void rg__record_reset(rg_server *s, rg_session *ses, const rg_json *params, const char *raw,
		      size_t raw_len, const rg_json *envelope, const char *reply,
		      size_t reply_len);
void rg__record_step(rg_server *s, rg_session *ses, const char *raw, size_t raw_len,
		     const rg_json *envelope, const char *reply, size_t reply_len,
		     const rg_err *err, uint64_t t0_us);
uint64_t rg__server_now_us(void);

/* The value of query argument name (decoded) into out; false when absent. */
bool rg__query_arg(const rg_conn *c, const char *name, char *out, size_t cap);

/* ws.c: /api/feed */
void rg__feed_publish(rg_server *s, const char *text, size_t len);

/* http.c: send the response prepared on c (after a job finished). */
int rg__http_send(struct lws *wsi, rg_conn *c);

/* routes_api.c: the dashboard's read API (docs/api.md). */
void rg__h_api_config(rg_server *s, rg_conn *c, const char *body, size_t len);
void rg__h_api_stats(rg_server *s, rg_conn *c, const char *body, size_t len);
void rg__h_api_episodes(rg_server *s, rg_conn *c, const char *body, size_t len);
void rg__h_api_episode(rg_server *s, rg_conn *c, const char *id);
void rg__h_api_means(rg_server *s, rg_conn *c, const char *body, size_t len);
void rg__h_api_export(rg_server *s, rg_conn *c, const char *body, size_t len);
/* routes_model.c: POST /api/custom/review. */
void rg__h_custom_review(rg_server *s, rg_conn *c, const char *body, size_t len);
/* metrics.c: GET /metrics (Prometheus text). */
void rg__h_metrics(rg_server *s, rg_conn *c, const char *body, size_t len);

/* mcp.c: answer a JSON-RPC request body; returns malloc'd JSON. */
char *rg__mcp_handle(const char *body, size_t len, size_t *out_len);

#endif
