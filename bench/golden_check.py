"""Golden output check: every event the pipeline produces on a fixed corpus, as canonical JSON lines.

Speed work on the extractor must not change a single output.  This script runs
the pipeline over

  (a) the seed report (date 2017-07-22),
  (b) all CASE 2021 dev snippets,
  (c) every report of the coded sets (tests/written, and the GeoWebNews articles of eval/gwn-events* read from the XML),
  (d) every real report of ../shared/corpus/real (with its gold's publication date),
  (e) the first 100 GeoWebNews article texts,

and writes, per document, every candidate event (all modalities, so background
and negated claims are covered too) and every asserted event as ``to_dict()``,
plus the report's places as (start, end, text, name, lat, lon, precision, score).
It also writes the gazetteer's own ``find`` output on all GeoWebNews articles,
because eval/geowebnews.py calls it directly.

    python bench/golden_check.py [--out FILE]          # write a run (default /tmp/golden_run.jsonl)
    python bench/golden_check.py --compare BASE.jsonl  # write a run and diff it against BASE; exit 1 on any difference
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from sitrep.evaluate import report_text  # noqa: E402
from sitrep.model import Report  # noqa: E402
from sitrep.pipeline import default_pipeline  # noqa: E402
from sitrep.score import load_gold  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def documents() -> list[tuple[str, str, str | None]]:
    """(doc_id, text, date) of every document in the golden corpus, in a fixed order."""
    docs = [("seed", (CORPUS / "seed" / "syria-last-24-hours.txt").read_text(encoding="utf-8"), "2017-07-22")]
    with (CORPUS / "case2021" / "dev.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if line.strip():
                rec = json.loads(line)
                docs.append((f"case:{rec.get('id', i)}", rec["text"], None))
    coded = [ROOT / "eval" / "gwn-events", ROOT / "eval" / "gwn-events-2"]
    for folder in coded + sorted((ROOT / "tests" / "written").glob("set*")):
        for gold in sorted(folder.glob("*.yaml")):
            raw = yaml.safe_load(gold.read_text(encoding="utf-8"))
            text = report_text(gold, load_gold(gold), raw)
            docs.append((f"{folder.name}:{gold.stem}.txt", text, None))
    for gold in sorted((CORPUS / "real" / "gold").glob("*.yaml")):
        date = re.search(r"^assumed_publication_date:\s*([0-9-]{10})", gold.read_text(encoding="utf-8"), re.M)
        report = CORPUS / "real" / "reports" / (gold.stem + ".txt")
        docs.append((f"real:{gold.stem}", report.read_text(encoding="utf-8"), date.group(1) if date else None))
    for i, text in enumerate(geowebnews_texts()[:100]):
        docs.append((f"gwn:{i}", text, None))
    return docs


def geowebnews_texts() -> list[str]:
    root = ET.parse(CORPUS / "geoparsing" / "GeoWebNews.xml").getroot()
    return [art.findtext("text") or "" for art in root.iter("article")]


def canon(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=repr)


def place_row(m) -> list:
    p = m.place
    return [m.start, m.end, m.text, p.name if p else None, p.latitude if p else None,
            p.longitude if p else None, m.precision, m.score]


def run() -> list[str]:
    pipe = default_pipeline()
    out: list[str] = []
    for doc_id, text, date in documents():
        try:
            report = pipe(Report(text=text, doc_id=doc_id, date=date))
        except Exception as exc:  # an internal error is output too: it must not change unnoticed
            out.append(canon({"doc": doc_id, "error": f"{exc.__class__.__name__}: {exc}"}))
            continue
        for e in report.candidates:
            out.append(canon({"doc": doc_id, "candidate": e.to_dict()}))
        for e in report.events:
            out.append(canon({"doc": doc_id, "event": e.to_dict()}))
        out.append(canon({"doc": doc_id, "places": [place_row(m) for m in report.places]}))
    for i, text in enumerate(geowebnews_texts()):
        out.append(canon({"doc": f"gwn-find:{i}", "places": [place_row(m) for m in pipe.gazetteer.find(text)]}))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/golden_run.jsonl")
    ap.add_argument("--compare", metavar="FILE", help="saved run to diff against")
    args = ap.parse_args()
    lines = run()
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} lines written to {args.out}")
    if not args.compare:
        return
    base = Path(args.compare).read_text(encoding="utf-8").splitlines()
    if base == lines:
        print(f"IDENTICAL to {args.compare}")
        return
    import difflib

    diff = list(difflib.unified_diff(base, lines, args.compare, args.out, lineterm="", n=0))
    print("\n".join(diff[:60]))
    print(f"DIFFERENT from {args.compare}: {sum(1 for d in diff if d[:1] in '+-') - 2} changed lines")
    sys.exit(1)


if __name__ == "__main__":
    main()
