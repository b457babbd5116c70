"""Shared word lists as compiled patterns: the DPRK anchor, hedges, negation, sourcing.

Why patterns and not a model: each list is short, readable by an analyst, and its mistakes can
be traced to one line. The lists were drawn from the schema, the annotation notes and the dev half.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# A mention of North Korea, its state or its proxies. "the North" counts only in articles that
# also name North Korea (checked by the caller).
DPRK_ANCHOR = re.compile(
    r"\b(?:North[- ]Korea(?:n|ns|'s|’s)?|N\. ?Korea(?:n|'s|’s)?|DPRK|D\.P\.R\.K\.|Pyongyang(?:'s|’s)?"
    r"|Democratic People(?:'|’)?s Republic of Korea|Kim Jong[- ]?Un|Kim(?:'s|’s) regime|hermit kingdom"
    r"|Lazarus(?: Group)?|Andariel|Kimsuky|Moonstone Sleet|Diamond Sleet|Korean People(?:'|’)s Army|KCNA"
    r"|Mansudae|Green Pine|KOMID|Reconnaissance General Bureau)"
)
THE_NORTH = re.compile(r"\bthe North\b(?:(?:'|’)s)?")

# Words that make an article worth the full pipeline: any sanctions-activity or enforcement cue.
SANCTIONS_LEXICON = re.compile(
    r"\b(?:sanction\w*|smuggl\w*|embargo|violat\w*|illicit\w*|illegal\w*|workers?|labou?rers|coal|oil|petroleum"
    r"|fuel|ship-to-ship|tankers?|vessels?|ships?|weapons?|arms|munitions|artillery|hack\w*|heists?|crypto\w*"
    r"|launder\w*|seiz\w+|designat\w+|blacklist\w*|seafood|textiles?|luxury|procur\w+|dual-use|joint ventures?"
    r"|ransomware|stole|stolen|theft|exports?|imports?|ban|bans|banned|missiles?|rocket launchers|fishing rights|wigs|eyelashes"
    r"|garments|clothing|limousines?|yachts?|permits|(?:deploy\w*|sen[dt]\w*|dispatch\w*) (?:[\w,]+ ){0,3}(?:troops|soldiers))\b",
    _I,
)

# The narrower set that reports an act of evasion rather than a topic ("sanctions", "weapons").
SANCTIONS_ACTIVITY = re.compile(
    r"\b(?:launder\w*|heists?|stole|stolen|theft|smuggl\w*|ship-to-ship|illicit\w*|evad\w*|evasion|laptop farms?"
    r"|IT workers|(?:sent|dispatched|exported) (?:[\w,.-]+ ){0,2}workers)\b",
    _I,
)

# A statement that sanctions were broken, evaded or that a sanctioned party acted: in the one
# sentence that names North Korea, it makes a short brief worth the full pipeline ("shipped coal
# to Ningbo in violation of UN sanctions"). Whether it is an incident is decided there.
SANCTIONS_BREACH = re.compile(
    r"\b(?:(?:in (?:violation|breach|defiance|contravention) of|violat\w+|breach\w*|contraven\w+|evad\w+|evasion of"
    r"|circumvent\w*|flout\w*|skirt\w*|bust\w*|dodg\w+) (?:[\w.,'’-]+ ){0,4}?(?:sanctions|resolutions|embargo\w*)"
    r"|sanctions[- ]?(?:busting|evasion|violations?|breach\w*)"
    r"|(?:UN-|U\.N\.-)?sanctioned (?:[\w-]+ ){0,2}(?:vessels?|tankers?|ships?|banks?|entit\w+|firms?|compan\w+|individuals?))\b",
    _I,
)

# Hypotheticals and reported speech about what could happen: never an asserted incident.
HYPOTHETICAL = re.compile(
    r"\b(?:(?-i:may) refer to|could be used to|could help|would (?:allow|be|help|need|have|violate)|if (?:North Korea|Pyongyang|it|they|the)"
    r"|plans? to|planning to|consider(?:s|ed|ing)? (?:whether|further|new|additional)|propos(?:ed|al|es)"
    r"|threaten(?:s|ed)? to|call(?:s|ed)? (?:on|for)|urg(?:es|ed) (?:\w+ ){0,3}to (?:stop|halt|cease)"
    r"|in order to prevent|aims? to (?:stop|prevent|curb|ban|cap|limit)|designed to (?:stop|prevent|curb|ban|cap|limit)|seeks? to (?:stop|prevent|curb|ban|cap|limit)"
    r"|ban(?:s|ned)? (?:countries|states|nations|member states) from|forbid(?:s|den)? (?:China|Russia|countries|states)"
    r"|(?:are|is) (?:also )?(?:banned|prohibited|forbidden) (?:under|by)"
    r"|prohibits? (?:countries|states|the (?:import|export|sale))|cap(?:s|ped)? (?:\w+ ){0,3}imports? at"
    r"|deal (?:was|is) discussed|possible deal|potential (?:deal|for)"
    r"|(?-i:may) (?:also )?(?:invite|send|hire|accept|seek|buy|sell|supply|provide|offer|use)|(?:could|might) (?:also )?(?:send|supply|provide|offer|sell|use|exploit|turn to))\b",
    _I,
)
DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|(?:dismissed|rejected|rejects|dismisses) (?:the )?(?:reports?|allegations?|claims?|accusations?)"
    r"|groundless|baseless|fabrications?|sheer lies?)\b",
    _I,
)
NEGATION = re.compile(
    r"\b(?:no|not|never|nor|none|neither|without|had not|has not|have not|did not|does not|isn't|aren't|wasn't|weren't"
    r"|hasn't|haven't|hadn't|didn't|doesn't)\b|n[’']t\b",
    _I,
)

SPECULATIVE = re.compile(
    r"\b(?:(?-i:may)|might|could|likely|possibly|possible|potentially|appears?|appeared|seem(?:s|ed)?|probably"
    r"|unknown (?:if|whether)|no definitive|not (?:yet )?determined|had not determined|unclear|suspect(?:s|ed)? that"
    r"|reportedly linked|linked to|similar(?:ity)? to)\b",
    _I,
)
REPORTED = re.compile(
    r"\b(?:said|says|say|told|tells|according to|reported(?:ly)?|report(?:s)? (?:that|of)|alleged(?:ly)?|allegations?"
    r"|accus\w+|suspected|believed|believes|claim\w*|estimated|quot\w+|cited|found|finds|documented|revealed|noted"
    r"|observed|attributed|blamed|charged|announced|stated|indicated|detected|uncovered|identified|exposed|has learned|warn(?:s|ed)|showed|shows)\b",
    _I,
)

UN_REPORT = re.compile(
    r"\b(?:U\.?N\.? (?:panel|experts?|report|monitors)|panel of experts|Panel|expert panel|UN experts|U\.N\. experts"
    r"|United Nations (?:panel|report|experts|monitors)|report by U\.?N\.? experts|experts (?:who )?monitor\w* (?:the )?(?:U\.?N\.?|United Nations)|1718 Committee|sanctions committee(?:'s)? report)\b",
    _I,
)
OFFICIAL_MEDIA = re.compile(
    r"\b(?:KCNA|Korean Central News Agency|Rodong Sinmun|state media|state-run media|official (?:KCNA )?news agency"
    r"|Korean Central Television|Uriminzokkiri)\b",
    _I,
)
NGO_RESEARCH = re.compile(
    r"\b(?:BAE(?: Systems)?|Symantec|Chainalysis|Kharon|RUSI|Open Source Cent(?:re|er)|CSIS|38 North|Mandiant|FireEye"
    r"|Recorded Future|Elliptic|TRM Labs|Kaspersky|Bitdefender|CrowdStrike|Carbon Black|Threat Hunter|OSIA|C4ADS"
    r"|Palo Alto|Unit 42|ESET|Proofpoint|SentinelOne|Check Point|Group-IB|Sygnia|security (?:firm|researchers?|company|companies|vendor)"
    r"|cyber[- ]?security (?:firm|company|researchers?)|researchers|think tank|research group|investigators"
    r"|Institute|Center for|Centre for|analytics firm|data firm|blockchain analytics|Sayari|Kpler|Windward)\b",
    _I,
)
ANONYMOUS_SOURCE = re.compile(
    r"\b(?:(?:a|the) source\b|sources?\b (?:in|said|told|say|familiar|close)|(?:government|security|diplomatic|intelligence|industry|senior) sources"
    r"|unnamed|anonymous|anonymity|a (?:U\.N\. |UN )?(?:Security Council )?diplomat|diplomats said|officials? who (?:asked|declined|spoke)"
    r"|people familiar|person familiar|insiders?)\b",
    _I,
)
NAMED_OFFICIAL = re.compile(
    r"\b(?:Minist(?:er|ry)|Department|Treasury|State Department|Justice Department|officials?|spokes(?:man|woman|person)"
    r"|Secretary|President|government|administration|ambassador|FBI|OFAC|prosecutors?|authorities|court documents|White House|Pentagon"
    r"|police|Unification Ministry|Attorney|Congress|Senator|lawmakers?|military|Joint Chiefs|NIS|intelligence (?:agency|service)"
    r"|(?:South Korea|America|Washington|Seoul|Tokyo|Beijing|Moscow|[Tt]he U\.S\.|[Tt]he United States|China|Russia|Japan) (?:said|says|accused|announced|claims?|claimed|told)"
    # Government statistics: "Chinese customs data showed", "according to Russian statistics".
    r"|(?:customs|official|government|Chinese|Russian|Japanese|South Korean) (?:customs )?(?:data|figures|statistics))\b",
)
ANALYSIS = re.compile(r"\b(?:in my view|I (?:think|believe|argue)|we (?:think|believe|argue)|analysts? (?:say|said|believe))\b", _I)
