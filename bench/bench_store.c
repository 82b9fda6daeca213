/*
 * bench_store.c - what recording costs the event loop. The server's loop does,
 * per WebSocket step: normalise + grade (the env, which also writes the
 * normalised action as JSON text), build and serialise the reply, then record
 * (stats, a copy of the bytes into the store's queue, the task scores as
 * numbers). This runs exactly that sequence - the server's own functions, on one
 * session - with the store on and off in alternate rounds, and prints loop steps
 * per CPU-second of the loop thread for each (median of ROUNDS rounds of STEPS
 * steps) and their ratio. The store's writer thread runs on the other core as it
 * does in the server, and its work is part of what slows the loop (caches), so
 * it is counted. Then the writer's figures: records written, dropped, and the
 * longest enqueue-to-commit lag (the durability window store.h states).
 * bench/store_server.py measures the same cost on a real server over WebSocket.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "server/server_int.h"
#include "server/wire.h"

#define ROUNDS 9
#define STEPS 4000

static const char action_text[] =
	"{\"type\":\"step\",\"data\":{\"findings\":["
	"{\"line_number\":12,\"issue_type\":\"bug\",\"description\":\"off by one: the loop skips the last element of the list\",\"suggested_fix\":\"iterate over range(len(items))\"},"
	"{\"line_number\":20,\"issue_type\":\"logic_error\",\"description\":\"divides by zero when the list is empty\",\"suggested_fix\":\"return 0 when the list is empty\"},"
	"{\"line_number\":31,\"issue_type\":\"security_vulnerability\",\"description\":\"user input is formatted into the SQL query\",\"suggested_fix\":\"use a parameterized query\"}]}}";

/* The loop thread's own CPU time: what bounds a loop-bound server's throughput,
 * and steady on a machine that is busy with other work (wall time is not). */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void reset(rg_server *s, rg_session *ses, const rg_json *params)
{
	rg_reset_params p;
	bool id_given;
	rg_err err;
	rg_err_clear(&err);
	rg_env_result r = { 0 };
	if (rg__server_reset_params(s, params, &p, &id_given, &err) ||
	    rg_session_reset(ses, &s->world, &p, 0, &r, &err)) {
		fprintf(stderr, "reset failed: %s\n", err.msg);
		exit(1);
	}
	rg_json *env = rg_wire_envelope_obj(&r);
	size_t len = 0;
	char *t = rg_wire_ws_frame("observation", rg_json_ref(env), &len);
	rg__record_reset(s, ses, params, "{\"type\":\"reset\",\"data\":{\"max_attempts\":10}}", 44, env, t,
			 len);
	rg_free(t);
	rg_json_free(env);
}

/* Steps per second of the loop's work for one round. */
static double round_rate(rg_server *s, rg_session *ses, const rg_json *params, const rg_json *action)
{
	double t0 = now_s();
	for (int i = 0; i < STEPS; i++) {
		if (i % 9 == 0)
			reset(s, ses, params);
		rg_err err;
		rg_err_clear(&err);
		rg_env_result r = { 0 };
		uint64_t t = rg__server_now_us();
		if (rg_session_step(ses, action, 0, &r, &err)) {
			fprintf(stderr, "step failed: %s\n", err.msg);
			exit(1);
		}
		rg_json *env = rg_wire_envelope_obj(&r);
		size_t len = 0;
		char *text = rg_wire_ws_frame("observation", rg_json_ref(env), &len);
		rg__record_step(s, ses, action_text, sizeof action_text - 1, env, text, len, NULL, t);
		rg_free(text);
		rg_json_free(env);
	}
	return STEPS / (now_s() - t0);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp);
	return v[n / 2];
}

/* Rounds alternate store off / store on on one session, so drift of the machine
 * (other work, heap growth, CPU frequency) falls on both sides alike. */
static void paired_rates(rg_server *s, rg_store *st, const rg_json *params,
			 const rg_json *action, double *off, double *on)
{
	rg_err err;
	rg_err_clear(&err);
	rg_session *ses = rg_sessions_open(&s->sessions, RG_SESSION_WS, NULL, 0, &err);
	double r_off[ROUNDS], r_on[ROUNDS];
	for (int k = 0; k < ROUNDS; k++) {
		s->store = NULL;
		r_off[k] = round_rate(s, ses, params, action);
		s->store = st;
		r_on[k] = round_rate(s, ses, params, action);
	}
	rg_sessions_close(&s->sessions, ses);
	*off = median(r_off, ROUNDS);
	*on = median(r_on, ROUNDS);
}

int main(void)
{
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024); /* as rg_server_run does */
	rg_err err;
	rg_err_clear(&err);
	rg_server s;
	memset(&s, 0, sizeof s);
	s.bank = rg_bank_load("tasks", &err);
	if (!s.bank) {
		fprintf(stderr, "cannot load tasks/: %s\n", err.msg);
		return 1;
	}
	s.world.bank = s.bank;
	rg_sessions_init(&s.sessions, &s.world, 16);
	rg_rng_seed(&s.rng, 42);
	rg_stats_init(&s.stats, 0);
	rg_json *params = rg_json_parse("{\"max_attempts\":10}", 19, &err);
	rg_json *msg = rg_json_parse(action_text, sizeof action_text - 1, &err);
	const rg_json *action = rg_json_get(msg, "data");

	char path[] = "/tmp/rg-bench-store-XXXXXX";
	if (!mkdtemp(path))
		return 1;
	char db[sizeof path + 16];
	snprintf(db, sizeof db, "%s/store.db", path);
	rg_store_config cfg = { .path = db, .max_episodes = 0 };
	s.store = rg_store_open(&cfg, &err);
	if (!s.store) {
		fprintf(stderr, "store: %s\n", err.msg);
		return 1;
	}
	rg_store *st_open = s.store;
	double off, on;
	paired_rates(&s, st_open, params, action, &off, &on);
	rg_store_flush(s.store);
	/* the writer's own rate when backlogged: one round as fast as the loop goes */
	rg_store_stats before;
	rg_store_get_stats(s.store, &before);
	struct timespec w0, w1;
	clock_gettime(CLOCK_MONOTONIC, &w0);
	rg_session *ses = rg_sessions_open(&s.sessions, RG_SESSION_WS, NULL, 0, &err);
	round_rate(&s, ses, params, action);
	rg_sessions_close(&s.sessions, ses);
	rg_store_flush(s.store);
	clock_gettime(CLOCK_MONOTONIC, &w1);
	rg_store_stats st;
	rg_store_get_stats(s.store, &st);
	printf("store: loop steps per CPU-second without store %.0f, with store %.0f: recording costs %.1f%% of loop throughput\n",
	       off, on, (off - on) / off * 100.0);
	double wall = (w1.tv_sec - w0.tv_sec) + (w1.tv_nsec - w0.tv_nsec) / 1e9;
	printf("store: %llu records written in %llu commits, %llu dropped, longest enqueue-to-commit %.1f ms\n",
	       (unsigned long long)st.written, (unsigned long long)st.commits,
	       (unsigned long long)st.dropped, st.lag_ms_max);
	printf("store: writer, backlogged: %llu records committed in %.3f s (>= %.0f records/s; a full queue of %d is %.0f ms of its work)\n",
	       (unsigned long long)(st.written - before.written), wall,
	       (st.written - before.written) / wall, RG_STORE_QUEUE_MAX_RECORDS,
	       RG_STORE_QUEUE_MAX_RECORDS / ((st.written - before.written) / wall) * 1e3);
	rg_store_close(s.store);
	rg_json_free(msg);
	rg_json_free(params);
	rg_sessions_shutdown(&s.sessions);
	rg_stats_free(&s.stats);
	rg_bank_destroy(s.bank);
	char cmd[sizeof path + 16];
	snprintf(cmd, sizeof cmd, "rm -rf %s", path);
	return system(cmd) == 0 ? 0 : 1;
}
