/*
 * arena.c - bump allocator (see arena.h).
 */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/alloc.h"

#define CHUNK_BYTES (64 * 1024)

struct chunk {
	struct chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char mem[];
};

struct rg_arena {
	struct chunk *head;
	size_t used, max;
};

rg_arena *rg_arena_create(size_t max_bytes)
{
	rg_arena *a = rg_calloc(1, sizeof *a);
	if (a)
		a->max = max_bytes;
	return a;
}

void rg_arena_destroy(rg_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		rg_free(c);
		c = next;
	}
	rg_free(a);
}

void *rg_arena_alloc(rg_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	if (n > a->max - a->used)
		return NULL;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_BYTES ? n : CHUNK_BYTES;
		c = rg_malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->mem + c->used;
	c->used += n;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *rg_arena_strndup(rg_arena *a, const char *s, size_t n)
{
	char *p = rg_arena_alloc(a, n + 1);
	if (p && n)
		memcpy(p, s, n);
	return p;
}

char *rg_arena_strdup(rg_arena *a, const char *s)
{
	return rg_arena_strndup(a, s, strlen(s));
}

size_t rg_arena_used(const rg_arena *a)
{
	return a->used;
}
