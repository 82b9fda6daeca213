/*
 * cmd_serve.c - `reviewgym serve`: options from flags, else from the environment
 * variables OpenEnv deployments use (HOST, PORT, MAX_CONCURRENT_ENVS,
 * SESSION_IDLE_TIMEOUT_S), else defaults. Every value is range-checked with a
 * message naming the option.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/log.h"
#include "server/server.h"
#include "store/store.h"

static char tasks_buf[4096];

const char *rg_cmd_default_tasks_dir(void)
{
	const char *env = getenv("REVIEWGYM_TASKS");
	if (env && *env)
		return env;
	if (access("tasks/lexicon", F_OK) == 0)
		return "tasks";
	char exe[4000];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		static const char *const rel[] = { "../tasks", "../../tasks",
						   "../share/reviewgym/tasks" };
		for (size_t i = 0; i < 3; i++) {
			snprintf(tasks_buf, sizeof tasks_buf, "%s/%s", exe, rel[i]);
			char probe[4200];
			snprintf(probe, sizeof probe, "%s/lexicon", tasks_buf);
			if (access(probe, F_OK) == 0)
				return tasks_buf;
		}
	}
	return "tasks";
}

int rg_cmd_parse_u64(const char *cmd, const char *opt, const char *s, unsigned long long lo,
		     unsigned long long hi, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || !*s || *end || s[0] == '-' || v < lo || v > hi) {
		fprintf(stderr, "reviewgym %s: %s: expected an integer in %llu..%llu, got \"%s\"\n",
			cmd, opt, lo, hi, s);
		return -1;
	}
	*out = v;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: reviewgym serve [options]\n"
		"\n"
		"  --host ADDR          listen address (env HOST, default 0.0.0.0)\n"
		"  --port N             port, 0 = any free port (env PORT, default 8000)\n"
		"  --tasks DIR          task bank (env REVIEWGYM_TASKS, default ./tasks)\n"
		"  --max-envs N         concurrent sessions (env MAX_CONCURRENT_ENVS, default %d)\n"
		"  --idle-timeout S     reap sessions idle S seconds, 0 = never\n"
		"                       (env SESSION_IDLE_TIMEOUT_S, default %d)\n"
		"  --max-message BYTES  HTTP body / WebSocket message limit\n"
		"                       (env MAX_MESSAGE_BYTES, default %d)\n"
		"  --max-custom N       custom review tasks kept (env MAX_CUSTOM_TASKS, default %d)\n"
		"  --readme FILE        README served in /metadata (default README.md beside tasks)\n"
		"  --port-file FILE     write the bound port to FILE once listening\n"
		"  --log-level L        error|warn|info|debug (env LOG_LEVEL, default info)\n"
		"  --store FILE         record episodes in this SQLite file\n"
		"                       (env REVIEWGYM_STORE, default reviewgym.db)\n"
		"  --no-store           do not record episodes\n"
		"  --store-max-episodes N  keep the newest N episodes, 0 = all (default %d)\n"
		"  --web-dir DIR        dashboard files served at /web\n"
		"                       (env REVIEWGYM_WEB, default web/ beside tasks/ when present)\n"
		"  --allow-model-calls  let the dashboard's custom review call a model the user\n"
		"                       configures (env ALLOW_MODEL_CALLS=1; off by default)\n",
		RG_DEFAULT_MAX_SESSIONS, RG_DEFAULT_IDLE_TIMEOUT_S, RG_DEFAULT_MAX_MESSAGE_BYTES,
		RG_DEFAULT_MAX_CUSTOM_TASKS, RG_STORE_DEFAULT_MAX_EPISODES);
}

int rg_cmd_serve(int argc, char **argv)
{
	rg_server_config cfg = {
		.host = "0.0.0.0",
		.port = 8000,
		.max_sessions = RG_DEFAULT_MAX_SESSIONS,
		.idle_timeout_s = RG_DEFAULT_IDLE_TIMEOUT_S,
		.max_message_bytes = RG_DEFAULT_MAX_MESSAGE_BYTES,
		.max_custom_tasks = RG_DEFAULT_MAX_CUSTOM_TASKS,
	};
	const char *opt_port = getenv("PORT"), *opt_envs = getenv("MAX_CONCURRENT_ENVS");
	const char *opt_idle = getenv("SESSION_IDLE_TIMEOUT_S"), *opt_msg = getenv("MAX_MESSAGE_BYTES");
	const char *opt_log = getenv("LOG_LEVEL"), *opt_custom = getenv("MAX_CUSTOM_TASKS");
	const char *tasks = NULL, *readme = NULL, *web = getenv("REVIEWGYM_WEB");
	const char *opt_store_max = NULL;
	bool no_store = false;
	cfg.store_path = getenv("REVIEWGYM_STORE") && *getenv("REVIEWGYM_STORE")
				 ? getenv("REVIEWGYM_STORE") : "reviewgym.db";
	cfg.store_max_episodes = RG_STORE_DEFAULT_MAX_EPISODES;
	cfg.allow_model_calls = getenv("ALLOW_MODEL_CALLS") && !strcmp(getenv("ALLOW_MODEL_CALLS"), "1");
	if (getenv("HOST") && *getenv("HOST"))
		cfg.host = getenv("HOST");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--no-store")) {
			no_store = true;
			continue;
		}
		if (!strcmp(a, "--allow-model-calls")) {
			cfg.allow_model_calls = 1;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "reviewgym serve: unknown option or missing value: %s\n", a);
			usage(stderr);
			return 2;
		}
		const char *v = argv[++i];
		if (!strcmp(a, "--host"))
			cfg.host = v;
		else if (!strcmp(a, "--port"))
			opt_port = v;
		else if (!strcmp(a, "--tasks"))
			tasks = v;
		else if (!strcmp(a, "--max-envs"))
			opt_envs = v;
		else if (!strcmp(a, "--idle-timeout"))
			opt_idle = v;
		else if (!strcmp(a, "--max-message"))
			opt_msg = v;
		else if (!strcmp(a, "--max-custom"))
			opt_custom = v;
		else if (!strcmp(a, "--readme"))
			readme = v;
		else if (!strcmp(a, "--port-file"))
			cfg.port_file = v;
		else if (!strcmp(a, "--log-level"))
			opt_log = v;
		else if (!strcmp(a, "--store"))
			cfg.store_path = v;
		else if (!strcmp(a, "--store-max-episodes"))
			opt_store_max = v;
		else if (!strcmp(a, "--web-dir"))
			web = v;
		else {
			fprintf(stderr, "reviewgym serve: unknown option %s\n", a);
			usage(stderr);
			return 2;
		}
	}
	unsigned long long v;
	if (opt_port && *opt_port) {
		if (rg_cmd_parse_u64("serve", "--port/PORT", opt_port, 0, 65535, &v))
			return 2;
		cfg.port = (int)v;
	}
	if (opt_envs && *opt_envs) {
		if (rg_cmd_parse_u64("serve", "--max-envs/MAX_CONCURRENT_ENVS", opt_envs, 1, RG_MAX_SESSIONS_CEILING, &v))
			return 2;
		cfg.max_sessions = (size_t)v;
	}
	if (opt_idle && *opt_idle) {
		if (rg_cmd_parse_u64("serve", "--idle-timeout/SESSION_IDLE_TIMEOUT_S", opt_idle, 0, 86400 * 365, &v))
			return 2;
		cfg.idle_timeout_s = v;
	}
	if (opt_msg && *opt_msg) {
		if (rg_cmd_parse_u64("serve", "--max-message/MAX_MESSAGE_BYTES", opt_msg, 1024,
			      RG_MAX_MESSAGE_BYTES_CEILING, &v))
			return 2;
		cfg.max_message_bytes = (size_t)v;
	}
	if (opt_custom && *opt_custom) {
		if (rg_cmd_parse_u64("serve", "--max-custom/MAX_CUSTOM_TASKS", opt_custom, 1, RG_MAX_CUSTOM_TASKS_CEILING,
			      &v))
			return 2;
		cfg.max_custom_tasks = (size_t)v;
	}
	if (opt_log && *opt_log) {
		int lvl = rg_log_level_parse(opt_log);
		if (lvl < 0) {
			fprintf(stderr, "reviewgym serve: --log-level: expected error|warn|info|debug, got \"%s\"\n",
				opt_log);
			return 2;
		}
		rg_log_set_level((enum rg_log_level)lvl);
	}
	if (opt_store_max) {
		if (rg_cmd_parse_u64("serve", "--store-max-episodes", opt_store_max, 0, 1ULL << 40, &v))
			return 2;
		cfg.store_max_episodes = v;
	}
	if (no_store)
		cfg.store_path = NULL;
	else if (!*cfg.store_path) {
		fprintf(stderr, "reviewgym serve: --store: expected a file name (or --no-store)\n");
		return 2;
	}
	cfg.tasks_dir = tasks ? tasks : rg_cmd_default_tasks_dir();
	static char web_buf[4200];
	if (!web || !*web) {
		snprintf(web_buf, sizeof web_buf, "%s/../web/index.html", cfg.tasks_dir);
		web = NULL;
		if (access(web_buf, R_OK) == 0) {
			snprintf(web_buf, sizeof web_buf, "%s/../web", cfg.tasks_dir);
			web = web_buf;
		}
	}
	cfg.web_dir = web;
	static char readme_buf[4200];
	if (!readme) {
		snprintf(readme_buf, sizeof readme_buf, "%s/../README.md", cfg.tasks_dir);
		readme = access(readme_buf, R_OK) == 0 ? readme_buf : NULL;
	}
	cfg.readme_path = readme;
	return rg_server_run(&cfg);
}
