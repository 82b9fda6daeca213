/*
 * text.h - the word matching shared by the task bank (which compiles phrases)
 * and the grader (which matches them against reviewer text).
 *
 * Design: matching happens on *normalised* text: ASCII lower case, every byte
 * other than [a-z0-9] becomes a space, runs of spaces collapse, and the result is
 * framed by one leading and one trailing space (" off by one "). A phrase is
 * normalised the same way and keeps its framing spaces, so a plain memmem() is a
 * whole-word, whole-phrase match: " sql injection " cannot match inside
 * "nosql injections". A phrase written with a trailing '*' drops its trailing space
 * and so matches any word that starts with it (" inject" hits " injection ").
 *
 * Invariants: normalised output is at most n + 2 bytes plus a NUL; no allocation.
 */
#ifndef RG_CORE_TEXT_H
#define RG_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Normalise n bytes of src into dst (capacity cap >= n + 3). Returns the length
 * written (excluding the NUL); "" input gives " " (length 1). */
size_t rg_text_normalize(const char *src, size_t n, char *dst, size_t cap);

/* Compile a phrase as the task format defines it into dst (cap >= n + 3).
 * Returns the compiled length, or 0 when the phrase has no letters or digits. */
size_t rg_text_compile_phrase(const char *phrase, size_t n, char *dst, size_t cap);

/* True when the compiled phrase occurs in normalised text. */
bool rg_text_has(const char *norm, size_t norm_len, const char *phrase, size_t phrase_len);

/* For every verbatim occurrence of a needle in src, overwrite the same bytes of
 * dst with spaces (dst is a copy of src, n bytes each). Searching the untouched
 * src means one needle's blanking can never hide another needle's occurrence
 * (a short code line inside a longer one). Needles shorter than min_len are
 * skipped. */
void rg_text_blank_needles(const char *src, char *dst, size_t n, const char *const *needles,
			   const size_t *needle_lens, size_t count, size_t min_len);

/* Trim ASCII whitespace: *start and *len describe the trimmed slice of s. */
void rg_text_trim(const char *s, size_t n, size_t *start, size_t *len);

#endif
