/*
 * support.h - scaffolding shared by the unit tests: the real task bank (from
 * REVIEWGYM_TASKS, else ./tasks, as `make check` runs from the repository root)
 * and a leak assertion that fails the test under ASan instead of only printing a
 * report (Criterion ignores what LeakSanitizer says at a worker's exit).
 */
#ifndef RG_TESTS_UNIT_SUPPORT_H
#define RG_TESTS_UNIT_SUPPORT_H

#include <criterion/criterion.h>
#include <stdlib.h>

#include "bank/bank.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define assert_no_leaks() \
	cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "leak (see the LeakSanitizer report)")
#else
#define assert_no_leaks() ((void)0)
#endif

static inline const char *rg_test_tasks_dir(void)
{
	const char *d = getenv("REVIEWGYM_TASKS");
	return d && *d ? d : "tasks";
}

/* The real bank; the test fails when it does not load. */
static inline rg_bank *rg_test_load_bank(void)
{
	rg_err err;
	rg_err_clear(&err);
	rg_bank *b = rg_bank_load(rg_test_tasks_dir(), &err);
	cr_assert_not_null(b, "cannot load the task bank %s: %s: %s", rg_test_tasks_dir(),
			   err.field, err.msg);
	return b;
}

#endif
