"""sitrep: ACLED-coded political-violence events from news reports, offline.

    >>> from sitrep import extract_text
    >>> events = extract_text(open("report.txt").read(), date="2017-07-22", source="FNA")

The pipeline (clean -> sentences -> mentions -> events -> resolve -> dedup) lives in
``sitrep.pipeline``; each stage is its own module.
"""

__version__ = "0.1.0"


def __getattr__(name):
    # Lazy: importing sitrep stays cheap; the pipeline loads its data on first use.
    if name in ("extract_text", "process", "extract_inputs", "Pipeline"):
        from . import pipeline

        return getattr(pipeline, name)
    if name in ("Report", "Event", "Settings"):
        from . import model, settings

        return getattr(model, name, None) or getattr(settings, name)
    raise AttributeError(name)
