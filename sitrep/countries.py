"""Countries as news and ACLED name them: ISO codes and ACLED regions (data/regions.yaml, pycountry)."""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def _regions() -> tuple[dict[str, str], dict[str, str]]:
    import yaml

    data = yaml.safe_load(resources.files("sitrep").joinpath("data/regions.yaml").read_text("utf-8"))
    by_code = {code: region for region, codes in data["regions"].items() for code in codes}
    aliases = {name.lower(): code for name, code in data["aliases"].items()}
    return by_code, aliases


@functools.cache
def country_codes(name: str | None) -> tuple[str, str, int | None] | None:
    """(alpha-2, alpha-3, numeric) of a country named as news or ACLED name it, or None."""
    if not name:
        return None
    import pycountry

    _, aliases = _regions()
    code = aliases.get(name.strip().lower())
    try:
        c = pycountry.countries.lookup(code or name.strip())
    except LookupError:
        return None
    return c.alpha_2, c.alpha_3, int(c.numeric) if getattr(c, "numeric", None) else None


def region_of(country: str | None) -> str | None:
    """ACLED region of a country name."""
    codes = country_codes(country)
    return _regions()[0].get(codes[0]) if codes else None


def same_country(stored: str | None, wanted: str) -> bool:
    """Whether a stored country name is the one asked for by name or ISO code (Syria, SY, SYR)."""
    if not stored:
        return False
    if stored.lower() == wanted.strip().lower():
        return True
    a, b = country_codes(stored), country_codes(wanted.strip())
    return bool(a and b and a[0] == b[0])
