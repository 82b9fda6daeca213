/*
 * alloc.c - see alloc.h.
 */
#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

static long fail_countdown = -1; /* -1: never fail */
static int fired;

void rg_alloc_fail_after(long n)
{
	fail_countdown = n;
	fired = 0;
}

int rg_alloc_failed(void)
{
	return fired;
}

/* True when this allocation must fail. */
static int should_fail(void)
{
	if (fail_countdown < 0)
		return 0;
	if (fail_countdown == 0) {
		fired = 1;
		return 1; /* stays at 0: every later allocation fails too, until disarmed */
	}
	fail_countdown--;
	return 0;
}

void *rg_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n);
}

void *rg_calloc(size_t count, size_t size)
{
	return should_fail() ? NULL : calloc(count, size);
}

void *rg_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n);
}

char *rg_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = rg_malloc(len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *rg_strdup(const char *s)
{
	return rg_strndup(s, strlen(s));
}

void rg_free(void *p)
{
	free(p);
}
