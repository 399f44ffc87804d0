"""Hot spots (高频事件、高频点位): counts well above their own recent baseline.

The test: over the last `days` a value (a category, street, community or address) has `count`
tickets; over the `windows` windows of the same length before, it averaged `baseline`. It is a hot
spot when count ≥ min_count and, were tickets arriving at the baseline rate (a Poisson process),
seeing `count` or more would have probability ≤ p (default 0.01). A value new in the window has a
baseline of 0 and is flagged on `min_count` alone.
"""

import math


def poisson_tail(count: int, mean: float) -> float:
    """P(X ≥ count) for X ~ Poisson(mean)."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    term = math.exp(-mean)
    below = term
    for k in range(1, count):
        term *= mean / k
        below += term
    return max(0.0, 1.0 - below)


def is_hot(count: int, baseline: float, *, min_count: int, p_value: float) -> bool:
    """Whether `count` in the window is at least `min_count` and improbable at the baseline rate."""
    return count >= min_count and poisson_tail(count, baseline) <= p_value
