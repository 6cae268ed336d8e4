"""The store's tables, written once for both databases, and the steps that upgrade an older store.

Events are typed columns named as in ACLED's export (plus sitrep's own), so filters,
counts and trends run in SQL.  A report event's evidence is five parallel list
columns (line, text, report, outlet, attribution): a list of plain values is the one
list type DuckDB and PostgreSQL share.  A merged event carries the same columns plus
its members and outlets as lists.
"""

from __future__ import annotations

# (column, type) with neutral type names; render() spells them for each database.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_date", "DATE"),
    ("event_type", "TEXT"),
    ("sub_event_type", "TEXT"),
    ("actor1", "TEXT"),
    ("assoc_actor_1", "TEXT"),
    ("inter1", "INTEGER"),
    ("actor2", "TEXT"),
    ("assoc_actor_2", "TEXT"),
    ("inter2", "INTEGER"),
    ("country", "TEXT"),
    ("iso", "TEXT"),
    ("admin1", "TEXT"),
    ("admin2", "TEXT"),
    ("location", "TEXT"),
    ("latitude", "DOUBLE"),
    ("longitude", "DOUBLE"),
    ("geo_precision", "INTEGER"),
    ("fatalities", "INTEGER"),
    ("injured", "INTEGER"),
    ("source", "TEXT"),
    ("attribution", "TEXT"),
    ("notes", "TEXT"),
    ("confidence", "DOUBLE"),
    ("modality", "TEXT"),
    ("trigger", "TEXT"),
    ("actor1_id", "TEXT"),
    ("actor2_id", "TEXT"),
    ("doc_id", "TEXT"),
    ("ev_line", "INTEGER[]"),
    ("ev_text", "TEXT[]"),
    ("ev_doc", "TEXT[]"),
    ("ev_source", "TEXT[]"),
    ("ev_attribution", "TEXT[]"),
)

REPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "TEXT PRIMARY KEY"),
    ("doc_id", "TEXT"),
    ("outlet", "TEXT"),
    ("url", "TEXT"),
    ("title", "TEXT"),
    ("published", "DATE"),
    ("content_hash", "TEXT UNIQUE"),
    ("text", "TEXT"),
    ("n_events", "INTEGER"),
    ("ingested_at", "TIMESTAMP NOT NULL"),
    ("status", "TEXT NOT NULL"),
    ("reason", "TEXT"),
)

# A report's own events.  family/event_date/place_key/admin2_key are what the merge looks
# its neighbours up by; own_event_id is the id the extractor gave the event, event_id the
# merged event it is part of.
MEMBER_KEYS: tuple[tuple[str, str], ...] = (
    ("member_id", "TEXT PRIMARY KEY"),
    ("report_id", "TEXT NOT NULL"),
    ("idx", "INTEGER NOT NULL"),
    ("family", "TEXT NOT NULL"),
    ("report_date", "DATE"),
    ("outlet", "TEXT"),
    ("place_key", "TEXT"),
    ("admin2_key", "TEXT"),
    ("own_event_id", "TEXT"),
    ("event_id", "TEXT"),
)

MENTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("member_id", "TEXT NOT NULL"),
    ("report_id", "TEXT NOT NULL"),
    ("line", "INTEGER"),
    ("text", "TEXT"),
    ("attribution", "TEXT"),
    ("source", "TEXT"),
)

# Merged events: the event's columns, then what merging adds.  country_code is the
# ISO alpha-2 code of the country, so a filter by name or code is one indexed comparison.
MERGED_KEYS: tuple[tuple[str, str], ...] = (
    ("event_id", "TEXT PRIMARY KEY"),
    ("family", "TEXT NOT NULL"),
    ("country_code", "TEXT"),
)
MERGED_EXTRA: tuple[tuple[str, str], ...] = (
    ("corroboration", "INTEGER"),
    ("sources", "TEXT[]"),
    ("members", "TEXT[]"),
    ("n_members", "INTEGER"),
    ("fatalities_min", "INTEGER"),
    ("fatalities_max", "INTEGER"),
    ("updated_at", "TIMESTAMP NOT NULL"),
)

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "reports": REPORT_COLUMNS,
    "report_events": MEMBER_KEYS + EVENT_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "events": MERGED_KEYS + EVENT_COLUMNS + MERGED_EXTRA,
}

INDEXES: tuple[str, ...] = (
    "CREATE INDEX report_events_block ON report_events (family, event_date)",
    "CREATE INDEX report_events_report ON report_events (report_id)",
    "CREATE INDEX mentions_member ON mentions (member_id)",
    "CREATE INDEX events_date ON events (event_date, event_id)",
    "CREATE INDEX events_country ON events (country_code, event_date)",
)

_TYPES = {
    "duckdb": {"TEXT": "VARCHAR", "DOUBLE": "DOUBLE", "TIMESTAMP": "TIMESTAMP"},
    "postgres": {"TEXT": "TEXT", "DOUBLE": "DOUBLE PRECISION", "TIMESTAMP": "TIMESTAMP"},
}


def column_names(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]


def spell(sql_type: str, dialect: str) -> str:
    """A neutral column type ("TEXT[] ", "DOUBLE", "TEXT PRIMARY KEY") as the database spells it."""
    head, _, rest = sql_type.partition(" ")
    base, brackets = head.rstrip("[]"), head[len(head.rstrip("[]")):]
    base = _TYPES[dialect].get(base, base)
    return f"{base}{brackets}" + (f" {rest}" if rest else "")


def create_statements(dialect: str) -> list[str]:
    """Every statement that creates the current schema in an empty database."""
    out = []
    for table, cols in TABLES.items():
        body = ",\n    ".join(f"{name} {spell(t, dialect)}" for name, t in cols)
        out.append(f"CREATE TABLE {table} (\n    {body})")
    if dialect == "postgres":
        # DuckDB scans a column in milliseconds and checks keys with its own indexes; in
        # PostgreSQL these keep the merge's lookups and the filters off sequential scans.
        out += list(INDEXES)
    return out


# Version history.  1: tables with each event as JSON text; 2: indexes on member, event
# id and day; 3: typed columns (this module's TABLES).  A new store is created at the
# latest version; an older DuckDB store is upgraded in place by store.migrate.
SCHEMA_VERSION = 3
