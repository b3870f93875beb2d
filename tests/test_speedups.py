"""The speed-ups keep outputs: gated scans find exactly what the plain regex scans find."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

from eventwire import clean, dates, stories, synthetic
from eventwire.events.lexicon import get_lexicon
from eventwire.places import resolve
from eventwire.quantities import scan_regions


def _texts() -> list[str]:
    rng = random.Random(3)
    lex = dates._lexicon()
    vocab = [*lex.months, *lex.weekdays, *lex.parts, *sorted(dates._LEAD_WORDS)]
    vocab += ["2", "13", "21st", "2017", "2024-12-08", "-", "to", "and", "ago", "day", "week", "of", ","]
    vocab += [".", "airstrike", "shelled", "counter-attack"]
    vocab += ["ſhelling", "İdlib", "Ḩasakah", "air strikes", "AIRSTRIKES", "drone_x"]
    out = [r.text for r in synthetic.articles(40, seed=5)]
    for _ in range(400):
        words = [rng.choice(vocab) for _ in range(rng.randint(3, 25))]
        out.append(" ".join(w.capitalize() if rng.random() < 0.3 else w for w in words))
    return out


def test_trigger_and_mode_scans_match_the_plain_regex() -> None:
    lexicon = get_lexicon()
    for table in (lexicon.triggers, lexicon.modes):
        for text in _texts():
            for start, end in ((0, len(text)), (3, len(text) // 2)):
                plain = [
                    (m.start(), m.end(), m.group(), table.lookup(m.group()))
                    for m in table.regex.finditer(text, start, end)
                    if table.lookup(m.group()) is not None
                ]
                assert list(table.finditer(text, start, end)) == plain


def test_date_scan_matches_the_plain_regex() -> None:
    lex = dates._lexicon()
    for text in _texts():
        plain = [
            m.span()
            for s, e in scan_regions(text, lex.anchors, dates._REACH_BEFORE, dates._REACH_AFTER)
            for m in lex.pattern.finditer(text, s, e)
        ]
        assert [m.span() for m in dates._matches(text)] == plain


def test_number_phrase_scan_matches_the_plain_regex() -> None:
    from eventwire.quantities import _numbers, _phrase_matches

    phrase = _numbers().phrase
    rng = random.Random(7)
    vocab = ["at least", "between", "and", "dozens of", "twenty-one", "1,200", "$5", "F-15", "12km", "ſeven"]
    vocab += ["300", "2.5", "x7", "_9", "one hundred and fifty", "Several", "to", "-", ",", "3rd", "%", "ﬁve"]
    texts = _texts() + [" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 20))) for _ in range(400)]
    for text in texts:
        for start, end in ((0, len(text)), (1, len(text) - 2), (5, len(text) // 2)):
            plain = [m.span() for m in phrase.finditer(text, start, end)]
            assert [m.span() for m in _phrase_matches(text, start, end, phrase)] == plain


def test_synthetic_reports_are_deterministic_and_prefix_stable() -> None:
    small, large = synthetic.articles(5), synthetic.articles(20)
    assert small == large[:5]
    assert len({r.id for r in large}) == 20 and all(r.text.strip() for r in large)


def test_minhash_signature_equals_the_pure_python_formula() -> None:
    rng = random.Random(11)
    mask = (1 << 64) - 1
    for size in (1, 10, 257):
        values = {rng.getrandbits(64) for _ in range(size)} | {0, mask}
        expected = tuple(min(((a * x + b) & mask) >> 32 for x in values) for a, b in stories._HASHES)
        assert stories.signature(values) == expected


class _CountingStore:
    """Two stored articles; counts how often their bodies are read."""

    def __init__(self, bodies: dict[str, str]) -> None:
        self.bodies = bodies
        self.read: list[str] = []

    def articles_sharing_bands(self, bands) -> list[str]:
        return sorted(self.bodies)

    def article_bodies(self, article_ids) -> dict[str, str]:
        self.read.extend(article_ids)
        return {a: self.bodies[a] for a in article_ids}


def test_story_index_reads_each_stored_body_once_and_answers_the_same() -> None:
    text = synthetic.articles(1, seed=7)[0].text
    other = synthetic.articles(2, seed=8)[1].text
    store = _CountingStore({"original": text, "other": other})
    cached = stories.StoryIndex(store)
    probe = stories.fingerprint(text + " An editor's note.")
    answers = [cached.find_copy(probe) for _ in range(3)]
    assert answers == ["original"] * 3
    assert sorted(store.read) == ["original", "other"]  # read once, then from the cache
    stories.StoryIndex.STORED_CACHE = 1
    try:
        small = stories.StoryIndex(store)
        assert [small.find_copy(probe) for _ in range(2)] == ["original"] * 2  # evicted, read again
    finally:
        stories.StoryIndex.STORED_CACHE = 1024


def _relation_ungated(text: str, start: int, end: int) -> tuple[str | None, int]:
    """resolve._relation with every relation pattern tried, as before the word gates."""
    before = resolve._before(text, start)
    for pattern, label, precision in resolve._RELATIONS:
        mm = pattern.search(before)
        if mm:
            rel = label or re.sub(r"\s+", " ", mm.group(1).lower())
            return resolve._NORMALISE_RELATION.get(rel, rel), precision
    return _tail(text, before, end)


def _tail(text: str, before: str, end: int) -> tuple[str | None, int]:
    if resolve._COUNTRYSIDE_AFTER.match(text[end : end + 20]):
        return "countryside", 2
    part = resolve._PART_BEFORE.search(before[-20:])
    return (part.group(1).lower(), 1) if part else (None, 1)


def test_relation_word_gates_change_no_relation() -> None:
    phrases = [
        "30 km north of", "12 miles (19 km) south-east of", "on the outskirts of", "the edges of",
        "in the vicinity of", "the countryside of", "near", "close to", "next to", "on the road to",
        "between", "in the town of", "at", "towards", "from the village of", "the district of", "eastern",
        "NEAR", "In The City Of", "ſouth of", "north oF the city of", "around the", "by",
    ]  # fmt: skip
    texts = [f"Clashes broke out {p} Raqqa on Monday." for p in phrases]
    texts += [r.text for r in synthetic.articles(30, seed=9)]
    checked = 0
    for text in texts:
        for m in re.finditer(r"\b[A-Z][a-z]+", text):
            assert resolve._relation(text, m.start(), m.end()) == _relation_ungated(text, m.start(), m.end())
            checked += 1
    assert checked > 1000


def test_two_workers_store_the_same_events_as_one(tmp_path) -> None:
    from eventwire.run import RunOptions, extract

    reports = synthetic.articles(30, seed=4)
    corpus = tmp_path / "reports.jsonl"
    synthetic.write_jsonl([*reports, reports[3]], corpus)  # the repeat is found by its content hash
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}.jsonl"
        summary = extract(
            RunOptions([str(corpus)], db=str(tmp_path / f"w{workers}.db"), out=str(out), workers=workers),
            report=lambda line: None,
        )
        assert summary.exit_status == 0 and summary.articles_known == 1
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] and outputs[0].count("\n") > 30


# --------------------------------------------------------------------------- second speed round


def test_the_date_scan_cache_answers_for_the_text_asked_about() -> None:
    texts = _texts()[:60]
    fresh = [[m.span() for m in dates._scan(t)] for t in texts]
    # alternating texts, a repeat of the same object, and an equal string that is another object
    for text, expected in [
        *zip(texts, fresh, strict=True),
        *zip(reversed(texts), reversed(fresh), strict=True),
    ]:
        assert [m.span() for m in dates._matches(text)] == expected
        assert [m.span() for m in dates._matches(text)] == expected
        assert [m.span() for m in dates._matches("".join(list(text)))] == expected


def test_the_date_scan_cache_is_safe_across_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [t for t in _texts() if list(dates._scan(t))][:40]
    assert len(texts) >= 20
    expected = {t: [m.span() for m in dates._scan(t)] for t in texts}

    def check(i: int) -> bool:
        text = texts[i % len(texts)]
        return [m.span() for m in dates._matches(text)] == expected[text]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(check, range(4000)))


def test_document_date_and_mentions_agree_with_an_uncached_scan(monkeypatch) -> None:
    from eventwire.clean import clean
    from eventwire.model import Article
    from eventwire.nlp import segment

    reports = [Article(id=r.id, text=r.text, title=r.title) for r in synthetic.articles(25, seed=12)]
    cached = []
    for report in reports:
        doc = segment(clean(report))
        when = dates.document_date(doc)[0]
        cached.append((when, [(d.start, d.date_start, d.date_end) for d in dates.find_dates(doc, when)]))
    monkeypatch.setattr(dates, "_matches", lambda text: list(dates._scan(text)))
    for report, before in zip(reports, cached, strict=True):
        doc = segment(clean(report))
        when = dates.document_date(doc)[0]
        assert (when, [(d.start, d.date_start, d.date_end) for d in dates.find_dates(doc, when)]) == before


def test_demonym_first_word_gate_finds_the_same_countries() -> None:
    from eventwire.places import get_gazetteer
    from eventwire.places.matcher import tokenize

    g = get_gazetteer()
    texts = [
        "South Sudanese, Sudanese and Papua New Guinean troops met Bissau-Guinean and Guinean officials.",
        "Syrian, Iraqi and Kurdish forces; the Turkish army; US and British jets; a Saudi-led coalition.",
        "SYRIAN TROOPS. Iranian-backed militias. Lebanese Hezbollah. New Zealand and Emirati officers.",
        *(r.text for r in synthetic.articles(40, seed=13)),
    ]
    found = 0
    for text in texts:
        tokens = tokenize(text)
        gated = resolve._demonym_countries(g, tokens)
        assert gated == resolve._demonym_countries(g, tokens, gated=False)  # every capitalised word tried
        found += len(gated)
    assert found > 50  # the comparison is not of empty lists


def _find_raw_stream_as_before(tokens) -> tuple[str, dict[int, int]]:
    """The token stream and its end offsets built token by token, as before the one-join rewrite."""
    parts, ends, pos = [" "], {}, 1
    for i, tok in enumerate(tokens):
        parts.append(tok.norm)
        pos += len(tok.norm)
        ends[pos] = i
        parts.append(" ")
        pos += 1
    return "".join(parts), ends


def test_place_matches_equal_the_token_by_token_stream() -> None:
    from eventwire.places import get_gazetteer
    from eventwire.places.matcher import find_raw, tokenize

    g = get_gazetteer()
    texts = [
        "",
        "Raqqa",
        "Deir ez-Zor, Dayr az Zawr and Deir Ezzor.",
        *(r.text for r in synthetic.articles(30)),
    ]
    matched = 0
    for text in texts:
        tokens, raws = find_raw(g, text)
        stream, ends = _find_raw_stream_as_before(tokenize(text))
        expected = sorted(ends[end] for end, _ in g.automaton.iter(stream) if end in ends)
        # every raw match ends where a stream match ends, on a token end of the old stream
        assert {r.last for r in raws} <= set(expected)
        assert stream == " " + " ".join(t.norm for t in tokens) + " " or not tokens
        matched += len(raws)
    assert matched > 100


def test_chemical_agents_retype_only_a_strike_of_their_own_sentence() -> None:
    from eventwire.model import Article
    from eventwire.pipeline import analyse

    def types(text: str) -> list[str]:
        result = analyse(Article(id="t", text=text, published=date(2017, 4, 10)))
        return sorted({e.sub_event_type for e in result.events})

    assert types(
        "Chlorine attack in Idlib\n\nSyrian government helicopters dropped barrel bombs filled with chlorine "
        "on the town of Saraqeb in Idlib province on Sunday, injuring eleven people, rescuers said."
    ) == ["Chemical weapon"]
    # a chemical word in another sentence retypes nothing: the clash stays a clash
    result = analyse(
        Article(
            id="t",
            text="Inspectors visit Idlib\n\nUN inspectors collected chlorine samples in Saraqeb on Sunday. "
            "Rebel fighters clashed with Syrian army troops near Saraqeb in Idlib province on Sunday.",
            published=date(2017, 4, 10),
        )
    )
    (clash,) = [e for e in result.events if any("clashed" in ev.text for ev in e.evidence)]
    assert clash.sub_event_type == "Armed clash"
    # "after a chemical attack": the strike is a response to an earlier event, not a chemical one
    strike = types(
        "US strikes Syrian air base\n\nUS warships fired cruise missiles at Shayrat air base in Homs "
        "province on Friday after a chemical attack, the Pentagon said."
    )
    assert "Shelling/artillery/missile attack" in strike


def test_the_fingerprint_is_timed_as_a_stage_of_its_own() -> None:
    from eventwire.model import Article
    from eventwire.pipeline import STAGES, analyse

    ticks = iter(range(10_000))
    timings: dict[str, float] = {}
    analyse(
        Article(id="t", text=synthetic.articles(1, seed=2)[0].text, published=date(2024, 1, 5)),
        timings,
        clock=lambda: float(next(ticks)),
    )
    assert "fingerprint" in STAGES and set(timings) == set(STAGES)
    assert all(seconds > 0 for seconds in timings.values())


def _mixed_corpus(tmp_path):
    """40 synthetic reports, a syndicated copy right after its original (one task of the window), a
    malformed line and an exact repeat: what the worker window must handle as one process does."""
    import json

    fixtures = Path(__file__).resolve().parent / "fixtures" / "dedup"
    reports = synthetic.articles(40, seed=21)
    corpus = tmp_path / "mixed.jsonl"
    synthetic.write_jsonl(reports, corpus)
    lines = corpus.read_text(encoding="utf-8").splitlines()

    def record(name: str) -> str:
        title, _, body = (fixtures / f"{name}.txt").read_text(encoding="utf-8").partition("\n")
        return json.dumps({"id": name, "title": title, "text": body, "published": "2025-03-05"})

    extra = [
        record("ambush_wire"),
        record("ambush_wire_copy"),
        "{not json",
        lines[5],
    ]
    corpus.write_text("\n".join([*lines[:9], *extra, *lines[9:]]) + "\n", encoding="utf-8")
    return corpus


def test_the_worker_window_gives_what_one_process_gives(tmp_path) -> None:
    from eventwire.run import RunOptions, extract

    corpus = _mixed_corpus(tmp_path)
    runs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}.jsonl"
        lines: list[str] = []
        summary = extract(
            RunOptions([str(corpus)], db=str(tmp_path / f"w{workers}.db"), out=str(out), workers=workers),
            report=lines.append,
        )
        runs.append((summary, out.read_text(encoding="utf-8"), lines))
    (one, out1, lines1), (two, out2, lines2) = runs
    assert out1 == out2 and out1.count("\n") > 40
    for summary in (one, two):
        assert summary.articles_copies == 1  # the copy, in the same task as its original, counts once
        assert summary.articles_known == 1  # the exact repeat
        assert len(summary.errors) == 1  # the malformed line
    assert [line for line in lines1 if "error" in line] == [line for line in lines2 if "error" in line]
    assert '"ambush_wire_copy"' not in out2  # its speculative extraction was dropped


def test_a_failed_extraction_in_a_worker_is_reported_and_forgotten(tmp_path, monkeypatch) -> None:
    """An article whose extraction fails in a worker is one error; the story index forgets it, so a
    later copy of it is extracted as an article of its own rather than dropped as a copy of nothing."""
    import json

    import eventwire.run as run_module
    from eventwire.run import RunOptions, extract

    real = run_module.extract_prepared

    def flaky(prepared, *args, **kwargs):
        if prepared.document.article.id == "boom":
            raise RuntimeError("simulated failure")
        return real(prepared, *args, **kwargs)

    monkeypatch.setattr(run_module, "extract_prepared", flaky)  # forked workers inherit it
    text = synthetic.articles(1, seed=30)[0].text
    corpus = tmp_path / "boom.jsonl"
    records = [{"id": r.id, "text": r.text} for r in synthetic.articles(12, seed=31)]
    records.insert(3, {"id": "boom", "text": text, "published": "2024-02-01"})
    records.append({"id": "boom-again", "text": text + " Updated.", "published": "2024-02-01"})
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    lines: list[str] = []
    summary = extract(
        RunOptions([str(corpus)], db=str(tmp_path / "b.db"), out=str(tmp_path / "b.jsonl"), workers=2),
        report=lines.append,
    )
    assert [e for e in summary.errors if "boom" in str(e)] and len(summary.errors) == 1
    assert sum("boom" in line and "simulated failure" in line for line in lines) == 1
    assert summary.articles_copies == 0  # "boom-again" is not a copy of the failed article
    assert '"boom-again"' in (tmp_path / "b.jsonl").read_text(encoding="utf-8")


def test_caseless_pre_check_answers_as_the_pattern() -> None:
    from eventwire.caseless import Caseless, twin
    from eventwire.events.modality import _cues
    from eventwire.places.resolve import _RELATIONS
    from eventwire.quantities import _nouns

    real = [p for _, p, _ in _cues()] + [p for p, _, _ in _RELATIONS]
    real += [dates._lexicon().pattern, _nouns().aggregate]
    assert all(twin(p) is not None for p in real)  # the hot patterns do get their quick twin
    real += [
        q.pattern
        for group in clean._rules().line_groups + clean._rules().caption_groups
        for q in group.patterns
    ]
    made = [
        re.compile(p, re.IGNORECASE)
        for p in (
            r"(?<![\w-])(?:did not|never|(?-i:may))(?![\w])",
            r"\bfoo\s+ba[rz]\b",
            r"[a-c]+\d",
            r"(ab)\1",
        )
    ]
    unsafe = [
        re.compile(p, re.IGNORECASE) for p in (r"[@-\[]x", r"\x41", "\u212a", r"(?-i:May)", "ſ", "[^A-Z]")
    ]
    assert all(twin(p) is None for p in unsafe)
    rng = random.Random(5)
    vocab = [
        "did",
        "not",
        "Never",
        "MAY",
        "may",
        "foo",
        "BAR",
        "baz",
        "abAB",
        "c7",
        "K",
        "\u212a",
        "ſ",
        "-",
        "\n",
    ]
    vocab += ["north", "of", "the", "town", "Near", "12", "km", "in", "outskirts", "İ", "would", "drill"]
    texts = _texts() + [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12))) for _ in range(600)]
    for pattern in real + made + unsafe:
        quick = Caseless(pattern)
        for text in texts:
            for pos, endpos in ((0, len(text)), (2, len(text) - 1)):
                expected = pattern.search(text, pos, endpos)
                got = quick.search(text, pos, endpos)
                assert (got and got.span()) == (expected and expected.span()), (pattern.pattern, text)
                if text.isascii() and quick._twin is not None:  # what the date scan relies on
                    lowered = text.lower()
                    for at in range(pos, min(endpos, len(text))):
                        if pattern.match(text, at, endpos) is not None:
                            assert quick._twin.match(lowered, at, endpos) is not None
                spans = [m.span() for m in pattern.finditer(text, pos, endpos)]
                assert [m.span() for m in quick.finditer(text, pos, endpos)] == spans
                expected = pattern.fullmatch(text, pos, endpos)
                got = quick.fullmatch(text, pos, endpos)
                assert (got and got.span()) == (expected and expected.span()), (pattern.pattern, text)


def test_counts_sought_only_in_candidate_sentences_give_the_same_events() -> None:
    """The pipeline looks for counts only where the event stage can make a candidate (a sentence with a
    trigger, or the lead); events come out exactly as with the counts of every sentence."""
    from eventwire import actors, events, places, quantities
    from eventwire.model import Article, Mentions
    from eventwire.pipeline import analyse, prepare

    report = Article(
        id="gate",
        title="Air strikes kill 12 in Idlib",
        text=(
            "Air strikes killed 12 people in the town of Maarat al-Numan in Idlib province on Monday, a "
            "monitor said. The town had about 60,000 residents before the war. Rescuers said 30 people "
            "were wounded. The market reopened two days later with 15 stalls.\n\nIn a separate incident, "
            "gunmen shot dead three farmers near Hama on Tuesday."
        ),
        published=date(2019, 5, 14),
    )
    doc = prepare(report).document
    triggers = events.find_triggers(doc)
    chosen = events.candidate_sentences(doc, triggers)
    assert 0 < len(chosen) < len(doc.sentences)
    assert [s.index for s in chosen] == [0, 1, 2, 3, 5]  # the headline, the lead, the Hama sentence
    everywhere = Mentions(
        places=places.find_places(doc),
        dates=dates.find_dates(doc, doc.doc_date),
        quantities=quantities.find_quantities(doc),
        actors=actors.find_actors(doc, doc.doc_date),
        triggers=triggers,
    )
    full = events.extract_events(doc, everywhere)
    gated = analyse(report)
    assert [repr(e) for e in gated.events] == [repr(e) for e in full]
    assert any(e.fatalities == 12 for e in full) and any(e.fatalities == 3 for e in full)
    # every count of a candidate sentence is found; none outside them is sought
    spans = [(s.start, s.end) for s in chosen]
    inside = [q for q in everywhere.quantities if any(a <= q.start < b for a, b in spans)]
    assert [(q.start, q.best) for q in gated.mentions.quantities] == [(q.start, q.best) for q in inside]
    assert not quantities.find_quantities(doc, [])
