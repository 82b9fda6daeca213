/*
 * server.c - the server's life: load the bank, build the static documents,
 * create the lws context, run the loop, shut down cleanly.
 *
 * Design: one lws protocol serves both HTTP and /ws (lws gives protocols[0] to
 * upgrades that name no subprotocol, which is what OpenEnv's client sends); its
 * callback hands each reason to http.c or ws.c. A sorted-usec timer (lws_sul)
 * runs the idle reaper every max(timeout/4, 1) s on the loop itself, so it needs
 * no locks. SIGINT/SIGTERM set a flag and lws_cancel_service wakes the loop; we
 * then destroy the context (which closes every connection, each releasing its
 * session through LWS_CALLBACK_CLOSED) and free what remains.
 */
#include "server/server.h"
#include "server/server_int.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/llm.h"
#include "core/log.h"
#include "core/alloc.h"
#include "server/jobs.h"
#include "server/web.h"

static volatile sig_atomic_t stop_requested;
static struct lws_context *signal_ctx;

uint64_t rg__server_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

rg_server *rg__server_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

/* A fresh UUID4 string (37 bytes with NUL). */
static void uuid4(rg_server *s, char out[37])
{
	uint64_t a = rg_rng_next(&s->rng), b = rg_rng_next(&s->rng);
	a = (a & ~0xf000ULL) | 0x4000ULL;                         /* version 4 */
	b = (b & ~(0xc000ULL << 48)) | (0x8000ULL << 48);         /* RFC 4122 variant */
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)((a >> 16) & 0xffff), (unsigned)(a & 0xffff), (unsigned)(b >> 48),
		 (unsigned long long)(b & 0xffffffffffffULL));
}

int rg__server_reset_params(rg_server *s, const rg_json *data, rg_reset_params *p,
			    bool *id_given, rg_err *err)
{
	int rc = rg_reset_params_parse(data, p, err);
	if (rc)
		return rc;
	p->entropy = rg_rng_next(&s->rng) >> 1; /* seeds are reported as int64 >= 0 */
	*id_given = p->episode_id[0] != '\0';
	if (!*id_given)
		uuid4(s, p->episode_id);
	return RG_OK;
}

/* A worker finished a job whose connection still waits: answer it (loop thread). */
static void deliver(rg_job *j, void *server)
{
	rg_conn *c = j->conn;
	if (j->finish)
		j->finish(j, server);
	c->job = NULL;
	c->content_type = j->content_type;
	c->disposition = j->disposition;
	rg__respond(c, j->status, j->body, j->len); /* takes the body; NULL answers 500 */
	j->body = NULL;
	if (rg__http_send(j->wsi, c))
		lws_set_timeout(j->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	rg_conn *c = user;
	switch (reason) {
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED: {
		rg_server *s = rg__server_of(wsi);
		if (s && s->jobs)
			rg_jobs_complete(s->jobs, deliver, s);
		if (s && s->model_jobs)
			rg_jobs_complete(s->model_jobs, deliver, s);
		break;
	}
	case LWS_CALLBACK_HTTP:
	case LWS_CALLBACK_HTTP_BODY:
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
	case LWS_CALLBACK_HTTP_WRITEABLE:
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (!c)
			break;
		return rg__http_callback(wsi, reason, c, in, len);
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
	case LWS_CALLBACK_ESTABLISHED:
	case LWS_CALLBACK_RECEIVE:
	case LWS_CALLBACK_SERVER_WRITEABLE:
	case LWS_CALLBACK_CLOSED:
		if (!c)
			break;
		return rg__ws_callback(wsi, reason, c, in, len);
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "openenv", callback, sizeof(rg_conn), 64 * 1024, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void reap(lws_sorted_usec_list_t *sul)
{
	rg_server *s = (rg_server *)sul; /* reaper is the first member */
	uint64_t idle_ms = s->cfg->idle_timeout_s * 1000u;
	size_t n = rg_sessions_sweep(&s->sessions, rg__server_now_ms(), idle_ms, rg__ws_idle);
	if (n)
		rg_log(RG_LOG_INFO, "reaped %zu idle sessions (idle > %llu s)", n,
		       (unsigned long long)s->cfg->idle_timeout_s);
	uint64_t every_s = s->cfg->idle_timeout_s / 4 ? s->cfg->idle_timeout_s / 4 : 1;
	if (every_s > 30)
		every_s = 30;
	lws_sul_schedule(s->ctx, 0, &s->reaper, reap, (lws_usec_t)every_s * LWS_US_PER_SEC);
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (signal_ctx)
		lws_cancel_service(signal_ctx); /* writes to lws' event pipe: signal-safe */
}

static char *read_readme(const char *path)
{
	if (!path)
		return NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = rg_malloc(256 * 1024 + 1);
	size_t n = buf ? fread(buf, 1, 256 * 1024, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static void server_free(rg_server *s)
{
	rg_jobs_destroy(s->jobs);           /* waits for running jobs; frees their holds */
	rg_jobs_destroy(s->model_jobs);
	s->jobs = s->model_jobs = NULL;
	rg_sessions_shutdown(&s->sessions); /* releases the custom tasks episodes hold */
	rg_store_close(s->store);           /* drains the queue: a clean stop loses nothing */
	rg_stats_free(&s->stats);
	rg_web_free(s->web);
	rg_custom_destroy(s->custom);
	rg_bank_destroy(s->bank);
	rg_free(s->readme);
	rg_free(s->body_schema);
	rg_free(s->body_schema_pr);
	rg_free(s->body_openapi);
	rg_free(s->body_metadata);
}

static uint64_t entropy(void)
{
	uint64_t x = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &x, sizeof x) != (ssize_t)sizeof x)
			x = 0;
		close(fd);
	}
	return x ^ rg__server_now_ms() ^ ((uint64_t)getpid() << 32);
}

int rg_server_run(const rg_server_config *cfg)
{
	/* The store's queue allocates a record per step and frees them in batches;
	 * with glibc's default 128 KiB trim threshold every batch returned heap to
	 * the kernel and the next steps paid page faults for it again (measured with
	 * bench/bench_store.c). Keep up to 64 MiB of freed heap for reuse. */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	rg_server s;
	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	rg_err err;
	rg_err_clear(&err);
	s.bank = rg_bank_load(cfg->tasks_dir, &err);
	if (!s.bank) {
		rg_log(RG_LOG_ERROR, "cannot load the task bank: %s: %s", err.field, err.msg);
		return 1;
	}
	s.custom = rg_custom_create(s.bank, cfg->max_custom_tasks ? cfg->max_custom_tasks : RG_DEFAULT_MAX_CUSTOM_TASKS);
	if (!s.custom) {
		rg_log(RG_LOG_ERROR, "cannot create the custom task store (out of memory)");
		server_free(&s);
		return 1;
	}
	s.world.bank = s.bank;
	s.world.custom = s.custom;
	rg_sessions_init(&s.sessions, &s.world, cfg->max_sessions);
	rg_rng_seed(&s.rng, entropy());
	rg_stats_init(&s.stats, rg__server_now_ms());
	if (cfg->store_path) {
		rg_store_config sc = { .path = cfg->store_path, .max_episodes = cfg->store_max_episodes };
		s.store = rg_store_open(&sc, &err);
		if (!s.store) {
			rg_log(RG_LOG_ERROR, "cannot open the episode store: %s (use --no-store to run without it)",
			       err.msg);
			server_free(&s);
			return 1;
		}
	}
	if (cfg->web_dir) {
		s.web = rg_web_load(cfg->web_dir, &err);
		if (!s.web) {
			rg_log(RG_LOG_ERROR, "cannot load the dashboard: %s", err.msg);
			server_free(&s);
			return 1;
		}
	}
	if (cfg->allow_model_calls)
		rg_llm_global_init();
	s.readme = read_readme(cfg->readme_path);
	if (rg__server_build_docs(&s)) {
		rg_log(RG_LOG_ERROR, "cannot build the static documents (out of memory)");
		server_free(&s);
		return 1;
	}

	lws_set_log_level(LLL_ERR, NULL);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = cfg->port;
	info.iface = cfg->host;
	info.protocols = protocols;
	info.user = &s;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	info.timeout_secs = 10;           /* short, or closed sockets linger (STACK.md) */
	info.keepalive_timeout = 60;      /* idle HTTP keep-alive connections */
	info.ka_time = 60;                /* TCP keepalive finds half-open WS peers */
	info.ka_probes = 3;
	info.ka_interval = 10;
	info.max_http_header_data = 4096; /* long query strings (?episode_id=...) */
	info.pt_serv_buf_size = 64 * 1024;
	s.ctx = lws_create_context(&info);
	if (!s.ctx) {
		rg_log(RG_LOG_ERROR, "cannot listen on %s:%d", cfg->host, cfg->port);
		server_free(&s);
		return 1;
	}
	s.jobs = rg_jobs_create(s.ctx);
	s.model_jobs = cfg->allow_model_calls ? rg_jobs_create(s.ctx) : NULL;
	if (!s.jobs || (cfg->allow_model_calls && !s.model_jobs)) {
		rg_log(RG_LOG_ERROR, "cannot start the worker threads");
		lws_context_destroy(s.ctx);
		server_free(&s);
		return 1;
	}
	int port = lws_get_vhost_listen_port(lws_get_vhost_by_name(s.ctx, "default"));
	rg_log(RG_LOG_INFO, "reviewgym listening on http://%s:%d (%zu tasks, max %zu sessions, idle timeout %llu s)",
	       cfg->host, port, rg_bank_count(s.bank), cfg->max_sessions,
	       (unsigned long long)cfg->idle_timeout_s);
	rg_log(RG_LOG_INFO, "store: %s; dashboard: %s; model calls: %s",
	       s.store ? rg_store_path(s.store) : "off (--no-store)",
	       s.web ? "/web" : "off (no --web-dir)", cfg->allow_model_calls ? "allowed" : "off");
	if (cfg->port_file) {
		FILE *f = fopen(cfg->port_file, "w");
		if (f) {
			fprintf(f, "%d\n", port);
			fclose(f);
		}
	}
	if (cfg->idle_timeout_s)
		lws_sul_schedule(s.ctx, 0, &s.reaper, reap, LWS_US_PER_SEC);

	signal_ctx = s.ctx;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!stop_requested)
		if (lws_service(s.ctx, 0) < 0)
			break;

	rg_log(RG_LOG_INFO, "shutting down: %zu sessions open, %llu requests, %llu steps",
	       s.sessions.count, (unsigned long long)s.requests, (unsigned long long)s.steps);
	lws_sul_cancel(&s.reaper);
	signal_ctx = NULL;
	rg_jobs_destroy(s.jobs); /* before the context: workers wake it when done */
	rg_jobs_destroy(s.model_jobs);
	s.jobs = s.model_jobs = NULL;
	lws_context_destroy(s.ctx);
	server_free(&s);
	if (cfg->allow_model_calls)
		rg_llm_global_cleanup();
	return 0;
}
