"""A time budget for processing one file, checked between the steps of an import. Pure module.

Every step is linear in its input, so the budget is a backstop: a file that still takes too long
fails with a clear message instead of holding a worker (and the database) for minutes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


class BudgetExceeded(Exception):
    """Processing went over its time budget; str() says after which step."""


@dataclass
class Budget:
    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self, step: str) -> None:
        """Raise BudgetExceeded if more than `seconds` have passed since the budget started."""
        spent = time.monotonic() - self.started
        if spent > self.seconds:
            raise BudgetExceeded(
                f"processing took longer than the {self.seconds:g} s allowed for one file (at {step}); "
                "nothing was imported"
            )
