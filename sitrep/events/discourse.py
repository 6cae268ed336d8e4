"""What the sentences told so far leave to the next: the paragraph's and section's places, actors,
days and sources.

A report tells an act and then tells on ("They shelled the market"; "The toll rose to nine"); a
human coder reads the later sentence with what came before.  The carry-over rules
(``data/en/rules/carry.yaml``) say what a sentence may take and from how far back, in order: the
first rule that fires and finds something in its scope decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..clauses import overlaps_any
from ..mentions import is_anaphoric
from ..model import Mention, Report, Sentence
from ..rules import Site, rulebook, trace
from .places import story_place
from .roles import SAYS_AFTER, recent_opponent


@dataclass
class Discourse:
    """The state one report's sentences hand on, read and written by the event passes."""

    last_source: str | None = None  # the last source named outright
    para_source: dict[int, str] = field(default_factory=dict)
    para_place: dict[int, int] = field(default_factory=dict)  # paragraph -> last place index named in it
    section_place: dict[int, int] = field(default_factory=dict)  # section -> last place index named in it
    section_event_place: dict[int, int] = field(default_factory=dict)  # section -> place of its last asserted act
    heading_place: dict[str | None, int] = field(default_factory=dict)
    last_place: int | None = None  # the last place named anywhere
    section_date: dict[int, str] = field(default_factory=dict)  # section -> day of its last dated asserted act
    para_date: dict[int, str] = field(default_factory=dict)  # paragraph -> a day its sentences without an act named
    section_agent: dict[int, Mention] = field(default_factory=dict)
    para_agent: dict[int, Mention] = field(default_factory=dict)
    section_target: dict[int, Mention] = field(default_factory=dict)
    section_act: dict[int, tuple[str, int]] = field(default_factory=dict)  # section -> (type, sentence) of its last act

    # ---- what the carry-over rules may take -------------------------------------------------------

    def scoped(self, what: str, scope: str, site: Site):
        """The value of `what` (agent, target, place, day, source) that `scope` holds for the site's sentence."""
        sent = site.sentence
        if scope == "opponent":
            return recent_opponent(site.report, sent, site.facts.get("actor1"))
        key = {"paragraph": sent.paragraph, "section": sent.section, "heading": sent.heading}.get(scope)
        table = {
            ("agent", "paragraph"): self.para_agent, ("agent", "section"): self.section_agent,
            ("target", "section"): self.section_target,
            ("place", "paragraph"): self.para_place, ("place", "section-act"): self.section_event_place,
            ("place", "section"): self.section_place, ("place", "heading"): self.heading_place,
            ("day", "paragraph"): self.para_date, ("day", "section"): self.section_date,
            ("source", "paragraph"): self.para_source, ("act", "section"): self.section_act,
        }.get((what, scope))
        if table is not None:
            return table.get(key if scope != "section-act" else sent.section)
        if (what, scope) == ("place", "document"):
            return self.last_place
        if (what, scope) == ("source", "named-before"):
            return self.last_source
        return None

    def carry(self, what: str, site: Site):
        """The first carry-over rule for `what` that fires at the site and finds a value: (value, rule) or
        (None, None)."""
        for rule in rulebook().stage("carry"):
            if rule.carries == what and rule.fires(site):
                value = self.scoped(what, rule.to, site)
                if value is not None:
                    trace(site, rule)
                    return value, rule
        return None, None

    # ---- what a sentence leaves -------------------------------------------------------------------

    def source_of(self, report: Report, sent: Sentence, ms: dict[str, list[Mention]]) -> str | None:
        """The claim's source: named here ("field sources said"), or carried over by the carry rules."""
        named = next((a.value for a in ms.get("attribution", [])), None)
        if named is not None and not is_anaphoric(named):
            self.last_source = named
            if named:
                self.para_source[sent.paragraph] = named
                return named
        site = Site(report, sent, sent.start, sent.start, "", facts={"anaphoric": named is not None})
        source, _ = self.carry("source", site)
        if source and named is not None:
            self.para_source[sent.paragraph] = source  # "the sources said": the source named before
        return source

    def note_heading(self, report: Report, sent: Sentence) -> None:
        """A section heading that names a place ("Deir Ezzur") places the section's acts that name none."""
        if sent.heading and sent.heading not in self.heading_place:
            named = [i for i, pm in enumerate(report.places)
                     if pm.place is not None and pm.start < sent.start and pm.text.strip() in sent.heading]
            if named:
                self.heading_place[sent.heading] = named[-1]

    def note_story_place(self, report: Report, sent: Sentence, places: list[Mention]) -> None:
        story = story_place(report, places)
        if story is not None:
            self.para_place[sent.paragraph] = self.section_place[sent.section] = self.last_place = story

    def note_context(self, report: Report, sent: Sentence, ms: dict[str, list[Mention]], days: list[str],
                     places: list[Mention]) -> None:
        """A sentence with no act of its own still sets the scene: its day, its place, who acts in it."""
        if days:
            self.para_date[sent.paragraph] = days[0]  # "In a follow-up operation on Sunday morning, ..."
        self.note_story_place(report, sent, places)
        actors = ms.get("actor", [])
        if not actors:
            return
        self.section_agent.setdefault(sent.section, actors[0])
        # "forces of the IRGC dismantled the team near Saravan. Three were killed in the clash": who
        # acts in the paragraph, even in a sentence that names no act of its own.
        # (Not a source: "According to the General Staff of Ukraine's Armed Forces, ...".)
        text = report.clean_text
        doers = [a for a in actors if getattr(a.value, "type", None) != "civilians"
                 and not overlaps_any(a, ms.get("attribution", []))
                 and not SAYS_AFTER.match(text, a.end, min(sent.end, a.end + 40))]
        if doers:
            self.para_agent.setdefault(sent.paragraph, next((a for a in doers if getattr(a.value, "actor_id", None)),
                                                            doers[0]))

    def note_sides(self, sent: Sentence, actor1: Mention | None, actor2: Mention | None) -> None:
        """An asserted act's sides are who the paragraph and section are about from now on."""
        if actor1 is not None:
            self.section_agent[sent.section] = self.para_agent[sent.paragraph] = actor1
        if actor2 is not None:
            self.section_target[sent.section] = actor2

    def note_act_place(self, sent: Sentence, place: int | None, scope: str, days: list[str], sub: str) -> None:
        """Where, when and what an asserted act was: the section's story goes on there."""
        self.section_act[sent.section] = (sub, sent.index)
        if place is not None:
            if scope == "sentence":
                self.section_event_place[sent.section] = place
            elif scope in ("near", "region"):
                # Named with the act, less precisely; a place the act only inherited is no new evidence
                # (a letterhead's town that a headline's act took is not where the story is told).
                self.section_event_place.setdefault(sent.section, place)
        if days:
            self.section_date[sent.section] = days[0]
