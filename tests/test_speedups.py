"""The speed-ups keep outputs: gated scans find exactly what the plain regex scans find."""

from __future__ import annotations

import random
import re

from eventwire import dates, stories, synthetic
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
