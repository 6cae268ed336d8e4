"""Tuned numbers: every threshold and weight the stages use, in one place, with how it was set.

A number belongs here when changing it changes what sitrep finds.  Each section is a frozen
dataclass read by one stage; `TUNING` is the instance the stages use.  Every field says what
it does and how its value was calibrated, so that a change can be checked the same way
(`python bench/golden_check.py` shows what moves, `sitrep eval` and `eval/` what it is worth).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tuning:
    """All sections; stages read `TUNING.<section>.<field>`."""


TUNING = Tuning()
