"""Actors worldwide: state forces of every country (states.csv), named armed groups and missions, descriptions
that refer back, aliases limited to a country, and the branches of a family by country. Sentences written
for these tests."""

from __future__ import annotations

import re
from datetime import date

import pytest

from eventwire.actors import (
    GENERATED_ROLES,
    ActorDictionary,
    get_actor_dictionary,
    localise_actor,
    resolve_actor,
    words_per_second,
)
from eventwire.places import get_gazetteer
from eventwire.places.matcher import tokenize
from eventwire.places.resolve import _demonym_countries
from eventwire.resources import load_csv, load_yaml

NOW = date(2025, 3, 1)

# (sentence, document date, mention text, canonical actor, ACLED inter code at home)
CASES = [
    (
        "Nigerian troops killed 12 ISWAP fighters near Maiduguri.",
        NOW,
        "Nigerian troops",
        "Military Forces of Nigeria",
        1,
    ),
    (
        "Nigerian troops killed 12 ISWAP fighters near Maiduguri.",
        NOW,
        "ISWAP fighters",
        "Islamic State West Africa Province",
        2,
    ),
    ("Kenyan police arrested five suspects in Garissa.", NOW, "Kenyan police", "Police Forces of Kenya", 1),
    ("The Malian army repelled an attack near Mopti.", NOW, "Malian army", "Military Forces of Mali", 1),
    (
        "JNIM claimed the ambush on a convoy near Djibo, Burkina Faso.",
        NOW,
        "JNIM",
        "JNIM: Group for Support of Islam and Muslims",
        2,
    ),
    (
        "FARDC soldiers retreated from Sake, in the Democratic Republic of the Congo.",
        NOW,
        "FARDC soldiers",
        "Military Forces of the Democratic Republic of Congo",
        1,
    ),
    ("M23 rebels entered Goma on Monday.", NOW, "M23 rebels", "M23: March 23 Movement", 2),
    ("The RSF shelled El Fasher, Sudan, overnight.", NOW, "RSF", "RSF: Rapid Support Forces", 2),
    (
        "The RSF dispersed a sit-in in Khartoum, Sudan.",
        date(2019, 6, 3),
        "RSF",
        "Military Forces of Sudan",
        1,
    ),
    ("The SAF retook the presidential palace in Khartoum, Sudan.", NOW, "SAF", "Military Forces of Sudan", 1),
    (
        "Tatmadaw troops clashed with the Arakan Army in Rakhine, Myanmar.",
        NOW,
        "Tatmadaw troops",
        "Military Forces of Myanmar",
        1,
    ),
    (
        "Tatmadaw troops clashed with the Arakan Army in Rakhine, Myanmar.",
        NOW,
        "Arakan Army",
        "AA: Arakan Army",
        2,
    ),
    (
        "The KIA seized a junta outpost in Kachin State, Myanmar.",
        NOW,
        "KIA",
        "KIA: Kachin Independence Army",
        2,
    ),
    (
        "The TNLA and the MNDAA took Lashio in northern Shan, Myanmar.",
        NOW,
        "MNDAA",
        "MNDAA: Myanmar National Democratic Alliance Army",
        2,
    ),
    ("Local PDF units ambushed soldiers in Sagaing, Myanmar.", NOW, "PDF", "PDF: People's Defense Force", 2),
    ("Fano militiamen attacked Ethiopian troops in Amhara.", NOW, "Fano militiamen", "Fano Militia", 4),
    (
        "Fano militiamen attacked Ethiopian troops in Amhara.",
        NOW,
        "Ethiopian troops",
        "Military Forces of Ethiopia",
        1,
    ),
    (
        "Tigrayan forces pushed south towards Dessie, Ethiopia.",
        date(2021, 10, 30),
        "Tigrayan forces",
        "TPLF: Tigray People's Liberation Front",
        2,
    ),
    ("The OLA kidnapped travellers in Oromia, Ethiopia.", NOW, "OLA", "OLA: Oromo Liberation Army", 2),
    (
        "CPC rebels attacked FACA positions near Bambari, Central African Republic.",
        NOW,
        "CPC rebels",
        "CPC: Coalition of Patriots for Change",
        2,
    ),
    (
        "3R fighters raided a village near Bocaranga, Central African Republic.",
        NOW,
        "3R",
        "3R: Return, Reclamation, Rehabilitation",
        2,
    ),
    (
        "CODECO militiamen attacked a displacement camp in Djugu, Ituri, DRC.",
        NOW,
        "CODECO militiamen",
        "CODECO: Cooperative for the Development of Congo",
        4,
    ),
    (
        "ADF militants killed 20 civilians near Beni, DR Congo.",
        NOW,
        "ADF militants",
        "ADF: Allied Democratic Forces",
        2,
    ),
    ("ADF fighters burned a school near Bamenda, Cameroon.", NOW, "ADF", "Ambazonian Separatists", 2),
    (
        "Al-Shabaab militants stormed a hotel in Mogadishu, Somalia.",
        NOW,
        "Al-Shabaab militants",
        "Al Shabaab",
        2,
    ),
    (
        "Al-Shabaab insurgents attacked Macomia in Cabo Delgado, Mozambique.",
        NOW,
        "Al-Shabaab insurgents",
        "Islamic State (Mozambique)",
        2,
    ),
    (
        "Somaliland forces clashed with SSC-Khatumo fighters near Las Anod, Somalia.",
        NOW,
        "Somaliland forces",
        "Military Forces of Somaliland",
        1,
    ),
    (
        "SPLA-IO fighters attacked an SSPDF barracks in Nasir, South Sudan.",
        NOW,
        "SSPDF",
        "Military Forces of South Sudan",
        1,
    ),
    (
        "South Sudanese soldiers looted the market in Yei.",
        NOW,
        "South Sudanese soldiers",
        "Military Forces of South Sudan",
        1,
    ),
    (
        "Houthi forces fired a missile at a ship in the Red Sea off Yemen.",
        NOW,
        "Houthi forces",
        "Houthi Movement",
        2,
    ),
    ("The Qassam Brigades fired rockets from Gaza.", NOW, "Qassam Brigades", "Hamas Movement", 2),
    (
        "Israeli settlers torched cars in a village near Ramallah, West Bank.",
        NOW,
        "Israeli settlers",
        "Settlers (Israel)",
        4,
    ),
    ("Hezbollah fired drones at northern Israel.", NOW, "Hezbollah", "Hezbollah", 3),
    (
        "TTP militants attacked a police station in Bannu, Pakistan.",
        NOW,
        "TTP militants",
        "TTP: Tehreek-i-Taliban Pakistan",
        2,
    ),
    ("BLA fighters hijacked a train in Balochistan, Pakistan.", NOW, "BLA", "BLA: Baloch Liberation Army", 2),
    (
        "Pakistani security forces raided a compound in North Waziristan.",
        NOW,
        "Pakistani security forces",
        "Military Forces of Pakistan",
        1,
    ),
    (
        "Taliban fighters overran a district centre in Helmand, Afghanistan.",
        date(2020, 5, 1),
        "Taliban fighters",
        "Taliban",
        2,
    ),
    (
        "Taliban forces clashed with the NRF in Panjshir, Afghanistan.",
        date(2023, 5, 1),
        "Taliban forces",
        "Military Forces of Afghanistan",
        1,
    ),
    ("ISKP claimed a suicide bombing in Kabul.", NOW, "ISKP", "Islamic State Khorasan Province", 2),
    (
        "Maoists ambushed CRPF personnel in Sukma, Chhattisgarh, India.",
        NOW,
        "Maoists",
        "CPI (Maoist): Communist Party of India (Maoist)",
        2,
    ),
    (
        "Maoists ambushed CRPF personnel in Sukma, Chhattisgarh, India.",
        NOW,
        "CRPF",
        "Police Forces of India",
        1,
    ),
    (
        "The NPA ambushed Philippine soldiers in Northern Samar, Philippines.",
        NOW,
        "NPA",
        "NPA: New People's Army",
        2,
    ),
    (
        "Abu Sayyaf militants beheaded a hostage in Sulu, Philippines.",
        NOW,
        "Abu Sayyaf militants",
        "Abu Sayyaf Group",
        2,
    ),
    (
        "ELN guerrillas clashed with FARC dissidents in Catatumbo, Colombia.",
        NOW,
        "FARC dissidents",
        "FARC Dissidents",
        2,
    ),
    (
        "The Clan del Golfo imposed a curfew in Antioquia, Colombia.",
        NOW,
        "Clan del Golfo",
        "Clan del Golfo",
        3,
    ),
    (
        "CJNG gunmen clashed with Mexican soldiers in Michoacan, Mexico.",
        NOW,
        "CJNG gunmen",
        "CJNG: Jalisco New Generation Cartel",
        3,
    ),
    (
        "The Sinaloa Cartel's Chapitos faction fought La Mayiza in Culiacan, Mexico.",
        NOW,
        "Chapitos",
        "Sinaloa Cartel",
        3,
    ),
    ("Viv Ansanm gangs attacked Mirebalais, Haiti.", NOW, "Viv Ansanm gangs", "Viv Ansanm", 3),
    (
        "The Haitian National Police and the Kenyan-led MSS pushed into Delmas, Haiti.",
        NOW,
        "Kenyan-led MSS",
        "MSS: Multinational Security Support Mission in Haiti",
        8,
    ),
    (
        "DPR forces shelled Ukrainian positions near Avdiivka, Ukraine.",
        date(2018, 1, 10),
        "DPR forces",
        "NAF: United Armed Forces of Novorossiya",
        2,
    ),
    ("The AFU struck a Russian depot in Crimea.", NOW, "AFU", "Military Forces of Ukraine", 1),
    (
        "ATMIS troops handed over a base in Lower Shabelle, Somalia.",
        date(2023, 6, 1),
        "ATMIS troops",
        "ATMIS: African Union Transition Mission in Somalia",
        8,
    ),
    (
        "AU troops came under fire near Afgoye, Somalia.",
        date(2019, 3, 1),
        "AU troops",
        "AMISOM: African Union Mission in Somalia",
        8,
    ),
    (
        "MONUSCO peacekeepers evacuated civilians from Bunia, DRC.",
        NOW,
        "MONUSCO peacekeepers",
        "MONUSCO: United Nations Organization Stabilization Mission in the Democratic Republic of Congo",
        8,
    ),
    (
        "UN peacekeepers were fired on near Naqoura, Lebanon.",
        NOW,
        "UN peacekeepers",
        "UNIFIL: United Nations Interim Force in Lebanon",
        8,
    ),
    (
        "UN peacekeepers patrolled Kidal, Mali.",
        date(2018, 5, 1),
        "UN peacekeepers",
        "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali",
        8,
    ),
    ("KFOR troops deployed to Zvecan, Kosovo.", NOW, "KFOR troops", "KFOR: Kosovo Force", 8),
    (
        "Costa Rican security forces seized a boat off Limon, Costa Rica.",
        NOW,
        "Costa Rican security forces",
        "Police Forces of Costa Rica",
        1,
    ),
    ("Mali's army said it had retaken Kidal.", NOW, "Mali's army", "Military Forces of Mali", 1),
    ("Kenya police dispersed protesters in Nairobi.", NOW, "Kenya police", "Police Forces of Kenya", 1),
    (
        "The Burkinabe junta dissolved the electoral commission.",
        NOW,
        "Burkinabe junta",
        "Government of Burkina Faso",
        1,
    ),
    (
        "Brazilian police raided a favela in Rio de Janeiro, Brazil.",
        NOW,
        "Brazilian police",
        "Police Forces of Brazil",
        1,
    ),
    (
        "Ivorian gendarmes arrested two men in Abidjan.",
        NOW,
        "Ivorian gendarmes",
        "Police Forces of Ivory Coast",
        1,
    ),
    (
        "Congolese soldiers and Burundian troops held the line near Uvira.",
        NOW,
        "Burundian troops",
        "Military Forces of Burundi",
        1,
    ),
    ("The Gambian government closed the border.", NOW, "Gambian government", "Government of Gambia", 1),
]


def _find(text: str, when: date | None):
    return get_actor_dictionary().find(text, when)


@pytest.mark.parametrize(("text", "when", "mention", "actor", "inter"), CASES)
def test_sentences_name_the_acled_actor(text: str, when: date, mention: str, actor: str, inter: int) -> None:
    found = {m.text: (m.actor, m.inter) for m in _find(text, when)}
    assert found.get(mention) == (actor, inter), found


def test_the_table_covers_many_countries() -> None:
    countries = {resolve_actor(actor, when).country for _, when, _, actor, _ in CASES}
    assert len(CASES) >= 40 and len(countries - {None}) >= 30


@pytest.mark.parametrize(
    ("text", "actor", "country", "inter"),
    [
        ("Kenyan police patrolled Port-au-Prince, Haiti.", "Police Forces of Kenya", "Haiti", 8),
        (
            "Rwandan troops were seen near Rutshuru, DRC.",
            "Military Forces of Rwanda",
            "Democratic Republic of the Congo",
            8,
        ),
        ("Kenyan police patrolled Nairobi, Kenya.", "Police Forces of Kenya", "Kenya", 1),
    ],
)
def test_state_forces_abroad_are_external(text: str, actor: str, country: str, inter: int) -> None:
    (mention,) = [m for m in _find(text, NOW) if m.actor == actor]
    assert resolve_actor(mention.actor, NOW).inter_in(country) == inter


# --------------------------------------------------------------------------- every country's state forces


# acled_countries.csv entries without state forces of their own: dependent and uninhabited territories
_TERRITORIES = {
    "Aland Islands",
    "American Samoa",
    "Anguilla",
    "Antarctica",
    "Aruba",
    "Bermuda",
    "Bonaire, Saint Eustatius and Saba ",
    "Bouvet Island",
    "British Indian Ocean Territory",
    "Curacao",
    "Falkland Islands",
    "French Guiana",
    "French Polynesia",
    "French Southern Territories",
    "Gibraltar",
    "Greenland",
    "Guadeloupe",
    "Guam",
    "Guernsey",
    "Heard Island and McDonald Islands",
    "Hong Kong",
    "Isle of Man",
    "Jersey",
    "Macao",
    "Martinique",
    "Mayotte",
    "Montserrat",
    "Netherlands Antilles",
    "New Caledonia",
    "Niue",
    "Norfolk Island",
    "Pitcairn",
    "Puerto Rico",
    "Reunion",
    "Serbia and Montenegro",
    "Sint Maarten",
    "South Georgia and the South Sandwich Islands",
    "Svalbard and Jan Mayen",
    "Tokelau",
    "United States Minor Outlying Islands",
    "U.S. Virgin Islands",
    "Vatican",
    "Wallis and Futuna",
    "Western Sahara",
    "Christmas Island",
    "Cocos Islands",
}


def _state_words() -> list[tuple[str, list[str]]]:
    """(country, words before a role noun) for every state, hand-written or from states.csv."""
    hand = load_yaml("actors.yaml")["states"]
    out = [(c, [str(a) for a in spec.get("adjectives") or []]) for c, spec in hand.items()]
    for row in load_csv("states.csv"):
        if row["country"] not in hand:
            words = [w for w in (row["adjectives"] + "|" + row["names"]).split("|") if w]
            out.append((row["country"], words))
    return out


def test_every_country_of_states_csv_has_its_three_roles() -> None:
    dictionary = get_actor_dictionary()
    countries = {r["name"] for r in load_csv("acled_countries.csv")}
    rows = load_csv("states.csv")
    assert len(rows) >= 190 and len({r["country"] for r in rows}) == len(rows)
    for row in rows:
        assert row["country"] in countries, row["country"]
        for role, _, kind, _ in GENERATED_ROLES:
            name = dictionary.role(row["country"], role, NOW)
            assert name is not None, (row["country"], role)
            info = dictionary.actors[name]
            assert info.inter == 1 and info.country == row["country"], name
            assert info.kind == kind or (role == "military" and row["military"] == "-"), name
    left_out = countries - {r["country"] for r in rows}
    territories = {c for c in left_out if c in _TERRITORIES or " Islands" in c or c.startswith("Saint ")}
    assert left_out == territories, sorted(left_out - territories)
    assert dictionary.role("Costa Rica", "military", NOW) == "Police Forces of Costa Rica"
    assert "Military Forces of Costa Rica" not in dictionary.actors


def test_hand_written_entries_stay_authoritative() -> None:
    dictionary = get_actor_dictionary()
    assert dictionary.role("Syria", "military", NOW) == "Military Forces of Syria (2024-)"
    assert dictionary.role("Syria", "military", date(2020, 1, 1)) == "Military Forces of Syria (2000-2024)"
    assert "Military Forces of Nigeria" not in dictionary.generated  # written by hand, reused
    assert dictionary.role("Nigeria", "police", NOW) == "Police Forces of Nigeria"  # a gap, filled
    assert dictionary.actors["Military Forces of Sudan"].wikidata is None
    assert "Military Forces of Sudan" not in dictionary.generated


@pytest.mark.parametrize("role", ["military", "police", "government"])
def test_every_role_noun_after_every_country_word_resolves(role: str) -> None:
    dictionary = get_actor_dictionary()
    nouns = load_yaml("actors.yaml")["role_nouns"][role]["nouns"]
    misses = []
    for country, words in _state_words():
        expected = dictionary.role(country, role, NOW)
        if expected is None:
            continue  # hand-written states that define no such role (Syria has no generated ones)
        for word in words:
            for noun in nouns:
                phrase = f"{word} {noun}"
                mentions = dictionary.find(f"Then {phrase} arrived.", NOW)
                if [(m.text, m.actor) for m in mentions] != [(phrase, expected)]:
                    misses.append((phrase, [(m.text, m.actor) for m in mentions]))
    assert not misses, misses[:20]


def test_demonyms_feed_the_gazetteer_country_context() -> None:
    aliases = {r["alias"]: r["target"] for r in load_csv("place_aliases.csv") if r["kind"] == "demonym"}
    iso2 = {r["name"]: r["iso2"] for r in load_csv("acled_countries.csv")}
    for country, words in _state_words():
        for word in words:
            if word in aliases:
                assert aliases[word] == f"country:{iso2[country]}", word
    for row in load_csv("states.csv"):
        for adjective in filter(None, row["adjectives"].split("|")):
            assert adjective in aliases, adjective
    g = get_gazetteer()
    text = "South Sudanese and Sudanese troops, a Papua New Guinean, a Guinean and Burkinabe soldiers"
    assert _demonym_countries(g, tokenize(text)) == ["SS", "SD", "PG", "GN", "BF"]


def test_overlapping_country_names_count_once_for_the_longest() -> None:
    # "South Sudan" and "Guinea-Bissau" contain "Sudan" and "Guinea"; the generic phrase follows the longest
    assert [
        m.actor for m in _find("In South Sudan, South Sudan officials said government forces fled.", NOW)
    ] == ["Military Forces of South Sudan"]
    assert [m.actor for m in _find("Guinea-Bissau: the army took Bissau, Guinea-Bissau.", NOW)] == [
        "Military Forces of Guinea-Bissau"
    ]


# --------------------------------------------------------------------------- descriptions and generic words


def test_bare_troops_soldiers_and_police_are_the_host_states() -> None:
    assert [
        (m.text, m.actor) for m in _find("Troops and police killed 10 bandits in Zamfara, Nigeria.", NOW)
    ] == [
        ("Troops", "Military Forces of Nigeria"),
        ("police", "Police Forces of Nigeria"),
        ("bandits", "Unidentified Armed Group (Nigeria)"),
    ]
    text = "Soldiers repelled an attack in Tillaberi, Niger."
    assert [m.actor for m in _find(text, NOW)] == ["Military Forces of Niger"]


def test_the_troops_refer_back_to_the_forces_named_before() -> None:
    text = "Rwandan troops crossed into North Kivu, DRC, on Sunday. The troops then took a hill."
    assert [(m.text, m.actor) for m in _find(text, NOW)] == [
        ("Rwandan troops", "Military Forces of Rwanda"),
        ("The troops", "Military Forces of Rwanda"),
    ]


@pytest.mark.parametrize(
    ("text", "description", "actor"),
    [
        ("Al-Shabaab claimed the raid in Somalia. The militants fled south.", "The militants", "Al Shabaab"),
        (
            "Militants attacked a checkpoint in Borno, Nigeria.",
            "Militants",
            "Unidentified Armed Group (Nigeria)",
        ),
        (
            "Rebels attacked Rubaya, North Kivu, DRC. The M23 said it held the town.",
            "Rebels",
            "M23: March 23 Movement",
        ),
        (
            "Rebels attacked a convoy near Kaga-Bandoro, Central African Republic.",
            "Rebels",
            "Opposition Rebels (Central African Republic)",
        ),
        (
            "ISWAP claimed the attack near Monguno, Nigeria; the jihadists burned a base.",
            "the jihadists",
            "Islamic State West Africa Province",
        ),
        ("Gang members of Viv Ansanm attacked Cabaret, Haiti.", "Gang members", "Viv Ansanm"),
        ("Armed gangs blocked the road in Haiti.", "Armed gangs", "Unidentified Armed Group (Haiti)"),
        (
            "Vigilantes killed two suspected thieves in Katsina, Nigeria.",
            "Vigilantes",
            "Unidentified Communal Militia (Nigeria)",
        ),
        (
            "Ethnic militiamen attacked a village near Djugu, Ituri, DRC. CODECO denied it.",
            "Ethnic militiamen",
            "CODECO: Cooperative for the Development of Congo",
        ),
        (
            "The RSF shelled Omdurman, Sudan. The paramilitaries also looted homes.",
            "The paramilitaries",
            "RSF: Rapid Support Forces",
        ),
        ("Peacekeepers came under fire near Naqoura, Lebanon.", "Peacekeepers", "United Nations"),
    ],
)
def test_descriptions_refer_to_the_named_group_or_the_unidentified_one(
    text: str, description: str, actor: str
) -> None:
    found = {m.text: m.actor for m in _find(text, NOW)}
    assert found.get(description) == actor, found


def test_rebels_never_refer_back_to_jihadists() -> None:
    text = "The Islamic State attacked Deir ez-Zor, Syria. Rebels later retook the village."
    assert {m.text: m.actor for m in _find(text, date(2016, 1, 1))}["Rebels"] == "Opposition Rebels (Syria)"


# --------------------------------------------------------------------------- dates, countries, families


def test_names_that_changed_meaning() -> None:
    assert [m.actor for m in _find("Ansar Dine attacked Kidal, Mali.", date(2016, 1, 1))] == ["Ansar Dine"]
    assert [m.actor for m in _find("Ansar Dine attacked Kidal, Mali.", date(2018, 1, 1))] == [
        "JNIM: Group for Support of Islam and Muslims"
    ]
    assert [m.actor for m in _find("FARC fighters attacked Tumaco, Colombia.", date(2010, 1, 1))] == [
        "FARC: Revolutionary Armed Forces of Colombia"
    ]
    assert [m.actor for m in _find("FARC fighters attacked Tumaco, Colombia.", date(2022, 1, 1))] == [
        "FARC Dissidents"
    ]
    text = "Taliban authorities detained a journalist in Kabul."
    assert [m.actor for m in _find(text, date(2023, 1, 1))] == ["Government of Afghanistan"]
    assert [m.actor for m in _find(text, date(2019, 1, 1))] == ["Taliban"]


def test_acronyms_limited_to_one_countrys_reports() -> None:
    assert [m.actor for m in _find("The CPC took Bossangoa, Central African Republic.", NOW)] == [
        "CPC: Coalition of Patriots for Change"
    ]
    assert _find("The CPC met in Beijing, China.", NOW) == []  # the Communist Party of China
    assert _find("The KIA count rose; no country named.", NOW) == []  # killed in action


def test_family_branch_of_the_documents_country() -> None:
    assert [m.actor for m in _find("ISIS claimed the attack in Chad's Lake province.", NOW)] == [
        "Islamic State West Africa Province"
    ]
    assert [m.actor for m in _find("Al-Qaeda-linked fighters attacked a base in Mali.", NOW)] == [
        "JNIM: Group for Support of Islam and Muslims"
    ]
    assert localise_actor("Islamic State (Syria)", "Mozambique") == "Islamic State (Mozambique)"
    assert localise_actor("Al Qaeda", "Yemen") == "Al Qaeda in the Arabian Peninsula"
    assert resolve_actor("ISIS", None).name == "Islamic State (Syria)"  # no country: as before


# --------------------------------------------------------------------------- data checks and speed


def test_named_actors_worldwide_are_complete() -> None:
    entries = load_yaml("actors.yaml")["actors"]
    non_state = [e for e in entries if e["inter"] in (2, 3, 4, 8)]
    assert len(non_state) >= 200
    countries = {r["name"] for r in load_csv("acled_countries.csv")}
    for entry in entries:
        assert entry.get("country") is None or entry["country"] in countries, entry["name"]
        assert entry["inter"] != 1 or entry["kind"] in (
            "state military",
            "police",
            "government body",
            "military command",
        ), entry["name"]
        assert entry.get("wikidata") is None or re.fullmatch(r"Q\d+", entry["wikidata"]), entry["name"]


def test_explicit_aliases_collide_only_where_the_country_decides() -> None:
    """Two actors under one alias, both valid at once and unrestricted, must be the deliberate ones that the
    document's country separates; family branches share their aliases on purpose."""
    dictionary = get_actor_dictionary()
    collisions = set()
    for key, targets in dictionary._keys.items():
        actors = {t.ref for t in targets if t.how == "actor" and not t.hosts}
        for a in actors:
            for b in actors:
                ia, ib = dictionary.actors[a], dictionary.actors[b]
                if a < b and not (ia.family and ia.family == ib.family):
                    span = [t for t in targets if t.ref in (a, b)]
                    lo = max(t.valid_from or date.min for t in span)
                    hi = min(t.valid_until or date.max for t in span)
                    if lo <= hi:
                        collisions.add(key.strip())
    assert collisions == {"kurdish forces", "kurdish fighters", "kurdish security forces"}


def test_generated_data_errors_are_reported() -> None:
    data = load_yaml("actors.yaml")
    with pytest.raises(ValueError, match="not a country"):
        ActorDictionary(data, [{"country": "Atlantis", "names": "", "adjectives": "", "capitals": ""}])
    with pytest.raises(ValueError, match="defines it"):
        ActorDictionary(data, [{"country": "Syria", "military": "SAA2", "names": "", "adjectives": ""}])


def test_speed_with_the_worldwide_dictionary() -> None:
    text = (
        "Nigerian troops and Civilian JTF members repelled ISWAP fighters near Monguno on Tuesday, while "
        "M23 rebels and FARDC soldiers clashed near Goma and the RSF shelled El Fasher, officials said. "
    ) * 40
    rate = words_per_second([text], NOW, repeat=5)
    assert rate > 50_000, f"{rate:.0f} words/s"
