"""The speed-ups keep outputs: gated scans find exactly what the plain regex scans find."""

from __future__ import annotations

import random

from eventwire import dates, synthetic
from eventwire.events.lexicon import get_lexicon
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
