/*
 * verify.h - execution-based checks of a task, used by `reviewgym tasks check`
 * (never by the server): run test.py against code.py and fixed.py, and check that
 * every labelled line is a line the reference fix changes.
 *
 * Design: each test run is a child process in its own process group and its own
 * fresh temporary directory (the candidate is copied in as candidate.py), with
 * CPU, address-space, file-size and process limits and a wall-clock timeout after
 * which the whole group is killed; the directory is removed afterwards. The line
 * check diffs code.py against fixed.py with libgit2 (zero context): deleted or
 * modified lines count, and for a pure insertion the lines on either side count.
 */
#ifndef RG_BANK_VERIFY_H
#define RG_BANK_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "bank/task.h"
#include "core/err.h"

typedef struct rg_test_run {
	bool passed;          /* exit status 0 */
	bool timed_out;
	int exit_code;        /* -signal when killed */
	double seconds;
	char tail[240];       /* last bytes of the output, one line */
} rg_test_run;

/* Run dir/test.py on the given candidate source. RG_EIO when the run could not
 * be started (not when the test fails: that is run->passed == false). */
RG_MUST_CHECK int rg_verify_run_test(const rg_task *t, const char *candidate_source,
				     int timeout_s, rg_test_run *run, rg_err *err);

/* Lines of code.py (1-based) changed by fixed.py: changed[i] for i in 1..n_lines.
 * changed must hold n_lines + 2 entries. */
RG_MUST_CHECK int rg_verify_changed_lines(const rg_task *t, bool *changed, rg_err *err);

#endif
