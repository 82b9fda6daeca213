"""Small text statistics helpers used by the search indexer."""

import string


def tokenize(text):
    """Lower-case words of the text, with surrounding punctuation removed."""
    words = []
    for raw in text.split():
        word = raw.strip(string.punctuation).lower()
        if word:
            words.append(word)
    return words


def count_words(text, counts=None):
    """Return a dict mapping each word of the text to how often it occurs."""
    if counts is None:
        counts = {}
    for word in tokenize(text):
        counts[word] = counts.get(word, 0) + 1
    return counts


def ngrams(words, n):
    """All runs of n consecutive words, as tuples, in order."""
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


def long_words(words, min_length):
    """Distinct words that are at least min_length characters long, sorted."""
    return sorted({word for word in words if len(word) >= min_length})


def top_words(counts, k):
    """The k most frequent words, most frequent first (ties alphabetical)."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [word for word, _ in ranked[:k]]
