"""Assembly: evidence selection, places of an incident, confidence, on invented articles."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionwatch.model import Article
from sanctionwatch.nlp.incidents.evidence import EVIDENCE_REACH_SENTENCES, MAX_EVIDENCE_SENTENCES
from sanctionwatch.nlp.pipeline import default_pipeline


def _extract(text: str, published: date = date(2023, 9, 1)) -> list:
    article = Article(id="assemble-test", text=text, published=published, title="North Korea", source="Test Wire")
    return default_pipeline().extract(article)


def _of(incidents: list, incident_type: str) -> list:
    return [i for i in incidents if i.type == incident_type]


def test_evidence_is_one_passage() -> None:
    # Two coal episodes far apart in the story: the second's sentence is not the first's evidence.
    text = "\n\n".join(
        [
            "North Korea exported coal to China in 2021, according to a U.N. panel report.",
            "The panel said the coal left from Nampo on barges.",
            "Officials in Seoul said they were watching the border.",
            "Diplomats met in New York to discuss the report.",
            "The meeting ended without a joint statement.",
            "Separately, North Korean coal was sold to traders in Vietnam in 2019, the panel said.",
        ]
    )
    coal = _of(_extract(text), "coal_mineral_export")
    assert coal
    for incident in coal:
        assert 1 <= len(incident.evidence) <= MAX_EVIDENCE_SENTENCES
        starts = sorted(text.index(e) for e in incident.evidence)
        # sentences of one incident stand close together in the text
        assert starts[-1] - starts[0] < 400 * (EVIDENCE_REACH_SENTENCES + 1)


def test_arms_from_north_korea_name_both_ends() -> None:
    text = "North Korea sent 2,000 containers of artillery shells to Russia last month, U.S. officials said."
    arms = _of(_extract(text), "arms_military")
    assert arms
    countries = {p.country for p in arms[0].locations}
    assert {"KP", "RU"} <= countries


def test_north_korea_is_a_place_of_imports_into_it() -> None:
    text = "Hong Kong firms arranged illegal oil shipments to North Korea, researchers said."
    oil = _of(_extract(text), "petroleum_trade")
    assert oil
    assert "KP" in {p.country for p in oil[0].locations}


def test_enforcing_country_is_the_place_of_an_enforcement_act() -> None:
    text = "Angola and Uganda expelled North Korean diplomats in 2017 for sanctions violations."
    enforcement = _of(_extract(text), "context_enforcement")
    assert enforcement
    assert {"AO", "UG"} <= {p.country for p in enforcement[0].locations}
    assert "KP" not in {p.country for p in enforcement[0].locations}
    assert enforcement[0].certainty == "asserted"


def test_context_events_have_no_provisions() -> None:
    text = "South Korea seized a tanker suspected of transferring oil to North Korean ships, officials said."
    for incident in _extract(text):
        if incident.type.startswith("context_"):
            assert incident.provisions == ()


def test_a_hedge_is_the_certainty_and_a_missing_north_korean_party_lowers_the_confidence() -> None:
    # The source's doubt shows as the certainty; the confidence is the extractor's own (measured:
    # the hedge penalty ranked right and wrong incidents worse on both halves of the gold).
    plain = _of(_extract("North Korea exported coal to China in 2022, the panel said."), "coal_mineral_export")
    hedged = _of(_extract("North Korea may have exported coal to China in 2022, the panel said."), "coal_mineral_export")
    assert plain and hedged
    assert hedged[0].certainty == "speculative" and plain[0].certainty != "speculative"
    partyless = _of(_extract("North Korea is under sanctions.\n\nCoal was exported to China in 2022, the panel said."), "coal_mineral_export")
    assert partyless and partyless[0].confidence < plain[0].confidence


def test_it_as_subject_is_the_country_named_before() -> None:
    text = (
        "Despite unease over the tests, China demurs from criticising Pyongyang's missile launches. "
        "It continues to buy sanctioned coal from North Korea and has provided it with old boats."
    )
    coal = _of(_extract(text), "coal_mineral_export")
    assert coal
    assert ("CN", "destination") in {(p.country, p.role) for p in coal[0].locations}
    assert ("CN", "counterpart") in {(a.country, a.role) for a in coal[0].actors}


def test_it_after_a_sentence_without_a_country_subject_stays_unresolved() -> None:
    text = (
        "Officials in Washington met to discuss the border. "
        "It continues to buy sanctioned coal from North Korea, the report said."
    )
    coal = _of(_extract(text), "coal_mineral_export")
    assert coal
    assert not [p for p in coal[0].locations if p.country == "US"]


def test_a_neighbour_that_says_nothing_is_not_evidence() -> None:
    text = (
        "A more novel revenue stream is stolen cryptocurrency. "
        "Last year North Korean hackers pinched a record $1.7bn of it, according to a report by a data firm. "
        "The money pays for missiles."
    )
    theft = _of(_extract(text), "cyber_theft")
    assert theft
    assert not any(e.startswith("A more novel") for e in theft[0].evidence)


def test_the_kaesong_complex_is_one_place_without_a_point() -> None:
    text = "South Korea said wages paid at the Kaesong industrial project were diverted by North Korea to its weapons programme."
    incidents = _extract(text, published=date(2016, 2, 14))
    places = {(p.name, p.country, p.lat) for i in incidents for p in i.locations}
    assert ("Kaesong Industrial Complex", "KP", None) in places


def test_a_continuing_sentence_joins_the_evidence_with_its_place() -> None:
    text = (
        "North Korean vessels also bring in sanctioned goods, such as luxury cars from China. "
        "These are often transferred between ships on the high seas at night."
    )
    luxury = _of(_extract(text), "luxury_goods")
    assert luxury
    assert any(e.startswith("These are often transferred") for e in luxury[0].evidence)
    assert "high seas" in {p.name.removeprefix("the ") for p in luxury[0].locations}


def test_episodes_in_different_years_are_different_incidents() -> None:
    text = (
        "North Korean arms dealers refurbished naval patrol vessels for Sri Lanka between 2014 and 2016. "
        "Officials in Seoul were not surprised. "
        "North Korean officers oversaw the training of Ugandan air force pilots and police between 2017 and 2018."
    )
    arms = _of(_extract(text, published=date(2023, 11, 22)), "arms_military")
    assert sorted((i.time.start.year, i.time.end.year) for i in arms) == [(2014, 2016), (2017, 2018)]


def test_a_recent_mention_does_not_swallow_a_dated_episode_later() -> None:
    text = (
        "More recently, North Korea's embassy in Luanda has hosted Pyongyang's arms dealers. "
        "They sold patrol boats to Angola between 2014 and 2016. "
        "Officials in Seoul were not surprised. Nobody commented. Trade talks went on. "
        "In 2022 North Korea shipped artillery shells to Russia."
    )
    arms = _of(_extract(text, published=date(2023, 11, 22)), "arms_military")
    years = sorted((i.time.start.year if i.time.start else None) for i in arms)
    assert 2022 in years and 2014 in years


def _places(text: str, incident_type: str, published: date = date(2023, 9, 1)) -> set[tuple[str, str | None]]:
    return {(p.name, p.country) for i in _of(_extract(text, published=published), incident_type) for p in i.locations}


def test_a_newspaper_and_its_owner_country_are_not_places() -> None:
    text = "The report, reviewed by the New York Times, documents 40 arms shipments from North Korea to Syria."
    assert ("New York", "US") not in _places(text, "arms_military")
    assert ("Syria", "SY") in _places(text, "arms_military")


def test_the_country_of_a_war_is_not_the_place_of_an_arms_transfer() -> None:
    text = "America accused North Korea of sending 1,000 containers of weapons to Russia for its war in Ukraine."
    places = _places(text, "arms_military")
    assert ("Russia", "RU") in places and ("Ukraine", "UA") not in places


def test_a_place_belongs_to_the_activity_whose_cue_stands_nearer() -> None:
    text = (
        "North Korea increased revenue through a major theft of cryptocurrency from an exchange "
        "and the dispatch of IT workers earning money in China and Russia."
    )
    assert not {c for _, c in _places(text, "cyber_theft")} & {"CN", "RU"}
    assert {"CN", "RU"} <= {c for _, c in _places(text, "labor_export")}


def test_coordinated_cues_share_their_place() -> None:
    text = "And North Korea exports textiles and seafood to China, though both are under sanctions."
    assert ("China", "CN") in _places(text, "textile_export")
    assert ("China", "CN") in _places(text, "seafood_export")


def test_a_bank_named_after_its_country_is_the_place() -> None:
    text = "North Korean hackers stole $81 million from Bangladesh Bank through fraudulent SWIFT messages."
    assert ("Bangladesh Bank", "BD") in _places(text, "cyber_theft", published=date(2016, 5, 13))


def test_the_victims_country_is_a_place_of_a_theft() -> None:
    text = "North Korean hackers targeted a Vietnamese commercial bank with fraudulent SWIFT messages to steal funds."
    assert ("Vietnam", "VN") in _places(text, "cyber_theft", published=date(2016, 5, 13))


def test_the_enforcing_state_is_the_place_of_a_seizure() -> None:
    text = "The North Korean bulk carrier was seized in April 2018 by Indonesian authorities for violating sanctions."
    assert ("Indonesia", "ID") in _places(text, "context_enforcement", published=date(2019, 10, 12))


def test_hong_kong_as_a_name_is_a_place_and_as_an_adjective_is_not() -> None:
    named = "Hong Kong and businesses there have been a crucial node in illegal oil shipments to North Korea."
    assert "HK" in {c for _, c in _places(named, "petroleum_trade")}
    adjective = "A Hong Kong-flagged tanker delivered refined petroleum to North Korea."
    assert "HK" not in {c for _, c in _places(adjective, "petroleum_trade")}


def test_international_waters_between_two_names_is_one_place() -> None:
    text = (
        "A South Korean official said the tanker moved 600 tons of oil to the North Korea-flagged "
        "Sam Jong 2 in a ship-to-ship transfer on Oct. 19 in international waters between China and the Korean peninsula."
    )
    places = _places(text, "maritime_transfer", published=date(2017, 12, 30))
    assert ("international waters between China and the Korean peninsula", None) in places
    assert ("China", "CN") not in places  # a bound of the waters
    assert ("North Korea", "KP") not in places  # "North Korea-flagged" names a flag, not a place


def test_a_possessive_country_is_an_owner_not_a_scene() -> None:
    text = "Since it started supporting Russia's war effort, North Korea stole $1.5 billion in cryptocurrency from an exchange."
    assert ("Russia", "RU") not in _places(text, "cyber_theft", published=date(2025, 3, 24))


def test_enforcement_acts_on_different_days_are_different_incidents() -> None:
    text = (
        "South Korea seized a tanker suspected of smuggling oil to North Korea on Nov. 24. "
        "The U.S. Treasury designated four North Korean vessels for sanctions violations on Dec. 28."
    )
    enforcement = _of(_extract(text, published=date(2017, 12, 30)), "context_enforcement")
    assert len(enforcement) == 2


def test_acts_of_different_authorities_are_different_incidents() -> None:
    # Told on one day, undated: the authority that acts (the states of its agents, or the United
    # Nations where a word of the act names it) tells the two apart.
    text = (
        "The Security Council imposed harsh new sanctions on North Korea after a unanimous vote on a resolution.\n\n"
        "Twelve North Korean firms were added to a U.N. sanctions blacklist.\n\n"
        "Separately, the Japanese government said it was blacklisting three North Korean shipping firms for sanctions evasion.\n\n"
        "The new U.N. measures also blacklist 20 ships owned by a North Korean shipping firm."
    )
    enforcement = _of(_extract(text, published=date(2016, 3, 2)), "context_enforcement")
    assert len(enforcement) == 2
    japanese = [i for i in enforcement if any("Japanese" in e for e in i.evidence)]
    assert len(japanese) == 1 and not any("U.N." in e for e in japanese[0].evidence)
    # The United Nations named only as the setting ("as the United Nations steps up efforts") is no
    # authority of the act: the seizure and its aftermath stay one incident.
    one = (
        "South Korean authorities have seized a Panama-flagged tanker suspected of moving oil to North Korea.\n\n"
        "The seizure was revealed as the United Nations steps up efforts to squeeze oil supplies to the North."
    )
    assert len(_of(_extract(one, published=date(2017, 12, 31)), "context_enforcement")) == 1


def test_the_origin_of_traded_goods_is_a_place_but_a_carriers_flag_is_not() -> None:
    text = "Criminal networks smuggle subsidised Taiwanese oil to North Korea."
    assert ("Taiwan", "TW") in _places(text, "petroleum_trade", published=date(2023, 12, 7))
    carrier = "Russian tankers supplied refined petroleum to North Korea in ship-to-ship transfers."
    assert ("Russia", "RU") not in _places(carrier, "petroleum_trade", published=date(2018, 1, 2))


def test_a_continuation_with_a_later_date_is_another_episode() -> None:
    text = (
        "The bulk carrier was seized in April 2018 by Indonesian authorities for violating sanctions on North Korea. "
        "The ship was taken over by the US in May of 2019 and was towed to American Samoa."
    )
    incidents = _of(_extract(text, published=date(2019, 10, 12)), "context_enforcement")
    seizure = next(i for i in incidents if i.time.start and i.time.start.year == 2018)
    assert "American Samoa" not in {p.name for p in seizure.locations}


def test_an_undated_sentence_carries_on_the_episode_just_told() -> None:
    text = (
        "North Korean arms dealers refurbished naval patrol vessels for Sri Lanka between 2014 and 2016. "
        "Officials in Seoul were not surprised. Nobody commented. Trade talks went on. "
        "North Korean officers oversaw the training of Ugandan air force pilots between 2017 and 2018. "
        "They also offered South Sudan special forces training."
    )
    arms = _of(_extract(text, published=date(2023, 11, 22)), "arms_military")
    later = next(i for i in arms if i.time.start and i.time.start.year == 2017)
    assert any("South Sudan" in e for e in later.evidence)


def _actors_of(text: str, incident_type: str, published: date = date(2023, 9, 1)) -> set[tuple[str | None, str]]:
    return {(a.country, a.role) for i in _of(_extract(text, published=published), incident_type) for a in i.actors}


def test_the_flag_of_a_seized_ship_is_the_side_acted_against() -> None:
    text = "South Korea seized a Hong Kong-flagged ship suspected of transferring oil to a North Korean vessel."
    actors = _actors_of(text, "context_enforcement", published=date(2017, 12, 30))
    assert ("HK", "perpetrator") in actors and ("KR", "enforcer") in actors
    assert ("KP", "perpetrator") in actors  # a North Korean vessel was the target


def test_a_countrys_money_and_a_source_holding_reports_are_not_parties() -> None:
    text = (
        "Pompeo said the U.S. has new, credible reports that Russia is issuing new permits for North Korean guest workers, "
        "who are paid in U.S. dollars."
    )
    actors = _actors_of(text, "labor_export", published=date(2018, 8, 4))
    assert ("RU", "counterpart") in actors
    assert not {a for a in actors if a[0] == "US"}


def test_a_country_that_carries_for_the_perpetrator_is_a_facilitator() -> None:
    text = "North Korea exports coal with help from Chinese barges, mostly to China."
    actors = _actors_of(text, "coal_mineral_export", published=date(2023, 12, 7))
    assert ("CN", "facilitator") in actors


def test_a_hedge_after_a_comma_does_not_make_the_event_speculative() -> None:
    text = (
        "Moreover, new sources of illicit revenue, including North Korea's recent large weapons sale to Russia, "
        "may have made its traditional income streams less important."
    )
    arms = _of(_extract(text, published=date(2023, 11, 9)), "arms_military")
    assert arms and arms[0].certainty != "speculative"
    hedged = "North Korea may have sold artillery shells to Russia last year."
    assert _of(_extract(hedged), "arms_military")[0].certainty == "speculative"


def test_a_foreign_designs_origin_is_a_place_of_procurement() -> None:
    text = "In 2019 the North Korean diplomat procured CAD drawings for a Russian cruise missile for the missile programme."
    assert ("Russia", "RU") in _places(text, "wmd_dual_use_procurement", published=date(2023, 11, 22))


def test_a_capital_as_the_other_side_of_a_relation_is_not_a_place() -> None:
    text = "Russian tankers supplied fuel to North Korea in ship-to-ship transfers, providing an economic lifeline to Pyongyang."
    assert ("Pyongyang", "KP") not in _places(text, "maritime_transfer", published=date(2017, 12, 30))


def test_the_commodity_is_named_as_the_article_words_it() -> None:
    text = "A tanker transferred refined petroleum products to a North Korean ship in a ship-to-ship transfer."
    transfer = _of(_extract(text), "maritime_transfer")
    assert transfer and transfer[0].commodity == "refined petroleum products"
    shells = _of(_extract("North Korea sent artillery shells to Russia by train last month."), "arms_military")
    assert shells and shells[0].commodity == "artillery shells"
    # the type's default where the evidence names nothing more specific
    coal = _of(_extract("North Korea kept exporting coal to China."), "coal_mineral_export")
    assert coal and coal[0].commodity == "coal"


def test_the_security_council_acts_as_an_enforcer_without_a_country() -> None:
    text = "The U.N. Security Council on Saturday unanimously approved new sanctions on North Korea over its coal exports."
    assert (None, "enforcer") in _actors_of(text, "context_enforcement", published=date(2017, 8, 6))


def test_a_theft_victim_without_a_country_is_a_counterpart_with_none() -> None:
    text = "North Korean hackers stole $2 billion from banks and cryptocurrency exchanges, U.N. experts said."
    assert (None, "counterpart") in _actors_of(text, "cyber_theft", published=date(2020, 9, 30))
    with_country = "North Korean hackers stole funds from a Vietnamese commercial bank."
    assert (None, "counterpart") not in _actors_of(with_country, "cyber_theft", published=date(2016, 5, 13))


def test_a_legal_cap_is_not_the_quantity_of_an_incident() -> None:
    text = "North Korea is only permitted to import 500,000 barrels of refined oil a year, yet smugglers sold it more fuel."
    trade = _of(_extract(text, published=date(2023, 12, 7)), "petroleum_trade")
    assert trade and trade[0].quantity is None


def test_an_enforcement_quantity_is_what_was_seized_not_the_economy_it_targets() -> None:
    targeted = "The Security Council approved sanctions that could slash North Korea's $3 billion annual exports by a third."
    assert all(i.quantity is None for i in _of(_extract(targeted, published=date(2017, 8, 6)), "context_enforcement"))
    seized = "On February 16th Norwegian authorities seized $5.8m of cryptocurrency stolen by North Korean hackers."
    enforcement = _of(_extract(seized, published=date(2023, 2, 22)), "context_enforcement")
    assert enforcement and enforcement[0].quantity is not None and enforcement[0].quantity.min == 5_800_000


def test_money_of_a_theft_is_not_the_size_of_an_arms_sale_in_the_same_sentence() -> None:
    text = (
        "The $1.7 billion of cryptocurrency stolen by North Korea-linked hackers in 2022, and the millions gained "
        "through IT outsourcing, far eclipse what small-scale arms sales to African governments can bring."
    )
    incidents = _extract(text, published=date(2023, 11, 22))
    assert all(i.quantity is None for i in _of(incidents, "arms_military"))
    assert any(i.quantity is not None for i in _of(incidents, "cyber_theft"))


def test_the_date_of_an_enforcement_act_does_not_date_the_activity_it_tells() -> None:
    text = (
        "On Thursday Justice Department officials announced the seizure of a North Korean ship "
        "accused of smuggling coal in violation of sanctions."
    )
    incidents = _extract(text, published=date(2019, 5, 10))
    coal = _of(incidents, "coal_mineral_export")
    assert coal and coal[0].time.start is None and coal[0].time.end is None
    seizure = _of(incidents, "context_enforcement")
    assert seizure and seizure[0].time.start == date(2019, 5, 9)


def test_north_korea_is_the_counterpart_of_a_diplomatic_act_addressed_to_it() -> None:
    text = "China's foreign minister on Sunday urged North Korea to halt its tests after the UN approved new sanctions."
    assert ("KP", "counterpart") in _actors_of(text, "context_diplomatic", published=date(2017, 8, 6))


def test_a_sentence_pointing_back_brings_its_antecedent_into_the_evidence() -> None:
    text = (
        "Some North Koreans were trapped in China against their wishes when the borders shut. "
        "Many of them had gone there, with the permission of Kim Jong Un's regime, to earn money for the state "
        "despite UN sanctions."
    )
    labour = _of(_extract(text, published=date(2023, 8, 27)), "labor_export")
    assert labour and len(labour[0].evidence) == 2
    assert ("China", "CN") in {(p.name, p.country) for p in labour[0].locations}


def test_a_theft_named_only_to_say_what_was_seized_is_no_new_theft() -> None:
    text = "In September American investigators recovered $30m of cryptocurrency stolen in that hack by North Korea."
    incidents = _extract(text, published=date(2023, 2, 22))
    assert _of(incidents, "context_enforcement") and not _of(incidents, "cyber_theft")


def test_an_episode_dated_inside_a_yearly_total_is_its_own_incident() -> None:
    text = (
        "Last year North Korean hackers pinched a record $1.7bn of cryptocurrency, according to a data firm. "
        "Last March they ripped off a cross-chain bridge, a method for moving cryptocurrency between blockchains."
    )
    thefts = _of(_extract(text, published=date(2023, 2, 22)), "cyber_theft")
    assert sorted(i.time.precision for i in thefts) == ["month", "year"]


def test_a_bare_town_name_means_the_facility_the_story_is_about() -> None:
    text = (
        "South Korea said wages paid at the Kaesong industrial project were diverted by North Korea to its weapons programme. "
        "South Korea on Wednesday suspended the project as punishment, saying it would no longer allow the funds paid to "
        "Kaesong to be used in the North's missile programs."
    )
    incidents = _extract(text, published=date(2016, 2, 14))
    names = {p.name for i in incidents for p in i.locations}
    assert "Kaesong Industrial Complex" in names and "Kaesong" not in names


def test_north_koreas_own_retaliation_is_not_enforcement() -> None:
    text = "The North kicked out all South Korean workers on Thursday and froze the assets of the South Korean firms at Kaesong."
    assert not _of(_extract(text, published=date(2016, 2, 14)), "context_enforcement")


def test_a_veto_at_the_un_happens_in_the_security_council() -> None:
    text = "In March 2024 Russia vetoed a U.N. resolution to extend the mandate of the panel monitoring sanctions on North Korea."
    assert ("United Nations Security Council", None) in _places(text, "context_diplomatic", published=date(2025, 3, 24))


def test_a_sentence_naming_only_another_partner_tells_another_episode() -> None:
    text = (
        "North Korean officers oversaw the training of Ugandan air force pilots and police in Kampala, in violation of UN sanctions. "
        "Separately, North Korean diplomats offered Tanzania special forces training."
    )
    arms = _of(_extract(text, published=date(2023, 11, 22)), "arms_military")
    partners = [{a.country for a in i.actors if a.role == "counterpart"} for i in arms]
    assert len(arms) == 2 and {"UG"} in partners and {"TZ"} in partners


def test_foreign_tankers_delivering_to_north_korea_act_and_north_korea_receives() -> None:
    text = "Russian tankers have supplied fuel to North Korea on at least three occasions in recent months by transferring cargoes at sea."
    incidents = _extract(text, published=date(2018, 1, 2))
    transfer = _of(incidents, "maritime_transfer")
    assert transfer
    assert {("RU", "perpetrator"), ("KP", "counterpart")} <= {(a.country, a.role) for a in transfer[0].actors}
    assert transfer[0].quantity is not None and transfer[0].quantity.min == 3  # one clause: the count is the transfers'


def test_official_acts_on_different_dates_are_different_incidents_even_a_month_apart() -> None:
    text = (
        "South Korea said on Friday that in late November it seized a Hong Kong-flagged ship suspected of transferring oil to North Korea. "
        "China on Thursday blocked a U.S. effort at the United Nations to blacklist six ships that traded with North Korea."
    )
    incidents = _extract(text, published=date(2017, 12, 30))
    assert len(_of(incidents, "context_enforcement")) == 2


def test_an_office_named_after_a_country_is_not_that_country() -> None:
    text = "In 2011, representatives from North Korea's Belarus Trade Office sought to procure missile technology in Ukraine, violating sanctions."
    places = _places(text, "wmd_dual_use_procurement", published=date(2023, 11, 22))
    assert ("Ukraine", "UA") in places and ("Belarus", "BY") not in places


def test_places_described_rather_than_named_keep_the_articles_words() -> None:
    text = "The ship continued to ship banned goods out of North Korea through Chinese ports, violating sanctions."
    assert ("Chinese ports", "CN") in _places(text, "smuggling_other", published=date(2018, 2, 28))
    laptops = (
        "North Korean IT workers hired by U.S. companies received laptops shipped to a city in China "
        "on the border with North Korea, evading sanctions."
    )
    places = _places(laptops, "labor_export", published=date(2025, 7, 25))
    assert ("a city in China on the border with North Korea", "CN") in places
    assert ("China", "CN") not in places


def test_machinery_known_only_by_its_origin_went_to_north_korea() -> None:
    text = "China has provided old boats to smuggle coal and sold heavy machinery to the North Korean regime, violating sanctions."
    machinery = _of(_extract(text, published=date(2024, 3, 5)), "machinery_vehicle_metal_import")
    assert machinery
    roles = {(p.country, p.role) for p in machinery[0].locations}
    assert ("KP", "destination") in roles


def test_part_of_a_longer_unknown_name_is_not_a_place() -> None:
    text = "The attaché was the representative of the North Korean armed forces in Uganda and East Africa, and oversaw training of Ugandan police in violation of sanctions."
    names = {p.name for i in _extract(text, published=date(2023, 11, 22)) for p in i.locations}
    assert "Africa" not in names


def test_per_sentence_indexes_follow_changes_to_the_lists() -> None:
    from sanctionwatch.nlp.document import Candidate, Document, EntityMention

    document = Document(article=Article(id="idx", text="x", published=date(2024, 1, 1)))
    document.entities.append(EntityMention(start=0, end=1, text="x", label="GPE", sentence=2))
    assert [m.text for m in document.entities_in(2)] == ["x"]
    document.entities.append(EntityMention(start=0, end=1, text="y", label="GPE", sentence=2))
    assert [m.text for m in document.entities_in(2)] == ["x", "y"]
    document.entities = [document.entities[1]]
    assert [m.text for m in document.entities_in(2)] == ["y"]
    document.candidates.append(Candidate(type="coal_mineral_export", sentence=5, cue="coal", score=0.7))
    assert [c.cue for c in document.candidates_in(5)] == ["coal"] and document.candidates_in(4) == []


def test_where_a_source_sits_is_not_a_scene_and_reaching_a_capital_is() -> None:
    trucks = "Dozens of trucks were smuggled into North Korea across the border at Sinuiju in March, defying UN sanctions, a source in Dandong told Daily NK."
    places = _places(trucks, "machinery_vehicle_metal_import", published=date(2024, 4, 2))
    assert ("Sinuiju", "KP") in places and ("Dandong", "CN") not in places
    cars = "Two Mercedes-Maybach limousines were shipped to Dalian before they reached Pyongyang in October 2018, in violation of the UN ban on luxury goods."
    assert ("Pyongyang", "KP") in _places(cars, "luxury_goods", published=date(2019, 7, 16))


def test_the_month_of_may_is_no_hedge() -> None:
    text = (
        "The tanker Yu Jong 2 (IMO 8604917) received refined petroleum in a ship-to-ship transfer with a foreign tanker "
        "in the East China Sea on May 3, satellite images reviewed by a think tank showed, in breach of UN sanctions on North Korea."
    )
    transfer = _of(_extract(text, published=date(2024, 6, 20)), "maritime_transfer")
    assert transfer and transfer[0].certainty == "reported" and transfer[0].attribution == "ngo_research"
    assert transfer[0].time.start == date(2024, 5, 3)


def test_what_north_korea_could_do_is_no_incident_and_a_denial_is_context() -> None:
    could = "Sanctions experts warned that North Korea could use Russian construction sites to send thousands of workers abroad, which would violate UN resolutions."
    assert not [i for i in _extract(could, published=date(2024, 6, 20)) if not i.type.startswith("context_")]
    denial = "Chinese officials denied that any coal was shipped from North Korea to Chinese ports last month, rejecting a UN report."
    incidents = _extract(denial, published=date(2024, 6, 20))
    assert {i.type for i in incidents} == {"context_diplomatic"}


def test_workers_arriving_to_work_is_labour_export() -> None:
    text = "Around 200 North Korean workers arrived in Vladivostok last month to work on construction sites, a Russian official told Reuters, despite UN sanctions."
    labour = _of(_extract(text, published=date(2024, 1, 10)), "labor_export")
    assert labour and labour[0].quantity is not None and labour[0].quantity.min == 200
    assert (labour[0].time.start, labour[0].time.end) == (date(2023, 12, 1), date(2023, 12, 31))


def test_a_coast_guard_that_spots_a_transfer_is_a_source_not_a_party() -> None:
    text = (
        "Japan's coast guard spotted a North Korean tanker conducting a ship-to-ship transfer with a Sierra Leone-flagged "
        "vessel in the East China Sea on Saturday, the Foreign Ministry said."
    )
    transfer = _of(_extract(text, published=date(2024, 6, 17)), "maritime_transfer")
    assert transfer
    actors = {(a.country, a.role) for a in transfer[0].actors}
    assert not {a for a in actors if a[0] == "JP"} and ("SL", "facilitator") in actors


@pytest.mark.parametrize(
    ("text", "published", "incident_type", "attribution"),
    [
        (
            "SEOUL, Sept. 14 (Yonhap) -- North Korea has sold fishing rights in its waters to Chinese fishing fleets this year, "
            "earning tens of millions of dollars despite a UN ban, a government source said Thursday.",
            date(2023, 9, 14), "seafood_export", "anonymous_source",
        ),
        (
            "The U.S. said on Wednesday that North Korea had delivered rocket launchers and missiles to the Wagner Group in Russia last November.",
            date(2023, 9, 14), "arms_military", "named_official",
        ),
        (
            "Exports of wigs and false eyelashes from North Korea to China rose to $15.6 million in the first half of the year, "
            "Chinese customs data showed, though UN sanctions ban North Korean textile exports.",
            date(2023, 9, 14), "textile_export", "named_official",
        ),
        (
            "Russia has issued more than 12,000 new permits to North Korean workers since the start of 2023, according to Russian "
            "statistics cited by NK News, in violation of UN Security Council resolutions.",
            date(2023, 9, 14), "labor_export", "named_official",
        ),
    ],
)
def test_reports_of_types_absent_from_the_dev_half(text: str, published: date, incident_type: str, attribution: str) -> None:
    found = _of(_extract(text, published=published), incident_type)
    assert found, f"no {incident_type}"
    assert found[0].attribution == attribution
    assert found[0].time.start is not None


def test_state_media_calling_an_accusation_a_fabrication_is_a_denial_not_an_arms_sale() -> None:
    text = "KCNA said the US accusations that Pyongyang supplied weapons to Russia were a groundless fabrication."
    incidents = _extract(text, published=date(2024, 2, 2))
    assert {i.type for i in incidents} == {"context_diplomatic"}
    spying = "North Korea denied it hacked the phones of officials, calling the South's accusation a fabrication."
    assert not _of(_extract(spying, published=date(2016, 3, 13)), "context_diplomatic")


def test_troops_deployed_to_russia_are_arms_without_a_provision() -> None:
    text = "North Korea has deployed about 10,000 troops to Russia's Kursk region, the Pentagon said on Monday."
    arms = _of(_extract(text, published=date(2024, 11, 5)), "arms_military")
    assert arms and arms[0].provisions == () and arms[0].quantity is not None and arms[0].quantity.min == 10_000


def test_officials_who_seize_goods_are_enforcers_not_parties_to_the_trade() -> None:
    text = (
        "South Korean customs officials seized 36 tons of North Korean anthracite that had been shipped through Russian ports "
        "and relabelled as Russian coal, the Korea Customs Service said on Tuesday."
    )
    incidents = _extract(text, published=date(2024, 11, 5))
    coal = _of(incidents, "coal_mineral_export")
    assert coal and ("KR", "counterpart") not in {(a.country, a.role) for a in coal[0].actors}
    seizure = _of(incidents, "context_enforcement")
    assert seizure and {(a.country, a.role) for a in seizure[0].actors} == {("KR", "enforcer")}


def test_work_in_restaurants_abroad_is_labour_export() -> None:
    text = (
        "Hundreds of North Korean women work in restaurants in Vladivostok and send their earnings back to Pyongyang, "
        "violating UN sanctions, according to a Radio Free Asia investigation."
    )
    labour = _of(_extract(text, published=date(2024, 7, 1)), "labor_export")
    assert labour and labour[0].quantity is not None and labour[0].quantity.min == 200
    assert ("Vladivostok", "RU") in {(p.name, p.country) for p in labour[0].locations}


def test_foreign_firms_sanctioned_for_helping_north_korea_are_its_facilitators() -> None:
    text = (
        "The Treasury Department on Thursday sanctioned two Chinese companies and a Russian national for helping North Korea "
        "procure oil, freezing any assets they hold in the United States."
    )
    incidents = _extract(text, published=date(2024, 7, 1))
    enforcement = _of(incidents, "context_enforcement")
    assert enforcement and {("CN", "facilitator"), ("RU", "facilitator")} <= {(a.country, a.role) for a in enforcement[0].actors}
    assert _of(incidents, "petroleum_trade")


def test_an_indictment_date_dates_the_indictment_and_a_reports_year_dates_nothing() -> None:
    text = (
        "A Taiwanese businessman was indicted on Friday for selling 12,000 barrels of diesel to North Korea "
        "through ship-to-ship transfers in 2021, prosecutors said."
    )
    incidents = _extract(text, published=date(2023, 5, 20))
    trade = _of(incidents, "petroleum_trade")
    assert trade and (trade[0].time.start, trade[0].time.end) == (date(2021, 1, 1), date(2021, 12, 31))
    assert _of(incidents, "context_enforcement")[0].time.start == date(2023, 5, 19)
    seafood = "Chinese companies processed North Korean seafood in Hunchun and exported it as Chinese products, a 2023 report by a research group found."
    found = _of(_extract(seafood, published=date(2023, 5, 20)), "seafood_export")
    assert found and found[0].time.start is None


def test_a_theft_tied_to_north_korea_only_by_shared_code_is_speculative() -> None:
    text = (
        "North Korea has been under United Nations sanctions since 2006. The United States has blamed North Korea for a "
        "2014 attack on a film studio.\n\nMalware used in the $12 million heist at a Peruvian bank last month is similar "
        "to code used in the studio attack, researchers said."
    )
    thefts = _of(_extract(text), "cyber_theft")
    assert thefts and thefts[0].certainty == "speculative"


def test_an_ongoing_activity_is_another_episode_than_one_ended_years_before() -> None:
    text = (
        "In August 2013 North Korea supplied rockets to Sudan, a UN panel said.\n\n"
        "Diplomats met in Geneva to discuss the panel's findings.\n\n"
        "Sudan continues to buy weapons from North Korea through a front company."
    )
    arms = _of(_extract(text, published=date(2018, 7, 7)), "arms_military")
    assert len(arms) == 2


def test_the_head_of_an_incident_tells_the_act_with_north_korea_as_a_party() -> None:
    from sanctionwatch.nlp.incidents.evidence import HEAD_PARTY_SCORE, evidence_score
    from sanctionwatch.nlp.pipeline import DEFAULT_STAGES, Pipeline

    text = "North Korea shipped coal to traders.\n\nSmugglers shipped coal to traders."
    article = Article(id="head-test", text=text, published=date(2024, 6, 1), title="North Korea", source="Test Wire")
    document = Pipeline(tuple(s for s in DEFAULT_STAGES if s not in ("assemble", "sanctions_links"))).run(article)
    party, other = (evidence_score(document, i, "coal_mineral_export") for i in (0, 1))
    bare = evidence_score(document, 0) - evidence_score(document, 1)  # the DPRK name alone
    assert party - other == pytest.approx(bare + HEAD_PARTY_SCORE)


@pytest.mark.parametrize(
    ("text", "incident_type", "expected_max"),
    [
        # the people of a court case are no workers; the revenue they earned is the measure
        (
            "North Korean IT workers earned more than $6 million for the regime. Prosecutors said two individuals "
            "helped North Korean IT workers obtain remote jobs at U.S. companies.",
            "labor_export",
            None,
        ),
        # a designation that lists several counts has no one quantity
        (
            "The Treasury on Monday sanctioned three North Korean nationals and a company for smuggling oil.",
            "context_enforcement",
            "none",
        ),
        # the money a forfeiture seeks is not what was stolen
        (
            "North Korean hackers stole $90 million from an exchange in March. Prosecutors are seeking the forfeiture "
            "of $12 million of the stolen cryptocurrency.",
            "cyber_theft",
            90_000_000,
        ),
        # artillery rounds are counted
        ("North Korea has supplied up to 3.1 million artillery rounds to Russia, researchers said.", "arms_military", 3_100_000),
    ],
)
def test_what_an_incident_s_quantity_counts(text: str, incident_type: str, expected_max: object) -> None:
    found = _of(_extract(text, published=date(2025, 6, 1)), incident_type)
    assert found
    quantity = found[0].quantity
    if expected_max == "none":
        assert quantity is None
    elif expected_max is None:
        assert quantity is None or quantity.unit != "persons"
    else:
        assert quantity is not None and quantity.max == expected_max


def test_provisions_in_force_across_an_incident_s_window() -> None:
    text = "Since at least 2016, the North Korean ship had been carrying coal to foreign buyers until it was seized in April 2018."
    coal = _of(_extract(text, published=date(2019, 5, 10)), "coal_mineral_export")
    assert coal and set(coal[0].provisions) == {"UNSCR 2270 OP29", "UNSCR 2321 OP26", "UNSCR 2371 OP8"}


def test_arms_provisions_follow_which_way_the_weapons_go() -> None:
    out = _of(_extract("North Korea sold rockets to Sudan in 2014, paying for fuel sent to Pyongyang.", published=date(2018, 7, 7)), "arms_military")
    assert out and "UNSCR 1718 OP8(b)" in out[0].provisions
    into = _of(_extract("Russia delivered fighter jets and other weapons to North Korea in 2024, officials said.", published=date(2025, 7, 7)), "arms_military")
    assert into and "UNSCR 1718 OP8(a)(i)" in into[0].provisions


def test_an_undated_act_takes_the_date_its_agency_gave_it_out() -> None:
    text = " ".join(
        [
            "The Ministry of Finance (MOF) froze the assets of three shipping firms that carried North Korean coal.",
            "The firms had used false papers for years.",
            '"We will not let them profit from sanctions evasion," MOF said on Friday.',
        ]
    )
    freezes = _of(_extract(text, published=date(2023, 9, 3)), "context_enforcement")
    assert freezes and freezes[0].time.start == date(2023, 9, 1) == freezes[0].time.end
    assert any("MOF said on Friday" in e for e in freezes[0].evidence)


def test_another_bodys_statement_does_not_date_the_act() -> None:
    text = " ".join(
        [
            "The Ministry of Finance (MOF) froze the assets of three shipping firms that carried North Korean coal.",
            "The firms had used false papers for years.",
            '"This is overdue," a spokesman for the opposition party said on Friday.',
        ]
    )
    freezes = _of(_extract(text, published=date(2023, 9, 3)), "context_enforcement")
    assert freezes and freezes[0].time.start is None and freezes[0].time.end is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The Security Council voted on Wednesday on a resolution that tightens sanctions on North Korea.",
        "Japan imposes fresh sanctions on North Korean shipping firms over coal smuggling.",
    ],
)
def test_a_vote_on_a_resolution_and_an_imposition_in_the_present_are_enforcement_acts(sentence: str) -> None:
    assert _of(_extract(sentence, published=date(2016, 3, 2)), "context_enforcement")


def test_the_seat_of_an_authority_is_no_scene_of_the_conduct() -> None:
    text = "According to the federal police in Austria, a crypto exchange helped North Korea launder funds through its accounts, in violation of sanctions."
    assert _of(_extract(text), "financial_banking")
    assert ("Austria", "AT") not in _places(text, "financial_banking")
    assert ("AT", "counterpart") not in _actors_of(text, "financial_banking")


def test_where_the_targets_of_a_listing_are_is_no_place_of_the_act() -> None:
    text = "North Korean trade representatives in Syria, Iran and Vietnam were added to a U.N. sanctions blacklist."
    assert _of(_extract(text, published=date(2016, 3, 2)), "context_enforcement")
    places = _places(text, "context_enforcement", published=date(2016, 3, 2))
    assert not places & {("Syria", "SY"), ("Iran", "IR"), ("Vietnam", "VN")}
    assert not {a for a in _actors_of(text, "context_enforcement", published=date(2016, 3, 2)) if a[1] == "enforcer" and a[0]}


def test_the_state_that_acts_is_the_enforcer_even_as_a_pronoun() -> None:
    text = (
        "North Korea keeps evading sanctions at sea.\n\n"
        "On Friday, Indonesia said that in late November it seized the Panama-flagged tanker Sea Star, suspected of "
        "moving oil to North Korea."
    )
    assert ("ID", "enforcer") in _actors_of(text, "context_enforcement", published=date(2017, 12, 30))


def test_a_sentence_that_says_it_tells_something_else_starts_an_incident() -> None:
    text = (
        "North Korean hackers stole $30 million from a crypto exchange in March, investigators said.\n\n"
        "Separately, security researchers blamed North Korea for hacking two banks."
    )
    assert len(_of(_extract(text, published=date(2024, 6, 1)), "cyber_theft")) == 2
    joined = text.replace("Separately, security", "Security")
    assert len(_of(_extract(joined, published=date(2024, 6, 1)), "cyber_theft")) == 1


def test_a_sum_an_enforcement_act_takes_does_not_part_a_theft_from_itself() -> None:
    text = (
        "North Korean hackers stole $120 million from two crypto exchanges in 2023, prosecutors said.\n\n"
        "The hackers have been laundering funds from these heists through mixers, and authorities have so far seized $9 million."
    )
    assert len(_of(_extract(text, published=date(2024, 6, 1)), "cyber_theft")) == 1


def test_saying_which_group_a_group_belongs_to_is_no_link_by_likeness() -> None:
    from sanctionwatch.nlp.incidents.assemble import _tied_by_association

    named = "Prosecutors seized $5 million from heists carried out by the Bluefin threat group, which is linked to the Lazarus hacking group."
    assert not _tied_by_association([named])
    likeness = "Investigators said the theft of $5 million from a bank used malware similar to the code of the Lazarus hacking group."
    assert _tied_by_association([likeness])
    assert not _tied_by_association([likeness, "North Korea denied it."])


def test_a_tool_named_like_an_organisation_is_no_victim() -> None:
    # "Medusa" names the ransomware, not whom it hit: the hospital of the next sentence is the
    # same victim, so the two sentences tell one theft.
    text = (
        "North Korean hackers used the Medusa ransomware to extort a hospital in Ohio in March, officials said.\n\n"
        "The hackers stole patient records from Mercy General Hospital and demanded a ransom."
    )
    assert len(_of(_extract(text, published=date(2024, 6, 1)), "cyber_theft")) == 1
