"""`fold` is memoised word by word: the fold of a text must be what folding it whole gives."""

from __future__ import annotations

import random

from bot.matcher.normalize import _fold_whole, _fold_word, fold

TRICKY = [
    "мне пришла повестка, что делать?",
    "Menga povestka keldi nma qilay",
    "oʻzbek o'zbek o‘zbek ozbek ўзбек",
    "ШЩ shch zh kh ts ia iu yo x q w c iw uw xw",
    "баррррат  aaa   a a",  # repeats collapse within a word only
    "z'h z h o' o",  # an apostrophe dropped inside a word, never across a space
    "— - … ??? ,,, «»",  # words that fold to nothing
    "a-b c.d e/f",  # punctuation inside a word splits it
    "caf\u00e9 cafe\u0301 \u0301a e\u0301",  # composed and combining accents, a mark after a space
    "ҷ ӣ ӯ ҳ қ ғ ң ө ү ұ і ә һ",
    "ПАСПОРТ\u00a0РФ\u2003нет\u3000да\x1cок\x85ну",  # no-break and other spaces
    "ﬁne Ⅳ ½ ① Ａ ß İ ΑΣ Β",  # compatibility forms, case changes that lengthen a word
    "ascii and ünïcödé words in one text",
    "",
]


def test_a_text_folds_as_its_words_do():
    for text in TRICKY:
        assert fold(text) == _fold_whole(text), text


def test_random_texts_fold_as_their_words_do():
    rng = random.Random(7)
    letters = [chr(c) for c in [*range(32, 127), *range(0xA0, 0x180), *range(0x300, 0x310), *range(0x400, 0x4FF), 0x2BB, 0x2019, 0xFB01]]
    spaces = [" ", "\t", "\n", "\xa0", "\u2003", "\x85"]
    for _ in range(3000):
        text = "".join(rng.choice(letters) if rng.random() > 0.2 else rng.choice(spaces) for _ in range(rng.randint(0, 30)))
        assert fold(text) == _fold_whole(text), repr(text)


def test_the_word_memo_is_bounded_and_keyed_by_words_never_by_a_text():
    _fold_word.cache_clear()
    fold("слово другое, слово")
    assert _fold_word.cache_info().currsize == 2  # "слово", "другое,": the words, not the text
    assert _fold_word.cache_info().hits == 1
    assert _fold_word.cache_info().maxsize == 50_000


def test_uzbek_chat_w_for_sh_meets_sh_and_english_w_stays():
    # Uzbek chat Latin writes "w" for "sh" after i, u, x: it must meet the standard spelling
    for chat, standard in [("iwlayman", "ishlayman"), ("yaxwi", "yaxshi"), ("qiliw", "qilish"), ("uruwga", "urushga"), ("ketiwlari", "ketishlari")]:
        assert fold(chat) == fold(standard)
    # English "w" (word start, after a, e, o) is untouched: "we" is not "she", "law" is not "lash"
    assert fold("we") != fold("she")
    assert fold("law new how war") == "lav nev hov var"
