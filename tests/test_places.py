"""Places: matching, resolution, non-locational uses and event locations, on short texts we wrote."""

from __future__ import annotations

import re

import pytest

from eventwire.model import Article, Document, PlaceMention, Sentence
from eventwire.places import country_place, find_places, get_gazetteer, locate_event, place_flags
from eventwire.places.normalize import name_keys


def make_doc(text: str) -> Document:
    """A Document with a naive sentence split (the pipeline's segmenter is not under test here)."""
    sentences = []
    for m in re.finditer(r"[^\n.!?]+(?:[.!?]+|$)", text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            sentences.append(Sentence(len(sentences), s, e, text[s:e]))
    return Document(article=Article(id="t", text=text), text=text, sentences=sentences)


def places_in(text: str) -> list[PlaceMention]:
    return find_places(make_doc(text))


def by_text(mentions: list[PlaceMention], text: str) -> PlaceMention:
    found = [m for m in mentions if m.text == text]
    assert found, f"{text!r} not found in {[m.text for m in mentions]}"
    return found[0]


@pytest.fixture(scope="module", autouse=True)
def gazetteer():
    return get_gazetteer()


# --------------------------------------------------------------------------- normalisation and matching


@pytest.mark.parametrize(
    "variant",
    [
        "Deir ez-Zor",
        "Dayr az Zawr",
        "Deir Ezzor",
        "Deir al-Zour",
        "Deir el-Zor",
        "DEIR EZ-ZOR",
        "Deir ez Zor",
    ],
)
def test_deir_ez_zor_spellings_meet(variant):
    g = get_gazetteer()
    ids = g.lookup(variant)
    assert ids and 170794 in {int(g.geonameid[i]) for i in ids}


@pytest.mark.parametrize(
    ("a", "b"),
    [("Tadmur", "Palmyra"), ("Uqayribat", "Aqerbat"), ("Raqqa", "Ar Raqqah"), ("Kobane", "Ayn al Arab")],
)
def test_variants_share_a_place(a, b):
    g = get_gazetteer()
    assert set(g.lookup(a)) & set(g.lookup(b))


def test_articles_and_marks_fold():
    assert name_keys("Ma‘arrat an-Nu‘man") == name_keys("Maarrat al-Numan")
    assert name_keys("As-Sukhnah")[-1] == name_keys("Sukhnah")[0]


@pytest.mark.parametrize(
    ("text", "name", "geonameid"),
    [
        ("Two soldiers were killed by a roadside bomb in Tal Afar on Sunday.", "Tal Afar", 90393),
        ("A patrol came under fire near Hawija.", "Hawija", 390188),
        ("Clashes erupted near Shaddadi overnight.", "Shaddadi", 172837),
    ],
)
def test_listed_spellings_of_towns_without_a_population_resolve_with_no_other_clue(text, name, geonameid):
    """GeoNames gives these towns no population, and the report names no country: the spelling in
    place_aliases.csv vouches for them."""
    mention = by_text(places_in(text), name)
    assert mention.place is not None and mention.place.geonameid == geonameid


def test_common_words_are_not_places():
    text = "Most fighters said the Best option was to Strike first. Rami Abdel Rahman said Bab was quiet."
    assert [m.text for m in places_in(text)] == []


def test_al_bab_is_a_place_but_bab_alone_is_not():
    ms = places_in("Turkish-backed fighters entered Al-Bab in northern Syria.")
    assert by_text(ms, "Al-Bab").place.iso3 == "SYR"


def test_lowercase_words_never_match():
    assert places_in("the strike hit a most unusual target in the homs of palmyra") == []


def test_multiword_sites_and_longest_match():
    ms = places_in("Missiles hit Tiyas airbase and the Mosul Dam was reinforced.")
    assert by_text(ms, "Tiyas airbase").place.feature == "S.AIRB"
    assert by_text(ms, "Mosul Dam").place.feature == "S.DAM"


# --------------------------------------------------------------------------- resolution


def test_palmyra_is_in_syria_in_a_syrian_report():
    ms = places_in("Syrian troops retook Palmyra from Islamic State fighters, the army said.")
    assert by_text(ms, "Palmyra").place.iso3 == "SYR"


def test_palmyra_new_jersey_in_a_new_jersey_report():
    ms = places_in("The school board of Palmyra, New Jersey, met on Tuesday near Camden.")
    p = by_text(ms, "Palmyra").place
    assert p.iso3 == "USA" and p.admin1 == "New Jersey"


def test_homs_city_vs_governorate():
    ms = places_in("Shelling hit Homs on Monday. Clashes spread across Homs province and Hama governorate.")
    city, prov = [m for m in ms if m.text == "Homs"]
    assert city.place.feature == "P.PPL" and city.geo_precision == 1
    assert prov.place.feature == "A.ADM1" and prov.geo_precision == 3
    assert by_text(ms, "Hama").place.feature == "A.ADM1"


def test_list_of_provinces():
    ms = places_in(
        "Strikes targeted cells in the provinces of Homs (central), Deir ez-Zor (east), and Raqqa."
    )
    assert [(m.text, m.place.admin1, m.place.feature) for m in ms] == [
        ("Homs", "Homs", "A.ADM1"),
        ("Deir ez-Zor", "Deir ez-Zor", "A.ADM1"),
        ("Raqqa", "Ar-Raqqa", "A.ADM1"),
    ]


def test_admin1_names_are_acled_spellings():
    ms = places_in(
        "Fighting in Idlib and Tartus provinces; Mosul is in Nineveh province, Tikrit in Salahuddin."
    )
    assert by_text(ms, "Idlib").place.admin1 == "Idleb"
    assert by_text(ms, "Tartus").place.admin1 == "Tartous"
    assert by_text(ms, "Mosul").place.admin1 == "Ninewa"
    assert by_text(ms, "Tikrit").place.admin1 == "Salah al-Din"


def test_person_names_are_not_places():
    ms = places_in("US Defense Secretary Lloyd Austin visited Iraq. Austin said the mission would continue.")
    assert "Austin" not in [m.text for m in ms]


def test_a_country_or_demonym_before_a_name_is_no_person_name():
    for text, name in (
        ("Fresh air strikes hit Syria's Aleppo.", "Aleppo"),
        ("Air strikes hit Syrias Idlib.", "Idlib"),  # the apostrophe lost in scraping
        ("Airstrikes Kill at Least 12 Civilians in Syrian Deir ez-Zor", "Deir ez-Zor"),
    ):
        assert by_text(places_in(text), name).locational, text


def test_a_sentence_run_on_after_a_place_keeps_it_a_location():
    ms = places_in("Two were killed in rocket attacks in Aleppo Earlier two persons were hurt.")
    assert by_text(ms, "Aleppo").locational
    assert not by_text(places_in("Baghdad Operations Command said"), "Baghdad").locational


def test_scraped_text_without_commas_keeps_lists_and_headlines_as_places() -> None:
    # "Azaz Aleppo province": a town before a name is a list that lost its comma, not a first name.
    ms = places_in("A car bomb hit a checkpoint in Azaz Aleppo province close to the border with Turkey.")
    assert by_text(ms, "Azaz").locational and by_text(ms, "Aleppo").locational
    # A headline run into the byline: "City of Daraa Sputnik", "east of Damascus Monitoring group".
    assert by_text(places_in("Army Kills 75 Militants in Southern City of Daraa Sputnik"), "Daraa").locational
    east = by_text(places_in("Syrian army kills 62 rebels east of Damascus Monitoring group"), "Damascus")
    assert east.locational and east.relation == "east of"
    # A relative phrase makes the capital a place even before "said".
    said = places_in("Rebels were killed near the town of Adra east of Damascus said the Observatory.")
    assert by_text(said, "Damascus").locational
    # Still names: a word that was once a town's name elsewhere ("Barrage", Egypt) is no place after one.
    assert not by_text(places_in("The Tharthar Barrage was captured in 2015."), "Tharthar").locational
    assert not by_text(places_in("Baghdad Operations Command said"), "Baghdad").locational


def test_a_demonym_before_the_place_noun_fixes_the_country() -> None:
    # The gazetteer's only Fua is Fuwwah, Egypt: "the Syrian towns of Fua" is an unknown Syrian town.
    ms = places_in("A blast hit evacuees from the besieged Syrian towns of Fua and Kefraya.")
    assert all(m.place is None or m.place.iso3 == "SYR" for m in ms)
    assert by_text(places_in("the Iraqi city of Mosul was shelled"), "Mosul").place.iso3 == "IRQ"


def test_a_name_read_in_the_wrong_direction_of_its_anchor_is_a_homonym() -> None:
    # Dar'a was once called Adra, but it lies south of Damascus, not east: the real Adra is unknown here.
    ms = places_in("Syrian rebels were killed in an ambush near the town of Adra east of Damascus.")
    adra = [m for m in ms if m.text == "Adra"]
    assert not adra or adra[0].place is None
    assert by_text(ms, "Damascus").relation == "east of"
    # In the stated direction the reading stands: Manbij is northeast of Aleppo.
    ms = places_in("Strikes hit Manbij northeast of Aleppo.")
    assert by_text(ms, "Manbij").place.admin1 == "Aleppo"


def test_a_part_of_a_city_read_far_from_it_is_a_homonym() -> None:
    ms = places_in("Two were killed by shells on the Sulaymaniyah neighborhood of the Syrian city of Aleppo.")
    assert all(m.place is None or m.place.iso3 == "SYR" for m in ms)  # not Sulaymaniyah, Iraq
    assert by_text(places_in("Shells hit the Douma district of Damascus."), "Douma").place.iso3 == "SYR"


def test_a_scraped_dateline_without_its_dash_is_no_event_place() -> None:
    ms = places_in("Last updated at Oct 082017 MOSCOW Some 120 extremists were killed in Syria.")
    assert by_text(ms, "MOSCOW").relation == "dateline" and not by_text(ms, "MOSCOW").locational
    assert by_text(places_in("Jets hit ALEPPO."), "ALEPPO").locational


def test_syria_and_iraq_are_one_theatre() -> None:
    text = (
        "Iraqi forces retook Tikrit and Rabiyah with coalition help; the coalition broke the siege of Mount "
        "Sinjar in northern Iraq and pushed ISIL out of Kobane."
    )
    assert by_text(places_in(text), "Kobane").place.iso3 == "SYR"


def test_a_names_own_mentions_do_not_make_the_report_about_its_country() -> None:
    text = (
        "Syrian rebels and the Syrian army traded fire in Aleppo, Idlib and Hama on Sunday. In Aleppo, "
        "shells hit Fua. Buses from Fua left for Aleppo. Fua was emptied. Residents of Fua fled to Idlib."
    )
    assert all(m.place is None or m.place.iso3 == "SYR" for m in places_in(text))


# --------------------------------------------------------------------------- non-locational uses


def test_dateline_is_not_the_event_place():
    ms = places_in("BEIRUT — Air strikes killed 12 militants near Raqqa on Wednesday.")
    beirut = by_text(ms, "BEIRUT")
    assert beirut.relation == "dateline" and not beirut.locational
    assert by_text(ms, "Raqqa").locational


def test_capital_as_government():
    ms = places_in("Damascus said the strike was illegal. Moscow and Damascus have been focused on Aleppo.")
    assert [m.locational for m in ms if m.text in ("Damascus", "Moscow")] == [False, False, False]
    assert by_text(ms, "Aleppo").locational


def test_washington_attributed():
    ms = places_in("An attack near Palmyra that Washington attributed to the Islamic State group.")
    assert not by_text(ms, "Washington").locational
    assert by_text(ms, "Palmyra").locational


def test_adjectives_and_actor_countries():
    ms = places_in("US forces and Syrian troops clashed with militants in Syria.")
    assert not by_text(ms, "US").locational
    assert "Syrian" not in [m.text for m in ms]
    assert by_text(ms, "Syria").locational


def test_a_side_is_not_a_place():
    ms = places_in("Pro-Damascus media said a car bomb killed 22 people in Azaz.")
    assert not by_text(ms, "Damascus").locational
    assert by_text(ms, "Azaz").locational


def test_organisation_name_is_not_a_place():
    ms = places_in("The Syrian Observatory for Human Rights reported the deaths.")
    assert ms == []


# --------------------------------------------------------------------------- relations and precision


@pytest.mark.parametrize(
    ("text", "name", "relation", "precision"),
    [
        ("Jets struck positions near Raqqa overnight.", "Raqqa", "near", 2),
        ("A car bomb exploded 30 km south of Mosul.", "Mosul", "30 km south of", 2),
        ("Fighters clashed on the outskirts of Tabqa.", "Tabqa", "outskirts", 2),
        ("A supply route in the vicinity of Aqerbat was cut.", "Aqerbat", "near", 2),
        ("Shelling hit the town of Manbij in the morning.", "Manbij", "in", 1),
        ("Drones flew northeast of Palmyra along the highway.", "Palmyra", "northeast of", 2),
    ],
)
def test_relation_phrases(text, name, relation, precision):
    m = by_text(places_in(text), name)
    assert (m.relation, m.geo_precision) == (relation, precision)


# --------------------------------------------------------------------------- event location


def locate(
    text: str, sentence_index: int = 0, fallback: list[PlaceMention] | None = None
) -> list[PlaceMention]:
    doc = make_doc(text)
    places = find_places(doc)
    return locate_event(doc, doc.sentences[sentence_index], places, fallback=fallback)


def test_event_place_skips_dateline_and_actor_country():
    locs = locate("BEIRUT — US jets carried out four raids near Raqqa on Wednesday.")
    assert [(p.place.name, p.geo_precision) for p in locs] == [("Ar Raqqah", 2)]


def test_town_beats_its_province_and_country():
    locs = locate("Clashes erupted in Al-Sukhnah in Homs province, Syria.")
    assert [(p.place.name, p.geo_precision) for p in locs] == [("As Sukhnah", 1)]


def test_province_only_gives_precision_3():
    (loc,) = locate("Air strikes hit targets in Deir ez-Zor province.")
    assert loc.place.feature == "A.ADM1" and loc.geo_precision == 3 and loc.place.latitude is not None


def test_country_only_is_flagged():
    (loc,) = locate("The United States carried out strikes in Syria.")
    assert loc.place.iso3 == "SYR" and loc.geo_precision == 3
    assert place_flags(loc) == ["country_only"]


def test_the_city_refers_to_the_last_town():
    text = "IS fighters retook Palmyra. Coalition jets hit 14 tanks northeast of the city along a highway."
    (loc,) = locate(text, 1)
    assert loc.place.name == "Tadmur" and loc.geo_precision == 2 and loc.relation == "northeast of"


def test_several_places_give_several_locations():
    locs = locate("Strikes hit Hajin, Al-Baghuz and Al-Shaddadi overnight.")
    assert {p.place.name for p in locs} == {"Hajīn", "Al-Baghuz Fawqani", "Ash Shaddādah"}


def test_movement_destination_is_not_the_event_place():
    locs = locate("Militants retreating from Aqerbat tried to escape to Deir ez-Zor.")
    assert [p.text for p in locs] == ["Aqerbat"]


def test_a_neighbour_country_is_not_the_event_place():
    locs = locate("Twenty rebels died in a blast at the crossing between Turkey and the province of Idlib.")
    assert [p.place.admin1 for p in locs] == ["Idleb"]
    locs = locate("A car bomb killed 20 people in Azaz Aleppo province close to the border with Turkey.")
    assert [p.text for p in locs] == ["Azaz"]


def test_the_first_word_of_an_unknown_name_is_no_place_of_its_own() -> None:
    ms = places_in("Iranian-backed fighters pushed rebels from the town of Deir al-Adas in Daraa province.")
    assert [m.place.iso3 for m in ms if m.place is not None] == ["SYR"]  # not Bandar-e Deyr, Iran
    assert by_text(places_in("Shells fell on Deir ez-Zor."), "Deir ez-Zor").place.admin1 == "Deir ez-Zor"


def test_a_rejected_reading_does_not_come_back_as_a_fuzzy_match() -> None:
    text = (
        "Syrian troops shelled Aleppo and Homs. Fighting raged for the rebel-held district of Bani Zeid in "
        "Aleppo. Bani Zeid was hit. Residents of Bani Zeid fled to Idlib."
    )
    assert all(m.place is None or m.place.iso3 == "SYR" for m in places_in(text))


def test_the_seat_of_a_government_and_the_origin_of_fighters_are_not_event_places() -> None:
    ms = places_in("Air strikes killed 120 militants in Syria, the defence ministry in Moscow said.")
    assert not by_text(ms, "Moscow").locational and by_text(ms, "Syria").locational
    ms = places_in("The army killed 75 men, among them mercenaries from Saudi Arabia and Jordan, in Daraa.")
    assert not by_text(ms, "Jordan").locational and not by_text(ms, "Saudi Arabia").locational
    assert by_text(places_in("Clashes in Moscow killed two."), "Moscow").locational
    # the seat is where it happened when the event hit it
    assert not by_text(places_in("The US embassy in Baghdad said two rockets fell."), "Baghdad").locational
    for text in (
        "Three rockets struck near the US embassy in Baghdad on Sunday.",
        "Gunmen stormed the interior ministry in Kabul.",
    ):
        place = "Baghdad" if "Baghdad" in text else "Kabul"
        assert by_text(places_in(text), place).locational, text


def test_a_pages_keyword_list_is_not_a_place():
    ms = places_in("They confessed to spying. Tags Syria Islamic State murder video Palmyra The group said.")
    assert not by_text(ms, "Palmyra").locational
    assert by_text(places_in("The Tags of Palmyra were sung."), "Palmyra").locational  # no keyword list


def test_where_missiles_hit_inside_the_country_they_went_into() -> None:
    text = "Israeli jets fired missiles into Syria, striking Sabboura, an area outside Damascus."
    doc = make_doc(text)
    places = find_places(doc)
    # Sabboura's only reading (a hamlet in Hama) contradicts "an area outside Damascus": a homonym
    assert all(p.text != "Sabboura" or p.place is None for p in places)
    locs = locate_event(doc, doc.sentences[0], places, anchor=text.index("fired"))
    assert [(p.text, p.relation, p.geo_precision) for p in locs] == [("Damascus", "outside", 2)]
    # with nothing more specific, the country stays
    text = "US jets fired missiles into Syria on Monday."
    doc = make_doc(text)
    assert [p.text for p in locate_event(doc, doc.sentences[0], find_places(doc), anchor=7)] == ["Syria"]


def test_fallback_lowers_precision():
    text = "Jets struck IS in Manbij. The strikes killed 12 fighters."
    doc = make_doc(text)
    places = find_places(doc)
    lead = [p for p in places if doc.sentences[0].start <= p.start < doc.sentences[0].end]
    (loc,) = locate_event(doc, doc.sentences[1], places, fallback=lead)
    assert loc.place.name == "Manbij" and loc.geo_precision == 2


def test_nothing_known_gives_empty_list():
    assert locate("Officials condemned the attack on Tuesday.") == []


def test_unknown_village_keeps_its_name():
    (loc,) = locate("Syrian troops shelled the village of Qarqoush al-Fawqa in Syria.")
    assert loc.text == "Qarqoush al-Fawqa" and loc.place is None
    assert place_flags(loc) == ["location_unresolved"]


def test_country_place():
    syria = country_place("SYR")
    assert syria.name == "Syria" and country_place("SY") == syria and country_place("Syria") == syria
    assert 34 < syria.latitude < 36
    with pytest.raises(KeyError):
        country_place("Atlantis")


def test_origin_of_a_retreat_beats_its_country():
    locs = locate("Jets hit vehicles as militants tried to retreat from Aqerbat, Syria.")
    assert [p.place.name for p in locs] == ["‘Uqayribāt"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Syrian government, backed by Russia, shelled Idlib.", "Russia"),
        ("Last month U.S. forces conducted two strikes in Syria.", "U.S"),
        ("The United States officially announced new strikes in Syria.", "United States"),
    ],
)
def test_countries_as_actors_are_not_locations(text, name):
    ms = places_in(text)
    assert not by_text(ms, name).locational


def test_a_country_named_twice_is_still_a_location():
    # Two mentions of one country contain each other; neither may remove the other (this used to leave
    # no candidate at all and stop the article with an error).
    locs = locate("Fighting in Syria spread as Syria's army moved north, in Syria.")
    assert [p.place.iso3 for p in locs] == ["SYR"]


def test_a_duplicate_country_does_not_hand_the_event_to_another_country():
    locs = locate("Jets bombed Syria and Iraq, then bombed Syria again.")
    assert {p.place.iso3 for p in locs} == {"SYR", "IRQ"}


def test_a_country_named_like_villages_abroad_still_tells_the_report_s_country() -> None:
    """ "Mali" is also a village in Guinea and in China: the country's name speaks for the country, so a town
    of it that is not a capital resolves ("near Kidal in northern Mali")."""
    mention = by_text(places_in("Militants ambushed a supply convoy near Kidal in northern Mali."), "Kidal")
    assert mention.place is not None and mention.place.country == "Mali"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Gunmen attacked a village in Plateau state on Monday.", "Plateau", "Nigeria"),
        ("Fighting was reported in Plateau department on Monday.", "Plateau", "Benin"),
        ("Communal militias clashed in Jonglei state on Monday.", "Jonglei", "South Sudan"),
    ],
)
def test_the_division_word_tells_whose_division_a_shared_name_is(text, name, country) -> None:
    mention = by_text(places_in(text), name)
    assert mention.place is not None and mention.place.country == country
    assert mention.geo_precision == 3


def test_state_media_is_no_division() -> None:
    mention = by_text(places_in("Syria state media said rebels shelled Aleppo."), "Syria")
    assert mention.place is not None and mention.place.feature == "A.PCLI"


def test_a_ship_named_after_a_place_is_no_place() -> None:
    found = places_in("The missiles were fired from two destroyers, the USS Porter and the USS Ross.")
    assert not [m for m in found if m.text in ("Porter", "Ross") and m.place is not None]


def test_russia_s_regions_go_by_their_english_names() -> None:
    mention = by_text(places_in("Drones attacked an oil depot in Bryansk region overnight."), "Bryansk")
    assert mention.place is not None and mention.place.admin1 == "Bryansk" and mention.geo_precision == 3


def test_the_red_sea_is_the_sea_unless_named_as_a_division() -> None:
    assert not places_in("Houthi rebels fired a missile at a commercial vessel in the Red Sea on Monday.")
    mention = by_text(places_in("Clashes erupted in Red Sea state on Monday."), "Red Sea")
    assert mention.place is not None and mention.place.country == "Sudan"
