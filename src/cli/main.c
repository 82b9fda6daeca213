/*
 * main.c - `reviewgym serve|tasks|run|export|version` dispatch, nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: reviewgym <command> [options]\n"
		"\n"
		"commands:\n"
		"  serve     run the OpenEnv server (HTTP + WebSocket)\n"
		"  tasks     list, show or check the task bank\n"
		"  run       play episodes against a server with a policy (baselines, LLMs)\n"
		"  export    episodes from the episode store as JSON lines or CSV\n"
		"  version   print the version\n"
		"\n"
		"Run `reviewgym <command> --help` for a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "serve"))
		return rg_cmd_serve(argc - 1, argv + 1);
	if (!strcmp(cmd, "tasks"))
		return rg_cmd_tasks(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return rg_cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "export"))
		return rg_cmd_export(argc - 1, argv + 1);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("reviewgym %s\n", RG_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "reviewgym: unknown command \"%s\"\n", cmd);
	usage(stderr);
	return 2;
}
