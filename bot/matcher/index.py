"""The question index: built once per rule book, queried with one sparse product per question.

Two signals, measured together on our labelled set (see README "Matcher quality"):
- character n-grams (2-4, within words) of the folded text: robust to typos, translit and Turkic
  suffixes;
- word stems and pairs of adjacent words weighted by TF-IDF, so rare, telling words ("повестка",
  "mariupol") outweigh filler and negations ("паспорт жок") count; a word we have never seen is
  first corrected to the closest known one with rapidfuzz.
A linear SVM (scikit-learn's LinearSVC, one-vs-rest) trained on the examples at load scores every
label; measured on our labelled set it ranks better than nearest neighbours (95.6% vs 93.1% top-1)
and trains in under a second. The similarity to the nearest examples is kept too: it tells the
language and whether the question resembles anything we know at all.
Labels are the topics, plus out-of-scope questions and kinds of small talk, so that "how do I renew
my patent" finds its own kind and is not forced onto the nearest risk topic.
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from bot.matcher.normalize import fold, fold_message, stem, words
from bot.matcher.stopwords import STOPWORDS

# Ways of addressing someone that often come with a greeting: "salam brat", "rahmat aka".
ADDRESS_WORDS = frozenset(fold("bro brat bratan aka ака брат братан dost do'st дўст dostum bot бот bota ботка uka ука "
                               "opa апа hamma hammaga ҳамма всем all friend friends друг дорогой jan жан").split())
OUT_OF_SCOPE = "_out_of_scope"
SMALL_TALK_PREFIX = "_small_talk:"
SVM_C = 1.0
# Re-measured in session 9 (2 Dec 2026), each alternative with thresholds tuned by
# bench/tune_thresholds.py's own procedure, right - 3 x wrong (top-1 / wrong / out of scope rejected)
# on the held-out examples (5 folds) and dev1 / dev2 / dev6 / dev3 (whole); shipped: 6971 (87.3 /
# 1.8 / 95.2), 846, 799, 375, 428. None is kept: each raises wrong answers or loses somewhere.
# char n-grams 2-5: 6988 (88.6 / 1.9 / 94.2), 847 (wrong 0.1 -> 0.3), 797, 370, 431; 3-5: 6966, 844,
# 799, 371, 424; STEM_LENGTH 7: 7003 (87.8 / 1.9 / 95.4), 842 (wrong 0.4), 800 (wrong 1.2), 374, 425;
# 5: 6967, 843, 795, 373, 429; BIGRAM_PREFIX 4: 7009 (88.1 / 1.9 / 95.3), 846 (wrong 0.3), 790, 372,
# 426; 6: 6930, 843, 802, 374, 428; SVM_C 0.7: 6926, 842, 792, 371, 433; the typo correction's
# cut-off (80) at 75: 6957, 844, 796, 374, 430; 85: 6974, 838, 807, 370, 433; 88: 6967, 848, 804,
# 375, 423 (dev3 out of scope 96.2 -> 94.2); 92: 6978, 846, 801, 375, 419 (93.3).
# Training weight of an out-of-scope example against a topic's: 1.5, measured out of sample on
# both development sets (bench/transfer.py's protocol and tune_thresholds.py --cv by language:
# out of scope rejected +0.6 to +1.6 points at equal or better top-1 and wrong answers; 2.0 no
# better, 0.6 worse). Near misses ("patent", "wages") then stay out of scope more firmly.
OUT_OF_SCOPE_WEIGHT = 1.5
BIGRAM_PREFIX = 5
WORD_WEIGHT = 0.5  # share of the word signal in the combined vector (char n-grams get the rest)
# How many times a stated fact counts among the word features: 1, by 5-fold cross-validation on
# the examples (held-out top-1 94.1% without facts, 95.0% with 1, 94.6% with 2, 94.4% with 3).
FACT_REPEAT = 1
NEAREST = 10  # the examples whose similarities vote for the reply language
SAMPLE_STEP = 8  # every 8th example's similarity bounds the tenth largest from below
# Counter's counting loop (C), into a plain dict: Counter(iterable) without its Python-level
# __init__, update and isinstance checks; the same counts in the same order of first appearance.
_count_into = getattr(collections, "_count_elements", None) or (lambda counts, items: collections.Counter.update(counts, items))
# The two parts' weights in a query vector (float32, as the vectors are)
_CHAR_SCALE = np.float32(np.sqrt(1 - WORD_WEIGHT))
_WORD_SCALE = np.float32(np.sqrt(WORD_WEIGHT))
# sublinear tf, 1 + log(count), in float32 for counts up to 4,095 (the same floats numpy's log gives
# an array of counts: one gather instead of two ufunc calls; a larger count takes np.log itself)
_TF = (1 + np.log(np.arange(1, 4096, dtype=np.float32))).astype(np.float32)
_TF = np.concatenate([np.zeros(1, dtype=np.float32), _TF])  # indexed by the count


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # topic id, OUT_OF_SCOPE, or SMALL_TALK_PREFIX + kind
    lang: str


class Scored(NamedTuple):  # immutable; a tuple, made ~15 times a question, costs less than a frozen dataclass
    label: str
    score: float


@dataclass(frozen=True)
class Hit:
    ranked: tuple[Scored, ...]  # every label by SVM decision value, best first
    lang_votes: dict[str, float]  # language -> similarity mass of the nearest examples
    nearest: float  # cosine similarity of the most similar example


def char_wb_ngrams(text: str, min_n: int = 2, max_n: int = 4) -> list[str]:
    """scikit-learn's `char_wb` analyzer (lowercase, n-grams within space-padded words), without
    importing scikit-learn: answering questions from a cached index then needs no sklearn at all
    (its import alone took ~0.9 s of every `ogoh ask`). tests/test_matcher.py checks they agree.
    A word shorter than n (padded) gives itself once, and no longer n-grams."""
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        size = len(padded)
        for n in range(min_n, max_n + 1):
            if size <= n:
                grams.append(padded)
                break
            grams += [padded[i:i + n] for i in range(size - n + 1)]
    return grams


@lru_cache(maxsize=1)
def _sparse_kernels() -> tuple[Any, Any] | None:
    """scipy's compiled CSR row gather and CSC mat-vec (what `matrix[cols].T @ vals` runs), or
    None when this scipy does not have them under these names (then the public expression)."""
    try:
        from scipy.sparse import _sparsetools

        return _sparsetools.csr_row_index, _sparsetools.csc_matvec
    except (ImportError, AttributeError):
        return None


class QuestionIndex:
    def __init__(self, examples: list[Example], facts: object | None = None):
        # Training only (imported here so that a cached index loads without scikit-learn).
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        if not examples:
            raise ValueError("no example questions to build the index from")
        self.examples = examples
        # The facts a question states (bot.matcher.facts), as language-independent features:
        # "dual citizenship" learnt from Tajik examples counts for a Russian question too.
        self.facts = facts
        folded = [fold(e.text) for e in examples]
        self.vocabulary = sorted({w for f in folded for w in words(f) if w not in STOPWORDS})
        self._vocab_set = frozenset(self.vocabulary)
        # Candidates for typo correction, by first letter and length: a typo rarely hits the first
        # letter, and a word within rapidfuzz's 80% cut-off is within two letters of its length.
        self._vocab_buckets: dict[tuple[str, int], list[str]] = {}
        for word in self.vocabulary:
            self._vocab_buckets.setdefault((word[0], len(word)), []).append(word)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32)
        self.stems = TfidfVectorizer(analyzer=self._train_terms, sublinear_tf=True, dtype=np.float32)
        char_matrix = self.chars.fit_transform([self._strip_stopwords(f) for f in folded])
        stem_matrix = self.stems.fit_transform([e.text for e in examples])
        self.matrix = self._combine(char_matrix, stem_matrix).T.tocsr()  # features x examples
        self.labels = sorted({e.label for e in examples})
        label_of = {label: i for i, label in enumerate(self.labels)}
        self.example_label = np.array([label_of[e.label] for e in examples])
        weights = {label_of[OUT_OF_SCOPE]: OUT_OF_SCOPE_WEIGHT} if OUT_OF_SCOPE in label_of else None
        # random_state: same index from the same examples, in cache and in a rebuild
        self.classifier = LinearSVC(C=SVM_C, random_state=0, class_weight=weights)
        self.classifier.fit(self.matrix.T.tocsr(), self.example_label)
        self.classes = [self.labels[c] for c in self.classifier.classes_]
        # Query-time scoring without sklearn's per-call validation (it cost ~1 ms a question):
        # the fitted vocabularies and weights, used directly.
        self._char_analyzer = char_wb_ngrams
        self._char_vocab = self.chars.vocabulary_
        self._stem_vocab = self.stems.vocabulary_
        self._char_idf = self.chars.idf_.astype(np.float32)
        self._stem_idf = self.stems.idf_.astype(np.float32)
        self._stem_offset = len(self._char_vocab)
        coef = self.classifier.coef_
        if coef.shape[0] == 1:  # two labels: sklearn keeps one signed row
            coef = np.vstack([-coef[0], coef[0]])
            self.classes = self.classes[:2]
        self._weights_by_feature = np.ascontiguousarray(coef.T, dtype=np.float32)  # features x labels
        self._intercept = np.asarray(self.classifier.intercept_ if coef.shape[0] == len(self.classifier.intercept_)
                                     else [-self.classifier.intercept_[0], self.classifier.intercept_[0]], dtype=np.float32)
        self.langs = sorted({e.lang for e in examples})
        lang_of = {lang: i for i, lang in enumerate(self.langs)}
        self.example_lang = np.array([lang_of[e.lang] for e in examples])
        self.init_query_caches()
        self.small_talk_words = frozenset(
            w for e, f in zip(examples, folded, strict=False) if e.label.startswith(SMALL_TALK_PREFIX) for w in f.split()
        ) | ADDRESS_WORDS

    def only_small_talk_words(self, text: str) -> bool:
        """True for "salam brat", "rahmat aka": every word is one people use in greetings,
        thanks or goodbyes. Such a message is small talk, whatever else it resembles."""
        ws = fold_message(text).split()
        return 0 < len(ws) <= 6 and all(w in self.small_talk_words for w in ws)

    @staticmethod
    def _strip_stopwords(folded: str) -> str:
        kept = [w for w in folded.split() if w not in STOPWORDS]
        return " ".join(kept) if kept else folded

    def _stems(self, folded: str) -> list[str]:
        all_words = words(folded)
        unigrams = [stem(w) for w in all_words if w not in STOPWORDS]
        # Pairs keep negation and word order: "pasport jok" (no passport) is not "pasport bor".
        prefixes = [w[:BIGRAM_PREFIX] for w in all_words]
        return unigrams + [f"{a}_{b}" for a, b in zip(prefixes, prefixes[1:], strict=False)]

    def _fact_terms(self, raw: str) -> list[str]:
        """The facts the text states (read from the raw text: punctuation marks questions and
        clauses), as terms; the extractor remembers recent texts, so `ask` reads them once."""
        facts = getattr(self, "facts", None)
        if facts is None:
            return []
        found = facts.extract(raw)
        terms = [f"#{k}={v}" for k, v in found.facts.items()]
        if found.about == "other":
            terms.append("#about=other")
        return terms * FACT_REPEAT

    def _train_terms(self, raw: str) -> list[str]:
        return self._stems(fold(raw)) + self._fact_terms(raw)

    @staticmethod
    def _combine(char_matrix: sparse.spmatrix, stem_matrix: sparse.spmatrix) -> sparse.csr_matrix:
        # Both parts are L2-normalized rows; weighting keeps the combined row at unit length.
        combined = sparse.hstack([char_matrix * np.sqrt(1 - WORD_WEIGHT), stem_matrix * np.sqrt(WORD_WEIGHT)])
        return combined.tocsr()

    def _correct_uncached(self, word: str) -> str:
        if word in self._vocab_set or len(word) < 4 or word.isdigit():
            return word
        candidates = [c for n in range(len(word) - 2, len(word) + 3) for c in self._vocab_buckets.get((word[0], n), ())]
        best = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=80) if candidates else None
        return best[0] if best else word

    def init_query_caches(self) -> None:
        """Per-word memos of the query path (bounded; keyed by one folded word, never by a text):
        a new index, or one read from the snapshot cache, starts with empty ones."""
        self._correct = lru_cache(maxsize=20000)(self._correct_uncached)
        self._word_features = lru_cache(maxsize=50000)(self._word_features_uncached)
        # a word pair's or a fact's column in the query vector, and every column's idf
        offset = self._stem_offset
        self._term_cols = {term: col + offset for term, col in self._stem_vocab.items()}
        self._idf = np.concatenate([self._char_idf, self._stem_idf])
        # The similarities in float32 (the query's weights already are): half the bytes gathered per
        # question (~47,000 stored values) and float32 kernels. Only the reply language's votes and
        # "like nothing we know" read them, never the SVM's decision; checked on the development sets
        # (README, Speed). Made here, from the float64 matrix, so a cached index needs no new format.
        m = self.matrix
        self._matrix32 = sparse.csr_matrix((m.data.astype(np.float32), m.indices, m.indptr), shape=m.shape)  # shares the indices

    def _word_features_uncached(self, word: str) -> tuple[tuple[int, ...], bool, int | None, str]:
        """What one folded word adds to a query, all but its neighbours: the columns of its char
        n-grams that the index knows, in order, repeats kept (char_wb n-grams never cross a word);
        whether it is a stop word; and, spelt as corrected, its stem's column in the query vector
        (after the char n-grams'; None: not counted, or unknown) and the prefix its word pairs use ("" when `words` drops the word)."""
        char_vocab = self._char_vocab
        grams = tuple(col for col in map(char_vocab.get, char_wb_ngrams(word)) if col is not None)
        corrected = self._correct(word)
        kept = len(corrected) > 1 or corrected.isdigit()  # bot.matcher.normalize.words
        stem_col = self._stem_vocab.get(stem(corrected)) if kept and corrected not in STOPWORDS else None
        if stem_col is not None:
            stem_col += self._stem_offset  # the query vector's column (char n-grams come first)
        return grams, word in STOPWORDS, stem_col, corrected[:BIGRAM_PREFIX] if kept else ""

    def vectorize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The query as (feature columns, weights): the same vector sklearn's transform gives.
        Features are counted in the order they first appear (that order is the order of the sums):
        char n-grams word by word (stop words left out unless there is nothing else), then word
        stems, word pairs and stated facts. Each word's part is memoised (`_word_features`);
        Counter's loop counts in C and keeps the order of first appearance."""
        features = getattr(self, "_word_features", None)
        if features is None:  # an index unpickled without bot.core.cache (its restore makes them)
            self.init_query_caches()
            features = self._word_features
        per_word = [features(w) for w in fold_message(text).split()]
        only_stopwords = all(f[1] for f in per_word)
        char_counts: dict[int, int] = {}
        _count_into(char_counts, chain.from_iterable(f[0] for f in per_word if only_stopwords or not f[1]))
        n_chars = len(char_counts)
        stem_cols = [f[2] for f in per_word if f[2] is not None]
        # Pairs keep negation and word order: "pasport jok" (no passport) is not "pasport bor".
        prefixes = [f[3] for f in per_word if f[3]]
        term_cols = self._term_cols
        for term in [f"{a}_{b}" for a, b in zip(prefixes, prefixes[1:], strict=False)] + self._fact_terms(text):
            col = term_cols.get(term)
            if col is not None:
                stem_cols.append(col)
        counts = char_counts  # then the word part's columns, after every char n-gram's
        _count_into(counts, stem_cols)
        size = len(counts)
        if not size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        # Both parts at once, each normalised on its own and scaled: the same floats as weighting
        # each part in its own arrays (elementwise; each part's norm from its own values).
        cols = np.fromiter(counts, dtype=np.int64, count=size)
        try:
            tf = _TF[np.fromiter(counts.values(), dtype=np.intp, count=size)]
        except IndexError:  # a count of 4,096 or more
            tf = 1 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=size))
        values = tf * self._idf[cols]
        for part, scale in ((values[:n_chars], _CHAR_SCALE), (values[n_chars:], _WORD_SCALE)):
            if part.size:
                # sqrt of the float32 dot product in double, rounded to float32 where it divides:
                # the float32 square root (a double's 53 bits round a float's sqrt correctly)
                norm = math.sqrt(float(part @ part))
                if norm:
                    np.divide(part, norm, out=part)
                np.multiply(part, scale, out=part)
        return cols, values

    def _similarities(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """Cosine similarity to every example, in float32: `matrix[cols].T @ vals`, by the same two
        scipy kernels that expression runs (so the same floats as that expression), without the ~20
        Python-level calls of checks and wrappers around them."""
        matrix = getattr(self, "_matrix32", None)
        if matrix is None:  # an index unpickled without bot.core.cache (its restore makes it)
            self.init_query_caches()
            matrix = self._matrix32
        kernels = _sparse_kernels()
        if kernels is None or matrix.indptr.dtype != matrix.indices.dtype:
            return np.asarray(matrix[cols].T @ vals).ravel()
        row_index, matvec = kernels
        indptr = matrix.indptr
        rows = cols.astype(indptr.dtype, copy=False)
        res_indptr = np.zeros(len(rows) + 1, dtype=indptr.dtype)
        (indptr[rows + 1] - indptr[rows]).cumsum(out=res_indptr[1:])  # the method: np.cumsum's wrapper costs more
        nnz = int(res_indptr[-1])
        res_indices = np.empty(nnz, dtype=indptr.dtype)
        res_data = np.empty(nnz, dtype=matrix.data.dtype)
        row_index(len(rows), rows, indptr, matrix.indices, matrix.data, res_indices, res_data)
        n_examples = matrix.shape[1]
        result = np.zeros(n_examples, dtype=np.result_type(matrix.data.dtype, vals.dtype))
        matvec(n_examples, len(rows), res_indptr, res_indices, res_data, vals, result)
        return result

    @staticmethod
    def _argpartition_ten(sims: np.ndarray) -> np.ndarray:
        """The ten most similar examples as argpartition lists them (over all similarities)."""
        n = sims.size
        return (-sims).argpartition(min(NEAREST, n - 1))[:NEAREST] if n > NEAREST else np.arange(n)

    @staticmethod
    def _ten_nearest(sims: np.ndarray) -> np.ndarray:
        """The ten most similar examples (by index): the ten `(-sims).argpartition(10)[:10]` picks,
        found among a few candidates instead of all ~4,900 examples. The tenth largest similarity of
        every 8th example is at most the tenth largest of all, so the ten are among the examples at
        or above it (~80 of them). When the tenth and the eleventh are equal (one text among
        several languages' examples, ~1 question in 9), which of them is in is argpartition's
        choice: then it is asked, over all of them, as before."""
        n = sims.size
        if n <= SAMPLE_STEP * NEAREST:
            return QuestionIndex._argpartition_ten(sims)
        sample = sims[::SAMPLE_STEP].copy()  # (partition sorts in place)
        sample.partition(sample.size - NEAREST)
        candidates = (sims >= sample[sample.size - NEAREST]).nonzero()[0]
        if candidates.size > NEAREST:
            values = sims[candidates]
            ranked = values.copy()
            ranked.sort()
            tenth = ranked[-NEAREST]
            if tenth == ranked[-NEAREST - 1]:
                return QuestionIndex._argpartition_ten(sims)
            candidates = candidates[values >= tenth]
        return candidates

    def search(self, text: str) -> Hit:
        cols, vals = self.vectorize(text)
        if cols.size:
            sims = self._similarities(cols, vals)
            decision = vals @ self._weights_by_feature[cols] + self._intercept
        else:
            sims = np.zeros(len(self.examples), dtype=np.float32)
            decision = self._intercept.copy()
        order = (-decision).argsort().tolist()  # np.argsort's own method, without its wrapper
        scores, classes = decision.tolist(), self.classes  # the same Python floats as float(decision[i])
        new = tuple.__new__  # what Scored(label, score) runs, without a Python frame per label
        ranked = tuple([new(Scored, (classes[i], scores[i])) for i in order])
        near_sims, votes = self._votes(sims, self._ten_nearest(sims))
        if len(votes) > 1 and list(votes.values()).count(max(votes.values())) > 1:
            # two languages' votes equal (one text among both's examples): the reply language is the
            # one voted first, in the order argpartition lists the ten: ask it, as before
            near_sims, votes = self._votes(sims, self._argpartition_ten(sims))
        # the most similar example is among the ten nearest: no second pass over all of them
        return Hit(ranked, votes, max(near_sims) if near_sims else 0.0)

    def _votes(self, sims: np.ndarray, nearest: np.ndarray) -> tuple[list[float], dict[str, float]]:
        near_sims = sims[nearest].tolist()
        votes: dict[str, float] = {}
        langs = self.langs
        for sim, lang_id in zip(near_sims, self.example_lang[nearest].tolist(), strict=True):
            if sim > 0:
                lang = langs[lang_id]
                votes[lang] = votes.get(lang, 0.0) + sim
        return near_sims, votes
