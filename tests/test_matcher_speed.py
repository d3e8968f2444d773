"""The matcher's shortcuts answer as the long way did: the ten nearest examples found among a few
candidates are the ten argpartition finds over all similarities (ties at the tenth place asked of
argpartition itself), and the reply language's votes come out the same, in the same order (a tie
between two languages goes to the one voted first)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"


def texts() -> list[str]:
    return [json.loads(line)["text"] for folder in ("questions", "dev/questions") for p in sorted((DATA / folder).glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_ten_nearest_are_the_ten_argpartition_finds(ogoh):
    index = ogoh.snapshot.index
    ties = 0
    for text in texts()[:600]:
        cols, vals = index.vectorize(text)
        if not cols.size:
            continue
        sims = index._similarities(cols, vals)
        slow = (-sims).argpartition(10)[:10]
        assert set(index._ten_nearest(sims).tolist()) == set(slow.tolist()), text
        top = np.sort(sims)[-11:]
        ties += top[0] == top[1]
    assert ties  # some questions tie at the tenth place (the same text in several languages' examples)


def test_a_tie_at_the_tenth_place_is_argpartitions_choice():
    from bot.matcher.index import QuestionIndex

    rng = np.random.default_rng(1)
    sims = rng.random(4000).astype(np.float32) * 0.3
    sims[[5, 900, 1800, 2700]] = 0.9  # nine clear ones, then three equal ones for the tenth place
    sims[[17, 18, 19, 20, 21]] = 0.8
    sims[[3000, 3001, 3002]] = 0.5
    assert np.array_equal(QuestionIndex._ten_nearest(sims), (-sims).argpartition(10)[:10])
    sims[3001] = sims[3002] = 0.45  # no tie any more: the ten, in the order of their index
    assert QuestionIndex._ten_nearest(sims).tolist() == [5, 17, 18, 19, 20, 21, 900, 1800, 2700, 3000]


def test_votes_are_the_long_ways_in_the_same_order(ogoh):
    index = ogoh.snapshot.index
    for text in texts()[:600] + [e.text for e in index.examples[::7]]:
        hit = index.search(text)
        cols, vals = index.vectorize(text)
        sims = index._similarities(cols, vals) if cols.size else np.zeros(len(index.examples), dtype=np.float32)
        near_sims, votes = index._votes(sims, index._argpartition_ten(sims))
        assert hit.nearest == max(near_sims, default=0.0), text
        assert hit.lang_votes.keys() == votes.keys(), text
        assert all(abs(hit.lang_votes[k] - votes[k]) < 1e-6 for k in votes), text
        if votes:  # the reply language's vote, a tie going to the one voted first
            assert max(hit.lang_votes, key=hit.lang_votes.__getitem__) == max(votes, key=votes.__getitem__), text
