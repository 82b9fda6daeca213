/*
 * test_arena.c - the bump allocator (core/arena.h): every pointer aligned to
 * max_align_t, memory zeroed and not overlapping, the total cap enforced with NULL,
 * large requests served, and strndup/strdup copies.
 */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"

Test(arena, every_pointer_is_aligned_to_max_align_t)
{
	rg_arena *a = rg_arena_create(1 << 20);
	cr_assert_not_null(a);
	const size_t sizes[] = { 1, 3, 7, 8, 9, 15, 16, 17, 31, 100, 1000, 0 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		void *p = rg_arena_alloc(a, sizes[i]);
		cr_assert_not_null(p, "alloc(%zu)", sizes[i]);
		cr_assert_eq((uintptr_t)p % alignof(max_align_t), 0, "alloc(%zu) misaligned: %p",
			     sizes[i], p);
	}
	rg_arena_destroy(a);
}

Test(arena, allocations_are_zeroed_and_do_not_overlap)
{
	rg_arena *a = rg_arena_create(1 << 20);
	enum { N = 64, SZ = 13 };
	unsigned char *p[N];
	for (int i = 0; i < N; i++) {
		p[i] = rg_arena_alloc(a, SZ);
		cr_assert_not_null(p[i]);
		for (int k = 0; k < SZ; k++)
			cr_assert_eq(p[i][k], 0, "block %d byte %d not zeroed", i, k);
		memset(p[i], i + 1, SZ);
	}
	for (int i = 0; i < N; i++)
		for (int k = 0; k < SZ; k++)
			cr_assert_eq(p[i][k], i + 1, "block %d was overwritten", i);
	rg_arena_destroy(a);
}

Test(arena, used_counts_bytes_handed_out)
{
	rg_arena *a = rg_arena_create(1 << 20);
	cr_assert_eq(rg_arena_used(a), 0);
	cr_assert_not_null(rg_arena_alloc(a, 100));
	size_t u1 = rg_arena_used(a);
	cr_assert_geq(u1, 100);
	cr_assert_lt(u1, 100 + alignof(max_align_t));
	cr_assert_not_null(rg_arena_alloc(a, 1));
	cr_assert_gt(rg_arena_used(a), u1);
	rg_arena_destroy(a);
}

Test(arena, allocation_at_the_cap_succeeds_and_one_more_byte_fails)
{
	const size_t cap = 4 * alignof(max_align_t);
	rg_arena *a = rg_arena_create(cap);
	cr_assert_not_null(rg_arena_alloc(a, cap / 2));
	cr_assert_not_null(rg_arena_alloc(a, cap / 2));
	cr_assert_eq(rg_arena_used(a), cap);
	cr_assert_null(rg_arena_alloc(a, 1), "past the cap the arena must say no");
	cr_assert_eq(rg_arena_used(a), cap);
	rg_arena_destroy(a);
}

Test(arena, request_larger_than_the_cap_fails_without_using_budget)
{
	rg_arena *a = rg_arena_create(1024);
	cr_assert_null(rg_arena_alloc(a, 4096));
	cr_assert_eq(rg_arena_used(a), 0);
	cr_assert_not_null(rg_arena_alloc(a, 1024), "a refused request must not consume the cap");
	rg_arena_destroy(a);
}

Test(arena, absurd_sizes_fail_instead_of_wrapping)
{
	rg_arena *a = rg_arena_create(SIZE_MAX);
	cr_assert_null(rg_arena_alloc(a, SIZE_MAX));
	cr_assert_null(rg_arena_alloc(a, SIZE_MAX - 1));
	cr_assert_eq(rg_arena_used(a), 0);
	rg_arena_destroy(a);
}

Test(arena, requests_larger_than_a_chunk_are_served)
{
	rg_arena *a = rg_arena_create(1 << 22);
	char *small = rg_arena_alloc(a, 10);
	memcpy(small, "keep me", 8);
	const size_t big_n = 200 * 1024; /* bigger than one 64 KiB chunk */
	unsigned char *big = rg_arena_alloc(a, big_n);
	cr_assert_not_null(big);
	cr_assert_eq(big[0], 0);
	cr_assert_eq(big[big_n - 1], 0);
	memset(big, 0xab, big_n);
	char *after = rg_arena_alloc(a, 10);
	cr_assert_not_null(after);
	cr_assert_eq(after[0], 0);
	cr_assert_str_eq(small, "keep me");
	cr_assert_eq(big[big_n - 1], 0xab);
	rg_arena_destroy(a);
}

Test(arena, strndup_copies_n_bytes_and_terminates)
{
	rg_arena *a = rg_arena_create(4096);
	char *s = rg_arena_strndup(a, "hello world", 5);
	cr_assert_str_eq(s, "hello");
	char *e = rg_arena_strndup(a, "ignored", 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(e, "");
	char *z = rg_arena_strndup(a, "a\0b", 3);
	cr_assert_eq(memcmp(z, "a\0b\0", 4), 0, "embedded NUL bytes are copied too");
	rg_arena_destroy(a);
}

Test(arena, strdup_copies_the_whole_string)
{
	rg_arena *a = rg_arena_create(4096);
	char src[] = "python3 test.py";
	char *s = rg_arena_strdup(a, src);
	cr_assert_str_eq(s, "python3 test.py");
	cr_assert_neq(s, src);
	src[0] = 'X';
	cr_assert_str_eq(s, "python3 test.py", "the copy is independent of the source");
	rg_arena_destroy(a);
}

Test(arena, strndup_past_the_cap_is_null)
{
	rg_arena *a = rg_arena_create(alignof(max_align_t));
	char s[64];
	memset(s, 'x', sizeof s);
	cr_assert_null(rg_arena_strndup(a, s, sizeof s));
	cr_assert_not_null(rg_arena_strndup(a, s, 3));
	rg_arena_destroy(a);
}

Test(arena, destroy_null_is_a_no_op)
{
	rg_arena_destroy(NULL);
}
