/*
 * server.h - the OpenEnv server: configuration and the run loop.
 *
 * Design: one libwebsockets context, one service thread (Debian's lws is built
 * with LWS_MAX_SMP=1), HTTP and WebSocket on the same port. Every request is
 * handled to completion on the loop: a code_review step is pure computation in
 * microseconds (grading does no I/O), so nothing blocks and pings are answered
 * between requests. SIGINT/SIGTERM stop the loop; sessions are closed and
 * connections dropped in order before exit.
 */
#ifndef RG_SERVER_SERVER_H
#define RG_SERVER_SERVER_H

#include <stddef.h>
#include <stdint.h>

typedef struct rg_server_config {
	const char *host;          /* HOST, default 0.0.0.0 */
	int port;                  /* PORT, default 8000; 0 = any free port */
	const char *tasks_dir;     /* REVIEWGYM_TASKS */
	const char *readme_path;   /* for /metadata readme_content; NULL = none */
	size_t max_sessions;       /* MAX_CONCURRENT_ENVS */
	uint64_t idle_timeout_s;   /* SESSION_IDLE_TIMEOUT_S; 0 = never */
	size_t max_message_bytes;  /* request body and WS message limit */
	size_t max_custom_tasks;   /* MAX_CUSTOM_TASKS: custom review tasks kept */
	const char *port_file;     /* write the bound port here once listening */
	const char *store_path;    /* episode store (SQLite); NULL = no store */
	uint64_t store_max_episodes; /* keep the newest N; 0 = unbounded */
	const char *web_dir;       /* dashboard files served at /web; NULL = none */
	int allow_model_calls;     /* POST /api/custom/review may call out to a model */
} rg_server_config;

/* Run until SIGINT/SIGTERM. Returns a process exit code. */
int rg_server_run(const rg_server_config *cfg);

#endif
