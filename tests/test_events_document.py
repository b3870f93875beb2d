"""The event stage on whole reports (written for these tests): how the mentions of one incident in one
report come together into one event with its place, date and toll."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.model import Article, Event
from eventwire.pipeline import analyse


def events_of(text: str, published: date, title: str | None = None) -> list[Event]:
    return analyse(Article("t", text, title=title, published=published)).events


def the_one(events: list[Event], keep) -> Event:
    """The only event ``keep`` accepts (the report's mentions of it came together)."""
    kept = [e for e in events if keep(e)]
    assert len(kept) == 1, [(e.sub_event_type, e.location, e.fatalities) for e in kept]
    return kept[0]


def test_a_definite_mention_with_a_place_places_the_event_told_before() -> None:
    events = events_of(
        "Air strikes on Saturday near a hospital in northwestern Syria killed at least ten civilians, a "
        "monitor said. The monitor said the raids targeted the town of Milis in Idlib province.",
        date(2016, 8, 6),
        title="Air raids kill ten near Syria hospital",
    )
    strike = the_one(events, lambda e: e.sub_event_type == "Air/drone strike")
    assert (strike.admin1, strike.fatalities) == ("Idleb", 10)
    assert "country_only" not in strike.flags
    assert any("Milis" in ev.text for ev in strike.evidence)


def test_a_definite_mention_elsewhere_does_not_move_a_placed_event() -> None:
    events = events_of(
        "Air strikes killed eight civilians in Maarat al-Numan on Monday, a monitor said. "
        "The monitor said the raids also hit the outskirts of Aleppo.",
        date(2016, 8, 9),
    )
    strikes = [e for e in events if e.sub_event_type == "Air/drone strike"]
    assert strikes and strikes[0].admin1 == "Idleb"


def test_a_back_reference_keeps_the_date_and_joins_the_event() -> None:
    events = events_of(
        "At least 15 civilians were killed in air strikes by the US-led coalition in Syria on Thursday "
        "morning. These civilians were targeted in the bombardment of the town of Manbij, a monitor said.",
        date(2016, 7, 29),
    )
    deadly = the_one(events, lambda e: e.fatalities)
    assert (deadly.location, deadly.event_date, deadly.fatalities) == ("Manbij", date(2016, 7, 28), 15)


def test_the_report_toll_is_its_largest_figure_for_the_event() -> None:
    """The headline names a part of the toll; the lead gives it whole."""
    events = events_of(
        "Air raids on the Marjeh district of Aleppo killed at least ten people, including seven children, "
        "on Friday, a monitor said.",
        date(2016, 8, 5),
        title="Seven children killed in air raids on Aleppo",
    )
    deadly = the_one(events, lambda e: e.fatalities)
    assert (deadly.fatalities, deadly.fatalities_low, deadly.fatalities_high) == (10, 7, 10)
    assert deadly.conflicts["fatalities"] == [7, 10]


def test_a_reference_does_not_take_the_toll_of_a_later_clause() -> None:
    events = events_of(
        "A suicide bomber killed four people at a hospital in Qardaha on Sunday. The attack came as the "
        "monitor reported that troops had executed 48 people earlier this week in a northern village.",
        date(2015, 2, 23),
    )
    bombing = the_one(events, lambda e: e.sub_event_type == "Suicide bomb")
    assert bombing.fatalities == 4 and "fatalities" not in bombing.conflicts


def test_an_armed_group_killing_people_with_no_armed_opponent_is_an_attack_on_civilians() -> None:
    text = (
        "On Saturday, the Islamic State claimed dual attacks in the commercial area of a Baghdad "
        "neighbourhood which killed at least 28 people."
    )
    (event,) = events_of(text, date(2017, 1, 1))
    assert (event.sub_event_type, event.fatalities, event.location) == ("Attack", 28, "Baghdad")
    # an armed opponent named: still a clash
    text = "Islamic State fighters attacked an army checkpoint near Baghdad, killing at least 28 people."
    assert [e.sub_event_type for e in events_of(text, date(2017, 1, 1))] == ["Armed clash"]


def test_an_armed_group_attacking_the_local_population_attacks_civilians() -> None:
    text = (
        "Gunmen raided the village of Tondibiah on Sunday and attacked the local population, officials said."
    )
    assert [e.sub_event_type for e in events_of(text, date(2021, 3, 8))] == ["Attack"]


def test_fighters_who_surrender_make_an_agreement_and_a_town_surrendered_changes_hands() -> None:
    text = "Nearly 80 fighters of the Allied Democratic Forces surrendered to the army in Beni on Monday."
    assert [e.sub_event_type for e in events_of(text, date(2022, 6, 7))] == ["Agreement"]
    text = "The garrison of Kunduz surrendered the city to the Taliban on Sunday."
    assert "Agreement" not in [e.sub_event_type for e in events_of(text, date(2021, 8, 9))]


def test_a_place_taken_after_its_holders_withdrew_without_a_fight_is_a_non_violent_transfer() -> None:
    for text in (
        "FLA rebels took control of the town of Anefis on Sunday after the army withdrew from its camp.",
        "Kachin fighters entered the town of Bhamo without resistance on Tuesday, residents said.",
    ):
        found = [e.sub_event_type for e in events_of(text, date(2024, 1, 9))]
        assert found == ["Non-violent transfer of territory"], text
    text = (
        "Rebels of the FLA took control of the town of Anefis on Sunday after heavy clashes, when the army "
        "withdrew from its camp."
    )
    assert [e.sub_event_type for e in events_of(text, date(2024, 1, 9))] == [
        "Non-state actor overtakes territory"
    ]
    # residents leaving are not the holders withdrawing
    text = "FLA rebels took control of the town of Anefis on Sunday as civilians left their homes."
    found = [e.sub_event_type for e in events_of(text, date(2024, 1, 9))]
    assert found == ["Non-state actor overtakes territory"]


def test_a_lead_sentence_whose_triggers_lack_support_takes_the_models_confident_reading() -> None:
    # "withdrawn from" alone is a transfer of territory that needs an anchor (none here: no date, no place
    # below the country); the sentence-type model reads a force leaving, a change in its activity
    text = "Dutch troops have withdrawn from an outpost in the Afghan mountains."
    assert [e.sub_event_type for e in events_of(text, date(2021, 7, 2))] == ["Change to group/activity"]


def test_territory_nouns_in_the_plural_are_places_taken() -> None:
    text = "Ethiopian troops captured three villages near Dessie on Thursday."
    assert [e.sub_event_type for e in events_of(text, date(2022, 3, 4))] == ["Government regains territory"]


def test_a_past_event_named_by_its_year_is_background() -> None:
    text = (
        "Army units advanced on Monday towards Halabja district, the scene of a deadly 1988 chemical attack, "
        "local officials said."
    )
    assert "Chemical weapon" not in [e.sub_event_type for e in events_of(text, date(2016, 5, 2))]
    text = "Troops advanced on Monday towards Halabja district, the scene of a deadly 1988 chemical attack."
    assert events_of(text, date(2016, 5, 2)) == []  # nor does the sentence-type model propose it
    text = "A chlorine attack on Monday killed six people in Halabja district, local officials said."
    assert [e.sub_event_type for e in events_of(text, date(2016, 5, 2))] == ["Chemical weapon"]
    # a head count is no year
    text = "The 2000 soldiers attacked rebel positions near Goma on Monday."
    assert [e.sub_event_type for e in events_of(text, date(2016, 5, 2))] == ["Armed clash"]


def test_a_rocket_propelled_grenade_is_a_launched_weapon_and_a_hand_grenade_a_grenade() -> None:
    text = "Taliban fighters fired rocket-propelled grenades at a police post in Kunar on Monday."
    assert [e.sub_event_type for e in events_of(text, date(2019, 4, 2))] == [
        "Shelling/artillery/missile attack"
    ]
    text = "A man hurled a grenade into a bar in Bujumbura on Friday, wounding 12 people."
    assert [e.sub_event_type for e in events_of(text, date(2019, 4, 2))] == ["Grenade"]


def test_the_side_that_takes_a_place_decides_a_territorial_type_the_model_proposed() -> None:
    # no trigger of the lexicon here ("entered on Tuesday the port town"): the model proposes a change of
    # territory, and the sentence's subject says who took it
    day = date(2020, 5, 5)
    text = "Government troops entered on Tuesday the port town of Kismayo after the militants fled."
    assert [e.sub_event_type for e in events_of(text, day)] == ["Government regains territory"]
    text = "Malian troops captured on Sunday the port of Mopti from jihadist fighters."
    assert [e.sub_event_type for e in events_of(text, day)] == ["Government regains territory"]
    text = "Al-Shabaab fighters entered on Tuesday the port town of Kismayo after the soldiers fled."
    assert [e.sub_event_type for e in events_of(text, day)] == ["Non-state actor overtakes territory"]


def test_disrupted_weapons_use_needs_a_weapon() -> None:
    day = date(2019, 8, 20)
    for text in (
        "Italian authorities intercepted 20 smugglers taking migrants to Lampedusa on Sunday.",
        "Lebanese troops thwarted an attempt to smuggle 45 migrants to Cyprus, the military said.",
    ):
        assert events_of(text, day) == [], text
    for text in (
        "Air defences intercepted two drones over Hmeimim on Sunday.",
        "Police seized eight guns and 500 live bullets in a raid on Sunday.",
        "Two firearms and several rounds of ammunition were seized by police in Kingston on Saturday.",
        "Two explosive devices were found in a canal near the road on Sunday.",
        "Engineers cleared more than 2,000 landmines across the province.",
    ):
        assert [e.sub_event_type for e in events_of(text, day)] == ["Disrupted weapons use"], text


def test_fires_and_industrial_blasts_are_accidents() -> None:
    day = date(2018, 4, 10)
    for text in (
        "Firefighters say a fire at an oil tank has burned out.",
        "Gas and propane containers exploded during a fire in a garage on Monday.",
        "It is believed the blast occurred in a tank containing solvents.",
    ):
        assert events_of(text, day) == [], text
    assert events_of("A firefight broke out between soldiers and militants near Idlib.", day)


def test_the_blasts_after_an_industrial_accident_are_that_accident() -> None:
    text = (
        "Late on Wednesday, explosions tore through an industrial area where chemicals were stored in the "
        "port city. The blasts killed at least 50 people and injured 700."
    )
    assert events_of(text, date(2015, 8, 13)) == []
    # without the accident, the same blasts are an event
    text = "Late on Wednesday, a car bomb hit the port city. The blasts killed at least 50 people."
    assert events_of(text, date(2015, 8, 13))
    # an armed actor in the sentence that named a plant: no accident to carry over
    text = (
        "Syrian Army Kills 125 Terrorists in Hama, Breaks Siege on Zara Power Plant. "
        "The attack by Nusra Front fighters on army posts killed 25 soldiers on Saturday."
    )
    assert any(e.fatalities == 25 for e in events_of(text, date(2016, 5, 21)))


def test_a_demonstration_that_turned_violent_anywhere_in_the_report_is_violent() -> None:
    text = (
        "Stone-throwing protesters clashed with police in running battles across Santiago on Monday. "
        "Demonstrators returned to the Plaza Italia on Monday to rally against inequality."
    )
    assert [e.sub_event_type for e in events_of(text, date(2019, 11, 5))] == ["Violent demonstration"]
    for text in (
        "Protesters rallied in Tunis on Sunday after several nights of street violence.",
        "A demonstrator throws a fence into a fire during a protest in Barcelona on Saturday.",
    ):
        assert [e.sub_event_type for e in events_of(text, date(2019, 10, 27))] == ["Violent demonstration"]
    text = "Thousands of protesters marched peacefully through Beirut on Sunday."
    assert [e.sub_event_type for e in events_of(text, date(2019, 10, 27))] == ["Peaceful protest"]


def test_demonstrators_blocking_roads_make_a_violent_demonstration() -> None:
    for text in (
        "Thousands of truck drivers blocked major highways around Lima on Monday to protest fuel prices.",
        "Protesters erected barricades across the main avenue of Tegucigalpa on Tuesday.",
    ):
        assert [e.sub_event_type for e in events_of(text, date(2022, 4, 5))] == ["Violent demonstration"], (
            text
        )
    # the police blocking the roads is no violence of the demonstrators
    text = "Police blocked the roads to the central square of Minsk as protesters gathered on Sunday."
    assert "Violent demonstration" not in [e.sub_event_type for e in events_of(text, date(2022, 4, 5))]


def test_protesters_beaten_by_police_met_excessive_force() -> None:
    text = "Riot police beat a pro-democracy protester with batons during a rally in Bangkok on Saturday."
    assert [e.sub_event_type for e in events_of(text, date(2021, 3, 6))] == [
        "Excessive force against protesters"
    ]


def test_detainees_named_at_a_protest_are_no_intervention_in_it() -> None:
    text = "Hundreds of relatives marched through Algiers on Friday carrying portraits of detainees."
    assert [e.sub_event_type for e in events_of(text, date(2021, 4, 2))] == ["Peaceful protest"]
    text = "Police detained dozens of marchers in Algiers on Friday."
    assert [e.sub_event_type for e in events_of(text, date(2021, 4, 2))] == ["Protest with intervention"]


def _plover(text: str, published: date = date(2024, 5, 6)) -> set[tuple[str, str | None, str | None]]:
    return {(e.sub_event_type, e.plover_event, e.plover_mode) for e in events_of(text, published)}


def test_rioting_told_by_its_verb_is_a_violent_demonstration() -> None:
    found = _plover(
        "Hundreds of football fans rioted outside the stadium in Cairo on Saturday, torching cars."
    )
    assert ("Violent demonstration", "PROTEST", "riot") in found
    assert not any(t == "Looting/property destruction" for t, _, _ in found)


def test_forces_readied_or_reinforced_are_plover_mobilize() -> None:
    for text in (
        "The army put its units along the northern border on high alert.",
        "Serbia mobilised thousands of reservists on Friday.",
        "The defence ministry sent fresh reinforcements to the eastern front.",
        "Officials reported a military build-up near the frontier.",
        "The interior ministry deployed 3,000 more troops to the province.",
    ):
        found = _plover(text)
        assert any(t == "Change to group/activity" and p == "MOBILIZE" for t, p, _ in found), (text, found)


def test_restrictions_imposed_by_force_are_plover_coerce() -> None:
    cases = {
        "Authorities imposed a 24-hour curfew in the city on Sunday.": "curfew",
        "The junta banned two opposition parties from contesting the vote.": "ban",
        "The information ministry ordered two independent weeklies to suspend publication.": "censor",
        "The government deported 40 foreign workers last week.": "deport",
        "The navy tightened its blockade of the coastal enclave.": "restrict",
    }
    for text, mode in cases.items():
        assert ("Other", "COERCE", mode) in _plover(text), text
    # the cordon after an attack is routine: told alone, it is no event
    assert not any(p == "COERCE" for _, p, _ in _plover("Later, security forces sealed off the area."))


def test_a_state_of_emergency_for_a_disaster_is_no_coercion() -> None:
    assert not any(
        p in ("COERCE", "MOBILIZE")
        for _, p, _ in _plover(
            "A state of emergency was declared in three provinces as floods swept away homes."
        )
    )


def test_infrastructure_blown_up_is_an_explosives_attack_and_plover_destruction() -> None:
    found = _plover("Insurgents blew up a gas pipeline near Kirkuk on Tuesday.")
    assert ("Remote explosive/landmine/IED", "COERCE", "destroy") in found


def test_an_assassination_attempt_is_an_attack_and_a_foiled_one_is_not() -> None:
    found = _plover("Gunmen tried to assassinate the mayor of a northern town on Monday.")
    assert ("Attack", "ASSAULT", "assassinate") in found
    foiled = _plover("A plan to assassinate the provincial governor was foiled, police said on Monday.")
    assert not any(t == "Attack" for t, _, _ in foiled)
    foiled = _plover("An assassination attempt on the minister was thwarted on Monday, police said.")
    assert not any(t == "Attack" for t, _, _ in foiled)


# ---- re3d-driven ACLED rules (sentences written for these tests)


def test_civilians_are_never_actor1_the_accused_acts() -> None:
    events = events_of(
        "A Russian military spokesman accused the US-led coalition of killing more than 40 civilians in air "
        "strikes near Raqqa on Monday.",
        date(2016, 10, 25),
    )
    strike = the_one(events, lambda e: e.sub_event_type == "Air/drone strike")
    assert strike.actor1 == "Military Forces of the United States"
    assert (strike.actor2 or "").startswith("Civilians")


def test_civilians_facing_shelling_by_an_armed_actor_are_its_victims() -> None:
    events = events_of(
        "Residents of Douma are facing heavy shelling by the Asad regime, a monitor said on Sunday.",
        date(2016, 10, 25),
    )
    shelling = the_one(events, lambda e: e.sub_event_type == "Shelling/artillery/missile attack")
    assert shelling.actor1 == "Military Forces of Syria (2000-2024)"
    assert (shelling.actor2 or "").startswith("Civilians")


def test_accused_of_bombarding_reports_the_accused_bombardment() -> None:
    events = events_of(
        "Lebanon has accused Israel of bombarding a village near Tyre on Sunday.", date(2016, 10, 25)
    )
    shelling = the_one(events, lambda e: e.sub_event_type == "Shelling/artillery/missile attack")
    assert shelling.actor1 == "Military Forces of Israel"


def test_bombings_claimed_by_an_armed_group_are_not_air_strikes() -> None:
    events = events_of(
        "The United States condemns the attacks today in Homs, for which Daesh has claimed responsibility "
        "and where 20 civilians were killed in multiple bombings. We urge the regime to stop its airstrikes "
        "on Aleppo and its airstrikes on Hama.",
        date(2016, 10, 25),
    )
    bombing = the_one(events, lambda e: e.location == "Homs")
    assert bombing.sub_event_type == "Remote explosive/landmine/IED"
    assert bombing.actor1 == "Islamic State (Syria)"


def test_a_named_armed_group_fires_its_own_mortars() -> None:
    events = events_of(
        "Islamic State fighters carried out a mortar attack on a Peshmerga position near Baiji on Tuesday.",
        date(2016, 10, 25),
    )
    mortar = the_one(events, lambda e: e.sub_event_type == "Shelling/artillery/missile attack")
    assert mortar.actor1 == "Islamic State (Iraq)"
    assert mortar.actor2 == "Peshmerga (Kurdistan Regional Government)"


def test_weapons_made_or_in_range_are_no_event() -> None:
    for text in (
        "Officials said the group had used workshops in the town of Hawija to make chemical weapons.",
        "The village of Bashir, south of Kirkuk, lies within shelling range of the militants' positions.",
    ):
        assert events_of(text, date(2016, 10, 25)) == [], text


def test_running_totals_and_war_tolls_are_no_event() -> None:
    for text in (
        "The air force has conducted over 400 strikes on the group's targets in Iraq, the ministry said.",
        "Hundreds of thousands of Syrians have been killed and cities such as Homs have been reduced to "
        "rubble by government bombardment.",
        "Doctors in Fallujah said 45 civilians had been killed in the first weeks of the year.",
    ):
        assert events_of(text, date(2016, 10, 25)) == [], text


def test_an_event_that_only_dates_a_span_of_time_is_background() -> None:
    events = events_of(
        "Speaking nearly a year after the fall of Mosul to the militants, the minister praised the army.",
        date(2016, 10, 25),
    )
    assert events == []


def test_besieged_as_an_adjective_describes_a_state_not_a_battle() -> None:
    events = events_of(
        "Twelve civilians were killed in air strikes on Sunday as they were fleeing besieged neighbourhoods "
        "of eastern Aleppo.",
        date(2016, 10, 25),
    )
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]
    assert (
        events_of(
            "Half a million people remain in areas besieged by the regime, the UN said.", date(2016, 10, 25)
        )
        == []
    )


def test_two_kinds_of_violence_in_one_sentence_stay_two_events() -> None:
    events = events_of(
        "Rebels kidnapped six aid workers in Ghazni on Monday and exploded a series of bombs in the town.",
        date(2016, 10, 25),
    )
    assert {e.sub_event_type for e in events} == {
        "Abduction/forced disappearance",
        "Remote explosive/landmine/IED",
    }
    bombs = the_one(events, lambda e: e.sub_event_type == "Remote explosive/landmine/IED")
    assert bombs.actor1 == "Opposition Rebels (Afghanistan)"


def test_towns_listed_with_their_province_between_are_each_an_event() -> None:
    events = events_of(
        "We condemn the attacks today in the town of Salamiyah in Hama province, and the port city of "
        "Tartus, where 30 civilians were killed in bombings.",
        date(2016, 10, 25),
    )
    assert {e.admin1 for e in events} == {"Hama", "Tartous"}


def test_territory_the_state_regains_was_held_by_the_reports_armed_group() -> None:
    events = events_of(
        "The minister welcomed news that Iraqi forces have taken back Baiji. ISIL fighters had held the town "
        "for months. The UK will keep supporting Iraq against ISIL.",
        date(2015, 10, 20),
    )
    regained = the_one(events, lambda e: e.sub_event_type == "Government regains territory")
    assert (regained.actor1, regained.actor2) == ("Military Forces of Iraq", "Islamic State (Iraq)")


def test_a_strike_on_a_school_targets_civilians() -> None:
    events = events_of(
        "Witnesses said a jet bombed a school in eastern Aleppo on Friday.", date(2016, 10, 25)
    )
    strike = the_one(events, lambda e: e.sub_event_type == "Air/drone strike")
    assert strike.actor2 == "Civilians (Syria)"


def test_now_dates_the_news_by_the_report_not_by_the_lead() -> None:
    events = events_of(
        "On Monday 19 December the council adopted a resolution on Syria. The Syrian army now claims full "
        "control of Aleppo.",
        date(2016, 12, 23),
    )
    control = the_one(events, lambda e: e.sub_event_type == "Government regains territory")
    assert control.date_end == date(2016, 12, 23)
    assert control.time_precision == 2


def test_camp_hurriya_is_camp_liberty_in_baghdad() -> None:
    events = events_of(
        "Two residents of Camp Hurriya were killed when rockets hit the camp this morning, officials said.",
        date(2015, 10, 29),
    )
    rocket = the_one(events, lambda e: e.sub_event_type == "Shelling/artillery/missile attack")
    assert (rocket.location, rocket.admin1) == ("Camp Liberty", "Baghdad")


def test_a_birthplace_is_not_where_the_event_happened() -> None:
    events = events_of(
        "Abu Khalid, born in 1979 in Mosul, was a militant commander. He was killed in a raid by US forces "
        "on 26 October 2008.",
        None,
    )
    raid = the_one(events, lambda e: e.event_type == "Battles")
    assert raid.location != "Mosul"


def test_who_condemns_an_attack_is_no_party_to_it() -> None:
    events = events_of(
        "A UN Security Council resolution passed on Friday condemned the 13 March attacks in Kirkuk.",
        date(2015, 3, 20),
    )
    assert all(e.actor1 != "United Nations" for e in events)


def test_a_definite_undated_mention_at_the_same_place_is_the_event_told_before() -> None:
    from eventwire.events import _placed_back

    told = events_of("Gunmen attacked a market in Kirkuk on 2 March, killing 12 people.", date(2015, 3, 12))
    elsewhere = events_of(
        "Gunmen attacked a market in Basra on 2 March, killing 12 people.", date(2015, 3, 12)
    )
    mention = events_of(
        "The deadly attacks in Kirkuk have strengthened our determination to defeat the terrorists.",
        date(2015, 3, 12),
    )
    assert not _placed_back(elsewhere, mention)
    assert _placed_back(told, mention)
    assert mention[0].date_start == date(2015, 3, 2)
    assert len(told[0].evidence) == 2


def test_a_headline_story_label_is_no_event() -> None:
    events = events_of(
        "Aid agencies warned on Monday of food shortages in camps east of Mosul.",
        date(2016, 10, 25),
        title="Mosul battle: Aid agencies warn of shortages",
    )
    assert events == []


def test_killing_former_or_held_security_men_is_violence_against_civilians() -> None:
    events = events_of(
        "On Sunday, militants killed 40 former police officers they had been holding in a school near "
        "Hawija.",
        date(2016, 10, 25),
    )
    assert [e.sub_event_type for e in events] == ["Attack"]


def test_a_leader_described_as_fighting_is_no_battle() -> None:
    events = events_of(
        "Last Wednesday, militants dragged four men through the streets of Hawija because they were related "
        "to a tribal leader fighting IS alongside the army.",
        date(2016, 10, 25),
    )
    assert not any(e.sub_event_type == "Armed clash" for e in events)


def test_a_day_and_month_take_the_year_the_text_stated_when_the_report_has_no_date() -> None:
    events = events_of(
        "The offensive was launched by government forces in late March 2009. On 2 April, troops began to "
        "attack the town of Kilinochchi and fought rebels there for three days.",
        None,
    )
    assert any(e.date_start == date(2009, 4, 2) for e in events)


def test_an_operation_executed_is_no_execution() -> None:
    events = events_of(
        "Operation Red Dawn was a military operation executed by coalition forces near Tikrit in December "
        "2003.",
        date(2003, 12, 20),
    )
    assert not any(e.sub_event_type == "Attack" for e in events)


def test_began_to_attack_is_an_attack_that_happened() -> None:
    from eventwire.events.modality import intended

    assert not intended("Then the coalition forces began to ", "attack")
    assert intended("an offensive to ", "retake")


def test_the_town_a_named_place_is_measured_from_is_not_the_location() -> None:
    events = events_of(
        "Witnesses said the market in Tuz Khurmatu, a town about 70km south of Kirkuk, was hit by an "
        "explosion on Friday.",
        date(2016, 10, 24),
    )
    assert [e.location for e in events] == ["Ţūz Khūrmātū"]


def test_a_force_named_by_what_it_conducts_is_no_strike() -> None:
    events = events_of(
        "The US-led coalition conducting air strikes against Islamic State in Iraq said on Monday it had not "
        "been involved.",
        date(2016, 10, 24),
    )
    assert events == []


def test_an_air_strike_is_never_lent_to_the_reports_armed_group() -> None:
    from eventwire.events import _name_the_perpetrator

    result = analyse(
        Article(
            "t",
            "An air strike hit a market in Hawija on Friday, killing 12 people. Islamic State fighters hold "
            "the town.",
            published=date(2016, 10, 24),
        )
    )
    strike = the_one(result.events, lambda e: e.sub_event_type == "Air/drone strike")
    strike.actor1 = "Unidentified Armed Group (Iraq)"
    group = next(a.actor for a in result.mentions.actors if a.kind == "actor")
    _name_the_perpetrator(result.events, group, result.mentions)
    assert strike.actor1 == "Unidentified Armed Group (Iraq)"


def test_two_deeds_of_one_kind_with_their_own_dates_in_one_sentence_are_two_events() -> None:
    events = events_of(
        "The government condemns both the bomb attack this morning at a bus station in Kirkuk, and the car "
        "bomb attacks in Basra on Monday.",
        date(2015, 8, 13),
    )
    assert sorted((e.location, e.date_start) for e in events) == [
        ("Basrah", date(2015, 8, 10)),
        ("Kirkuk", date(2015, 8, 13)),
    ]
    # one date for both: one event, as before
    single = events_of(
        "A car bomb exploded in Kirkuk on Monday, and a roadside bomb struck a patrol nearby.",
        date(2015, 8, 13),
    )
    assert len(single) == 1


def test_what_an_action_met_in_the_face_of_is_no_event() -> None:
    events = events_of(
        "The campaign began in March, but stalled in the face of fierce resistance and counter-attacks by "
        "the rebels.",
        date(2016, 6, 10),
    )
    assert events == []


def test_a_headline_place_and_an_act_of_murder_join_the_body_event() -> None:
    events = events_of(
        "Two suicide bombers blew themselves up in the town of Tal Abyad in Raqqa Province on Thursday, "
        "killing 20 civilians, a monitor said. The governor mourned the victims of this cowardly act of "
        "murder in a speech.",
        date(2015, 12, 11),
        title="Suicide Attack in Raqqa, Syria",
    )
    bombing = the_one(events, lambda e: True)
    assert (bombing.sub_event_type, bombing.location) == ("Suicide bomb", "Tall Abyaḑ")
    assert len(bombing.evidence) == 3


def test_a_rocket_propelled_grenade_is_a_launched_weapon_not_a_thrown_grenade() -> None:
    fired = events_of(
        "Insurgents fired a rocket-propelled grenade at an army post near Baiji on Sunday, killing one.",
        date(2015, 3, 2),
    )
    assert {e.sub_event_type for e in fired} == {"Shelling/artillery/missile attack"}
    thrown = events_of(
        "A man threw a hand grenade at a police patrol in Srinagar on Friday, wounding three officers.",
        date(2019, 6, 9),
    )
    assert {e.sub_event_type for e in thrown} == {"Grenade"}


def test_a_dateline_run_into_the_lead_does_not_date_its_event() -> None:
    # A page scraped into one paragraph: the dateline is the report's day; the strike told after it, with
    # no date of its own, is the one the next sentence dates and tells in detail.
    events = events_of(
        "14 Mar 2019 Dozens of people have been killed by air strikes on a market in Maarat al-Numan. "
        "At least 40 people were killed when jets struck the market on Tuesday, a monitor said.",
        date(2019, 3, 14),
    )
    strike = the_one(events, lambda e: e.sub_event_type == "Air/drone strike")
    assert (str(strike.event_date), strike.time_precision, strike.fatalities) == ("2019-03-12", 1, 40)


def test_a_source_telling_its_own_deed_is_actor1() -> None:
    said = events_of(
        "Russia's defence ministry said its jets had destroyed 12 Islamic State positions near Palmyra on "
        "Tuesday.",
        date(2017, 5, 3),
    )
    assert [(e.actor1, e.actor2) for e in said] == [("Military Forces of Russia", "Islamic State (Syria)")]
    headline = events_of("Russia says kills 9 Nusra Front commanders in Idlib air strike", date(2017, 10, 5))
    assert [(e.actor1, e.actor2) for e in headline] == [("Military Forces of Russia", "Hayat Tahrir al-Sham")]


def test_a_source_telling_another_subject_s_deed_is_not_its_actor() -> None:
    events = events_of("The army said militants attacked a checkpoint in Arish on Monday.", date(2017, 5, 2))
    assert all(e.actor1 is None or "Military Forces" not in e.actor1 for e in events)


def test_what_a_protest_is_about_does_not_tell_how_it_went() -> None:
    """Arrests and killings a demonstration protests against are its grievance, not force used on it."""
    day = date(2024, 3, 14)
    for text in (
        "Hundreds marched peacefully in Dhaka on Friday to demand the release of detained activists.",
        "Students rallied in Lagos on Monday, protesting the arrest of a journalist.",
        "Thousands demonstrated in Nairobi on Tuesday over the killing of a teacher in police custody.",
    ):
        assert [e.sub_event_type for e in events_of(text, day)] == ["Peaceful protest"], text
    text = "Police fired tear gas at students in Lagos on Monday who protested the arrest of a reporter."
    assert [e.sub_event_type for e in events_of(text, day)] == ["Protest with intervention"]


@pytest.mark.parametrize(
    ("text", "sub_event_type", "actor1", "actor2"),
    [
        ("Hundreds marched in Dhaka on Friday.", "Peaceful protest", "Protesters (Bangladesh)", None),
        (
            "Police fired tear gas at students protesting in Lagos on Monday.",
            "Protest with intervention",
            "Protesters (Nigeria)",
            "Police Forces of Nigeria",
        ),
        (
            "Security forces shot dead three protesters in Khartoum on Thursday during a march against the "
            "military government.",
            "Excessive force against protesters",
            "Military Forces of Sudan",
            "Protesters (Sudan)",
        ),
        (
            "Police fired tear gas to disperse stone-throwing protesters in Nairobi on Tuesday.",
            "Violent demonstration",
            "Rioters (Kenya)",
            "Police Forces of Kenya",
        ),
    ],
)
def test_demonstrations_name_the_crowd_as_acled_does(text, sub_event_type, actor1, actor2) -> None:
    """ACLED: the crowd is Protesters (<country>) or Rioters (<country>), named or not; force against
    protesters is the event where the force is actor1; bare "police" is the country's police."""
    event = the_one(events_of(text, date(2024, 3, 14)), lambda e: True)
    assert (event.sub_event_type, event.actor1, event.actor2) == (sub_event_type, actor1, actor2)


def test_a_group_that_rallies_is_associated_with_the_protesters() -> None:
    event = the_one(events_of("Hamas supporters rallied in Gaza City on Friday.", date(2024, 3, 14)), bool)
    assert event.actor1 == "Protesters (Palestinian Territory)" and "Hamas Movement" in event.assoc_actor_1


def test_people_abducted_with_no_name_are_civilians_of_the_country() -> None:
    """And "armed men", the report's only armed actor, stay the Unidentified Armed Group of the event's
    country (they were lent back as a bare "Unidentified Armed Group", a group the report names)."""
    day = date(2024, 3, 14)
    priest = "Armed men kidnapped a Catholic priest in Enugu state on Wednesday."
    event = the_one(events_of(priest, day), bool)
    assert (event.actor1, event.actor2) == ("Unidentified Armed Group (Nigeria)", "Civilians (Nigeria)")
    assert event.civilian_targeting
    checkpoint = "Gunmen abducted five soldiers at a checkpoint near Zamfara on Tuesday."
    soldiers = the_one(events_of(checkpoint, day), bool)
    assert soldiers.actor2 != "Civilians (Nigeria)"


def test_civilians_killed_in_a_battle_are_its_toll_not_a_side_or_an_attack() -> None:
    """ACLED: civilians killed in fighting are the battle's fatalities; they are never a side of it. A bare
    "the army" fighting "between" or "with" is the country's military."""
    day = date(2024, 3, 14)
    text = "Fighting between the army and RSF paramilitaries in El Fasher killed 25 civilians on Monday."
    event = the_one(events_of(text, day), bool)
    assert (event.sub_event_type, event.fatalities) == ("Armed clash", 25)
    assert (event.actor1, event.actor2) == ("Military Forces of Sudan", "RSF: Rapid Support Forces")
    tripoli = "Clashes between rival militias in Tripoli on Monday killed 12 civilians."
    event = the_one(events_of(tripoli, day), bool)
    assert event.actor2 is None and event.fatalities == 12
    # a second deed joined to the battle stays an attack of its own, and the toll is the attack's alone
    text = "Militants clashed with troops near Mopti on Sunday and killed five civilians in a nearby village."
    tolls = {e.sub_event_type: e.fatalities for e in events_of(text, day)}
    assert tolls == {"Armed clash": 0, "Attack": 5}


def test_violence_between_communities_is_an_event_of_a_communal_militia() -> None:
    text = "At least 30 people were killed in intercommunal violence in Plateau state over the weekend."
    event = the_one(events_of(text, date(2024, 3, 14)), bool)
    assert (event.sub_event_type, event.fatalities, event.admin1) == ("Attack", 30, "Plateau")
    assert event.actor1 == "Unidentified Communal Militia (Nigeria)"
    warning = "Officials warned that ethnic violence could return to the region."
    assert events_of(warning, date(2024, 3, 14)) == []


@pytest.mark.parametrize(
    "text",
    [
        "A landmine explosion killed two children in Daraa province on Sunday.",
        "Two people were killed when a Russian drone struck a residential building in Odesa overnight.",
        "Russian missiles hit an apartment block in Dnipro on Friday, killing 12.",
    ],
)
def test_civilians_a_strike_or_a_mine_hit_are_its_actor2(text: str) -> None:
    event = the_one(events_of(text, date(2024, 3, 14)), bool)
    assert event.actor2 is not None and event.actor2.startswith("Civilians (")
    assert event.civilian_targeting


def test_a_mob_s_victims_are_civilians_unless_it_attacked_the_police() -> None:
    day = date(2024, 3, 14)
    lynching = the_one(events_of("A mob lynched a man accused of theft in Kano on Wednesday.", day), bool)
    assert (lynching.sub_event_type, lynching.actor1, lynching.actor2, lynching.fatalities) == (
        "Mob violence",
        "Rioters (Nigeria)",
        "Civilians (Nigeria)",
        1,
    )
    station = the_one(events_of("An angry mob attacked a police station in Kano on Wednesday.", day), bool)
    assert station.actor2 != "Civilians (Nigeria)"


def test_an_earlier_event_the_news_is_set_against_is_background() -> None:
    """ "The attack came two weeks after a similar bombing ... killed 20": the earlier bombing's toll is not
    the news event's."""
    text = (
        "A car bomb killed nine people in Mogadishu on Thursday. The attack came two weeks after a similar "
        "bombing at a hotel in the city killed 20 people."
    )
    event = the_one(events_of(text, date(2024, 3, 14)), bool)
    assert event.fatalities == 9


def test_force_against_protesters_keeps_its_roles_when_a_protest_mention_merges_into_it() -> None:
    text = (
        "Thousands of protesters marched in Baghdad on Tuesday. Security forces opened fire on the crowd, "
        "killing two protesters."
    )
    event = the_one(events_of(text, date(2019, 10, 2)), bool)
    assert event.sub_event_type == "Excessive force against protesters"
    assert (event.actor1, event.actor2) == ("Military Forces of Iraq", "Protesters (Iraq)")


def test_the_report_s_places_give_the_country_its_words_do_not_name() -> None:
    """No word names Sudan, but El Fasher is in it: "the RSF" (an alias used only in reports about Sudan and
    its neighbours) and "the army" are Sudan's; the sides of a fight "between X and Y" come in order."""
    text = "Fighting between the army and the RSF in El Fasher killed 25 civilians on Monday."
    event = the_one(events_of(text, date(2024, 3, 14)), bool)
    assert (event.actor1, event.actor2) == ("Military Forces of Sudan", "RSF: Rapid Support Forces")
    text = "Clashes broke out between Hezbollah and Israeli forces near the border on Monday."
    event = the_one(events_of(text, date(2024, 3, 14)), bool)
    assert (event.actor1, event.actor2) == ("Hezbollah", "Military Forces of Israel")
