"""Event mentions: each clause that states an activity, with its trigger, parties, modality and
local arguments, read from the dependency parse (``build.py``; the parts in ``syntax.py``,
``modality.py`` and ``parties.py``; cue-word proposals in ``triggers.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctionwatch.nlp.mentions.modality import Hedge, Modality
from sanctionwatch.nlp.mentions.parties import Party


@dataclass(slots=True)
class EventMention:
    """One statement of an activity of ``type`` in sentence ``sentence``.

    Offsets are into the sentence's own text. ``event_*`` is the word that names the act ("sold",
    "exports", "transfer"); ``cue_*`` the cue word of the type ("coal"); ``clause_*`` the clause
    the act is told in (what the event verb governs). ``involvement`` says how North Korea takes
    part (``parties.dprk_involvement``).
    """

    type: str
    sentence: int
    cue_start: int
    cue_end: int
    event_start: int
    event_end: int
    event_text: str
    clause_start: int
    clause_end: int
    modality: Modality
    hedge: Hedge
    marker: str = ""
    reporting_verb: str = ""
    parties: list[Party] = field(default_factory=list)
    involvement: str = "none"
    # How the act's clause hangs in the sentence ("ROOT", "ccomp", "advcl" for "after Russia
    # vetoed …", "acl"/"relcl" for a clause that describes a noun).
    clause_link: str = ""

    @property
    def asserted(self) -> bool:
        """Told as something that happened (hedged or not), not a plan, a possibility, a habit or a ban."""
        return self.modality is Modality.ASSERTED

    def countries(self, role: str) -> set[str]:
        return {c for p in self.parties if p.role == role for c in p.countries}
