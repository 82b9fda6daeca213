/*
 * text.c - normalisation and phrase matching (see text.h).
 */
#include "core/text.h"

#include <string.h>

static char fold(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return (char)c;
	return ' ';
}

size_t rg_text_normalize(const char *src, size_t n, char *dst, size_t cap)
{
	size_t o = 0;
	if (cap < n + 3)
		n = cap >= 3 ? cap - 3 : 0; /* caller broke the contract; stay in bounds */
	dst[o++] = ' ';
	for (size_t i = 0; i < n; i++) {
		char c = fold((unsigned char)src[i]);
		if (c == ' ' && dst[o - 1] == ' ')
			continue;
		dst[o++] = c;
	}
	if (dst[o - 1] != ' ')
		dst[o++] = ' ';
	dst[o] = '\0';
	return o;
}

size_t rg_text_compile_phrase(const char *phrase, size_t n, char *dst, size_t cap)
{
	bool prefix = n > 0 && phrase[n - 1] == '*';
	size_t len = rg_text_normalize(phrase, prefix ? n - 1 : n, dst, cap);
	if (len <= 1)
		return 0;
	if (prefix) {
		len--; /* drop the trailing space: match any continuation of the word */
		dst[len] = '\0';
	}
	return len;
}

/* First occurrence of needle in hay, or NULL. Texts here are a few hundred
 * bytes and needles a few words or one code line, where glibc's two-way memmem
 * spends more on setup than on searching: memchr for the first byte, then
 * compare in place. Worst case O(n x m), bounded by the limits. */
static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m == 0 || m > n)
		return NULL;
	const char *p = hay, *last = hay + (n - m);
	while (p <= last && (p = memchr(p, needle[0], (size_t)(last - p) + 1)) != NULL) {
		if (!memcmp(p, needle, m))
			return p;
		p++;
	}
	return NULL;
}

bool rg_text_has(const char *norm, size_t norm_len, const char *phrase, size_t phrase_len)
{
	/* A compiled phrase starts with a space, which occurs at every word: anchor
	 * on its first letter instead and check the space before the hit. */
	if (phrase_len < 2 || norm_len < 1)
		return false;
	const char *p = norm + 1, *end = norm + norm_len;
	while ((p = find(p, (size_t)(end - p), phrase + 1, phrase_len - 1)) != NULL) {
		if (p[-1] == ' ')
			return true;
		p++;
	}
	return false;
}

void rg_text_blank_needles(const char *src, char *dst, size_t n, const char *const *needles,
			   const size_t *needle_lens, size_t count, size_t min_len)
{
	for (size_t i = 0; i < count; i++) {
		size_t len = needle_lens[i];
		if (len < min_len || len > n)
			continue;
		const char *p = src;
		size_t left = n;
		const char *hit;
		while ((hit = find(p, left, needles[i], len)) != NULL) {
			memset(dst + (hit - src), ' ', len);
			left -= (size_t)(hit - p) + len;
			p = hit + len;
		}
	}
}

void rg_text_trim(const char *s, size_t n, size_t *start, size_t *len)
{
	size_t a = 0, b = n;
	while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' ||
			 s[b - 1] == '\n'))
		b--;
	*start = a;
	*len = b - a;
}
