/*
 * cmd.h - the subcommands main.c dispatches to. Each takes argv starting at its
 * own name and returns the process exit code (0 ok, 1 failure, 2 usage).
 */
#ifndef RG_CLI_CMD_H
#define RG_CLI_CMD_H

#include "core/version.h"

int rg_cmd_serve(int argc, char **argv);
int rg_cmd_tasks(int argc, char **argv);
int rg_cmd_run(int argc, char **argv);
int rg_cmd_export(int argc, char **argv);
/* An integer option in lo..hi; prints "reviewgym <cmd>: <opt>: ..." and returns
 * -1 when s is not one. */
int rg_cmd_parse_u64(const char *cmd, const char *opt, const char *s, unsigned long long lo,
		     unsigned long long hi, unsigned long long *out);
/* The task bank directory: --tasks, else REVIEWGYM_TASKS, else ./tasks, else
 * next to the binary (../tasks, ../../tasks). Returns a static buffer. */
const char *rg_cmd_default_tasks_dir(void);

/* cmd_tasks_pr.c: `tasks check` and `tasks show` for pr_review scenarios. */
struct rg_bank;
struct rg_task;
int rg__tasks_check_pr(const struct rg_bank *b, const struct rg_task *t);
void rg__tasks_show_pr(const struct rg_task *t);

#endif
