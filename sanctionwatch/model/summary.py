"""One analyst's line per incident: who did what, how much, where and when.

``summarize(incident)`` turns an incident's fields into one plain sentence, for example
"North Korea sent 1,000–2,000 workers to Jilin, China (late April–May 2024)." It is a pure
function of the fields: the extractor calls it when it builds an incident and the dashboard
calls it again after an analyst edits a field, so the line never lags behind the data.

The sentence is built from parts, each left out when its field is empty: subject (the
perpetrator, or the enforcer of an enforcement action), certainty ("reportedly", "may have"),
verb and object of the incident type, quantity with its unit, counterparts, places with their
role ("to", "from", "via"), and the time window at its precision. Without a subject the line is
a noun phrase ("Ship-to-ship transfer of 600 tons of oil in the Yellow Sea (May 2024).").

Country names and demonyms come from the caller (``CountryNames``; the service layer builds one
from the bundled vocabulary) because this module reads no files.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sanctionwatch.model.incident import Actor, Incident, Location, Quantity, TimeRange

# At most this many places and counterparts are named; a longer list stops being a line.
MAX_NAMED_PLACES = 3
MAX_NAMED_COUNTERPARTS = 3


@dataclass(frozen=True, slots=True)
class CountryNames:
    """Display names of countries (``KP`` → "North Korea") and their demonyms ("north korean" → KP)."""

    names: Mapping[str, str] = field(default_factory=dict)
    # Casefolded words that stand for a country: demonyms ("north korean") and aliases ("dprk").
    demonyms: Mapping[str, str] = field(default_factory=dict)

    def name(self, code: str | None) -> str | None:
        return self.names.get(code) if code else None

    def is_demonym(self, text: str, code: str | None) -> bool:
        """True for "North Korean", "Chinese", "North Korea's": words that stand for the country."""
        if not code:
            return False
        folded = _strip_possessive(text).casefold()
        if self.demonyms.get(folded) == code:
            return True
        name = (self.name(code) or "").casefold()
        # "Russian", "Sudanese", "North Korean": the country's name plus a short ending.
        return bool(name) and (folded == name or (folded.startswith(name) and len(folded) - len(name) <= 3))


@dataclass(frozen=True, slots=True)
class Act:
    """How one incident type reads: noun phrase, verb (past, participle), default object, preposition."""

    noun: str
    past: str
    participle: str
    thing: str
    counterpart_preposition: str
    money_is_object: bool = False  # "stole US$1.5 billion" rather than "goods worth US$1.5 billion"
    worth: str = "worth"  # how money attaches to the object: "arms worth", "workers earning"


ACTS: dict[str, Act] = {
    "labor_export": Act("Labour export", "sent", "sent", "workers", "to", worth="earning"),
    "maritime_transfer": Act("Ship-to-ship transfer", "transferred", "transferred", "cargo", "to"),
    "petroleum_trade": Act("Petroleum trade", "traded", "traded", "petroleum", "with"),
    "coal_mineral_export": Act("Coal and mineral export", "exported", "exported", "coal or minerals", "to"),
    "seafood_export": Act("Seafood export", "exported", "exported", "seafood", "to"),
    "textile_export": Act("Textile export", "exported", "exported", "textiles", "to"),
    "arms_military": Act("Arms and military cooperation", "supplied", "supplied", "arms", "to"),
    "luxury_goods": Act("Luxury goods trade", "obtained", "obtained", "luxury goods", "from"),
    "wmd_dual_use_procurement": Act("WMD and dual-use procurement", "procured", "procured", "dual-use goods", "from"),
    "financial_banking": Act("Illicit finance", "moved", "moved", "funds", "through", money_is_object=True),
    "cyber_theft": Act("Cyber theft", "stole", "stolen", "funds", "from", money_is_object=True),
    "machinery_vehicle_metal_import": Act(
        "Machinery, vehicle and metal import", "imported", "imported", "machinery, vehicles or metal", "from"
    ),
    "smuggling_other": Act("Smuggling", "smuggled", "smuggled", "goods", "to"),
    "context_enforcement": Act("Enforcement action", "took action against", "taken action against", "", "against"),
    "context_diplomatic": Act("Diplomatic contact", "held talks", "held talks", "", "with"),
}
GENERIC_ACT = Act("Incident", "was involved in", "been involved in", "", "with")

# Quantities that say how often or with what, not how much: read as a phrase after the object.
ADVERBIAL_UNITS = {
    "occasions": ("on", "occasion"),
    "trips": ("in", "trip"),
    "vessels": ("using", "ship"),
    "organizations": ("involving", "organization"),
    "projects": ("in", "project"),
    "permits": ("under", "permit"),
    "items": ("in", "item"),
}
# Units that measure a commodity: "600 tons of coal".
MEASURE_UNITS = {"tons": "ton", "barrels": "barrel", "containers": "container", "shipments": "shipment"}
CURRENCIES = {  # code: (prefix, suffix)
    "USD": ("US$", ""),
    "EUR": ("€", ""),
    "GBP": ("£", ""),
    "HKD": ("HK$", ""),
    "KRW": ("", " won"),
    "CNY": ("", " yuan"),
    "JPY": ("", " yen"),
    "RUB": ("", " roubles"),
}
PLACE_PREPOSITIONS = {
    "origin": "from",
    "destination": "to",
    "route": "via",
    "crossing": "via",
    "port": "at",
    "site": "in",
}
MODALS = {"reported": "reportedly", "speculative": "may have"}
NOUN_PREFIXES = {"reported": "Reported: ", "speculative": "Possible: "}
# Money-like commodities: "stole US$2 million in cryptocurrency"; others are the means ("using ransomware").
MONEY_WORDS = ("crypto", "cash", "dollar", "fund", "money", "currency", "bitcoin", "ether", "token", "coin")
# Organisations that extraction sometimes reads as places ("in United Nations Security Council").
ORGANISATION_WORDS = ("council", "committee", "ministry", "agency", "department", "nations", "bank", "court")
# Countries whose names read with "the" ("the Philippines"); names starting "United" etc. too.
THE_COUNTRIES = frozenset(
    ["Bahamas", "Comoros", "Maldives", "Netherlands", "Philippines", "Seychelles", "Gambia", "Czech Republic",
     "Vatican City", "Holy See", "Central African Republic", "Dominican Republic"]
)
# Water and regions read with "the": "in the Yellow Sea", "via the Taiwan Strait".
THE_WORDS = ("sea", "seas", "strait", "gulf", "bay", "ocean", "peninsula", "waters", "river", "east")


def summarize(incident: Incident, names: CountryNames | None = None) -> str:
    """The incident as one sentence ending in a full stop; never empty."""
    names = names or CountryNames()
    act = ACTS.get(incident.type, GENERIC_ACT)
    subject_actor = _subject(incident)
    subject = _actor_name(subject_actor, names) if subject_actor else None
    mentioned = {_key(subject)} if subject else set()
    if subject_actor and subject_actor.country:
        mentioned.add(_key(names.name(subject_actor.country) or subject_actor.country))

    obj, adverbial = _object_phrases(incident, act, names, exclude=subject_actor)
    counterparts, places = _counterparts_and_places(incident, act, names, subject_actor, mentioned)
    tail = [part for part in (adverbial, counterparts, places) if part]
    window = describe_window(incident.time)
    when = f" ({window})" if window else ""

    past, participle = act.past, act.participle
    if incident.type == "context_enforcement" and not obj:
        past, participle = "took enforcement action", "taken enforcement action"
    if subject:
        modal = MODALS.get(incident.certainty or "")
        verb = past if modal is None else f"{modal} {participle if modal == 'may have' else past}"
        words = [subject, verb, obj, *tail]
        sentence = " ".join(word for word in words if word)
    else:
        joiner = "against" if incident.type == "context_enforcement" else "of"
        head = act.noun + (f" {joiner} {obj}" if obj else "")
        sentence = NOUN_PREFIXES.get(incident.certainty or "", "") + " ".join([head, *tail])
    return _capitalise(sentence) + when + "."


def _subject(incident: Incident) -> Actor | None:
    roles: tuple[str, ...] = ("enforcer", "perpetrator") if incident.type == "context_enforcement" else ("perpetrator",)
    if incident.type == "context_diplomatic":
        roles = ("perpetrator", "counterpart", "facilitator")
    for role in roles:
        for actor in incident.actors:
            if actor.role == role and _is_nameable(actor):
                return actor
    return None


def _is_nameable(actor: Actor) -> bool:
    # A lower-case fragment without a country ("firms", "bridge") is an extraction leftover, not a name.
    name = _strip_possessive(actor.name)
    return bool(name) and (actor.country is not None or name[:1].isupper())


def _strip_possessive(text: str) -> str:
    text = text.strip()
    for ending in ("’s", "'s", "’", "'"):
        if text.endswith(ending):
            return text[: -len(ending)].rstrip()
    return text


def _actor_name(actor: Actor, names: CountryNames) -> str:
    """"North Korean" and "North Korea's" read as the country; other names as written."""
    name = _strip_possessive(actor.name)
    if actor.country and names.is_demonym(name, actor.country):
        return country_phrase(names.name(actor.country) or name)
    return name


def country_phrase(name: str) -> str:
    """"United States" → "the United States"; "China" stays."""
    if name.casefold().startswith("the "):
        return "the " + name[4:]
    words = name.split()
    if name in THE_COUNTRIES or (words and (words[0] in ("United", "Republic", "Democratic") or name.endswith(" Islands"))):
        return "the " + name
    return name


def _key(text: str | None) -> str:
    text = (text or "").casefold()
    return text[4:] if text.startswith("the ") else text


def _object_phrases(
    incident: Incident, act: Act, names: CountryNames, *, exclude: Actor | None
) -> tuple[str, str]:
    """(object, adverbial phrase) from the type, commodity and quantity."""
    commodity = (incident.commodity or "").strip()
    is_money_commodity = any(word in commodity.casefold() for word in MONEY_WORDS)
    enforcement = incident.type == "context_enforcement"
    thing, means = commodity or act.thing, ""
    if act.money_is_object and commodity and not is_money_commodity:
        thing, means = act.thing, f"using {commodity}"  # "stole funds using ransomware"
    if enforcement:
        targets = [
            _actor_name(actor, names) for actor in incident.actors
            if actor is not exclude and actor.role != "enforcer" and _is_nameable(actor)
        ]  # fmt: skip
        thing = join_names(_unique(targets)[:MAX_NAMED_COUNTERPARTS])
    quantity = incident.quantity
    if quantity is None or (quantity.min is None and quantity.max is None):
        return thing, means
    amount = format_amount(quantity, money=quantity.unit if quantity.unit in CURRENCIES else None)
    if quantity.unit in CURRENCIES:
        in_commodity = f" in {commodity}" if commodity and is_money_commodity and "dollar" not in commodity.casefold() else ""
        if enforcement:
            return thing, f"involving {amount}{in_commodity}"
        if act.money_is_object or not thing:
            return amount + in_commodity, means
        return f"{thing} {act.worth} {amount}", means
    if quantity.unit == "persons":
        item = (quantity.item or "").strip() or "people"
        if commodity.casefold().endswith(("workers", "labourers", "laborers")) and item in ("people", "workers"):
            item = commodity  # "300 IT workers"
        return f"{amount} {_number_agreement(item, quantity)}", means
    if quantity.unit in MEASURE_UNITS:
        unit = quantity.unit if not _is_one(quantity) else MEASURE_UNITS[quantity.unit]
        of_thing = f" of {thing}" if thing and _key(thing) not in (_key(quantity.unit), _key(quantity.item)) else ""
        return f"{amount} {unit}{of_thing}", means
    if quantity.unit in ADVERBIAL_UNITS:
        preposition, singular = ADVERBIAL_UNITS[quantity.unit]
        plural = quantity.unit
        if quantity.unit == "vessels":
            plural = quantity.item if quantity.item in ("ships", "vessels", "tankers", "boats") else "ships"
        elif quantity.unit == "organizations":
            plural = (quantity.item or "").strip() or plural
        noun = singular if _is_one(quantity) else plural
        counted = f"{amount} {noun}"
        # The counted things are the object itself: "imported 52 ships", "took action against 6 ships".
        if enforcement and not thing and quantity.unit in ("vessels", "organizations"):
            return counted, means
        if _key(thing) in (_key(plural), _key(noun), "ships", "vessels", "boats"):
            return counted, means
        return thing, " ".join(part for part in (means, f"{preposition} {counted}") if part)
    # Any other unit is a counted noun of its own: "2,000 workers", "3 vehicles of luxury cars".
    noun = (quantity.item or quantity.unit).strip()
    of_thing = f" of {commodity}" if commodity and _key(commodity) not in (_key(noun), _key(quantity.unit)) else ""
    return f"{amount} {_number_agreement(noun, quantity)}{of_thing}", means
def _is_one(quantity: Quantity) -> bool:
    return quantity.min == quantity.max == 1


def _number_agreement(noun: str, quantity: Quantity) -> str:
    if _is_one(quantity) and noun.endswith("s") and not noun.endswith("ss"):
        return "person" if noun == "people" else noun[:-1]
    return noun


def _counterparts_and_places(
    incident: Incident, act: Act, names: CountryNames, subject: Actor | None, mentioned: set[str]
) -> tuple[str, str]:
    """("to Luanda, Angola and Sri Lanka", "in the Yellow Sea"): counterparts first, then other places."""
    counterpart_countries: list[str | None] = []
    counterpart_names: list[str] = []
    if incident.type not in ("context_enforcement",):
        for actor in incident.actors:
            if actor is subject or actor.role not in ("counterpart", "facilitator") or not _is_nameable(actor):
                continue
            if incident.type == "context_diplomatic" and actor.role == "facilitator":
                continue
            name = _actor_name(actor, names)
            if _key(name) in mentioned or (actor.country and subject and actor.country == subject.country):
                continue
            mentioned.add(_key(name))
            counterpart_names.append(name)
            counterpart_countries.append(actor.country)

    place_parts: list[str] = []
    for location in incident.locations:
        if any(word in location.name.casefold().split() for word in ORGANISATION_WORDS):
            continue
        country = names.name(location.country)
        country_named = bool(country) and _key(country) in mentioned
        display = place_phrase(location, names, with_country=not country_named)
        key = _key(display)
        if not display or key in mentioned or _key(location.name) in mentioned:
            continue
        # A place in a counterpart's country says where that counterpart is: "to Luanda, Angola".
        if location.country in counterpart_countries and location.role in ("site", "destination", "port"):
            index = counterpart_countries.index(location.country)
            if _key(counterpart_names[index]) == _key(country_phrase(names.name(location.country) or "")):
                counterpart_names[index] = place_phrase(location, names)
                mentioned.add(key)
                continue
        # The subject's own country as a bare place adds nothing ("North Korea sent ... in North Korea").
        if subject and location.country == subject.country and _key(location.name) in (
            _key(names.name(location.country)), _key(subject.name)
        ):
            continue
        mentioned.add(key)
        preposition = PLACE_PREPOSITIONS.get(location.role, "in")
        if incident.type == "context_enforcement":
            preposition = "in"  # an enforcement action happens somewhere; it is not sent there
        if "high seas" in key or "open sea" in key:
            preposition = "on"
        place_parts.append(f"{preposition} {display}")

    counterparts = ""
    if counterpart_names and act.counterpart_preposition:
        counterparts = f"{act.counterpart_preposition} {join_names(counterpart_names[:MAX_NAMED_COUNTERPARTS])}"
    return counterparts, _join_place_parts(place_parts[:MAX_NAMED_PLACES])


def _join_place_parts(parts: Sequence[str]) -> str:
    # "in Dandong and in Sinuiju" reads better as "in Dandong and Sinuiju".
    merged: list[str] = []
    for part in parts:
        preposition, _, rest = part.partition(" ")
        if merged and merged[-1].split(" ", 1)[0] == preposition:
            merged[-1] = merged[-1] + " and " + rest
        else:
            merged.append(part)
    return ", ".join(merged)


def place_phrase(location: Location, names: CountryNames, *, with_country: bool = True) -> str:
    """"Jilin, China" ("Jilin" without its country); "the Yellow Sea"; a country alone as its name."""
    name = location.name.strip()
    if not name:
        return ""
    country = names.name(location.country)
    if country and _key(name) == _key(country):
        return country_phrase(country)
    if location.country and names.is_demonym(name, location.country):
        return country_phrase(country or name)
    words = name.split()
    if words[0].casefold() != "the" and (words[-1].casefold() in THE_WORDS or name.casefold().startswith(("high seas", "international waters"))):
        name = "the " + name
    if country and with_country:
        return f"{name}, {country_phrase(country)}"
    return name


def join_names(items: Sequence[str]) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unique(items: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if _key(item) not in seen:
            seen.add(_key(item))
            out.append(item)
    return out


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# --- numbers ---------------------------------------------------------------------------------


def _scaled(value: float) -> tuple[float, str]:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return value / size, word
    return value, ""


def _plain_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _short_number(value: float) -> str:
    # Three significant figures: 1,499,999,999 reads "1.5 billion", not "1.499999999 billion".
    text = f"{value:.3g}"
    if "e" in text:
        return _plain_number(round(value))
    return text


def _money(value: float, scale_word: str | None = None) -> tuple[str, str]:
    """(number, scale word): (1.5, "billion"); amounts under a million in full with commas."""
    # Rounded to three figures before choosing the scale: 999,999,999 reads "1 billion".
    rounded = float(f"{value:.3g}") if abs(value) >= 1e6 else value
    scaled, word = _scaled(rounded)
    if scale_word is not None and scale_word != word:
        size = {"trillion": 1e12, "billion": 1e9, "million": 1e6}.get(scale_word, 1)
        scaled, word = rounded / size, scale_word
    if word:
        return _short_number(scaled), word
    return _plain_number(value), ""


def format_amount(quantity: Quantity, money: str | None = None) -> str:
    """"1,000–2,000", "up to 600", "at least US$6.4 million", "US$2–10 million"."""
    low, high = quantity.min, quantity.max
    prefix, suffix = CURRENCIES.get(money or "", ("", "")) if money else ("", "")
    if money and money not in CURRENCIES:
        suffix = f" {money}"

    def one(value: float, scale_word: str | None = None) -> str:
        if not money:
            return _plain_number(value)
        number, word = _money(value, scale_word)
        return f"{prefix}{number}{' ' + word if word else ''}{suffix}"

    if low is not None and high is not None and low != high:
        if money:
            low_number, low_word = _money(low)
            high_number, high_word = _money(high)
            if low_word == high_word:  # "US$2–10 million"
                return f"{prefix}{low_number}–{high_number}{' ' + high_word if high_word else ''}{suffix}"
            return f"{one(low)}–{one(high)[len(prefix):]}"  # "US$200 million–1 billion"
        return f"{_plain_number(low)}–{_plain_number(high)}"
    if low is None and high is not None:
        return "up to " + one(high)
    if high is None and low is not None:
        return "at least " + one(low)
    return one(low if low is not None else high or 0)


# --- time windows ----------------------------------------------------------------------------


def _month_name(day: date) -> str:
    return calendar.month_name[day.month]


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _part_of_month(day: date, *, is_start: bool) -> str:
    """"late April" for a window that starts on the 25th; "April" when it starts on the 1st."""
    if (is_start and day.day == 1) or (not is_start and _is_month_end(day)):
        return _month_name(day)
    if day.day <= 10:
        return f"early {_month_name(day)}"
    if day.day <= 20:
        return f"mid-{_month_name(day)}"
    return f"late {_month_name(day)}"


def _day(day: date) -> str:
    return f"{day.day} {_month_name(day)} {day.year}"


def describe_window(time: TimeRange) -> str:
    """The window at its precision: "2014–2016", "April–May 2024", "3–5 November 2025"; "" if undated."""
    start, end = time.start, time.end
    if start is None and end is None:
        return ""
    if start is None:
        assert end is not None
        return "by " + _describe_point(end, time.precision)
    if end is None or end == start:
        # A window known by its start only is read as that date: "on 3 May" rarely means "since".
        return _describe_point(start, time.precision)
    if end < start:
        start, end = end, start
    if time.precision == "year" or (start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    whole_months = start.day == 1 and _is_month_end(end)
    if time.precision == "month" or whole_months or (end - start).days > 31:
        first = _part_of_month(start, is_start=True) if time.precision != "month" else _month_name(start)
        last = _part_of_month(end, is_start=False) if time.precision != "month" else _month_name(end)
        if (start.year, start.month) == (end.year, end.month):
            return f"{_month_name(start)} {start.year}" if first == last else f"{first}–{last} {start.year}"
        if start.year == end.year:
            return f"{first}–{last} {end.year}"
        return f"{first} {start.year}–{last} {end.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {_month_name(end)} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_month_name(start)}–{end.day} {_month_name(end)} {end.year}"
    return f"{_day(start)}–{_day(end)}"


def _describe_point(day: date, precision: str | None) -> str:
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{_month_name(day)} {day.year}"
    return _day(day)


def country_names_from_records(records: Sequence[Mapping[str, object]]) -> CountryNames:
    """A ``CountryNames`` from vocabulary records ``{code, name, adjectives}`` (countries.json)."""
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for record in records:
        code = str(record["code"])
        names[code] = str(record["name"])
        words = [*(record.get("adjectives") or ()), *(record.get("aliases") or ())]  # type: ignore[misc]
        for word in words:
            demonyms.setdefault(str(word).casefold(), code)
    return CountryNames(names=names, demonyms=demonyms)
