/*
 * alloc.h - the one allocator every reviewgym module uses, with a failure hook.
 *
 * Design: thin wrappers over the C library, so that tests can make the Nth
 * allocation from now fail (SQLite's test_malloc idea) and walk N across a whole
 * reset and step: every ENOMEM path then runs, and must end in a named error, no
 * leak and a usable session. jansson is pointed at the same functions
 * (json_set_alloc_funcs, in core/json.c), so JSON building fails the same way.
 *
 * The hook is process-global state, used only by single-threaded tests; in
 * production it is never armed and costs one branch per allocation.
 */
#ifndef RG_CORE_ALLOC_H
#define RG_CORE_ALLOC_H

#include <stddef.h>

void *rg_malloc(size_t n);
void *rg_calloc(size_t count, size_t size);
void *rg_realloc(void *p, size_t n);
char *rg_strdup(const char *s);
char *rg_strndup(const char *s, size_t n);
void rg_free(void *p);

/* Testing: the allocation after `n` more successful ones fails (0 = the very
 * next); -1 disarms. rg_alloc_failed() says whether the armed failure fired. */
void rg_alloc_fail_after(long n);
int rg_alloc_failed(void);

#endif
