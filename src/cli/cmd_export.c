/*
 * cmd_export.c - `reviewgym export`: episodes from a store file to JSON lines or
 * CSV on stdout or a file, streamed (no size cap, unlike GET /api/export, which
 * holds its answer in memory). Reads through the store's own query, so the
 * format is the API's; safe while a server is writing the file (WAL readers).
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: reviewgym export [options]\n"
		"\n"
		"  --store FILE     the store (default reviewgym.db)\n"
		"  --format F       jsonl (one episode per line, with its steps) or csv\n"
		"  --family NAME    code_review or pr_review\n"
		"  --task ID        episodes that contain this task\n"
		"  --limit N        newest N episodes (default and maximum %d)\n"
		"  --out FILE       write here instead of stdout\n",
		RG_STORE_MAX_EXPORT);
}

static int write_out(void *ud, const char *bytes, size_t n)
{
	return fwrite(bytes, 1, n, ud) == n ? 0 : RG_EIO;
}

int rg_cmd_export(int argc, char **argv)
{
	const char *path = "reviewgym.db", *format = "jsonl", *out_path = NULL;
	rg_store_filter f = { .limit = RG_STORE_MAX_EXPORT };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "reviewgym export: unknown option or missing value: %s\n", a);
			usage(stderr);
			return 2;
		}
		const char *v = argv[++i];
		unsigned long long n;
		if (!strcmp(a, "--store"))
			path = v;
		else if (!strcmp(a, "--format"))
			format = v;
		else if (!strcmp(a, "--family"))
			f.family = v;
		else if (!strcmp(a, "--task"))
			f.task = v;
		else if (!strcmp(a, "--out"))
			out_path = v;
		else if (!strcmp(a, "--limit")) {
			if (rg_cmd_parse_u64("export", "--limit", v, 1, RG_STORE_MAX_EXPORT, &n))
				return 2;
			f.limit = (unsigned)n;
		} else {
			fprintf(stderr, "reviewgym export: unknown option %s\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (strcmp(format, "jsonl") && strcmp(format, "csv")) {
		fprintf(stderr, "reviewgym export: --format: expected jsonl or csv, got \"%s\"\n", format);
		return 2;
	}
	if (f.family && strcmp(f.family, "code_review") && strcmp(f.family, "pr_review")) {
		fprintf(stderr, "reviewgym export: --family: expected code_review or pr_review\n");
		return 2;
	}
	FILE *out = out_path ? fopen(out_path, "wb") : stdout;
	if (!out) {
		fprintf(stderr, "reviewgym export: --out: cannot write %s\n", out_path);
		return 1;
	}
	rg_err err;
	rg_err_clear(&err);
	int rc = rg_store_export(path, &f, !strcmp(format, "csv"), write_out, out, &err);
	if (out_path && fclose(out) && !rc)
		rc = RG_EIO;
	if (rc) {
		fprintf(stderr, "reviewgym export: %s\n", err.msg[0] ? err.msg : "write failed");
		return 1;
	}
	return 0;
}
