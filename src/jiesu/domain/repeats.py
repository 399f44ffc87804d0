"""Repeat requests: does a new request say what the same caller said a few days ago?

Overlap is measured on the content's character bigrams, ignoring punctuation and spaces (Chinese
has no word boundaries, and bigrams are how a reader recognises the same complaint reworded):
overlap = |shared bigrams| / |bigrams of the shorter text|. Two requests overlap when it is at
least the threshold (0.5 by default): "楼上邻居每天半夜跺脚" and "楼上半夜跺脚声音太大" share most of
the shorter one's bigrams, while two unrelated complaints share almost none.
"""

import unicodedata


def bigrams(text: str) -> frozenset[str]:
    """The set of adjacent character pairs of the letters and digits in `text`."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")
    return frozenset(kept[i : i + 2] for i in range(len(kept) - 1))


def overlap(first: str, second: str) -> float:
    """Share of the shorter text's bigrams that the other text has too (0..1)."""
    a, b = bigrams(first), bigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
