/*
 * cmd_run.c - `reviewgym run`: options and environment in, a configured runner
 * (agent/runner.h) out.
 *
 * LLM settings follow the OpenEnv hackathon's inference.py convention
 * (protocol §10.1): API_BASE_URL (default https://router.huggingface.co/v1),
 * MODEL_NAME (default Qwen/Qwen2.5-72B-Instruct), and the key from HF_TOKEN, else
 * API_KEY. The key is read from the environment only (never a flag, so it does
 * not show in process listings) and never printed.
 */
#include "cli/cmd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/llm.h"
#include "agent/policy.h"
#include "agent/registry.h"
#include "agent/runner.h"
#include "bank/bank.h"

#define DEFAULT_API_BASE "https://router.huggingface.co/v1"
#define DEFAULT_MODEL "Qwen/Qwen2.5-72B-Instruct"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: reviewgym run [options]\n"
		"\n"
		"  --url URL              server (http://, ws://, https://; default http://127.0.0.1:8000)\n"
		"  --policy P             oracle | empty | heuristic | llm (default heuristic)\n"
		"  --family F             code_review | pr_review (default code_review)\n"
		"  --episodes N           episodes to play (default 1)\n"
		"  --seed S               episode e uses seed S+e (default: the server draws)\n"
		"  --concurrency K        parallel WebSocket sessions (default 1)\n"
		"  --task ID              play this task (default: drawn by seed)\n"
		"  --all-tasks            play every task of the family once (GET /tasks; training\n"
		"                         split, plus the held-out one with --with-eval)\n"
		"  --difficulty D         easy | medium | hard (default: the family's default)\n"
		"  --report FILE          write a JSON report\n"
		"  --tasks DIR            task bank for the oracle (default ./tasks)\n"
		"  --max-steps N          steps per task before giving up (default 20)\n"
		"  --timeout S            seconds to wait for a server reply (default 60)\n"
		"  --success-threshold X  code_review: a task succeeds at this best score (default 0.5)\n"
		"  --benchmark NAME       env= of the [START] line (default reviewgym)\n"
		"  --quiet                no progress lines on stderr\n"
		"\n"
		"llm policy (environment: API_BASE_URL, MODEL_NAME, HF_TOKEN or API_KEY):\n"
		"  --llm-timeout S        seconds per completion request (default 120)\n"
		"  --llm-retries N        retries on 429, 5xx and timeouts (default 3)\n"
		"  --temperature X        sampling temperature (default 0.2)\n"
		"  --max-tokens N         completion tokens per call (default 2048)\n"
		"  --token-budget N       stop calling the model after N tokens in total (default: none)\n"
		"\n"
		"stdout: [START]/[STEP]/[END] lines, one block per task; stderr: progress and summary.\n");
}

static int parse_real(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || v < lo || v > hi) {
		fprintf(stderr, "reviewgym run: %s: expected a number in %g..%g, got \"%s\"\n", opt, lo,
			hi, s);
		return -1;
	}
	*out = v;
	return 0;
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

/* Integer options: flag name, bounds, destination. */
typedef struct int_opt {
	const char *flag;
	unsigned long long lo, hi;
	int *out;
} int_opt;

int rg_cmd_run(int argc, char **argv)
{
	static rg_policy_shared shared;
	rg_run_config cfg = {
		.url = "http://127.0.0.1:8000", .family = "code_review", .difficulty = -1,
		.episodes = 1, .concurrency = 1, .max_steps = 20, .timeout_s = 60,
		.success_threshold = 0.5, .benchmark = "reviewgym", .progress = true,
		.policy = &shared,
	};
	memset(&shared, 0, sizeof shared);
	shared.llm = (rg_llm_config){ .timeout_s = 120, .retries = 3, .temperature = 0.2,
				      .max_tokens = 2048 };
	const char *policy = "heuristic", *tasks = NULL, *difficulty = NULL;
	bool all_tasks = false, with_eval = false;
	long long budget = 0;
	const int_opt ints[] = {
		{ "--episodes", 1, 1000000, &cfg.episodes },
		{ "--concurrency", 1, 256, &cfg.concurrency },
		{ "--max-steps", 1, 1000, &cfg.max_steps },
		{ "--timeout", 1, 3600, &cfg.timeout_s },
		{ "--llm-timeout", 1, 3600, &shared.llm.timeout_s },
		{ "--llm-retries", 0, 10, &shared.llm.retries },
		{ "--max-tokens", 0, 1000000, &shared.llm.max_tokens },
	};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--quiet") || !strcmp(a, "--all-tasks") || !strcmp(a, "--with-eval")) {
			cfg.progress = cfg.progress && strcmp(a, "--quiet");
			all_tasks = all_tasks || !strcmp(a, "--all-tasks");
			with_eval = with_eval || !strcmp(a, "--with-eval");
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "reviewgym run: unknown option or missing value: %s\n", a);
			usage(stderr);
			return 2;
		}
		const char *v = argv[++i];
		unsigned long long u;
		bool done = false;
		for (size_t k = 0; k < sizeof ints / sizeof *ints && !done; k++)
			if (!strcmp(a, ints[k].flag)) {
				if (rg_cmd_parse_u64("run", a, v, ints[k].lo, ints[k].hi, &u))
					return 2;
				*ints[k].out = (int)u;
				done = true;
			}
		if (done)
			continue;
		if (!strcmp(a, "--url"))
			cfg.url = v;
		else if (!strcmp(a, "--policy"))
			policy = v;
		else if (!strcmp(a, "--family"))
			cfg.family = v;
		else if (!strcmp(a, "--task"))
			cfg.task_id = v;
		else if (!strcmp(a, "--difficulty"))
			difficulty = v;
		else if (!strcmp(a, "--report"))
			cfg.report_path = v;
		else if (!strcmp(a, "--tasks"))
			tasks = v;
		else if (!strcmp(a, "--benchmark"))
			cfg.benchmark = v;
		else if (!strcmp(a, "--seed")) {
			if (rg_cmd_parse_u64("run", a, v, 0, (1ULL << 53), &u))
				return 2;
			cfg.has_seed = true;
			cfg.seed = u;
		} else if (!strcmp(a, "--token-budget")) {
			if (rg_cmd_parse_u64("run", a, v, 0, 1000000000000ULL, &u))
				return 2;
			budget = (long long)u;
		} else if (!strcmp(a, "--success-threshold")) {
			if (parse_real(a, v, 0, 1, &cfg.success_threshold))
				return 2;
		} else if (!strcmp(a, "--temperature")) {
			if (parse_real(a, v, 0, 2, &shared.llm.temperature))
				return 2;
		} else {
			fprintf(stderr, "reviewgym run: unknown option %s\n", a);
			usage(stderr);
			return 2;
		}
	}
	int kind = rg_policy_parse(policy);
	if (kind < 0) {
		fprintf(stderr, "reviewgym run: --policy: expected oracle, empty, heuristic or llm, got \"%s\"\n",
			policy);
		return 2;
	}
	if (strcmp(cfg.family, "code_review") && strcmp(cfg.family, "pr_review")) {
		fprintf(stderr, "reviewgym run: --family: expected code_review or pr_review, got \"%s\"\n",
			cfg.family);
		return 2;
	}
	if (difficulty && (cfg.difficulty = rg_difficulty_parse(difficulty)) < 0) {
		fprintf(stderr, "reviewgym run: --difficulty: expected easy, medium or hard, got \"%s\"\n",
			difficulty);
		return 2;
	}
	shared.kind = (enum rg_policy_kind)kind;
	shared.token_budget = budget;
	shared.llm.base_url = env_or("API_BASE_URL", DEFAULT_API_BASE);
	shared.llm.model = env_or("MODEL_NAME", DEFAULT_MODEL);
	shared.llm.api_key = env_or("HF_TOKEN", env_or("API_KEY", NULL));
	cfg.model = kind == RG_POLICY_LLM ? shared.llm.model : rg_policy_name(shared.kind);
	if (pthread_mutex_init(&shared.lock, NULL))
		return 1;
	rg_bank *bank = NULL;
	if (kind == RG_POLICY_ORACLE) {
		rg_err err;
		rg_err_clear(&err);
		bank = rg_bank_load(tasks ? tasks : rg_cmd_default_tasks_dir(), &err);
		if (!bank) {
			fprintf(stderr, "reviewgym run: the oracle needs the task bank: %s: %s\n", err.field,
				err.msg);
			return 2;
		}
		shared.bank = bank;
	}
	rg_llm_global_init();
	char **ids = NULL;
	size_t n_ids = 0;
	int rc = 0;
	if (all_tasks) {
		rg_err err;
		rg_err_clear(&err);
		if (rg_registry_fetch(cfg.url, cfg.family, with_eval, &ids, &n_ids, &err)) {
			fprintf(stderr, "reviewgym run: --all-tasks: %s\n", err.msg);
			rc = 2;
		}
		cfg.task_ids = ids;
		cfg.episodes = (int)n_ids;
	}
	if (!rc)
		rc = rg_run(&cfg);
	rg_registry_free(ids, n_ids);
	rg_llm_global_cleanup();
	rg_bank_destroy(bank);
	pthread_mutex_destroy(&shared.lock);
	return rc;
}
