"""Context: what the rest of a report says about where a name is.

Country votes (every name votes for the countries of its candidates; the document's leading
countries pull homonyms home), the sentence (places tied by "in", "near", ", " locate each
other) and the neighbourhood (a small place must sit near what the text names around it;
members of one list lie close together).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable

from ..geo import haversine_km
from ..model import Place
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from .cues import TIE_WORDS, TITLES
from .index import ImportedPlace, is_curated
from .spotting import LIST_GAP, Match, fold_name

_TIE_TOKEN = re.compile(r"[^\W_]+|[^\s,\-–]")
_SENT_MARK = re.compile(r"[.!?;\n]")
_SENT_END = re.compile(r"[.!?;](?=[\s\"”’')\]]*(?:\s[\"“'‘(]?[A-Z0-9]|$))|\n")
_WIDE = ("country", "continent", "admin1", "region")


def distance_km(a: Place, b: Place) -> float:
    if a.latitude is None or b.latitude is None:
        return 1e9
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def within_km(a: Place, b: Place, km: float) -> bool:
    """distance_km(a, b) <= km, without the trigonometry when the latitudes alone are too far apart."""
    if a.latitude is None or b.latitude is None or abs(a.latitude - b.latitude) * 111.19 > km + 1.0:
        return False
    return distance_km(a, b) <= km


# ---- country votes --------------------------------------------------------------------------------

def key_facts(gaz, key: str) -> tuple[set, bool, set, tuple]:
    """The countries, whether a country, and the (country, admin1) pairs among a key's candidates,
    and the country votes a mention of the key casts, as (country, weight) in the order they add up.

    Built once per key (in the same order as from scratch, so votes add up alike)."""
    facts = gaz._facts.get(key)
    if facts is None:
        cs = gaz._candidates(key)
        # A name the shipped table knows votes as it does there: imported homonyms (a village of that
        # name in each of a dozen countries) would thin its votes; an imported-only name votes as usual.
        voters = cs if gaz._imported is None else [p for p in cs if not isinstance(p, ImportedPlace)] or cs
        ccs = {p.country_code for p in voters if p.country_code}
        has_country = any(p.feature == "country" for p in cs)
        if not ccs:
            votes = ()
        elif has_country and len(ccs) <= T.country_name_max_countries:
            # The country, not its towns' homonyms ("Turkey", not Turki or Torquay).
            votes = tuple((p.country_code, T.country_name_votes) for p in cs if p.feature == "country")
        else:
            votes = tuple((cc, 1.0 / len(ccs)) for cc in ccs)
        every = ccs if voters is cs else {p.country_code for p in cs if p.country_code}
        facts = gaz._facts[key] = (every, has_country, {(p.country_code, p.admin1) for p in voters if p.admin1}, votes)
    return facts


def _unproven(gaz, m: Match) -> bool:
    """A one-word name only the imported files know, without a cue: it may be a surname or a word of another
    language as well as a village ("Adeoye", "Dogon"), so it casts no votes; the report's other names say
    whether its country is the report's."""
    return (m.first == m.last and not (m.near or m.province or m.settlement or m.holds) and m.container is None
            and m.key not in gaz._index)


def _title(gaz, m: Match) -> bool:
    """A one-word name only the imported files know that is a title ("Mayor", "Alhaji"): a person's, whatever the cue."""
    return m.first == m.last and m.key not in gaz._index and m.folded in TITLES


def drop_unsupported(gaz, kept: list[Match], votes: "Votes") -> list[Match]:
    """The mentions without the unproven ones (see _unproven) whose countries the report's other names do
    not support: they take no part in ranking or context, as if no file had been imported."""
    out = [m for m in kept if not _title(gaz, m) and (not _unproven(gaz, m) or any(
        votes.share(p.country_code) >= T.weak_village_share for p in gaz._candidates(m.key)))]
    if len(out) == len(kept):
        return kept
    dropped = {id(m) for m in kept} - {id(m) for m in out}
    for m in out:
        if m.container is not None and id(m.container) in dropped:
            m.container = None
    return out


class Votes:
    """The document's votes for countries and first-level divisions."""

    def __init__(self, gaz, kept: list[Match], hint: str | None, hint_weight: float) -> None:
        country_votes: Counter = Counter()
        self.by_key: dict[str, Counter] = defaultdict(Counter)  # what each name's mentions cast
        for m in kept:
            if gaz._imported is not None and _unproven(gaz, m):
                continue
            for cc, weight in key_facts(gaz, m.key)[3]:
                country_votes[cc] += weight
                self.by_key[m.key][cc] += weight
        if hint:
            country_votes[hint] += hint_weight
        # fsum: an exact total whatever the (hash-seeded) order of the votes, so results do
        # not differ between processes, e.g. Dask workers and the main process.
        self.countries, self.total = country_votes, math.fsum(country_votes.values()) or 1.0
        self.admin1s, self.admin1_total = self._admin1_votes(gaz, kept)

    def _admin1_votes(self, gaz, kept: list[Match]) -> tuple[Counter, float]:
        country_votes, total = self.countries, self.total
        admin_votes: Counter = Counter()
        admin_keys: dict[tuple, set] = defaultdict(set)
        admin_shares: dict[str, list] = {}  # a name's votes, the same for each of its mentions
        for m in kept:
            shares = admin_shares.get(m.key)
            if shares is None:
                a1s = key_facts(gaz, m.key)[2]
                shares = admin_shares[m.key] = [(a, country_votes[a[0]] / total / len(a1s)) for a in a1s]
                for a in a1s:
                    admin_keys[a].add(m.key)
            for a, share in shares:
                admin_votes[a] += share  # added mention by mention, as the floats always were
        admin_total = math.fsum(admin_votes.values()) or 1.0
        # A province backed by one name only is no context: that name would vote for itself.
        for a, keys in admin_keys.items():
            if len(keys) < 2:
                admin_votes[a] = 0.0
        return admin_votes, admin_total

    def share(self, cc: str) -> float:
        return self.countries[cc] / self.total

    def share_of_others(self, key: str, cc: str) -> float:
        """The share of cc among the votes the report's other names (and the hint) cast."""
        own = self.by_key[key]
        rest = self.total - math.fsum(own.values())
        return (self.countries[cc] - own[cc]) / rest if rest > 0 else 0.0

    def leaders(self, n: int) -> list[str]:
        """The n countries with the most votes (ties broken by code: vote order may follow hash order)."""
        return [cc for cc, _ in sorted(self.countries.items(), key=lambda kv: (-kv[1], kv[0]))[:n] if cc]


class LatitudeIndex:
    """Places sorted by latitude, so the nearest one to a point is sought among close latitudes only."""

    def __init__(self, places: list[Place]) -> None:
        located = sorted((q for q in places if q.latitude is not None), key=lambda q: q.latitude)
        self.places = located
        self.lats = [q.latitude for q in located]

    def proximity_bonus(self, p: Place) -> float:
        """The near bonus if another place lies within proximity_near_km of p, the far bonus within
        proximity_far_km, else 0.0.  It reads only the latitude band that can pass, and stops at the
        first place near enough."""
        if p.latitude is None:
            return 0.0
        deg = T.proximity_far_km / 111.0 + 0.01
        lat, lon = p.latitude, p.longitude
        coslat = max(0.05, math.cos(math.radians(lat)) - deg * 0.02)
        lo = bisect_left(self.lats, lat - deg - 1e-6)
        hi = bisect_right(self.lats, lat + deg + 1e-6)
        bonus = 0.0
        for q in self.places[lo:hi]:
            if q is p or abs(q.latitude - lat) > deg:
                continue
            dlon = abs(q.longitude - lon)
            if min(dlon, 360.0 - dlon) * coslat > deg:
                continue
            d = distance_km(p, q)
            if d < T.proximity_near_km:
                return T.proximity_near_bonus
            if d < T.proximity_far_km:
                bonus = T.proximity_far_bonus
        return bonus


# ---- the sentence ---------------------------------------------------------------------------------

def holds(q: Place, c: Place) -> bool:
    """Whether place q can contain place c: a country or admin1 holds towns, a big city its villages."""
    if q.feature in ("country", "continent"):
        return c.feature not in ("country", "continent")
    if q.feature in ("admin1", "region"):
        return c.feature not in ("country", "continent", "admin1")
    return c.feature not in _WIDE and (
        q.population >= T.holder_population or is_curated(q)) and c.population < q.population


def tied(text: str, a: int, b: int) -> bool:
    """Whether only locating words (and commas) stand between text[a] and text[b]: one place locates the other."""
    if b - a > T.tie_max_chars or b < a:
        return False
    for t in _TIE_TOKEN.findall(text, a, b):
        if t.lower() not in TIE_WORDS and not t.isdigit():
            return False
    return True


def _sentence_groups(text: str, kept: list[Match]) -> list[list[Match]]:
    """The mentions of each sentence that names two places or more (parts of unknown names left out)."""
    groups: list[list[Match]] = []
    members: list[Match] = []
    prev_end = 0
    search, verify = _SENT_MARK.search, _SENT_END.match
    for m in kept:
        if m.whole is not None:
            continue
        # A sentence ends between the previous mention and this one?  Sentence marks are rare in a
        # gap: find one with a plain character class, confirm it with the full pattern.
        b = search(text, prev_end, m.start)
        while b is not None and verify(text, b.start(), m.start + 1) is None:
            b = search(text, b.end(), m.start)
        if b is not None:
            if len(members) > 1:
                groups.append(members)
            members = []
        members.append(m)
        prev_end = m.end
    if len(members) > 1:
        groups.append(members)
    return groups


class _Ties:
    """ties(k): whether members k and k+1 of a sentence are tied; worked out when asked."""

    def __init__(self, text: str, members: list[Match]) -> None:
        self.text, self.members, self.last = text, members, len(members) - 1
        self.ties: list = [None] * self.last + [False]

    def __call__(self, k: int) -> bool:
        t = self.ties[k]
        if t is None:
            text, members, last = self.text, self.members, self.last
            t = tied(text, members[k].end, members[k + 1].start)
            if t and not text[members[k].end:members[k + 1].start].strip(" ,"):
                # "A, B": B locates A, unless both stand in a list ("Alaska, Hawaii, Florida and ...").
                t = not (k > 0 and LIST_GAP.fullmatch(text, members[k - 1].end, members[k].start)) and not (
                    k + 2 <= last and LIST_GAP.fullmatch(text, members[k + 1].end, members[k + 2].start))
            self.ties[k] = t
        return t


def sentence_context(gaz, text: str, kept: list[Match], res: dict, cand: dict,
                     score: Callable[[Match, Place], float], share: Callable[[str], float]) -> None:
    """Places named in the same sentence pull each other's candidates towards their country and admin1.

    "al-Sukhnah in the eastern countryside of Homs", "Homs countryside near al-Sukhnah", "X, Y province":
    the document vote is weak in a short report, but the sentence says where X is.  When X and Y are
    tied by a relation ("in", "near", ", ", "countryside of", ...), a candidate of X inside the admin1
    or country that Y names wins over any candidate outside it, whatever their populations."""
    decided: dict[tuple, tuple] = {}
    settled = T.settled_share
    for members in _sentence_groups(text, kept):
        places = [res[id(o)][0] for o in members]
        tie = _Ties(text, members)
        for k, m in enumerate(members):
            if len(cand[id(m)]) < 2 or places[k] is None:
                continue
            if not (tie(k) or tie(k - 1)) and share(places[k].country_code) >= settled:
                continue  # the document has settled its country; its neighbours (local_context) do the rest
            ctx = []  # (place, tied) of the other members; only a neighbour in the text can be tied to it
            for k2, o in enumerate(members):
                q = places[k2]
                if o is m or q is None or q.feature == "continent" or o.key == m.key:
                    continue
                is_tied = (k2 == k + 1 and tie(k)) or (k2 == k - 1 and tie(k2))
                # "Culiacán, Sinaloa": the name after the comma locates the one before, never the reverse.
                ctx.append((q, is_tied and o.container is not m))
            if ctx:
                _relocate(gaz, m, ctx, res, cand[id(m)], score, decided)


def _relocate(gaz, m: Match, ctx: list[tuple[Place, bool]], res: dict, cs: list[Place],
              score: Callable[[Match, Place], float], decided: dict) -> None:
    """Move m to the candidate its sentence's places pull hardest, if that is not its place already."""
    place, sc, top = res[id(m)]
    # The same name with the same cues beside the same places decides alike: reports repeat them.
    memo = (m.key, id(place), tuple((id(q), is_tied) for q, is_tied in ctx))
    hit = decided.get(memo)
    if hit is not None:
        m.located = hit[0]
        if hit[1] is not None:
            res[id(m)] = hit[1]
        return
    decided[memo] = (False, None)
    ccs = {q.country_code for q, _ in ctx}
    if ccs.isdisjoint(key_facts(gaz, m.key)[0]):
        return
    # Only a candidate pulled harder than the chosen place can overtake it (the chosen one has
    # the best score, and the lowest index among equal ones): score no other.
    own = _pull(place, ccs, ctx)
    best = None
    for j, c in enumerate(cs):
        inside, bonus = own if c is place else _pull(c, ccs, ctx)
        if c is not place and (inside, bonus) <= own:
            continue
        key = (inside, score(m, c) + bonus, -j)
        if best is None or key > best[0]:
            best = (key, c)
    m.located = best[0][0]
    if best[1] is not place:
        new = best[1]
        res[id(m)] = (new, best[0][1], [new] + [c for c in top if c is not new][:4])
    decided[memo] = (m.located, res[id(m)] if best[1] is not place else None)


def _pull(c: Place, ccs: set[str], ctx: list[tuple[Place, bool]]) -> tuple[bool, float]:
    """(inside, bonus): whether a place of the sentence holds candidate c, and how hard they pull it."""
    inside, bonus = False, 0.0
    if c.country_code not in ccs:
        return inside, bonus
    for q, is_tied in ctx:
        if c.country_code != q.country_code or c is q:
            continue
        # Tied to a place that can hold it ("X, Y province", "X in eastern Y"): Y locates X.
        # Tied to a peer ("Rome, Paris and Berlin") or only in the same sentence: a hint.
        holder = is_tied and holds(q, c)
        if q.feature == "country" and not holder:
            continue  # "the US border with Mexico": naming a country says little of its neighbours
        b = T.sentence_pull
        if c.admin1 and c.admin1 == q.admin1:
            b += T.sentence_admin1_pull
            if holder and q.feature != "country":
                inside = True
        elif holder and q.feature == "country":
            inside = True
        if inside:
            b *= T.sentence_inside_factor
        if b > bonus:
            bonus = b
    return inside, bonus


# ---- the neighbourhood ----------------------------------------------------------------------------

def small(p: Place) -> bool:
    """A place that needs its neighbours' support: no country, division or curated entry, and not big."""
    return p.feature not in _WIDE and p.population < T.small_population and not is_curated(p)


class _Neighbourhood:
    """The places named around each mention, and whether they support a candidate."""

    def __init__(self, kept: list[Match], res: dict) -> None:
        self.kept, self.res = kept, res
        self.starts = [m.start for m in kept]

    def local(self, m: Match, skip: set[int]) -> list[Place]:
        """The places of the mentions within local_chars of m (countries and parts of names left out)."""
        reach = T.local_chars
        lo, hi = bisect_left(self.starts, m.start - reach), bisect_left(self.starts, m.end + reach)
        out = []
        for o in self.kept[lo:hi]:
            if o.whole is None and id(o) not in skip:
                p = self.res[id(o)][0]
                if p is not None and p.feature not in ("country", "continent"):
                    out.append(p)
        return out

    @staticmethod
    def supported(p: Place, ctx: list[Place]) -> bool:
        near = T.near_km
        for q in ctx:
            if q.feature in ("admin1", "region") and q.country_code == p.country_code and q.admin1 == p.admin1:
                return True
            if q.feature not in ("admin1",) and within_km(p, q, near):
                return True
        return False


def local_context(gaz, text: str, kept: list[Match], res: dict, votes: Votes, cand: dict) -> None:
    """Second thoughts from the neighbouring mentions: small places must sit near what the text names
    around them.  Rewrites res[id(m)] to (None, score, candidates) or a nearer candidate of cand[id(m)]
    (each mention's candidates, within the report's scope)."""
    hood = _Neighbourhood(kept, res)
    scope = _Scope(kept, res, votes)
    for m in kept:
        place, sc, top = res[id(m)]
        if place is None:
            continue
        if m.whole is None and small(place) and len(cand[id(m)]) > 1:
            place = _nearer_homonym(cand[id(m)], hood, m, place)
            res[id(m)] = (place, sc, top)
        if not _still_there(hood, scope, m, place):
            res[id(m)] = (None, sc, top)
    for members in _lists(text, kept):
        _list_cohesion(cand, hood, members, res)


def _nearer_homonym(cands: list[Place], hood: _Neighbourhood, m: Match, place: Place) -> Place:
    """"hit ISIL in Southern Raqqa ... the village of Ma'adan": the homonym the text names around it
    beats a bigger one elsewhere."""
    ctx = hood.local(m, {id(m)})
    if not ctx or hood.supported(place, ctx):
        return place
    # An imported homonym does not displace a shipped place this way (it may through ranking and the sentence).
    shipped = type(place) is not ImportedPlace
    alt = [c for c in cands if c is not place and c.feature not in
           ("country", "continent", "admin1") and hood.supported(c, ctx) and not (shipped and type(c) is ImportedPlace)]
    if alt:
        return max(alt, key=lambda c: (c.country_code == place.country_code, c.population))
    return place


class _Scope:
    """The countries the report is in: the leading one, those it names, those its big places are in."""

    def __init__(self, kept: list[Match], res: dict, votes: Votes) -> None:
        cv, total = votes.countries, votes.total
        self.votes = votes
        self.lead = max(cv.values(), default=0.0) / total
        self.lead_country = max(cv, key=lambda cc: (cv[cc], cc)) if cv else None
        self.named = Counter(res[id(m)][0].country_code for m in kept if res[id(m)][0] is not None
                             and res[id(m)][0].feature in ("country", "admin1"))
        # The countries the report is plainly in: named, or holding a big place it names.
        big = T.small_population
        self.present = set(self.named) | {res[id(m)][0].country_code for m in kept if res[id(m)][0] is not None
                                          and res[id(m)][0].population >= big}
        self.by_key: dict[str, set] = defaultdict(set)
        for m in kept:
            p = res[id(m)][0]
            if p is not None and m.whole is None and (p.feature in ("country", "admin1") or p.population >= big):
                self.by_key[m.key].add(p.country_code)

    def elsewhere(self, m: Match, cc: str) -> bool:
        """Whether the report's other names than this one put it plainly in countries other than cc."""
        others = {c for key, ccs in self.by_key.items() if key != m.key for c in ccs}
        return bool(others) and cc not in others


def _foreign_alias(p: Place, m: Match) -> bool:
    """"Epaw" (a Philippine barangay) is also an alternate name of Ipoh: a town or province short of a
    metropolis, met only under another of its names.  ("Quebec City" holds the name "Quebec": a form
    of it, not another place's name.)"""
    name = fold_name(p.name)
    return (p.feature not in ("country", "continent") and p.population < T.foreign_alias_population
            and not is_curated(p) and name not in m.folded and m.folded not in name)


def _still_there(hood: _Neighbourhood, scope: _Scope, m: Match, place: Place) -> bool:
    """Whether m keeps its place in the light of the report's countries and m's neighbours."""
    if _foreign_in_container(hood, scope, m, place) or _met_under_foreign_name(scope, m, place):
        return False
    if m.whole is not None:
        # Only part of the name is known: keep it only if the place it borrows is named around it.
        return hood.supported(place, hood.local(m, {id(m)}))
    return not _foreign_and_alone(hood, scope, m, place)


def _foreign_in_container(hood: _Neighbourhood, scope: _Scope, m: Match, place: Place) -> bool:
    """"Daffo village in Bokkos": a small place whose named container lies in another country is a
    foreign homonym of an unknown place; only the container is known."""
    held_by = hood.res[id(m.container)][0] if m.container is not None and m.container.holds else None
    return (m.whole is None and small(place) and held_by is not None and held_by.country_code != place.country_code
            and held_by.feature != "continent" and held_by.country_code == scope.lead_country)


def _met_under_foreign_name(scope: _Scope, m: Match, place: Place) -> bool:
    """"Ulang" is a Ladin name of an Italian village, "Nasir" a Turkish one's: a small place met only
    under another of its names, in a country the report never names while it names others, is a
    homonym of a place the gazetteer lacks."""
    return (m.whole is None and (small(place) and m.direction is None and scope.named
                                 and place.country_code not in scope.present
                                 or _foreign_alias(place, m) and scope.elsewhere(m, place.country_code))
            and fold_name(place.name) != m.folded and not (m.settlement and m.container is not None))


def _foreign_and_alone(hood: _Neighbourhood, scope: _Scope, m: Match, place: Place) -> bool:
    """A small foreign homonym, or a province of a country the report never names ("Rasm al-Qanem" is
    not Chad's Kanem), in a report that is plainly about one country, with nothing near it named."""
    lead = scope.lead
    if not ((small(place) or (place.feature == "admin1" and not (m.province or m.direction)))
            and lead >= T.lead_share and scope.votes.share(place.country_code) < lead * T.lead_fraction
            and scope.named[place.country_code] <= (place.feature == "admin1")  # named by no other mention
            and m.container is None):
        return False
    ctx = hood.local(m, {id(m)})
    far = T.far_km_factor * T.near_km
    return bool(ctx) and not any(within_km(place, q, far) for q in ctx if q.feature != "admin1")


def _lists(text: str, kept: list[Match]) -> list[list[Match]]:
    """Runs of mentions that stand in one coordinated list ("Ma'adan, al-Rabiyeh and al-Jableh")."""
    lists: list[list[Match]] = []
    for a, b in zip(kept, kept[1:]):
        # A member known only in part ("Rasm al-Qanem") still stands in the list by its whole name.
        if LIST_GAP.fullmatch(text, a.end if a.whole is None else max(a.end, a.whole[1]),
                              b.start if b.whole is None else min(b.start, b.whole[0])):
            if lists and lists[-1][-1] is a:
                lists[-1].append(b)
            else:
                lists.append([a, b])
    return lists


def _list_cohesion(cand: dict, hood: _Neighbourhood, members: list[Match], res: dict) -> None:
    """The members of "the villages of A, B, C and D" lie close together; members whose place is
    supported by the surrounding text anchor the others."""
    skip = {id(x) for x in members}
    ctx = hood.local(members[0], skip) + hood.local(members[-1], skip)
    anchors = [res[id(x)][0] for x in members
               if res[id(x)][0] is not None and x.whole is None and hood.supported(res[id(x)][0], ctx)]
    anchors = [p for p in anchors if p.feature not in ("admin1", "region")]
    if not anchors:
        return
    near_km = T.near_km
    for x in members:
        place, sc, top = res[id(x)]
        if place is None or place in anchors or not small(place):
            continue
        near = [(min(distance_km(c, q) for q in anchors), c) for c in cand[id(x)] if small(c)]
        near = [t for t in near if t[0] <= near_km]
        if near:
            res[id(x)] = (min(near, key=lambda t: t[0])[1], sc, top)
        elif members[0].settlement:
            # "the villages of ...": a cluster; a far homonym is a wrong guess, an unknown is honest.
            res[id(x)] = (None, sc, top)
