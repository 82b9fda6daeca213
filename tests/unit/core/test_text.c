/*
 * test_text.c - normalisation and whole-word phrase matching (core/text.h).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

static size_t norm(const char *s, char *out, size_t cap)
{
	return rg_text_normalize(s, strlen(s), out, cap);
}

Test(text, normalize_folds_case_and_punctuation)
{
	char out[64];
	size_t n = norm("  ZeroDivisionError: off-by-one!! ", out, sizeof out);
	cr_assert_str_eq(out, " zerodivisionerror off by one ");
	cr_assert_eq(n, strlen(out));
}

Test(text, normalize_empty_is_one_space)
{
	char out[8];
	cr_assert_eq(norm("", out, sizeof out), 1);
	cr_assert_str_eq(out, " ");
}

Test(text, phrase_matches_whole_words_only)
{
	char text[128], ph[32];
	size_t n = norm("This has a SQL injection risk", text, sizeof text);
	size_t p = rg_text_compile_phrase("sql injection", 13, ph, sizeof ph);
	cr_assert(rg_text_has(text, n, ph, p));
	n = norm("nosql injections everywhere", text, sizeof text);
	cr_assert_not(rg_text_has(text, n, ph, p), "must not match inside other words");
}

Test(text, star_phrase_matches_word_prefix)
{
	char text[128], ph[32];
	size_t n = norm("the query is injected via input", text, sizeof text);
	size_t p = rg_text_compile_phrase("inject*", 7, ph, sizeof ph);
	cr_assert(rg_text_has(text, n, ph, p));
	n = norm("uninjected", text, sizeof text);
	cr_assert_not(rg_text_has(text, n, ph, p), "prefix must start at a word boundary");
}

Test(text, phrase_without_letters_compiles_to_nothing)
{
	char ph[16];
	cr_assert_eq(rg_text_compile_phrase("--", 2, ph, sizeof ph), 0);
}

Test(text, blank_needles_removes_verbatim_code)
{
	const char *src = "look: return total / len(items) here";
	char s[64];
	snprintf(s, sizeof s, "%s", src);
	const char *needles[] = { "return total / len(items)", "x" };
	size_t lens[] = { strlen(needles[0]), 1 };
	rg_text_blank_needles(src, s, strlen(src), needles, lens, 2, 6);
	cr_assert_str_eq(s, "look:                           here");
}

Test(text, short_needle_cannot_hide_a_longer_one)
{
	/* "conn.execute(" is blanked first, yet the longer line containing it must
	 * still be found and blanked whole (nothing of it may be left to grade). */
	const char *src = "x conn.execute(q, (user_id,)) y";
	char s[64];
	snprintf(s, sizeof s, "%s", src);
	const char *needles[] = { "conn.execute(", "conn.execute(q, (user_id,))" };
	size_t lens[] = { strlen(needles[0]), strlen(needles[1]) };
	rg_text_blank_needles(src, s, strlen(src), needles, lens, 2, 6);
	char want[64];
	snprintf(want, sizeof want, "x %*s y", (int)lens[1], "");
	cr_assert_str_eq(s, want);
}
