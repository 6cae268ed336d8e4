"""Errors sitrep raises.  Each carries a one-line message fit for the terminal."""


class SitrepError(Exception):
    """Base class: the CLI prints str(error) on one line and exits non-zero."""

    exit_code = 1


class InputError(SitrepError):
    """An input (file, URL, jsonl line, feed) could not be read as a report."""

    exit_code = 2


class BudgetError(InputError):
    """A document took more than its budget of time (Settings.max_seconds) to extract."""


class StoreError(SitrepError):
    """The event store could not be opened, migrated or written."""

    exit_code = 3


class GoldError(SitrepError):
    """A gold file for scoring is missing or malformed."""

    exit_code = 2
