"""Free-text questions: quality on our labelled set (never copied from the rule files' examples),
normalization across scripts, small talk, language detection and the stdin batch mode."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot.matcher.normalize import fold

QUESTIONS = Path(__file__).parent / "data" / "questions"


def labelled():
    rows = []
    for path in sorted(QUESTIONS.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


@pytest.fixture(scope="module")
def results(ogoh):
    out = []
    for row in labelled():
        answer = ogoh.ask(row["text"])
        out.append((row, answer))
    return out


def test_labelled_set_is_large_and_covers_every_language():
    rows = labelled()
    per_lang = defaultdict(int)
    for r in rows:
        per_lang[r["lang"]] += 1
    assert len(rows) >= 600
    assert all(per_lang[lang] >= 80 for lang in ("ru", "uz", "tg", "ky", "kk", "en")), per_lang
    assert sum(1 for r in rows if not r["expect"]) >= 100
    uz_cyrillic = [r for r in rows if r["lang"] == "uz" and any("а" <= ch <= "я" or ch in "ўқғҳ" for ch in r["text"].lower())]
    ru_translit = [r for r in rows if r["lang"] == "ru" and r["text"].isascii()]
    assert len(uz_cyrillic) >= 30 and len(ru_translit) >= 30


def test_no_labelled_question_is_copied_from_the_rule_examples(book):
    examples = {fold(q) for ex in book.examples.values() for qs in list(ex.topics.values()) + list(ex.keywords.values()) + list(ex.small_talk.values()) + [ex.out_of_scope] for q in qs}
    copied = [r["text"] for r in labelled() if fold(r["text"]) in examples]
    assert copied == []


def test_in_scope_top1_accuracy_at_least_87_percent(results):
    # 88.1% measured with thresholds tuned only on the examples (bench/tune_thresholds.py); the
    # hand-set thresholds shipped before gave 92.9% here but were fitted to nothing we can defend
    scored = [(row, ans) for row, ans in results if row["expect"]]
    correct = sum(1 for row, ans in scored if ans.matches and ans.matches[0].topic_id in row["expect"])
    assert correct / len(scored) >= 0.87, f"{correct}/{len(scored)}"


def test_out_of_scope_rejection_at_least_90_percent(results):
    scored = [(row, ans) for row, ans in results if not row["expect"]]
    rejected = sum(1 for _, ans in scored if not ans.matches)
    assert rejected / len(scored) >= 0.90, f"{rejected}/{len(scored)}"


def test_each_language_at_least_85_percent(results):
    per_lang = defaultdict(lambda: [0, 0])
    for row, ans in results:
        top = ans.matches[0].topic_id if ans.matches else None
        ok = top in row["expect"] if row["expect"] else top is None
        per_lang[row["lang"]][0] += ok
        per_lang[row["lang"]][1] += 1
    low = {lang: f"{ok}/{n}" for lang, (ok, n) in per_lang.items() if ok / n < 0.85}
    assert not low


def test_small_talk_is_recognised_and_never_a_risk_topic(results):
    rows = [(row, ans) for row, ans in results if row.get("small_talk")]
    assert rows
    assert all(not ans.matches for _, ans in rows)
    recognised = sum(1 for row, ans in rows if ans.small_talk and ans.small_talk.kind == row["small_talk"])
    assert recognised / len(rows) >= 0.7


@pytest.mark.parametrize("a, b", [
    ("oʻzbekiston", "o'zbekiston"), ("o‘zbekiston", "ozbekiston"), ("ўзбекистон", "ozbekiston"),
    ("повестка", "povestka"), ("ҳарбий", "harbiy"), ("харбий", "xarbiy"), ("қонун", "qonun"),
    ("жарандыгы", "jarandygy".replace("y", "i")), ("ёш", "еш"), ("Мобилизацияға", "мобилизацияга"),
])
def test_normalization_makes_spellings_meet(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("text", ["how do i renew my patent", "погода в москве завтра", "курс доллара к сому", "pul o'tkazish qancha turadi"])
def test_unrelated_questions_get_no_match(ogoh, text):
    out = ogoh.ask(text)
    assert out.matches == [] and out.small_talk is None
    assert out.message and out.topics  # points to the topics list and to help


def test_answer_carries_citations_version_and_dates(ogoh):
    out = ogoh.ask("мне как иностранцу пришла повестка, это законно?")
    match = out.matches[0]
    assert match.topic_id == "foreigner-conscription"
    assert match.citations and all(c.url or c.url_note for c in match.citations)
    assert out.rules_version == ogoh.book.version and out.as_of == {"foreigner-conscription": match.as_of}


@pytest.mark.parametrize("text, lang", [
    ("барои ҷанг дар хориҷа чӣ ҷазо ҳаст", "tg"),
    ("Ресей паспортын алған соң әскери есепке тұру керек пе", "kk"),
    ("эки жарандыгы бар адамды Россияда ким деп эсептейт", "ky"),
    ("ikki davlat fuqaroligi bor odamni rossiyada kim deb biladi", "uz"),
    ("рус паспорти олган ўзбекларни армияга оладими", "uz-Cyrl"),
    ("what penalty does kazakhstan give for fighting", "en"),
    ("мне пришла повестка что делать", "ru"),
])
def test_reply_language_is_detected_offline(ogoh, text, lang):
    assert ogoh.ask(text).reply_lang == lang


def test_callers_language_wins_over_detection(ogoh):
    assert ogoh.ask("мне пришла повестка", "kk").reply_lang == "kk"


def test_cli_ask_reads_stdin_and_prints_one_json_line_per_question_in_order(monkeypatch, capsys):
    from bot.cli import main

    questions = ["мне пришла повестка", "rahmat katta", "как получить снилс", "ikki fuqarolik bor"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(questions) + "\n"))
    assert main(["ask", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    parsed = [json.loads(line) for line in lines]
    assert parsed[1]["small_talk"]["kind"] == "thanks" and parsed[2]["matches"] == []
    assert all(set(p) >= {"reply_lang", "matches", "suggestions", "small_talk", "rules_version"} for p in parsed)


def test_no_example_is_a_near_copy_of_any_evaluation_question(book):
    """rules/examples must not contain (near-)copies of questions we measure on: the dev set, the
    blind held-out sets (read here mechanically, never shown) and the shared samples."""
    import numpy as np
    from rapidfuzz import fuzz, process

    examples = sorted({fold(q) for ex in book.examples.values()
                       for qs in list(ex.topics.values()) + list(ex.keywords.values()) + [ex.out_of_scope] for q in qs})
    root = Path(__file__).resolve().parent.parent
    files = list(QUESTIONS.glob("*.jsonl")) + [p for d in (root / "tests" / "data").glob("blind*") for p in d.rglob("*.jsonl")]
    files += list((root.parent / "shared" / "eval").glob("*.jsonl"))
    evaluation = sorted({fold(json.loads(line)["text"]) for p in files for line in p.read_text(encoding="utf-8").splitlines() if line.strip()})
    # "salom", "1": too short to be a copy of anything; a one-word question ("recruiter") is a word
    # of the word lists itself, which no writer of a held-out set can be kept from typing
    evaluation = [e for e in evaluation if len(e) >= 8 and " " in e]
    scores = process.cdist(evaluation, examples, scorer=fuzz.ratio, score_cutoff=90, dtype=np.uint8, workers=1)
    rows, cols = np.nonzero(scores)
    # only the example side is shown: the blind questions must stay unseen
    near = sorted({examples[c] for c in cols})
    assert near == [], f"{len(near)} examples are near-copies of evaluation questions: {near}"


def test_no_example_of_three_words_or_more_is_a_near_copy_of_a_second_dev_set_question(book):
    """The second, third, sixth, eleventh and twelfth development sets (tests/data/dev, dev3, dev6, dev11, dev12, independent
    writers) are what example changes are judged on, so no example may paraphrase one of its questions closely (rapidfuzz >= 90
    after normalization). One- and two-word keywords ("dvoynoe grajdanstvo") are vocabulary and
    may coincide with a two-word question."""
    import numpy as np
    from rapidfuzz import fuzz, process

    def long_enough(text: str) -> bool:
        return len(text.split()) >= 3

    examples = sorted({f for ex in book.examples.values()
                       for qs in list(ex.topics.values()) + list(ex.keywords.values()) + [ex.out_of_scope] for q in qs
                       if long_enough(f := fold(q))})
    data = Path(__file__).parent / "data"
    questions = sorted({f for p in [*(data / "dev" / "questions").glob("*.jsonl"), *(data / "dev3" / "questions").glob("*.jsonl"),
                                         *(data / "dev6" / "questions").glob("*.jsonl"), *(data / "dev11" / "questions").glob("*.jsonl"),
                                         *(data / "dev12" / "questions").glob("*.jsonl")] for line in p.read_text(encoding="utf-8").splitlines() if line.strip()
                        if long_enough(f := fold(json.loads(line)["text"]))})
    assert len(questions) > 900
    scores = process.cdist(questions, examples, scorer=fuzz.ratio, score_cutoff=90, dtype=np.uint8, workers=1)
    near = sorted({(examples[c], questions[r]) for r, c in zip(*np.nonzero(scores), strict=True)})
    assert [pair for pair in near if pair not in EXAMPLES_OLDER_THAN_DEV12] == []


# dev12 was written blind after these examples were in the rules: its writers typed the same common
# phrases (two letter for letter). Allowed by name, so any new example near a dev12 question still fails.
EXAMPLES_OLDER_THAN_DEV12 = {
    ("agar ba usheti harbi naistam grajdanstvoamro megirand", "agar ba ushet naraftam grajdanstvoamro megirand"),
    ("kurs rublya k sumu segodnya", "kurs rublya k sumu segodnya"),
    ("snils shi tavr giram", "snils shi tavr giram"),
    ("trisked into var", "trisked into army"),
    ("ugrojali vydvoreniem esli ne podpishu", "ugrojayut vidvoreniem esli ne podpishu"),
}


@pytest.mark.parametrize("text, prior, want", [
    ("Salom", "uz", "uz"),  # small talk answers in the user's language
    ("salom", "ru", "ru"),
    ("voenkomat", "ru", "ru"),  # one Latin word is no evidence of English
    ("menga povestka keldi", "ru", "uz"),  # Latin letters from a Russian phone: one Uzbek-only word is enough
    ("менга повестка келди", "ru", "uz-Cyrl"),  # and in Cyrillic letters (REVIEW6 #13)
    ("mne prishla povestka", "ru", "ru"),  # Russian in translit stays Russian
    ("povestka keldi", "ru", "ru"),  # words every language types: no evidence
    ("1", "ru", "ru"),
    ("1", "uz", "uz"),
    ("menda o'zbek pasporti bor, rossiyada ishlayman, harbiy xizmatga chaqirishlari mumkinmi", "ru", "uz"),
    ("барои ҷанг дар хориҷа чӣ ҷазо ҳаст", "ru", "tg"),  # letters only Tajik has
    ("мне пришла повестка что делать", "en", "ru"),
    ("мне пришла повестка что делать", "ru", "ru"),
])
def test_reply_language_keeps_the_users_prior_unless_the_text_clearly_differs(ogoh, text, prior, want):
    assert ogoh.ask(text, prior=prior).reply_lang == want


@pytest.mark.parametrize("text", ["повестка", "военкомат", "контракт", "повестка пришла"])
@pytest.mark.parametrize("prior", [None, "en"])
def test_a_cyrillic_loanword_alone_is_answered_in_russian_not_a_language_it_resembles(ogoh, text, prior):
    """Every language types «повестка»: with no word or letter of another language, the reply is
    Russian, which every worker in Russia reads (an English-phone user too: Cyrillic is not English)."""
    assert ogoh.ask(text, prior=prior).reply_lang == "ru"


@pytest.mark.parametrize("text, want", [("ман паспорти русия надорам", "tg"), ("менде орус паспорту жок", "ky")])
def test_a_cyrillic_text_with_words_of_its_own_language_keeps_that_language(ogoh, text, want):
    assert ogoh.ask(text).reply_lang == want


def test_telegram_language_codes_are_understood_as_priors(ogoh):
    assert ogoh.ask("rahmat", prior="uz-UZ").reply_lang == "uz"
    assert ogoh.ask("ok", prior="xx").reply_lang  # unknown code: detection as before


@pytest.mark.parametrize("text, topic", [
    ("my brother was taken to the army, where do I turn", "get-help"),
    ("брата забрали в армию, куда обращаться", "get-help"),
    ("the recruiter took my passport and vanished", "scams-and-volunteer-units"),
    ("вербовщик забрал паспорт и пропал", "scams-and-volunteer-units"),
    ("у меня внж и паспорт узбекистана, могут ли призвать", "foreigner-conscription"),
    ("меня добавили в реестр контролируемых лиц и теперь зовут на войну", "work-permit-pressure"),
])
def test_other_peoples_words_find_the_topic(ogoh, text, topic):
    out = ogoh.ask(text)
    assert [m.topic_id for m in out.matches] == [topic]


@pytest.mark.parametrize("text", [
    "патент", "не платят зарплату уже два месяца", "ищу новую работу после стройки",
    "потерял паспорт, как восстановить", "пришла повестка в суд за неоплаченный штраф",
    "how do I get Russian citizenship", "pasportimni yo'qotdim, nima qilaman",
])
def test_near_misses_are_out_of_scope(ogoh, text):
    """Patents, wages, jobs, lost passports and court summons are not the risk topics."""
    assert ogoh.ask(text).matches == []


@pytest.mark.parametrize("text", ["1", "10", "2?"])
def test_a_bare_number_is_no_topic(ogoh, text):
    out = ogoh.ask(text, prior="ru")
    assert out.matches == [] and out.reply_lang == "ru"


def test_cyrillic_text_is_never_answered_in_english(ogoh):
    assert ogoh.ask("у меня только узбекский паспорт").reply_lang == "ru"
    assert ogoh.ask("ок").reply_lang != "en"


@pytest.mark.parametrize("text, topic", [
    ("барои чанг дар хорича дар Точикистон чи чазо хаст", "home-country-penalties"),  # ҷ typed as ч
    ("бародарамро ба чанг бурданд, ба кучо мурочиат кунам", "get-help"),
])
def test_tajik_typed_on_a_russian_keyboard_is_understood(ogoh, text, topic):
    out = ogoh.ask(text)
    assert [m.topic_id for m in out.matches] == [topic] and out.reply_lang == "tg"


@pytest.mark.parametrize("text, kind", [
    ("привет братан", "greeting"), ("салом ука", "greeting"), ("хайр ака", "goodbye"),
    ("rahmat aka", "thanks"), ("ты бот?", "who_are_you"),
])
def test_small_talk_kind_is_not_decided_by_the_word_of_address(ogoh, text, kind):
    """'brat', 'ака' come with greetings, thanks and goodbyes alike: "салом ака" is a greeting."""
    out = ogoh.ask(text)
    assert out.small_talk is not None and out.small_talk.kind == kind and out.matches == []


def test_similarities_in_float32_agree_with_the_float64_product(ogoh):
    """The nearest examples (the reply language's votes, "like nothing we know") are found with
    float32 similarities: they must be the float64 product's to within float32 rounding, and the
    most similar example the same one."""
    import numpy as np

    index = ogoh.snapshot.index
    for row in labelled()[:200]:
        cols, vals = index.vectorize(row["text"])
        if not cols.size:
            continue
        fast = index._similarities(cols, vals)
        exact = np.asarray(index.matrix[cols].T @ vals.astype(np.float64)).ravel()
        assert fast.dtype == np.float32
        assert np.allclose(fast, exact, atol=1e-6)
        assert exact[int(np.argmax(fast))] == pytest.approx(exact.max(), abs=1e-6)


def test_a_message_is_folded_the_same_way_each_time_it_is_read():
    from bot.matcher.normalize import fold_message

    for text in ["Мне пришла ПОВЕСТКА!", "o'zbek", "ozbek", "Мне пришла ПОВЕСТКА!"]:
        assert fold_message(text) == fold(text)
    assert fold_message.cache_info().maxsize == 8  # a few recent texts, never more
