"""The question index: built once per rule book, queried with one sparse product per question.

Two signals, measured together on our labelled set (see README "Matcher quality"):
- character n-grams (2-4, within words) of the folded text: robust to typos, translit and Turkic
  suffixes;
- word stems and pairs of adjacent words weighted by TF-IDF, so rare, telling words ("повестка",
  "mariupol") outweigh filler and negations ("паспорт жок") count; a word we have never seen is
  first corrected to the closest known one with rapidfuzz.
A label's score is the mean of its five most similar examples (one lucky example is not enough).
Labels are the topics, plus out-of-scope questions and kinds of small talk, so that "how do I renew
my patent" finds its own kind and is not forced onto the nearest risk topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.matcher.normalize import fold, stem, words
from bot.matcher.stopwords import STOPWORDS

OUT_OF_SCOPE = "_out_of_scope"
SMALL_TALK_PREFIX = "_small_talk:"
TOP_K = 5
BIGRAM_PREFIX = 5
WORD_WEIGHT = 0.5  # share of the word signal in the combined vector (char n-grams get the rest)


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # topic id, OUT_OF_SCOPE, or SMALL_TALK_PREFIX + kind
    lang: str


@dataclass(frozen=True)
class Scored:
    label: str
    score: float


@dataclass(frozen=True)
class Hit:
    ranked: tuple[Scored, ...]  # every label, best first
    lang_votes: dict[str, float]  # language -> similarity mass of the nearest examples


class QuestionIndex:
    def __init__(self, examples: list[Example]):
        if not examples:
            raise ValueError("no example questions to build the index from")
        self.examples = examples
        folded = [fold(e.text) for e in examples]
        self.vocabulary = sorted({w for f in folded for w in words(f) if w not in STOPWORDS})
        self._vocab_set = frozenset(self.vocabulary)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32)
        self.stems = TfidfVectorizer(analyzer=self._stems, sublinear_tf=True, dtype=np.float32)
        char_matrix = self.chars.fit_transform([self._strip_stopwords(f) for f in folded])
        stem_matrix = self.stems.fit_transform(folded)
        self.matrix = self._combine(char_matrix, stem_matrix).T.tocsr()  # features x examples
        self.labels = sorted({e.label for e in examples})
        label_of = {label: i for i, label in enumerate(self.labels)}
        self.example_label = np.array([label_of[e.label] for e in examples])
        self.langs = sorted({e.lang for e in examples})
        lang_of = {lang: i for i, lang in enumerate(self.langs)}
        self.example_lang = np.array([lang_of[e.lang] for e in examples])
        self._correct = lru_cache(maxsize=20000)(self._correct_uncached)

    @staticmethod
    def _strip_stopwords(folded: str) -> str:
        kept = [w for w in folded.split() if w not in STOPWORDS]
        return " ".join(kept) if kept else folded

    def _stems(self, folded: str) -> list[str]:
        all_words = words(folded)
        unigrams = [stem(w) for w in all_words if w not in STOPWORDS]
        # Pairs keep negation and word order: "pasport jok" (no passport) is not "pasport bor".
        prefixes = [w[:BIGRAM_PREFIX] for w in all_words]
        return unigrams + [f"{a}_{b}" for a, b in zip(prefixes, prefixes[1:])]

    @staticmethod
    def _combine(char_matrix: sparse.spmatrix, stem_matrix: sparse.spmatrix) -> sparse.csr_matrix:
        # Both parts are L2-normalized rows; weighting keeps the combined row at unit length.
        combined = sparse.hstack([char_matrix * np.sqrt(1 - WORD_WEIGHT), stem_matrix * np.sqrt(WORD_WEIGHT)])
        return combined.tocsr()

    def _correct_uncached(self, word: str) -> str:
        if word in self._vocab_set or len(word) < 4 or word.isdigit():
            return word
        best = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=80)
        return best[0] if best else word

    def vectorize(self, text: str) -> sparse.csr_matrix:
        folded = fold(text)
        corrected = " ".join(self._correct(w) for w in folded.split())
        return self._combine(self.chars.transform([self._strip_stopwords(folded)]), self.stems.transform([corrected]))

    def search(self, text: str) -> Hit:
        sims = np.asarray((self.vectorize(text) @ self.matrix).todense()).ravel()
        scores = np.zeros(len(self.labels), dtype=np.float32)
        for i in range(len(self.labels)):
            label_sims = sims[self.example_label == i]
            k = min(TOP_K, label_sims.size)
            scores[i] = np.partition(label_sims, -k)[-k:].mean()
        order = np.argsort(-scores)
        ranked = tuple(Scored(self.labels[i], float(scores[i])) for i in order)
        nearest = np.argsort(-sims)[:10]
        votes: dict[str, float] = {}
        for i in nearest:
            if sims[i] > 0:
                lang = self.langs[self.example_lang[i]]
                votes[lang] = votes.get(lang, 0.0) + float(sims[i])
        return Hit(ranked, votes)
