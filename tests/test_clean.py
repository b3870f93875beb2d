"""Boilerplate removal: what goes, what stays, and exact offsets back to the text as read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.clean import clean, judge_line, line_boilerplate_reason, raw_text
from eventwire.ingest import read_path
from eventwire.model import Article, Document


def _read(path: Path) -> Article:
    (article,) = list(read_path(path))
    assert isinstance(article, Article)
    return article


def assert_exact_offsets(doc: Document) -> None:
    raw = raw_text(doc.article)
    covered = 0
    for clean_start, raw_start, length in doc.offset_map:
        assert length > 0
        assert doc.text[clean_start : clean_start + length] == raw[raw_start : raw_start + length]
        covered += length
    # Everything but synthetic separators is mapped: line breaks, and a space where a widget was cut out
    # of a line.
    inline_cuts = sum(1 for _, _, reason in doc.removed if reason == "share buttons")
    assert len(doc.text) - covered <= doc.text.count("\n") + inline_cuts
    for start, end, reason in doc.removed:
        assert 0 <= start < end <= len(raw) and reason


def reclean(doc: Document) -> Document:
    """Clean the cleaned text again, as stored (title line, blank line, body)."""
    title = doc.text[: doc.title_end] if doc.title_end else None
    body = doc.text[doc.title_end + 2 :] if doc.title_end else doc.text
    return clean(Article(id=doc.article.id, title=title, text=body))


def removed_texts(doc: Document) -> dict[str, str]:
    raw = raw_text(doc.article)
    return {raw[s:e]: reason for s, e, reason in doc.removed}


# --------------------------------------------------------------------------- fixtures we wrote


@pytest.fixture
def blank_lines_doc(fixtures_dir: Path) -> Document:
    return clean(_read(fixtures_dir / "clean" / "blank_lines_page.txt"))


def test_page_with_blank_lines_keeps_the_report(blank_lines_doc: Document) -> None:
    doc = blank_lines_doc
    assert doc.text.startswith("Turkish drones strike Kurdish-held positions near Qamishli, monitor says\n\n")
    assert doc.title_end == len("Turkish drones strike Kurdish-held positions near Qamishli, monitor says")
    body = doc.text[doc.title_end + 2 :]
    assert body.startswith("Turkish drones struck positions held by the Syrian Democratic Forces")
    for kept in (
        "The strikes hit a checkpoint and a vehicle on the road to Amuda",
        "Ankara did not comment on the report.",
        # Real sentences that look a little like captions or credits but carry no caption signal:
        "The last large Turkish offensive in the area began on October 9, 2019.",
        "A Reuters reporter in the city heard at least four explosions",
        "seen a photo of the burning vehicle.",
        "The SDF said in a statement that one of its commanders was wounded in the attack.",
    ):
        assert kept in doc.text
    assert_exact_offsets(doc)


def test_page_with_blank_lines_drops_the_boilerplate(blank_lines_doc: Document) -> None:
    doc = blank_lines_doc
    removed = removed_texts(doc)
    for gone in (
        "icon menuicon",
        "Home » World",
        "Advertisement",
        "3 Comments on",
        "5 min read",
        "READ MORE:",
        "qamishli syria drones",
        "AFP/Delil Souleiman",
        "Smoke rises over a village",
        "file photo",
        "Syria Strikes",
        "Photo credit: Hawar News",
        "NOW WATCH",
        "Related Stories",
        "Leave a Reply",
        "All rights reserved",
        "network of local correspondents",
        "newsletter",
        "email address",
        "Back to top",
    ):
        assert gone not in doc.text, gone
    assert removed["Advertisement"] == "advertisement"
    assert removed["AFP/Delil Souleiman"] == "photo credit"
    assert removed["Smoke rises over a village on the outskirts of Qamishli, Syria, October 10, 2019."] == (
        "photo caption"
    )
    assert (
        removed["Turkish drones strike Kurdish-held positions near Qamishli, monitor says"]
        == "duplicate title"
    )
    # The body's paragraphs stay separated by blank lines, as in the source.
    assert "\n\nThe strikes hit a checkpoint" in doc.text


def test_single_newline_page_with_glued_credits(fixtures_dir: Path) -> None:
    doc = clean(_read(fixtures_dir / "clean" / "glued_credits_page.txt"))
    lines = doc.text.split("\n")
    assert lines[0] == "Israeli missiles hit weapons depot near Damascus airport, Syrian army says"
    assert lines[1] == ""  # title, blank line, body
    assert lines[2:] == [
        "Israeli missiles struck a weapons depot near Damascus International Airport early on Wednesday, "
        "the Syrian army said in a statement carried by the state news agency.",
        "Air defences intercepted most of the missiles, the army said, adding that the attack caused "
        "material damage only.",
        "Israel rarely comments on individual strikes in Syria, but it has said it targets Iranian-linked "
        "armed groups and weapons shipments to Hezbollah.",
        "A war monitor said the strike killed two members of a pro-Iranian militia.",
        "The airport was briefly closed to traffic in June after a strike damaged its runway.",
        "A SANA photo showed firefighters at the scene.",
    ]
    assert_exact_offsets(doc)


def test_credit_glued_to_a_long_paragraph_cuts_only_the_credit() -> None:
    paragraph = (
        "Residents of the town said the bombardment began before dawn and lasted for several hours, "
        "with jets circling overhead and artillery firing from positions to the south. Medics at the only "
        "field hospital said they had received dozens of wounded, many of them women and children, and "
        "were running short of blood and anaesthetics as the roads out of the town remained closed to "
        "ambulances."
    )
    article = Article(id="t", title="Town shelled", text=paragraph + " (AP Photo/Ghaith Alsayed)")
    doc = clean(article)
    assert doc.text == "Town shelled\n\n" + paragraph
    assert removed_texts(doc) == {"(AP Photo/Ghaith Alsayed)": "photo caption"}
    assert_exact_offsets(doc)


def test_share_widget_inside_a_flattened_page_is_cut_out() -> None:
    # A page scraped into one paragraph: dateline, the short-link widget with its counters, the report.
    body = (
        "14.03.2019Get short URL 0 217 Five soldiers were killed when militants attacked an army post "
        "near Tadmur on Wednesday, the ministry said."
    )
    doc = clean(Article(id="w", title="Army post attacked", text=body))
    assert doc.text == (
        "Army post attacked\n\n14.03.2019 Five soldiers were killed when militants attacked an army post "
        "near Tadmur on Wednesday, the ministry said."
    )
    assert removed_texts(doc) == {"Get short URL 0 217": "share buttons"}
    assert_exact_offsets(doc)
    assert reclean(doc).text == doc.text


def test_share_widget_counter_is_kept_when_the_report_opens_with_a_number() -> None:
    # "12 civilians" is the report's own figure: only the label goes, not what might be a counter.
    doc = clean(Article(id="w", text="Get short URL 12 civilians died in the shelling of the market."))
    assert doc.text == "12 civilians died in the shelling of the market."
    assert_exact_offsets(doc)


def test_view_counter_of_a_flattened_header_is_cut_out() -> None:
    body = "Monday 3 Mar 2014 Print Tweet Views 2051 A bomb exploded at a bus station in Homs, killing four."
    doc = clean(Article(id="v", text=body))
    assert doc.text == "Monday 3 Mar 2014 A bomb exploded at a bus station in Homs, killing four."
    assert_exact_offsets(doc)


def test_related_headlines_after_the_closing_ellipsis_are_cut() -> None:
    # After the last sentence: an ellipsis, the share counters, then the related-stories box and tags.
    report = "Rockets hit a residential block in the city on Friday, killing three people, state media said."
    tail = (
        " ... 37 Related Army Repels Attack Near Airport Five Killed in Car Bomb Blast in Border Town "
        "Tags rockets Aleppo Comment via Facebook"
    )
    doc = clean(Article(id="r", text=report + tail))
    assert doc.text == report
    assert list(removed_texts(doc).values()) == ["related stories"]
    assert_exact_offsets(doc)


def test_article_without_title_and_raw_offsets() -> None:
    article = Article(
        id="t", text="  Advertisement\n\nGunmen attacked a checkpoint.  \nREAD MORE: other news\n"
    )
    doc = clean(article)
    assert doc.text == "Gunmen attacked a checkpoint."
    assert doc.title_end == 0
    start = doc.text.index("checkpoint")
    assert article.text[doc.raw_offset(start) :].startswith("checkpoint")
    assert_exact_offsets(doc)


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "NOW WATCH: Inside the battle for the city",
        "Read more: Ceasefire collapses",
        "Reuters/Omar Sanadiki",
        "REUTERS/Omar Sanadiki/Files",
        "Thomson Reuters",
        "AFP via Getty Images",
        "(Image Credit: Reuters)",
        "Photo: AFP",
        "4 minute read",
        "Leave a comment",
        "Back to Top",
        "Copyright © 2014-2025 Example Institute",
        "Subscribe to Example News",
        "Related Articles",
        "Home | News | Middle East | Syria",
        "palmyra syria isis",
        "icon bookmarkicon cameraicon checkicon chevron downicon closeicon",
        "Fighters ride on a truck near the frontCredit: AP",
        "Soldiers patrol the town in this March 3, 2018 file photo. REUTERS/Jane Doe/File",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert line_boilerplate_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Coalition bombers targeted 14 tanks northeast of the city.",
        "Reuters could not independently verify the report.",
        "More than 50 militants have been killed or captured, it added.",
        "The group's newsletter al-Naba claimed the attack.",
        "A Reuters/Ipsos poll found most Americans opposed sending troops.",
        "Syrian soldiers stand on the ruins of the Temple of Bel in Palmyra, April 1, 2016.",
        "In this context, the image of the army suffered badly.",
        "Related to the strikes, officials said the targets were chosen months ago.",
        "Comments by the minister angered Ankara.",
        "US forces struck ISIS infrastructure, a statement added.",
        "18 Aug, 2017 16:33",
        "Officials said. Tags on the crates showed they came from a depot in the north.",
        "He signed ... 3 copies of the related order.",
    ],
)
def test_report_lines_are_kept(line: str) -> None:
    assert judge_line(line).reason is None, judge_line(line)


def test_dated_line_is_a_caption_only_next_to_a_credit() -> None:
    dated = "Syrian soldiers stand on the ruins of the Temple of Bel in Palmyra, April 1, 2016."
    alone = clean(Article(id="a", text=f"Fighting resumed.\n\n{dated}\n\nThe army advanced."))
    assert dated in alone.text
    captioned = clean(
        Article(id="b", text=f"Fighting resumed.\n\nThomson Reuters\n\n{dated}\n\nThe army advanced.")
    )
    assert dated not in captioned.text
    assert captioned.text == "Fighting resumed.\n\nThe army advanced."


# --------------------------------------------------------------------------- the seed reports


SEED_KEPT = {
    "000": ["coalition bombers targeted", "Tiyas military airfield", "16 coalition aircraft"],
    "001": ["US forces struck ISIS infrastructure", "Two US soldiers and a US civilian interpreter"],
    "002": ["killed at least five members", "more than 70 strategic ISIS targets"],
    "003": ["conducted two airstrikes in the region which killed 37", "ISIS claimed more than 150 attacks"],
    "004": ["hitting Islamic State vehicles", "surrounded the militants near the town of Aqerbat"],
}
SEED_GONE = [
    "Advertisement",
    "Credit:",
    "REUTERS/",
    "Reuters/Omar",
    "Thomson Reuters",
    "in this April 1, 2016 file photo",
    "NOW WATCH",
    "READ MORE",
    "palmyra syria isis",
    "Image Credit",
    "photo by Airman",
    "No Comments on",
    "4 minute read",
    "Related Articles",
    "Leave a comment",
    "Copyright",
    "IRIA is a research institute",
    "Subscribe to IRIA",
    "Enter your email",
    "Back to Top",
    "bookmarkicon",
    "chevron downicon",
]


@pytest.mark.shared
def test_seeds_are_cleaned(shared_dir: Path) -> None:
    seeds = sorted((shared_dir / "corpus" / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for path in seeds:
        doc = clean(_read(path))
        assert_exact_offsets(doc)
        for gone in SEED_GONE:
            assert gone not in doc.text, (path.name, gone)
        for kept in SEED_KEPT[path.name[:3]]:
            assert kept in doc.text, (path.name, kept)
        title = doc.text[: doc.title_end]
        assert title and doc.text.count(title) == 1, path.name  # no repeated headline
        assert reclean(doc).text == doc.text


# --------------------------------------------------------------------------- properties

_SNIPPETS = [
    "Advertisement",
    "READ MORE: Something else happened",
    "Reuters/Jane Doe",
    "Thomson Reuters",
    "Jets struck a depot near Hama on Monday, killing four fighters.",
    "Smoke rises over the town, Syria, April 1, 2016.",
    "Fighters stand guard in this June 2, 2019 file photo. REUTERS/Jane Doe/Files",
    "Image Title",
    "A convoy reaches the cityCredit: AP",
    "Related Articles",
    "Leave a comment",
    "Copyright © 2020 Example",
    "An about-us paragraph that runs on for a while without ending",
    "Back to Top",
    "palmyra syria isis",
    "icon a-icon b-icon c-icon d-icon",
    "Home » News » World",
    "  indented line with trailing space  ",
    "The ministry said.   (Photo credit: Hawar News)",
    "Get short URL 0 12",
    "21.08.2013Get short URL 3 Rebels shelled the base.",
    "The ministry said. ... 14 Related Other headline Tags a b",
    "Headline",
    "",
    " ",
    "\t",
]
_lines = st.one_of(st.sampled_from(_SNIPPETS), st.text(max_size=40).map(lambda s: s.replace("\n", " ")))
_bodies = st.lists(_lines, max_size=25).flatmap(
    lambda lines: st.lists(
        st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"]), min_size=len(lines), max_size=len(lines)
    ).map(lambda seps: "".join(line + sep for line, sep in zip(lines, seps, strict=True)))
)
_titles = st.one_of(
    st.none(), st.sampled_from(["Headline", " Headline ", "", "Jets strike depot"]), st.text(max_size=30)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_titles, body=_bodies)
def test_cleaner_never_raises_maps_exactly_and_is_idempotent(title: str | None, body: str) -> None:
    doc = clean(Article(id="p", title=title, text=body))
    assert_exact_offsets(doc)
    again = reclean(doc)
    assert again.text == doc.text
    assert again.removed == []


@settings(max_examples=200, deadline=None)
@given(body=st.text(max_size=300), title=st.one_of(st.none(), st.text(max_size=50)))
def test_cleaner_on_arbitrary_text(title: str | None, body: str) -> None:
    doc = clean(Article(id="p", title=title, text=body))
    assert_exact_offsets(doc)
    assert reclean(doc).text == doc.text
