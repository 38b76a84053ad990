"""How many inputs each fuzz test tried (hypothesis), printed at the end of the test run by
``tests/conftest.py`` (issue 17: "fuzzing ... with counts printed")."""

from __future__ import annotations

import os
from collections import Counter

FUZZED: Counter[str] = Counter()
# bench/redteam.py asks for more examples than a test run (X2DESK_FUZZ_SCALE=2.5: 2.5 times).
SCALE = float(os.environ.get("X2DESK_FUZZ_SCALE") or 1)


def examples(n: int) -> int:
    return max(1, int(n * SCALE))


def count(category: str) -> None:
    FUZZED[category] += 1
