"""Places on the real seed reports in ../shared (skipped when absent). Behaviour checks, not answers:
every Palmyra is the Syrian one, Homs before "Governorate"/"province" is the governorate, capitals used as
governments are not locations, and the dateline-free lead gives a Syrian event location."""

from __future__ import annotations

import pytest

from eventwire.places import get_gazetteer
from eventwire.places.resolve import resolve_text

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def seeds(shared_dir):
    files = sorted((shared_dir / "corpus" / "seeds").glob("*.txt"))
    if not files:
        pytest.skip("no seed reports")
    g = get_gazetteer()
    return {
        f.stem: (f.read_text(encoding="utf-8"), resolve_text(g, f.read_text(encoding="utf-8"))) for f in files
    }


def test_every_palmyra_is_in_syria(seeds):
    palmyras = [m for _, ms in seeds.values() for m in ms if m.text == "Palmyra"]
    assert palmyras and all(m.place.iso3 == "SYR" and m.place.admin1 == "Homs" for m in palmyras)


def test_homs_before_governorate_or_province_is_the_governorate(seeds):
    for text, ms in seeds.values():
        for m in ms:
            if m.text == "Homs" and text[m.end : m.end + 12].strip().lower().startswith(
                ("governorate", "province")
            ):
                assert m.place.feature == "A.ADM1" and m.geo_precision == 3


def test_capitals_followed_by_government_verbs_are_not_locations(seeds):
    checked = 0
    for text, ms in seeds.values():
        for m in ms:
            after = text[m.end : m.end + 30]
            if m.text in ("Damascus", "Moscow", "Washington") and after.startswith(
                (" said", " have been", " attributed")
            ):
                assert not m.locational
                checked += 1
    assert checked >= 2


def test_no_places_outside_the_region_except_countries_and_capitals(seeds):
    for _, ms in seeds.values():
        for m in ms:
            if (
                m.place
                and m.locational
                and m.place.feature.startswith("P")
                and m.place.iso3 not in ("SYR", "IRQ")
            ):
                pytest.fail(f"unexpected locational place {m.text!r} -> {m.place}")
