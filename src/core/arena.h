/*
 * arena.h - bump allocator with one destroy, after nginx pools and lwsac.
 *
 * Design: the task bank is thousands of small strings and arrays that live exactly
 * as long as the bank. Allocating them from an arena makes ownership trivial (the
 * bank owns one arena; rg_arena_destroy frees everything) and keeps them packed.
 * Chunks are 64 KiB or the size of a larger request. The total is capped at init:
 * past the cap, allocation fails (NULL) instead of growing without bound.
 *
 * Alignment: every pointer is aligned to max_align_t.
 */
#ifndef RG_CORE_ARENA_H
#define RG_CORE_ARENA_H

#include <stddef.h>

typedef struct rg_arena rg_arena;

/* New arena that will hand out at most max_bytes in total. NULL on ENOMEM. */
rg_arena *rg_arena_create(size_t max_bytes);
void rg_arena_destroy(rg_arena *a);
/* Zeroed memory valid until rg_arena_destroy; NULL when over the cap or ENOMEM. */
void *rg_arena_alloc(rg_arena *a, size_t n);
/* Copy of n bytes plus a NUL. */
char *rg_arena_strndup(rg_arena *a, const char *s, size_t n);
char *rg_arena_strdup(rg_arena *a, const char *s);
/* Bytes handed out so far. */
size_t rg_arena_used(const rg_arena *a);

#endif
