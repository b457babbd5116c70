"""Which time expressions date a report rather than an event, read from the parse.

"BAE, which last month released the first analysis of malware used in the attack on the bank":
"last month" hangs from "released", the publication of the analysis; the attack it analyses is
older. A time expression whose verb is a reporting or publishing verb dates the report, unless it
opens the sentence (``arguments.timex`` reads "In October America accused …" itself).
"""

from __future__ import annotations

from dataclasses import replace

from sanctionwatch.nlp.document import Document
from sanctionwatch.nlp.mentions.modality import REPORTING_LEMMAS
from sanctionwatch.nlp.mentions.syntax import clause_verb, head_token, tokens_at

# ("issue" and "obtain" are left out: issuing permits, obtaining parts are acts of their own.)
PUBLISHING_LEMMAS = frozenset({"release", "publish", "circulate", "review", "see"})
# Time expressions this early in a sentence open it; their reading is left to the time reader.
OPENING_CHARACTERS = 3


def mark_reporting_dates(document: Document) -> None:
    """Mark, in ``document.time_mentions``, the time expressions that date a report."""
    for index, mentions in document.time_mentions.items():
        parse = document.parses.get(index)
        if parse is None or not mentions:
            continue
        marked = []
        for mention in mentions:
            if mention.is_reporting_date or mention.start <= OPENING_CHARACTERS:
                marked.append(mention)
                continue
            tokens = tokens_at(parse, mention.start, mention.end)
            head = head_token(tokens) if tokens else None
            verb = clause_verb(head) if head is not None else None
            lemma = verb.lemma_.lower() if verb is not None else ""
            reporting = lemma in REPORTING_LEMMAS or lemma in PUBLISHING_LEMMAS
            marked.append(replace(mention, is_reporting_date=True) if reporting else mention)
        document.time_mentions[index] = marked
