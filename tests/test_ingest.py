"""Input readers: every format, every kind of bad input, and errors as values rather than exceptions."""

from __future__ import annotations

import io
import json
import os
import pathlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.ingest import (
    READERS,
    STDIN,
    apply_metadata,
    iter_input_files,
    load_metadata,
    parse_published,
    read_inputs,
    read_path,
    read_stdin,
)
from eventwire.model import Article, ReadError


@pytest.fixture
def ingest_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "ingest"


def articles(items: list[Article | ReadError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items: list[Article | ReadError]) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


def only_error(items: list[Article | ReadError]) -> ReadError:
    assert len(items) == 1 and isinstance(items[0], ReadError), items
    return items[0]


# --------------------------------------------------------------------------- plain text


def test_txt_title_skips_soup_and_timestamp(tmp_path: Path) -> None:
    path = tmp_path / "rt-style.txt"
    path.write_text(
        "icon bookmarkicon cameraicon checkicon chevron downicon closeicon\n"
        "3 Sep, 2018 10:05\n\n"
        "Jets pound militant positions in Idlib countryside\n\n"
        "Warplanes struck militant positions in the southern Idlib countryside on Monday.\n"
    )
    (article,) = list(read_path(path))
    assert isinstance(article, Article)
    assert article.id == "rt-style"
    assert article.title == "Jets pound militant positions in Idlib countryside"
    # Lines before the title stay in the body for the cleaner (the timestamp may date the report).
    assert article.text.startswith("icon bookmarkicon")
    assert "3 Sep, 2018 10:05" in article.text
    assert "Jets pound" not in article.text
    assert article.text.endswith("on Monday.")


def test_txt_single_paragraph_has_no_title(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("Gunmen attacked a checkpoint near Daraa on Sunday, killing two soldiers.\n")
    (article,) = list(read_path(path))
    assert isinstance(article, Article)
    assert article.title is None
    assert article.text == "Gunmen attacked a checkpoint near Daraa on Sunday, killing two soldiers."


def test_latin1_bytes_are_decoded(ingest_dir: Path) -> None:
    (article,) = list(read_path(ingest_dir / "latin1.txt"))
    assert isinstance(article, Article)
    assert article.title == "Frappes aériennes près d'Idleb"
    assert "tuant sept civils" in article.text and "décombres" in article.text


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Shelling in Homs\n\nArtillery shelled the old city of Homs.".encode("utf-16"))
    (article,) = list(read_path(path))
    assert isinstance(article, Article) and article.title == "Shelling in Homs"


def test_crlf_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Clashes in Raqqa\r\n\r\nFighters clashed in Raqqa.\r\nTwo were killed.\r\n")
    (article,) = list(read_path(path))
    assert isinstance(article, Article) and "\r" not in article.text


# --------------------------------------------------------------------------- HTML


def test_html_page_main_text_and_metadata(ingest_dir: Path) -> None:
    items = list(read_path(ingest_dir / "page.html"))
    (article,) = articles(items)
    assert errors(items) == []
    assert article.id == "page"
    assert article.title == "Car bomb kills five in Azaz market"
    assert article.published == date(2021, 3, 2) and article.published_from == "html"
    assert article.url == "https://example.org/news/2021/03/azaz-car-bomb"
    assert article.source == "Northern Syria Monitor"
    assert "killing five civilians and wounding at least twenty others" in article.text
    assert "No group immediately claimed responsibility" in article.text
    for boilerplate in ("dataLayer", "font-family", "Fuel prices", "Privacy policy", "All rights reserved"):
        assert boilerplate not in article.text
    assert not article.text.startswith("Car bomb kills five")  # the <h1> is the title, not body


def test_html_fragment_falls_back_to_tag_stripping(tmp_path: Path) -> None:
    path = tmp_path / "fragment.htm"
    path.write_text(
        "<title>Strike on Saraqib</title><p>Jets hit Saraqib.<br>Three were hurt.</p><script>x()</script>"
    )
    (article,) = list(read_path(path))
    assert isinstance(article, Article)
    assert "Jets hit Saraqib." in article.text and "x()" not in article.text


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body></body></html>")
    assert "no text" in only_error(list(read_path(path))).reason


# --------------------------------------------------------------------------- JSON Lines / JSON / CSV


def test_jsonl_keeps_good_lines_and_names_bad_ones(ingest_dir: Path) -> None:
    path = ingest_dir / "records.jsonl"
    items = list(read_path(path))
    by_id = {a.id: a for a in articles(items)}
    assert set(by_id) == {"sdf-clash-2019-06-03", "records#2", "bad-date"}
    first = by_id["sdf-clash-2019-06-03"]
    assert first.title == "SDF and IS fighters clash near Baghouz"
    assert first.published == date(2019, 6, 3) and first.published_from == "record"
    assert first.url == "https://example.org/sdf-baghouz" and first.source == "Example Wire"
    assert first.text.startswith("Fighters of the Syrian Democratic Forces") and "\n\n" in first.text
    assert by_id["records#2"].published == date(2019, 10, 12)  # RFC 2822
    assert by_id["bad-date"].published is None  # kept, date dropped with a warning

    reasons = {e.origin: e.reason for e in errors(items)}
    assert reasons[f"{path}:3"].startswith("malformed JSON line")
    assert reasons[f"{path}:4"] == "record has no text"
    assert reasons[f"{path}:6"].startswith("warning: field 'published' ignored")
    assert reasons[f"{path}:7"].startswith("record is not an object")
    assert all(str(e).count("\n") == 0 for e in errors(items))  # one line each


def test_json_articles_object_and_list_text(ingest_dir: Path) -> None:
    items = list(read_path(ingest_dir / "records.json"))
    assert errors(items) == []
    first, second = articles(items)
    assert first.id == "idlib-airstrike-2020-02-25" and first.published == date(2020, 2, 25)
    assert second.id == "records#2"
    assert second.text == (
        "Gunmen attacked a fuel convoy on the road between Deir ez-Zor and al-Mayadin on Wednesday.\n\n"
        "Two drivers were wounded, a local official said."
    )


def test_json_single_object_uses_the_stem(ingest_dir: Path) -> None:
    (article,) = list(read_path(ingest_dir / "single.json"))
    assert isinstance(article, Article)
    assert article.id == "single" and article.published == date(2013, 3, 21)


def test_json_malformed_and_json_lines_in_a_json_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x", "text": ')
    assert only_error(list(read_path(bad))).reason.startswith("malformed JSON")
    lines = tmp_path / "lines.json"
    lines.write_text('{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n')
    assert [a.id for a in articles(list(read_path(lines)))] == ["a", "b"]
    scalar = tmp_path / "scalar.json"
    scalar.write_text("42")
    assert "neither a record" in only_error(list(read_path(scalar))).reason


def test_csv_with_text_column(ingest_dir: Path) -> None:
    path = ingest_dir / "with_text.csv"
    items = list(read_path(path))
    first, second = articles(items)
    assert first.id == "hama-clash-2017-03-22" and first.published == date(2017, 3, 22)
    assert first.source == "Example Wire" and first.url == "https://example.org/hama"
    assert "\n\nGovernment aircraft carried out dozens of strikes" in first.text  # multi-line quoted field
    assert second.id == "with_text#2" and second.published == date(2017, 3, 23)
    (error,) = errors(items)
    assert error.origin == f"{path}:6" and error.reason == "record has no text"


def test_csv_without_text_column_is_one_error(ingest_dir: Path) -> None:
    error = only_error(list(read_path(ingest_dir / "without_text.csv")))
    assert error.reason == "no 'text' column (columns: id, title, published, url)"


def test_csv_error_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text('"id\nbody",title\nx,y\n')
    assert "\n" not in str(only_error(list(read_path(path))))


def test_csv_semicolon_delimited(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("id;text\nk1;Rockets hit Kirkuk airbase.\n")
    (article,) = list(read_path(path))
    assert isinstance(article, Article) and article.id == "k1"


# --------------------------------------------------------------------------- feeds


def test_rss_feed(ingest_dir: Path) -> None:
    path = ingest_dir / "feed.rss"
    items = list(read_path(path))
    first, second = articles(items)
    assert first.title == "Drone strike hits car near Idlib city"
    assert first.text == (
        "A drone strike hit a car on the outskirts of Idlib city on Sunday evening, killing two men.\n\n"
        "The monitor said the men belonged to a jihadist faction."
    )
    assert first.published == date(2021, 6, 14) and first.published_from == "feed"
    assert first.url == "https://example.org/news/idlib-drone-strike"
    assert first.source == "Levant Conflict Desk"
    assert first.id.startswith("entry-") and "/" not in first.id  # a URL id is hashed to a safe id
    assert second.id == "levant-2021-0615-daraa" and second.url is None
    (error,) = errors(items)
    assert error.origin == f"{path}:entry 3" and "no text" in error.reason


def test_rss_ids_are_stable_across_reads(ingest_dir: Path) -> None:
    ids = [[a.id for a in articles(list(read_path(ingest_dir / "feed.rss")))] for _ in range(2)]
    assert ids[0] == ids[1]


def test_atom_feed(ingest_dir: Path) -> None:
    first, second = articles(list(read_path(ingest_dir / "feed.atom")))
    assert first.title == "Roadside bomb wounds soldiers in Kirkuk province"
    assert first.published == date(2022, 9, 9)  # published, not updated
    assert first.text.startswith("A roadside bomb struck an army patrol south-west of Kirkuk")
    assert first.source == "Iraq Security Briefs"
    assert second.id == "briefs-baghdad-rocket" and second.url is None
    assert second.published == date(2022, 9, 10)


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text("<config><item>1</item></config>")
    assert only_error(list(read_path(path))).reason == "not an RSS/Atom feed"
    empty = tmp_path / "empty.rss"
    empty.write_text('<rss version="2.0"><channel><title>Quiet desk</title></channel></rss>')
    assert only_error(list(read_path(empty))).reason == "feed has no entries"


# --------------------------------------------------------------------------- bad input


def test_binary_file(ingest_dir: Path) -> None:
    assert only_error(list(read_path(ingest_dir / "binary.txt"))).reason == "binary file"


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(b % 32 for b in range(4000)).replace(b"\x00", b"\x01"))
    assert only_error(list(read_path(path))).reason == "binary file"


@pytest.mark.parametrize("name", ["empty.txt", "blank.jsonl"])
def test_empty_files(ingest_dir: Path, name: str) -> None:
    assert only_error(list(read_path(ingest_dir / name))).reason == "empty file"


def test_huge_file_is_capped_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as fh:
        fh.truncate(5_000_000_000)  # sparse: reading it all would take seconds and gigabytes
    error = only_error(list(read_path(path)))
    assert error.reason == "too large (5000000000 bytes > 20000000 byte cap)"
    small = tmp_path / "small.txt"
    small.write_text("A headline\n\n" + "word " * 1000)
    assert only_error(list(read_path(small, max_bytes=1000))).reason.startswith("too large (5012 bytes")


def test_unknown_extension_is_skipped_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")
    assert only_error(list(read_path(path))).reason == "skipped: unknown extension '.docx'"
    (item,) = list(iter_input_files([str(path)]))
    assert isinstance(item, ReadError) and item.reason.startswith("skipped:")


def test_unreadable_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "missing.txt"
    (item,) = list(iter_input_files([str(missing)]))
    assert item == ReadError(str(missing), "no such file or directory")
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    (item,) = list(iter_input_files([str(link)]))
    assert isinstance(item, ReadError) and "broken link" in item.reason
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert only_error(list(read_path(folder))).reason == "is a directory"

    locked = tmp_path / "locked.txt"
    locked.write_text("Title line\n\nBody.")
    real_open = pathlib.Path.open

    def refuse(self: Path, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", refuse)
    assert only_error(list(read_path(locked))) == ReadError(str(locked), "unreadable: Permission denied")


def test_a_parser_failure_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, data: bytes, text: str) -> list[Article]:
        raise RuntimeError("parser bug")

    monkeypatch.setitem(READERS, ".txt", broken)
    path = tmp_path / "any.txt"
    path.write_text("Title\n\nBody.")
    assert only_error(list(read_path(path))).reason == "could not be parsed (RuntimeError: parser bug)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Title\n\nBody.")
    path.chmod(0)
    assert only_error(list(read_path(path))).reason.startswith("unreadable")


def test_nothing_else_is_lost(ingest_dir: Path, tmp_path: Path) -> None:
    """A run over good and bad inputs reads every good article and names every bad one on one line."""
    items = list(read_inputs([str(ingest_dir), str(tmp_path / "absent")]))
    ids = {a.id for a in articles(items)}
    assert {"sdf-clash-2019-06-03", "hama-clash-2017-03-22", "page", "latin1", "single"} <= ids
    reasons = [str(e) for e in errors(items)]
    assert any(r.endswith("binary.txt: binary file") for r in reasons)
    assert any(r.endswith("absent: no such file or directory") for r in reasons)
    assert all("\n" not in r for r in reasons)


# --------------------------------------------------------------------------- finding files, stdin


def test_iter_input_files_recursive_sorted_deduplicated(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ["b/2.txt", "a/deep/1.jsonl", "a/0.csv", "z.rss", ".hidden/x.txt", "a/.secret.txt", "a/n.md"]:
        (tmp_path / rel).write_text("x")
    items = list(iter_input_files([str(tmp_path), str(tmp_path / "z.rss"), "-"]))
    paths = [i.relative_to(tmp_path).as_posix() for i in items if isinstance(i, Path) and i != STDIN]
    assert paths == [
        "z.rss",
        "a/0.csv",
        "a/deep/1.jsonl",
        "b/2.txt",
    ]  # files of a folder, then its subfolders
    notes = [e for e in items if isinstance(e, ReadError)]
    assert [Path(n.origin).name for n in notes] == ["n.md"]
    assert items[-1] == STDIN


def test_read_stdin_text_and_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Rockets fired at Erbil\n\nSeveral rockets were fired at Erbil airport late on Monday."
    for stream in (io.StringIO(text), io.BytesIO(text.encode())):
        (article,) = list(read_stdin(stream))
        assert isinstance(article, Article)
        assert article.id == "stdin" and article.title == "Rockets fired at Erbil"
    assert only_error(list(read_stdin(io.BytesIO(b"")))).reason == "empty file"
    capped = only_error(list(read_stdin(io.BytesIO(b"x" * 2000), max_bytes=1000)))
    assert capped.reason == "too large (over the 1000 byte cap)"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    (article,) = list(read_inputs(["-"]))
    assert isinstance(article, Article) and article.id == "stdin"


# --------------------------------------------------------------------------- metadata and dates


def test_load_and_apply_metadata(ingest_dir: Path) -> None:
    meta, errs = load_metadata(str(ingest_dir / "metadata.csv"))
    assert meta["sdf-clash-2019-06-03"] == {"published": date(2019, 6, 2), "source": "Example Monitor"}
    assert meta["idlib-airstrike-2020-02-25"] == {"title": "Corrected headline"}  # bad date dropped, row kept
    assert meta["records#2"] == {"published": date(2019, 10, 12), "url": "https://example.org/shelling"}
    (err,) = errs
    assert err.origin.endswith("metadata.csv:3") and "bad published date" in err.reason

    by_id = {a.id: a for a in articles(list(read_path(ingest_dir / "records.jsonl")))}
    sdf = apply_metadata(by_id["sdf-clash-2019-06-03"], meta, date(2000, 1, 1))
    assert sdf.published == date(2019, 6, 2) and sdf.published_from == "metadata"
    assert sdf.source == "Example Monitor" and sdf.title == "SDF and IS fighters clash near Baghouz"
    undated = apply_metadata(by_id["bad-date"], meta, date(2019, 7, 1))
    assert undated.published == date(2019, 7, 1) and undated.published_from == "default"
    nothing = apply_metadata(by_id["bad-date"], {}, None)
    assert nothing.published is None and nothing.published_from is None
    own = apply_metadata(by_id["records#2"], {}, date(2000, 1, 1))
    assert own.published == date(2019, 10, 12) and own.published_from == "record"


def test_metadata_problems(tmp_path: Path) -> None:
    meta, errs = load_metadata(str(tmp_path / "none.csv"))
    assert meta == {} and "No such file" in errs[0].reason
    no_id = tmp_path / "noid.csv"
    no_id.write_text("article,published\na,2020-01-01\n")
    assert load_metadata(str(no_id)) == ({}, [ReadError(str(no_id), "metadata has no 'id' column")])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-03-10", date(2017, 3, 10)),
        ("2017-03-10T23:30:00Z", date(2017, 3, 10)),
        ("2017-03-10 08:00:00+03:00", date(2017, 3, 10)),
        ("Fri, 10 Mar 2017 12:00:00 GMT", date(2017, 3, 10)),
        ("10 March 2017", date(2017, 3, 10)),
        ("March 10th, 2017", date(2017, 3, 10)),
        ("", None),
        (None, None),
    ],
)
def test_parse_published(value: str | None, expected: date | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["soon", "2017-13-45", "99999-01-01", "12", ["2017"]])
def test_parse_published_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_published(value)


# --------------------------------------------------------------------------- properties


def _check_items(items: list[Article | ReadError]) -> None:
    for item in items:
        assert isinstance(item, Article | ReadError)
        if isinstance(item, Article):
            assert item.text.strip() and item.id
        else:
            assert item.reason and "\n" not in item.reason


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000), ext=st.sampled_from(sorted(READERS)))
def test_readers_never_raise_on_arbitrary_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, ext: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{ext}"
    path.write_bytes(data)
    _check_items(list(read_path(path)))
    _check_items(list(read_stdin(io.BytesIO(data))))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
_records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=10), st.integers(), _json_values),
        "text": st.one_of(st.text(max_size=60), _json_values),
        "title": st.one_of(st.text(max_size=20), _json_values),
        "published": st.one_of(st.dates().map(str), st.text(max_size=15), _json_values),
    },
)
_lines = st.one_of(_records.map(json.dumps), _json_values.map(json.dumps), st.text(max_size=40))


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(_lines, max_size=12))
def test_jsonl_never_raises_and_accounts_for_every_line(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    path = tmp_path_factory.mktemp("jsonl") / "fuzz.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_path(path))
    _check_items(items)
    if len(items) == 1 and isinstance(items[0], ReadError) and items[0].origin == str(path):
        return  # the file as a whole was empty or not text
    located = {int(i.origin.rsplit(":", 1)[1]) for i in items if ":" in i.origin}
    filled = {n for n, line in enumerate(lines, start=1) if line.strip()}
    assert located == filled
