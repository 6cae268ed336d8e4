"""Stage 4, events: turn the mentions of each sentence into ACLED event candidates."""

from .stage import find_events

__all__ = ["find_events"]
