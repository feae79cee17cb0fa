"""Candidate entities and facts from a registered text, offline, for a person to review.

Each sentence is read for the entities it names: known ones (every name and alias in
``data/entities``, on word boundaries, case and accents folded by ``loader.names``; acronyms
such as ``US`` or ``EU`` case-sensitively), countries pycountry knows, and new names by their
shape (capitalised multi-word spans, acronyms) with a guessed label. The subject a source leaves
implicit (its registry ``subject``, such as KAZ) counts as named in every sentence. Every pair
of entities in a sentence becomes a candidate fact: a relationship type chosen by the cue words
of ``CUES`` among the types whose ends fit the pair's labels, with dates, money figures, the
citation (locator and hash), the cue that fired and a confidence.

Every record written carries a ``candidate:`` key, which the loader's models do not allow: an
unreviewed proposal fails ``kazgraph load`` until a person has checked it and deleted the key.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import pycountry

from loader.facts import DEFAULT_DATA_DIR, data_files
from loader.names import lookup_key, normalise, searchable
from loader.registry import RegistryError, source_sentences, subject_of
from loader.sources import Sentence
from loader.verify import DEFAULT_SOURCES_DIR
from loader.vocabulary import REL_TYPES
from loader.yaml_lines import LineDict, YamlProblem, load_yaml

# Cue words per relationship type, in searchable form (lower case, no punctuation), matched at
# the start of a word: "sign" fires on "signed" and "signatory". The order is the preference
# when several types fire: specific types first, broad ones (ABOUT, RELATIONS_WITH) last.
CUES: dict[str, tuple[str, ...]] = {
    "TRADES_WITH": ("trade", "trading", "turnover", "export", "import", "commerce"),
    "INVESTS_IN": ("invest", "financ", "loan", "lend", "credit"),
    "DEPLOYED_TO": ("deploy", "peacekeep", "contingent", "sent troops", "sent officers"),
    "SECURITY_TIE": (
        "military",
        "defence",
        "defense",
        "arms",
        "weapon",
        "drone",
        "exercise",
        "intelligence",
        "army",
    ),
    "MEMBER_OF": ("member", "joined", "join", "accession", "acced", "observer", "seat"),
    "CHAIRS": ("chair", "presidency", "presided"),
    "HOLDS_OFFICE": (
        "president",
        "prime minister",
        "minister",
        "chancellor",
        "secretary",
        "ambassador",
        "premier",
        "head of",
    ),
    "SUCCEEDED": ("succeed", "successor", "replaced", "handed over", "transition"),
    "SIGNED": ("sign", "ratif", "concluded", "inked"),
    "CONCLUDED_AT": ("during", "signed at", "on the sidelines"),
    "VISITED": ("visit", "trip", "travel", "toured", "came to", "arrived"),
    "MET": ("met", "meet", "meeting", "talks with"),
    "HOSTED": ("host", "held", "venue"),
    "HELD_IN": ("held in", "took place", "venue", "in the capital"),
    "MEDIATED": ("mediat", "facilitat", "broker", "negotiat", "platform for"),
    "PARTICIPATED_IN": ("took part", "participat", "attend", "joined"),
    "REQUESTED": ("asked", "ask", "request", "urged", "urge", "invited", "invite", "instruct"),
    "BID_FOR": ("bid", "campaign", "candidacy"),
    "NOMINATED_FOR": ("nominat", "put forward"),
    "PLEDGED": ("pledg", "promis", "commit", "agreed to", "vow"),
    "PROPOSED": ("propos", "offer", "initiat", "suggest"),
    "BUILT_BY": ("built", "build", "construct"),
    "OPERATED_BY": ("operat", "run by", "managed", "promot"),
    "ROUTE_STEP": ("through", "via", "across", "transit", "bypass"),
    "IMPOSED": ("impos", "introduced sanctions"),
    "TARGETS": ("target", "against", "aimed at"),
    "EXPOSED_TO": ("expos", "risk", "vulnerab", "secondary sanctions", "affected", "hit by"),
    "BASED_IN": ("based in", "headquarter"),
    "OPERATES_IN": ("branch", "subsidiar", "presence in", "operates in"),
    "LOCATED_IN": ("located", "lies", "situated", "near"),
    "BORDERS": ("border", "neighbour", "neighbor", "adjacent", "coast"),
    "LED_BY": ("led", "leads", "leading", "dominated", "driven by"),
    "PART_OF": ("part of", "branch of", "within"),
    "PARTY_TO": ("dispute", "conflict", "tension", "disagree", "issue", "claim", "problem"),
    "STANCE_ON": (
        "support",
        "oppos",
        "condemn",
        "abstain",
        "reject",
        "comply",
        "complian",
        "critici",
        "concern",
        "position",
        "stance",
        "neutral",
        "recogni",
    ),
    "COOPERATES_ON": ("cooperat", "co operat", "collaborat", "joint", "work with", "together"),
    "RELATIONS_WITH": (
        "relation",
        "ties",
        "partner",
        "friend",
        "cordial",
        "friction",
        "tension",
        "strategic",
        "diplomatic",
        "rapprochement",
        "ally",
        "allied",
    ),
    "ABOUT": ("about", "concerning", "regarding", "on the"),
}
# Without any cue, the first type here that fits the pair's labels, at a low confidence.
FALLBACK = (
    "MEMBER_OF",
    "PARTICIPATED_IN",
    "SIGNED",
    "PARTY_TO",
    "HOLDS_OFFICE",
    "MET",
    "RELATIONS_WITH",
    "HELD_IN",
    "LOCATED_IN",
    "ROUTE_STEP",
    "ABOUT",
    "STANCE_ON",
    "COOPERATES_ON",
    "PART_OF",
)

# head words that say what a capitalised span names
HEAD_WORDS: dict[str, tuple[str, ...]] = {
    "Bank": ("bank",),
    "Agreement": (
        "agreement",
        "treaty",
        "declaration",
        "memorandum",
        "accord",
        "charter",
        "convention",
        "statement",
        "pact",
        "protocol",
        "deal",
    ),
    "Event": (
        "summit",
        "visit",
        "exercise",
        "exercises",
        "talks",
        "war",
        "games",
        "congress",
        "crisis",
        "process",
        "forum",
        "conference",
        "referendum",
    ),
    "Programme": (
        "initiative",
        "programme",
        "program",
        "strategy",
        "plan",
        "policy",
        "doctrine",
        "sanctions",
    ),
    "Route": ("corridor", "route", "pipeline", "railway", "railroad", "highway"),
    "Infrastructure": ("port", "plant", "station", "dam", "terminal", "gateway", "airport"),
    "Sea": ("sea", "lake", "ocean", "gulf"),
    "Place": ("city", "province", "region", "oblast", "valley", "mountains", "island", "islands"),
    "Company": ("company", "corporation", "holding", "petroleum", "oil", "gas", "group", "jsc"),
    "Organisation": (
        "organization",
        "organisation",
        "union",
        "council",
        "community",
        "commission",
        "committee",
        "agency",
        "ministry",
        "parliament",
        "assembly",
        "alliance",
        "association",
        "fund",
        "institute",
        "nations",
        "cooperation",
        "office",
        "center",
        "centre",
        "university",
    ),
}
TITLES = (
    "president",
    "prime minister",
    "minister",
    "foreign minister",
    "chancellor",
    "secretary",
    "king",
    "queen",
    "emir",
    "sheikh",
    "ambassador",
    "premier",
    "mr",
    "ms",
    "dr",
)
REGIONS = frozenset(
    [
        "asia",
        "europe",
        "east",
        "west",
        "america",
        "africa",
        "caucasus",
        "eurasia",
        "pacific",
        "arctic",
    ]
)
CONNECTORS = frozenset({"of", "and", "for", "the", "on", "de", "in"})
NOT_NAMES = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "in",
        "on",
        "at",
        "by",
        "for",
        "during",
        "after",
        "before",
        "while",
        "when",
        "since",
        "as",
        "but",
        "and",
        "or",
        "if",
    ]
)
NOT_ACRONYMS = frozenset(
    {"TM", "I", "II", "III", "IV", "GDP", "USD", "CEO", "OK", "TV", "A", "AM", "PM"}
)
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
SCALES = {
    "trillion": 1e12,
    "tn": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
}
_NUM = r"(\d+(?:\.\d+)?)"
_SCALE = r"(trillion|billion|million|tn|bn|bln|mn|mln|m)\b"
MONEY = (
    re.compile(r"(?:US\s?\$|USD|\$)\s?" + _NUM + r"(?:\s?" + _SCALE + ")?", re.IGNORECASE),
    re.compile(_NUM + r"\s?" + _SCALE + r"\s+(?:US\s|U\.S\.\s|American\s)?dollars", re.IGNORECASE),
    re.compile(_NUM + r"\s?" + _SCALE + r"\s?(?:USD|US\$)", re.IGNORECASE),
)
TARGET_CUES = ("to reach", "target", "aim", "goal", "plan", "expected to", "projected", "would")
ESTIMATE_CUES = (
    "almost",
    "about",
    "around",
    "approximately",
    "estimated",
    "nearly",
    "roughly",
    "some",
    "over",
    "more than",
    "up to",
)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
MONTH_YEAR = re.compile(
    r"\b(?:(\d{1,2})\s+)?(" + "|".join(m.title() for m in MONTHS) + r")\s+(?:(\d{1,2}),?\s+)?"
    r"(19[5-9]\d|20[0-4]\d)\b"
)


# --- records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class KnownEntity:
    """An entity the data already holds: id, label and every name it goes by."""

    id: str
    label: str
    names: tuple[str, ...]


@dataclass
class EntityCandidate:
    """A new entity found in the text, with its guessed label and where it was seen."""

    id: str
    label: str
    name: str
    cue: str
    confidence: float
    seen: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FactCandidate:
    """A candidate fact: a typed pair of entities named in one sentence, with its citation."""

    id: str
    type: str
    from_: str
    to: str
    locator: str
    cite: Mapping[str, Any]
    cue: str
    confidence: float
    properties: Mapping[str, Any] = field(default_factory=dict)
    also: tuple[str, ...] = ()

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.from_, self.to))


@dataclass
class Proposal:
    """Everything proposed from one source, facts best first."""

    source: str
    subject: str | None
    entities: list[EntityCandidate]
    facts: list[FactCandidate]
    mentions: dict[str, list[str]]  # locator -> entity ids named there (subject included)


# --- known entities --------------------------------------------------------------------------
def known_entities(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, KnownEntity]:
    """Every reviewed entity of ``data_dir/entities`` (records still marked ``candidate`` are
    left out), with its name and aliases."""
    found: dict[str, KnownEntity] = {}
    for path in data_files(Path(data_dir) / "entities"):
        try:
            doc = load_yaml(path.read_text(encoding="utf-8"))
        except (YamlProblem, ValueError) as exc:
            raise RegistryError(f"{path}: cannot be read ({exc})") from exc
        rows = doc.get("entities") if isinstance(doc, LineDict) else None
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or "candidate" in row or "id" not in row:
                continue
            names = (str(row.get("name", "")), *map(str, row.get("aliases") or ()))
            found[str(row["id"])] = KnownEntity(
                str(row["id"]), str(row.get("label")), tuple(n for n in names if n)
            )
    return found


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 6


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", normalise(text)).encode("ascii", "ignore").decode()


class Matcher:
    """Finds the entities a sentence names: the longest name wins at each place."""

    def __init__(self, entities: Iterable[KnownEntity]) -> None:
        self.by_key: dict[str, str] = {}
        self.by_acronym: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        for entity in entities:
            self.labels[entity.id] = entity.label
            for name in entity.names:
                if _is_acronym(name):
                    self.by_acronym.setdefault(_ascii(name), entity.id)
                elif key := lookup_key(name):
                    self.by_key.setdefault(key, entity.id)
        keys = sorted(self.by_key, key=len, reverse=True)
        self._words = re.compile(r"(?<= )(?:" + "|".join(map(re.escape, keys)) + r")(?= )")
        acronyms = sorted(self.by_acronym, key=len, reverse=True)
        self._acronyms = re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, acronyms)) + r")(?![A-Za-z0-9])"
        )

    def find(self, text: str) -> dict[str, tuple[float, str]]:
        """Entity id -> (relative position of its first mention, the name matched)."""
        found: dict[str, tuple[float, str]] = {}
        folded = searchable(text)
        if self.by_key:
            for m in self._words.finditer(folded):
                found.setdefault(self.by_key[m.group()], (m.start() / len(folded), m.group()))
        plain = _ascii(text)
        if self.by_acronym:
            for m in self._acronyms.finditer(plain):
                eid = self.by_acronym[m.group()]
                found.setdefault(eid, (m.start() / max(len(plain), 1), m.group()))
        return found


def _country_entities(skip: Iterable[str]) -> list[KnownEntity]:
    skipped = set(skip)
    out = []
    for country in pycountry.countries:
        if country.alpha_3 in skipped:
            continue
        names = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
        out.append(
            KnownEntity(country.alpha_3, "Country", tuple(n for n in names if n and "," not in n))
        )
    return out


# --- new names by their shape ----------------------------------------------------------------
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+")


def slug(name: str) -> str:
    """A lower-case slug for an entity id."""
    return "-".join(searchable(name).replace(".", " ").split())


def guess_label(name: str) -> tuple[str, str]:
    """(label, the word that suggested it) for a new name."""
    words = searchable(name).split()
    if _is_acronym(name):
        return "Organisation", "acronym"
    for title in TITLES:
        if " ".join(words[: len(title.split())]) == title and len(words) > len(title.split()):
            return "Person", title
    for label, heads in HEAD_WORDS.items():
        for word in reversed(words):
            if word in heads:
                return label, word
    if words[-1] in REGIONS:
        return "Place", words[-1]
    return "Person", "two capitalised words"


def _is_known(span: str, known_keys: set[str]) -> bool:
    """True when the span, or its end after a title, "of" or "-led", is a known name."""
    words = lookup_key(span).split()
    return any(" ".join(words[i:]) in known_keys for i in range(len(words)))


def _clean(span: str) -> list[str]:
    """Possessives and stray marks trimmed; "A and B" split unless a head word binds them."""
    span = re.sub(r"^(?:\S+['’]s\s+)+", "", span)
    span = re.sub(r"['’]s?$", "", span).strip()
    span = re.sub(r"\S+-$", "", span).strip()
    words = span.split()
    if " and " in span and not any(
        w.lower() in heads for heads in HEAD_WORDS.values() for w in words
    ):
        return [p for part in span.split(" and ") for p in _clean(part)]
    capitals = [w for w in words if w[0].isupper()]
    if capitals and re.search(r"(?:an|ese|ish)$", words[-1]) and guess_label(span)[0] == "Person":
        return []  # "Central Asian": an adjective, not a name
    return [span] if len(capitals) >= 2 or (len(words) == 1 and _is_acronym(span)) else []


def _spans(text: str) -> list[str]:
    """Capitalised multi-word spans and acronyms of one sentence."""
    tokens = list(_TOKEN.finditer(text))
    spans: list[str] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        while run and run[-1].group().lower() in CONNECTORS:
            run.pop()
        while run and (run[0].group().lower() in NOT_NAMES or run[0].group() in NOT_ACRONYMS):
            run.pop(0)
        capitals = [t for t in run if t.group()[0].isupper()]
        if len(capitals) >= 2:
            spans.append(text[run[0].start() : run[-1].end()])
        run.clear()

    for i, tok in enumerate(tokens):
        word = tok.group()
        gap = text[tokens[i - 1].end() : tok.start()] if i else " "
        if run and gap.strip():  # punctuation between words ends a span
            close()
        if (
            word[0].isupper()
            and word.lower() not in NOT_NAMES
            or run
            and word.lower() in CONNECTORS
        ):
            run.append(tok)
        else:
            close()
    close()
    for tok in tokens:
        word = tok.group()
        if 2 <= len(word) <= 6 and word.isupper() and word not in NOT_ACRONYMS:
            spans.append(word)
    return [cleaned for span in spans for cleaned in _clean(span)]


# --- facts -----------------------------------------------------------------------------------
def _cue_hits(text: str) -> dict[str, str]:
    """Relationship type -> the first of its cues found in the (searchable) sentence."""
    hits = {}
    for rel, cues in CUES.items():
        for cue in cues:
            if re.search(r"(?<= )" + re.escape(cue), text):
                hits[rel] = cue
                break
    return hits


def money(text: str) -> list[float]:
    """Money figures in US dollars: "$5 billion", "US$ 11 bn", "5.4 billion dollars"."""
    values = []
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", normalise(text))
    for pattern in MONEY:
        for m in pattern.finditer(plain):
            number, scale = float(m.group(1)), (m.group(2) or "").lower()
            values.append(number * SCALES.get(scale, 1.0))
    return sorted(set(values), key=values.index)


def figure_kind(text: str) -> str:
    """actual, estimate or target, from the sentence's wording."""
    folded = searchable(text)
    if any(f" {c}" in folded for c in TARGET_CUES) or re.search(r" by 20\d\d ", folded):
        return "target"
    if any(f" {c} " in folded for c in ESTIMATE_CUES):
        return "estimate"
    return "actual"


def partial_date(text: str) -> str | None:
    """The most precise date the sentence gives, as partial ISO (``2024-07``, ``2024``)."""
    if m := MONTH_YEAR.search(text):
        day = m.group(1) or m.group(3)
        month = MONTHS[m.group(2).lower()]
        return f"{m.group(4)}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    if m := YEAR.search(text):
        return m.group(1)
    return None


def _first(folded: str, choices: Iterable[tuple[str, str]], default: str) -> str:
    for cue, value in choices:
        if f" {cue}" in folded:
            return value
    return default


def _required(rel: str, text: str) -> dict[str, Any]:
    """Guesses for the properties a type requires, so a reviewed record validates."""
    folded = searchable(text)
    props: dict[str, Any] = {}
    if rel == "TRADES_WITH":
        props["figure"] = figure_kind(text)
        values = money(text)
        if values:
            props["value_usd"] = values[0]
        if m := YEAR.search(text):
            props["year"] = m.group(1)
        props["flow"] = _first(folded, (("export", "exports"), ("import", "imports")), "total")
    elif rel == "HOLDS_OFFICE":
        props["office"] = _first(folded, ((t, t) for t in TITLES[:7]), "leader")
    elif rel == "SECURITY_TIE":
        props["kind"] = _first(
            folded,
            (
                ("exercise", "exercise"),
                ("intelligence", "intelligence"),
                ("drone", "drone_production"),
                ("arms", "arms_production"),
                ("weapon", "arms_production"),
            ),
            "military_relations",
        )
    elif rel == "PARTY_TO":
        props["status"] = _first(folded, (("resolv", "resolved"), ("eas", "easing")), "open")
    elif rel == "ROUTE_STEP":
        props["order"] = 1
    elif rel == "STANCE_ON":
        props["stance"] = _first(
            folded,
            (
                ("oppos", "oppose"),
                ("against", "oppose"),
                ("reject", "reject"),
                ("abstain", "abstain"),
                ("compl", "comply"),
                ("critici", "criticise"),
                ("concern", "concern"),
            ),
            "support",
        )
    elif rel == "RELATIONS_WITH":
        props["kind"] = _first(
            folded,
            (
                ("strategic", "strategic_partnership"),
                ("friction", "friction"),
                ("tension", "friction"),
                ("close", "close"),
                ("cordial", "cordial"),
            ),
            "diplomatic_relations",
        )
    elif rel == "COOPERATES_ON":
        props["field"] = _first(
            folded,
            (
                (w, w)
                for w in (
                    "energy",
                    "transport",
                    "education",
                    "security",
                    "trade",
                    "environment",
                    "water",
                    "visa",
                    "health",
                )
            ),
            "general",
        )
    elif rel == "REQUESTED":
        props["mode"] = _first(
            folded,
            (("urge", "urged"), ("invite", "invited"), ("instruct", "instructed")),
            "asked",
        )
    if rel != "TRADES_WITH" and (date := partial_date(text)):
        props["date"] = date
    return props


def _fits(rel: str, start: str, end: str) -> bool:
    spec = REL_TYPES[rel]
    return start in spec.start and end in spec.end


def _choose(
    a: str, b: str, labels: Mapping[str, str], hits: Mapping[str, str], order: Mapping[str, float]
) -> tuple[str, str, str, str, list[str]] | None:
    """(type, from, to, cue, other fitting types) for the pair, or None when nothing fits."""
    first, second = sorted((a, b), key=lambda e: order[e])
    fitting: list[tuple[str, str, str, str]] = []
    for rel in CUES:
        if rel not in hits:
            continue
        for start, end in ((first, second), (second, first)):
            if _fits(rel, labels[start], labels[end]):
                fitting.append((rel, start, end, hits[rel]))
                break
    if fitting:
        rel, start, end, cue = fitting[0]
        return rel, start, end, cue, [f[0] for f in fitting[1:]]
    for rel in FALLBACK:
        for start, end in ((first, second), (second, first)):
            if _fits(rel, labels[start], labels[end]):
                return rel, start, end, "", []
    return None


def _confidence(cue: str, explicit: bool, crowd: int, rel: str, props: Mapping[str, Any]) -> float:
    score = 0.55 if cue else 0.2
    score += 0.15 if explicit else 0.0
    if rel == "TRADES_WITH" and "value_usd" in props:
        score += 0.15
    score -= 0.05 * max(crowd - 3, 0)
    return round(min(max(score, 0.05), 0.95), 2)


def propose(
    source_id: str,
    data_dir: Path = DEFAULT_DATA_DIR,
    sources_dir: Path = DEFAULT_SOURCES_DIR,
    entities: Mapping[str, KnownEntity] | None = None,
    subject: str | None = None,
) -> Proposal:
    """Candidate entities and facts for one registered source, best first.

    ``entities`` replaces the known entities of ``data_dir`` (the benchmark restricts them);
    ``subject`` replaces the source's registry ``subject``."""
    data_dir = Path(data_dir)
    known = dict(entities) if entities is not None else known_entities(data_dir)
    subject = subject or subject_of(source_id, data_dir)
    if subject and subject not in known:
        raise RegistryError(f"subject '{subject}' of {source_id} is not a known entity")
    matcher = Matcher([*known.values(), *_country_entities(known)])
    known_keys = set(matcher.by_key) | {lookup_key(a) for a in matcher.by_acronym}
    new: dict[str, EntityCandidate] = {}
    facts: list[FactCandidate] = []
    mentions: dict[str, list[str]] = {}
    for sentence in source_sentences(source_id, data_dir, sources_dir):
        loc = f"{source_id}#p{sentence.para}.s{sentence.sent}"
        found = matcher.find(sentence.text)
        for eid in found:
            if eid not in known:
                _note(
                    new, EntityCandidate(eid, "Country", _country_name(eid), "pycountry", 0.8), loc
                )
        for span in _spans(sentence.text):
            if _is_known(span, known_keys):
                continue
            label, head = guess_label(span)
            if label == "Person" and head in TITLES:  # "Chancellor Olaf Scholz": the name
                span = span.split(" ", len(head.split()))[-1]
            eid = slug(span) if label != "Country" else span
            confidence = 0.5 if head not in ("acronym", "two capitalised words") else 0.3
            _note(new, EntityCandidate(eid, label, span, f"shape: {head}", confidence), loc)
            found.setdefault(eid, (sentence.text.find(span) / len(sentence.text), span))
        labels = {**matcher.labels, **{e.id: e.label for e in new.values()}}
        order = {eid: pos for eid, (pos, _) in found.items()}
        named = set(order)
        if subject:
            order[subject] = -1.0  # the subject goes first where a type reads both ways
        mentions[loc] = sorted(order)
        facts += _sentence_facts(sentence, loc, order, labels, subject in named)
    facts.sort(key=lambda f: (-f.confidence, f.locator, f.id))
    ordered = sorted(new.values(), key=lambda e: (-e.confidence, e.id))
    return Proposal(source_id, subject, ordered, facts, mentions)


def _country_name(alpha_3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha_3)
    return str(getattr(country, "common_name", None) or getattr(country, "name", alpha_3))


def _note(new: dict[str, EntityCandidate], entity: EntityCandidate, loc: str) -> None:
    held = new.setdefault(entity.id, entity)
    if loc not in held.seen:
        held.seen.append(loc)


def _sentence_facts(
    sentence: Sentence,
    loc: str,
    order: Mapping[str, float],
    labels: Mapping[str, str],
    subject_named: bool,
) -> list[FactCandidate]:
    """Candidates for every pair of entities in one sentence (``order`` puts the subject
    first; ``subject_named`` says whether the sentence names it or leaves it implicit)."""
    folded = searchable(sentence.text)
    hits = _cue_hits(folded)
    out = []
    cite = {
        "source": sentence.source,
        "para": sentence.para,
        "sent": sentence.sent,
        "sha256": sentence.sha256,
    }
    for a, b in combinations(sorted(order), 2):
        if a not in labels or b not in labels:
            continue
        chosen = _choose(a, b, labels, hits, order)
        if chosen is None:
            continue
        rel, start, end, cue, also = chosen
        props = _required(rel, sentence.text)
        explicit = subject_named or -1.0 not in (order[a], order[b])
        confidence = _confidence(cue, explicit, len(order), rel, props)
        fid = slug(f"{sentence.source} p{sentence.para} s{sentence.sent} {start} {end}")
        out.append(
            FactCandidate(
                fid, rel, start, end, loc, cite, cue or "none", confidence, props, tuple(also)
            )
        )
    return out


# --- writing ---------------------------------------------------------------------------------
def _value(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def proposal_entities_yaml(proposal: Proposal) -> str:
    """The proposed entities as a data/entities file, each marked ``candidate``."""
    lines = [
        f"# Candidate entities proposed from {proposal.source}. Review each one: check the",
        "# label and name, give countries their ISO code, delete the `candidate:` line.",
        "entities:",
    ]
    for e in proposal.entities:
        lines += [
            f"  - id: {_value(e.id)}",
            f"    label: {e.label}",
            f"    name: {_value(e.name)}",
            f"    candidate: {{cue: {_value(e.cue)}, confidence: {e.confidence}, "
            f"seen: {_value(e.seen[:5])}}}",
        ]
    if not proposal.entities:
        lines[-1] = "entities: []"
    return "\n".join(lines) + "\n"


def proposal_facts_yaml(proposal: Proposal) -> str:
    """The proposed facts as a data/facts file, best first, each marked ``candidate``."""
    lines = [
        f"# Candidate facts proposed from {proposal.source}, best first. Read each cited",
        "# sentence (`kazgraph show <locator>`), fix type, ends and properties, add a",
        "# description in your own words, then delete the `candidate:` line.",
        "facts:",
    ]
    for f in proposal.facts:
        lines += [
            f"  - id: {f.id}",
            f"    type: {f.type}",
            f"    from: {f.from_}",
            f"    to: {f.to}",
        ]
        lines += [f"    {k}: {_value(v)}" for k, v in f.properties.items()]
        c = f.cite
        lines += [
            "    cites:",
            f"      - {{source: {c['source']}, para: {c['para']}, sent: {c['sent']}, "
            f"sha256: {c['sha256']}}}",
        ]
        also = f", also: [{', '.join(f.also)}]" if f.also else ""
        lines.append(f"    candidate: {{cue: {_value(f.cue)}, confidence: {f.confidence}{also}}}")
    if not proposal.facts:
        lines[-1] = "facts: []"
    return "\n".join(lines) + "\n"


def write_proposal(proposal: Proposal, path: Path) -> list[Path]:
    """Write the proposal into a data folder layout under ``path``:
    ``entities/candidates-<source>.yaml`` and ``facts/candidates-<source>.yaml``. Written into
    ``data/``, they stop ``kazgraph load`` until every ``candidate:`` key is reviewed away."""
    path = Path(path)
    written = []
    for folder, text in (
        ("entities", proposal_entities_yaml(proposal)),
        ("facts", proposal_facts_yaml(proposal)),
    ):
        target = path / folder / f"candidates-{proposal.source}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
