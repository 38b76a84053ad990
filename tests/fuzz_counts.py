"""How many inputs each fuzz test tried (hypothesis), printed at the end of the test run by
``tests/conftest.py`` (issue 17: "fuzzing ... with counts printed")."""

from __future__ import annotations

from collections import Counter

FUZZED: Counter[str] = Counter()


def count(category: str) -> None:
    FUZZED[category] += 1
