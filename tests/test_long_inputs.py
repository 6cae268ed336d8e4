"""Long documents: work grows about linearly with the text, and a document over its budget fails alone.

Work is counted as Python line events (sys.settrace), not seconds, so the checks hold on a loaded machine.
"""

from __future__ import annotations

import sys

from sitrep import mentions
from sitrep.mentions import find_numbers

COUNTS = "12 killed 7 wounded 3 dead 45 injured "  # one long sentence full of casualty counts


def _line_events(fn, *args) -> int:
    """How many lines of sitrep.mentions run while fn(*args) runs."""
    n = 0
    target = mentions.__file__

    def tracer(frame, event, arg):
        nonlocal n
        if frame.f_code.co_filename != target:
            return None
        if event == "line":
            n += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return n


def test_counts_in_one_long_sentence_are_found_in_linear_work():
    # Each count was checked against every earlier one: 74 s of CPU for a 1 MB sentence.
    small, large = COUNTS * 250, COUNTS * 1000
    found = find_numbers(large)
    assert len(found) == 4000 and {m.value for m in found} == {12, 7, 3, 45}
    ratio = _line_events(find_numbers, large) / _line_events(find_numbers, small)
    assert ratio < 5, ratio  # 4 times the text, about 4 times the work (the quadratic path gave 16)
