"""Same-story detection (eventwire.stories): the thresholds on texts written for these tests.

The measured values are in the module docstring; each test pins one side of a threshold."""

from __future__ import annotations

from eventwire.stories import (
    COPY_CONTAINMENT,
    NOVEL_RUN_MAX,
    StoryIndex,
    fingerprint,
    is_copy,
    longest_novel_run,
    shingles,
    similarity,
)

WIRE = (
    "Gunmen ambushed a Syrian army convoy on the road outside Manbij on Tuesday, killing four soldiers and "
    "wounding six, the Defence Ministry said. The attackers opened fire with machine guns from a grove of "
    "olive trees before fleeing towards nearby farmland, the ministry said in a statement issued in the "
    "evening. No group claimed responsibility for the attack.\n\n"
    "The convoy had been carrying supplies to a base north of the city when it was hit, according to the "
    "statement. Two of the wounded were in a serious condition at the military hospital in Aleppo.\n\n"
    "Manbij, in the north of Aleppo province, has seen repeated attacks on security forces since the "
    "spring. Local officials said patrols on the main roads would be doubled and that checkpoints at the "
    "entrances to the city would stay open through the night."
)
SYNDICATED = "By Levant Wire staff\n\nMANBIJ, Syria — " + WIRE.replace(
    "the ministry said in a statement issued in the evening", "the ministry said in an evening statement"
).replace("No group claimed", "No group has yet claimed")
TRIMMED = WIRE.split("\n\n")[0]
UPDATED = WIRE + (
    "\n\nOn Wednesday the ministry raised the toll to five after one of the wounded soldiers died in "
    "hospital, and said two suspects had been detained at a farm east of the city."
)
OWN_REPORT = (
    "Four Syrian soldiers were killed on Tuesday when unidentified gunmen attacked a military convoy near "
    "Manbij, a war monitor reported. The monitor said six more soldiers were hurt in the attack, which took "
    "place on the road north of the city. Security forces later sealed off the area and searched nearby "
    "farms. The Defence Ministry said the attackers had fled. Residents said the convoy had passed through "
    "the city an hour earlier."
)


def test_signatures_are_the_same_in_every_process() -> None:
    first, again = fingerprint(WIRE), fingerprint(WIRE)
    assert first is not None and again is not None
    assert first.encoded() == again.encoded() and len(first.encoded()) == 96 * 8
    assert first.bands == again.bands and len(set(first.bands)) == 32


def test_a_syndicated_copy_with_a_byline_and_reworded_phrases_is_a_copy() -> None:
    copy = fingerprint(SYNDICATED)
    assert copy is not None
    contained = similarity(copy.shingles, shingles(WIRE))[1]
    assert COPY_CONTAINMENT <= contained < 0.95
    assert longest_novel_run(copy.sequence, shingles(WIRE)) <= NOVEL_RUN_MAX
    assert is_copy(copy, shingles(WIRE))


def test_a_trimmed_copy_is_a_copy() -> None:
    assert is_copy(fingerprint(TRIMMED), shingles(WIRE))


def test_an_update_with_a_paragraph_of_news_is_not_a_copy() -> None:
    update = fingerprint(UPDATED)
    assert similarity(update.shingles, shingles(WIRE))[1] > COPY_CONTAINMENT  # containment alone would say so
    assert longest_novel_run(update.sequence, shingles(WIRE)) > NOVEL_RUN_MAX
    assert not is_copy(update, shingles(WIRE))


def test_another_outlets_own_report_of_the_same_event_is_not_a_copy() -> None:
    own = fingerprint(OWN_REPORT)
    assert similarity(own.shingles, shingles(WIRE))[1] < 0.05
    assert not is_copy(own, shingles(WIRE))


def test_texts_too_short_to_fingerprint_match_only_by_hash() -> None:
    assert fingerprint("Two killed in Mosul blast.") is None
    assert StoryIndex().find_copy(None) is None


def test_story_index_finds_pending_originals_and_forgets_failed_ones() -> None:
    index = StoryIndex()
    index.remember("wire", fingerprint(WIRE))
    assert index.find_copy(fingerprint(SYNDICATED)) == "wire"
    assert index.find_copy(fingerprint(OWN_REPORT)) is None
    index.forget("wire")
    assert index.find_copy(fingerprint(SYNDICATED)) is None
