"""Facts from free text: what a worker's one message states, read with the words of
rules/lexicon (every language, translit, Uzbek Cyrillic, Tajik typed on a Russian keyboard)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.matcher.facts import extractor_for
from bot.matcher.normalize import fold

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fx(book):
    return extractor_for(book)


@pytest.mark.parametrize("text, want", [
    # negation
    ("у меня нет российского паспорта, есть паспорт Кыргызстана", {"ru_citizenship": "none", "home_country": "KG"}),
    ("повестку не получал, живу в Казани", {"summons": "no", "in_russia": "yes"}),
    ("I do NOT have a Russian passport, only a Tajik one", {"ru_citizenship": "none", "home_country": "TJ"}),
    ("rus pasportim yo'q, Toshkentdanman", {"ru_citizenship": "none", "home_country": "UZ"}),
    # ВНЖ / РВП / patent only
    ("у меня внж, паспорт Кыргызстана, военкомат звонит", {"ru_citizenship": "none", "home_country": "KG"}),
    ("VNJ bor, Samarqanddanman", {"ru_citizenship": "none", "home_country": "UZ"}),
    # cities imply countries, Russian cities imply being in Russia
    ("я из Оша, работаю в Екатеринбурге", {"home_country": "KG", "in_russia": "yes"}),
    ("Худжанддан келдим, ҳозир Москвадаман", {"home_country": "TJ", "in_russia": "yes"}),
    ("мен Шымкенттенмін, қазір Новосібірдемін", {"home_country": "KZ", "in_russia": "yes"}),
    ("hozir Andijondaman, uyga qaytdim", {"home_country": "UZ", "in_russia": "no"}),
    # dual and naturalized
    ("у меня два паспорта, рф и узбекистана, получил 12 лет назад", {"ru_citizenship": "dual", "ru_citizenship_since": "over_10_years", "home_country": "UZ"}),
    ("паспорти русӣ ва паспорти тоҷикӣ дорам", {"ru_citizenship": "dual", "home_country": "TJ"}),
    ("гражданство рф получил в 2023, старый паспорт сдал", {"ru_citizenship": "naturalized", "ru_citizenship_since": "1_to_10_years"}),
    # offers, who made them; passports taken; threats; occupied places
    ("бригадир предлагает контракт, паспорт забрал", {"military_offer": "employer", "passport_taken": "yes"}),
    ("politsiya kontrakt imzola yoki deport qilamiz dedi", {"military_offer": "police", "permit_threat": "yes"}),
    ("зовут на стройку в Мариуполь", {"occupied_job_offer": "yes"}),
    ("никто контракт не предлагал", {"military_offer": "no"}),
    ("көші-қон орталығында контракт ұсынды", {"military_offer": "migration_center"}),
    ("чакыруу кагазы келди, Бишкектенмин", {"summons": "yes", "home_country": "KG"}),
    # going somewhere is not being there
    ("хочу поехать на заработки в Москву, я из Оша", {"home_country": "KG"}),
    ("Moskvaga ketmoqchiman, hozir Samarqanddaman", {"home_country": "UZ", "in_russia": "no"}),
    ("I want to go to Moscow for work", {}),
    # giving up or keeping the home passport
    ("Я получил российский паспорт в 2019 году, узбекский не сдавал", {"ru_citizenship": "dual", "ru_citizenship_since": "1_to_10_years", "home_country": "UZ"}),
    ("rus pasporti olgandim 2015 yilda, o'zbek pasportimni topshirganman", {"ru_citizenship": "naturalized", "ru_citizenship_since": "over_10_years", "home_country": "UZ"}),
    # Tajik on a Russian keyboard
    ("шахрвандии русия надорам, дар Маскав кор мекунам", {"ru_citizenship": "none", "in_russia": "yes"}),
    # a "not" after "if" belongs to the condition; an English "never" negates what follows it
    ("my boss says they cancel my patent if i dont go serve", {"permit_threat": "yes", "military_offer": "employer"}),
    ("uncle lives in Perm, never got citizenship, he has residence permit", {"in_russia": "yes", "ru_citizenship": "none"}),
    # acquiring citizenship is acquiring the Russian one; giving the old passport back is not having it taken
    ("муж получил гражданство России 3 месяца назад, мы в Казани", {"ru_citizenship": "naturalized", "ru_citizenship_since": "under_1_year", "in_russia": "yes"}),
    ("полгода назад стал гражданином, старый паспорт отдал", {"ru_citizenship": "naturalized", "ru_citizenship_since": "under_1_year"}),
    # other countries; "nobody offered" wins over the word "contract" next to it
    ("я из Азербайджана, работаю в Сочи", {"home_country": "other", "in_russia": "yes"}),
    ("nobody offered me any contract, just asking", {"military_offer": "no"}),
    ("на гражданство подавать не собираюсь, работаю по патенту", {"status_application": "no", "ru_citizenship": "none"}),
    # "I don't know whether a summons came" is not a summons; a negative suffix on an open stem negates it
    ("не знаю, была ли повестка, что-то приносили на старый адрес", {"summons": "dont_know"}),
    ("povestka kelganmi bilmayman", {"summons": "dont_know"}),
    ("hech kim patentimni olib qo'yaman deb qo'rqitmagan", {"permit_threat": "no"}),
    ("ish beruvchim pasportimni qaytarmayapti", {"passport_taken": "yes"}),
    # "without giving up my own passport" keeps it: dual, not naturalized
    ("қазақ паспортын тапсырмай орыс паспортын да алдым", {"ru_citizenship": "dual", "home_country": "KZ"}),
    ("o'zbek pasportimni topshirmasdan rus pasportini oldim", {"ru_citizenship": "dual", "home_country": "UZ"}),
])
def test_facts_the_message_states(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text", [
    "can foreigners be drafted?",
    "можно ли мобилизовать иностранцев?",
    "если откажусь от контракта меня вышлют?",
    "грозит ли тюрьма в кыргызстане тем кто воевал",
    "chet el fuqarosiga chaqiruv qog'ozi berishlari mumkinmi",
    "шахрвандони хоричи повестка мегиранд",  # "шаҳрвандони хориҷӣ" (people in general) typed with ч, х
    "Salom",
    "1",
])
def test_asking_is_not_stating(fx, text):
    assert fx.extract(text).facts == {}


@pytest.mark.parametrize("text", [
    "my brother was taken to the army, what do I do",
    "брата забрали в военкомат, у него паспорт Таджикистана",
    "akamni armiyaga olib ketishdi",
    "Писарам дар Маскав, паспорташро гирифтанд",
])
def test_a_message_about_someone_else_says_so(fx, text):
    assert fx.extract(text).about == "other"


def test_a_message_about_oneself_is_about_self(fx):
    assert fx.extract("у меня паспорт Кыргызстана, мне пришла повестка").about == "self"


@pytest.mark.parametrize("text, about", [
    # a kin word that starts the message, with a comma, a greeting or "help", addresses the reader
    ("bratishka salom, menga povestka keldi, ya grajdanin uzbekistana", "self"),
    ("брат, мне пришла повестка", "self"),
    ("привет брат мне пришла повестка", "self"),
    ("brother, I got a summons", "self"),
    ("akam, menga povestka keldi", "self"),
    ("бародарам, ба ман повестка омад", "self"),
    ("агам, мага повестка келди", "self"),
    ("ағам, маған повестка келді", "self"),
    ("salam brat", "self"),
    # ... the relative himself is the subject
    ("мой брат получил повестку", "other"),
    ("akamga povestka keldi", "other"),
    ("my brother got a summons", "other"),
    ("брат, ему пришла повестка", "other"),
    ("брат, моему брату пришла повестка", "other"),
    ("привет, брат получил повестку", "other"),
    ("ака, укамга повестка келди", "other"),
])
def test_a_kin_word_addressing_the_reader_is_not_the_subject(fx, text, about):
    assert fx.extract(text).about == about


def test_an_addressed_summons_is_answered_to_the_writer(ogoh):
    out = ogoh.ask("bratishka salom, menga povestka keldi, ya grajdanin uzbekistana")
    assert out.about == "self"
    assert out.facts == {"summons": "yes", "home_country": "UZ"}


def test_home_country_is_never_russia(fx):
    out = fx.extract("я гражданин России, только российский паспорт, живу в Москве")
    assert out.facts.get("home_country") != "RU"


def test_ask_returns_facts_next_question_and_about(ogoh):
    out = ogoh.ask("у меня внж, паспорт Кыргызстана, военкомат звонит, что им надо")
    assert out.facts == {"ru_citizenship": "none", "home_country": "KG"}
    assert out.about == "self"
    assert out.next_question is not None and out.next_question.fact_id not in out.facts
    assert ogoh.ask("can foreigners be drafted?").facts == {}


def test_cli_batch_prints_facts_per_line(monkeypatch, capsys):
    import io

    from bot.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("повестку не получал\nSalom\n"))
    assert main(["ask", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert lines[0]["facts"] == {"summons": "no"} and lines[1]["facts"] == {}


def test_check_reports_unknown_fact_values_and_duplicates_with_lines(tmp_path):
    import shutil

    from bot.engine.problems import RuleBookError
    from bot.engine.rulebook import load_rulebook

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    path = rules / "lexicon" / "en.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('  summons:\n    "yes": [summons,', '  summons:\n    "maybe": [perhaps]\n    "yes": [summons, summons,')
    text = text.replace("countries:\n", "countries:\n  RU: [russian citizen only]\n")
    text = text.replace("facts:\n  ru_citizenship:", "facts:\n  shoe_size:\n    big: [size 45]\n  ru_citizenship:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleBookError) as exc:
        load_rulebook(rules)
    errors = [str(p) for p in exc.value.problems if p.level == "error"]
    assert any("lexicon/en.yaml:" in e and "unknown answer of 'summons' 'maybe'" in e for e in errors), errors
    assert any("lexicon/en.yaml:" in e and "listed twice" in e for e in errors), errors
    assert any("unknown fact 'shoe_size'" in e for e in errors), errors
    assert any("unknown home country 'RU'" in e for e in errors), errors


def test_teaching_a_new_word_needs_no_code(tmp_path):
    import shutil

    from bot.engine.rulebook import load_rulebook

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    assert extractor_for(load_rulebook(rules)).extract("пришла бумажка из военкомата").facts == {}
    path = rules / "lexicon" / "ru.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('    "yes": [повестк*,', '    "yes": [бумажка из военкомата, повестк*,'), encoding="utf-8")
    assert extractor_for(load_rulebook(rules)).extract("пришла бумажка из военкомата").facts == {"summons": "yes"}


@pytest.mark.parametrize("text, want", [
    # a negating suffix on the open stem a pattern ends with negates that pattern
    ("Ресей азаматтығына тапсырмаймын", {"status_application": "no", "ru_citizenship": "none"}),
    ("граждандыкка тапшырбайм, азыр патент менен иштейм", {"status_application": "no", "ru_citizenship": "none"}),  # works on a patent: no Russian passport
    # a doubled letter merged by folding still starts the case ending
    ("Бишкекке барам", {}),
    ("Ташкентке ақша жіберемін", {}),
    ("Мен Бишкектенмін", {"home_country": "KG"}),
    ("Мен Түркменстаннанмын", {"home_country": "TM"}),
    # applying for a residence permit is not holding one
    ("внж алуу үчүн кезекке турдум", {"status_application": "residence_permit"}),
    ("ВНЖ-ға құжат тапсырдым", {"status_application": "residence_permit"}),
    # "no Russian citizenship", also as жоқпын / жокмун
    ("орус жарандыгым жок, кыргыз паспортум бар", {"ru_citizenship": "none", "home_country": "KG"}),
    ("Ресей азаматтығын алған жоқпын, тек қазақ паспорты", {"ru_citizenship": "none", "home_country": "KZ"}),
    ("Паспорт у меня только таджикский", {"ru_citizenship": "none", "home_country": "TJ"}),
    # taken away: the passport, not the man
    ("бригадир паспортумду алып кетти", {"passport_taken": "yes"}),
    ("согушка алып кетишеби", {}),
    # said nothing about the army
    ("бастық армия туралы ештеңе айтқан жоқ", {"military_offer": "no"}),
    ("ешким аскер жөнүндө айткан жок", {"military_offer": "no"}),
    # Kazakh and Kyrgyz names of Russian and home cities, typed with or without ә ғ қ ң ө ұ ү і
    ("Челябіде тұрамын", {"in_russia": "yes"}),
    ("Орынборда жумыс истеймин", {"in_russia": "yes"}),
    ("Мен Кочкордонмун", {"home_country": "KG"}),
    # when one does not remember since when
    ("Жарандык алгамын, бирок кайсы жылы экенин билбейм", {"ru_citizenship": "naturalized", "ru_citizenship_since": "dont_know"}),
    ("Азаматтық алғанмын, қашан екені есімде жоқ", {"ru_citizenship": "naturalized", "ru_citizenship_since": "dont_know"}),
    # a Russian word with a Kyrgyz ending
    ("кожоюн СВОго бар деди", {"military_offer": "employer"}),
    ("патентимди жокко чыгарам деди", {"permit_threat": "yes"}),
    # a place form listed whole carries its own case ending: in Osh now, going to Osh
    ("Агам азыр Ошто иштейт", {"home_country": "KG", "in_russia": "no"}),
    ("Ошко барам", {}),
])
def test_kazakh_and_kyrgyz_sentences(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # Kyrgyz, Kazakh (and Russian) typed in Latin letters write "y" for "ы", which folds to "i":
    # the word lists' patterns with "ы" are also read with "y" (REVIEW_TRANSLATOR #2)
    ("chakyruu kagazy keldi", {"summons": "yes"}),
    ("maga chakyruu kagazy keldi", {"summons": "yes"}),
    ("chakyruu kagazy kelgen jok", {"summons": "no"}),
    ("magan shaqyru qagazy keldi", {"summons": "yes"}),
    ("patentindi alyp qoyamyz dedi", {"permit_threat": "yes"}),
    ("vyzvali v voenkomat", {"summons": "yes"}),
    # English is read as before (folding "y" to "i" would make "army" the Turkic question suffix "-mi")
    ("my brother is in the army, he got a summons", {"summons": "yes"}),
    ("I was in the army", {}),
    ("i am kyrgyz citizen", {"home_country": "KG"}),
    ("I got a summons by mail", {"summons": "yes"}),
])
def test_latin_y_for_cyrillic_y(fx, text, want):
    assert fx.extract(text).facts == want


def test_latin_y_leaves_fold_as_it_is():
    from bot.matcher.variants import latin_y

    assert fold("чакыруу кагазы") == "shakiru kagazi"  # fold itself is unchanged
    assert latin_y("чакыруу кагазы") == "чакyруу кагазy" and fold(latin_y("чакыруу кагазы") or "") == fold("chakyruu kagazy")
    assert latin_y("повестка") is None


@pytest.mark.parametrize("text", ["Нагашым Мәскеуде тұрады", "Таякем Москвада иштейт"])
def test_kazakh_and_kyrgyz_relatives(fx, text):
    assert fx.extract(text).about == "other"


def test_candidates_are_every_listed_prefix_and_suffix(fx):
    """The fast lookup (only listed lengths, kept per word) gives what trying every length gives."""
    lex = fx.lex
    words = {w for p in (ROOT / "tests/data/questions").glob("*.jsonl")
             for line in p.read_text(encoding="utf-8").splitlines() if line.strip()
             for w in fold(json.loads(line)["text"]).split()}
    for word in sorted(words) + ["", "a"]:
        slow = list(lex.exact.get(word, ()))
        for n in range(1, len(word) + 1):
            slow += lex.prefix.get(word[:n], ())
        for n in range(1, len(word)):
            slow += lex.suffix.get(word[-n:], ())
        assert list(lex.candidates(word)) == slow, word
        assert list(lex.candidates(word)) == slow, word  # and again, from the per-word cache


def test_a_words_plan_is_what_matching_its_candidates_one_by_one_gives(fx):
    """`Lexicon.plan`: a one-word pattern's hit worked out once per word (its name, the rest after
    a `word*` stem, the shortest of a name found twice, the first of equal ones), a longer pattern
    left to be matched in place, in the candidates' order; and the messages read the same."""
    from bot.matcher.facts import FactExtractor, Hit

    lex = fx.lex
    texts = [json.loads(line)["text"] for p in sorted((ROOT / "tests/data/questions").glob("*.jsonl"))
             for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    for word in sorted({w for t in texts for w in fold(t).split()}) + ["", "a"]:
        slow: list = []
        first: dict = {}
        for p in lex.candidates(word):
            if not p.single:
                slow.append((p, p.name, "", False))
                continue
            rest = word[len(p.sides[0][0].text):] if p.sides[0][0].kind == "prefix" else ""
            if p.name in first:
                at = first[p.name]
                if len(rest) < len(slow[at][2]):
                    slow[at] = (None, p.name, rest, slow[at][3])
                continue
            first[p.name] = len(slow)
            slow.append((None, p.name, rest, p.sides[0][0].kind == "suffix"))
        assert list(lex.plan(word)) == slow, word
        assert list(lex.plan(word)) == slow, word  # and again, from the per-word memo
    # the hits of a message, read with a fresh lexicon's plans and without them (the one-word
    # patterns matched in place, as before the plans)
    reader = FactExtractor(lex)
    for text in texts[:300]:
        words, _, clause_of, hits = reader._read(text)
        slow_hits: list[Hit] = []
        seen: dict = {}
        for i, word in enumerate(words):
            for p in lex.candidates(word):
                span = (i, i) if p.single else reader._match_at(p, words, clause_of, i, len(words))
                if span is None or p.second and p.second != (words[i + 1] if i + 1 < len(words) else ""):
                    continue
                last = p.sides[0][-1]
                rest = words[span[0] + len(p.sides[0]) - 1][len(last.text):] if last.kind == "prefix" and len(p.sides) == 1 else ""
                key = (p.name, span)
                if key in seen:
                    if len(rest) < len(slow_hits[seen[key]].rest):
                        slow_hits[seen[key]].rest = rest
                    continue
                seen[key] = len(slow_hits)
                slow_hits.append(Hit(p.name, clause_of[i], span[0], span[1], rest, p.sides[0][0].kind == "suffix"))
        assert hits == slow_hits, text


@pytest.mark.parametrize("text, want", [
    # negatives agree: "nobody ... not", "nothing ... not" is one negation, not two
    ("про армию мне ничего не говорили, просто работаем", {"military_offer": "no"}),
    ("никто мне контракт не предлагал", {"military_offer": "no"}),
    # a negation after the second word of "passport ... Russian" negates the pair
    ("паспорта российского у меня нет", {"ru_citizenship": "none"}),
    ("гражданства РФ у меня нету, работаю по патенту", {"ru_citizenship": "none"}),
    # after naturalization the country given up is still where the writer is from
    ("Стал гражданином России в 2010, таджикский паспорт сдал", {"ru_citizenship": "naturalized", "ru_citizenship_since": "over_10_years", "home_country": "TJ"}),
    ("became a russian citizen 5 years ago, handed in my kyrgyz passport", {"ru_citizenship": "naturalized", "ru_citizenship_since": "1_to_10_years", "home_country": "KG"}),
    # asking oneself whether one is a citizen, in a sentence that says "I don't know"
    ("не уверен, есть ли у меня российское гражданство", {"ru_citizenship": "dont_know"}),
    ("орус паспортум барбы жокпу билбейм", {"ru_citizenship": "dont_know"}),
    ("I dont know whether I still have russian citizenship", {"ru_citizenship": "dont_know"}),
    # an offer in the "if" part of a threat that is stated is an offer
    ("начальник грозит выслать, если не подпишу контракт", {"permit_threat": "yes", "military_offer": "employer"}),
    # "nobody offered" next to an occupied place is about that work, not about the army
    ("никто не предлагал работу в Донецке", {"occupied_job_offer": "no"}),
    ("nobody offered me a job in Mariupol", {"occupied_job_offer": "no"}),
    # "паспорт у меня только ..." says which passport the writer has, not that it is with them
    ("паспорт у меня только казахский", {"ru_citizenship": "none", "home_country": "KZ"}),
])
def test_general_causes_of_misread_facts(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # a Turkic conditional verb (-sa, -се, -со) makes what comes before it hypothetical
    ("мага повестка келсе эмне кылам", {}),
    ("паспортымды алып қойса не істеймін", {}),
    ("agar pasportimni olib qo'yishsa nima qilishim kerak", {}),
    # ... but after "agar ... -masam" comes what happens then: the threat is stated, and so is the offer in it
    ("registratsiyamni bekor qilamiz deyishdi agar kontraktga yozilmasam", {"permit_threat": "yes"}),
    # Russian inflection: the genitive plural повесток, the locative Самаре
    ("мне не приходило никаких повесток", {"summons": "no"}),
    ("сестра живет в Самаре, работает на рынке", {"in_russia": "yes"}),
    # "without a contract" is not "no offer"; "without it, no patent" is a threat
    ("без контракта обещают только стройку", {}),
    ("сказали без контракта патент не дадут", {"permit_threat": "yes"}),
    ("the foreman told us no contract no patent", {"permit_threat": "yes", "military_offer": "employer"}),
    # went back home: from there, and not in Russia; went back to a Russian city: in Russia
    ("Toshkentga qaytdim, hozir uydaman", {"home_country": "UZ", "in_russia": "no"}),
    ("Бишкекке кайттым, азыр үйдөмүн", {"home_country": "KG", "in_russia": "no"}),
    ("вернулся в Новосибирск после отпуска", {"in_russia": "yes"}),
    # a recruiter or a stranger who offers is an acquaintance; a uniformed visitor the boss gathers us for is the employer
    ("метродо бир вербовщик контракт сунуштады", {"military_offer": "acquaintance"}),
    ("базарда бейтаныс біреу контракт ұсынды", {"military_offer": "acquaintance"}),
    ("цехқа әскери формадағы адам келді, бастық бәрімізді жинады", {"military_offer": "employer"}),
    ("жумушка аскер формачан киши келди, мастер угуп тургула деди", {"military_offer": "employer"}),
    # nobody said a word about the army / a contract
    ("дар бораи контракт ҳеҷ кас ягон гап нагуфт", {"military_offer": "no"}),
    ("armiya haqida hech kim hech narsa gapirmadi", {"military_offer": "no"}),
    ("контракт жөнүндө эч ким эч нерсе айткан жок", {"military_offer": "no"}),
    # an ad in a migrants' chat is an online offer, not a sentence about migrants in general
    ("в телеграм-чате мигрантов выложили объявление про контракт", {"military_offer": "online"}),
    # only a patent: no Russian passport
    ("I work on a patent, just a patent, nothing else", {"ru_citizenship": "none"}),
    ("у меня только патент, я из Ферганы", {"ru_citizenship": "none", "home_country": "UZ"}),
    # a citizen for years, no other passport named: naturalized
    ("u rossiya fuqarosi 15 yildan beri", {"ru_citizenship": "naturalized", "ru_citizenship_since": "over_10_years"}),
    ("Ресей паспортын алдым, қазақ паспортым енді жоқ", {"ru_citizenship": "naturalized"}),
    # a nationality is not a citizenship: the home city decides
    ("по национальности узбек, сам из Оша", {"home_country": "KG"}),
    ("улутум өзбек, Ош шаарынанмын", {"home_country": "KG"}),
    ("у меня двойное гражданство рф и тж", {"ru_citizenship": "dual", "home_country": "TJ"}),
    # durations in words
    ("гражданство РФ у меня уже пять лет, узбекский паспорт тоже есть", {"ru_citizenship": "dual", "ru_citizenship_since": "1_to_10_years", "home_country": "UZ"}),
    ("Ресей азаматтығын алғаныма бес жыл болды, қазақ паспортым да бар", {"ru_citizenship": "dual", "ru_citizenship_since": "1_to_10_years", "home_country": "KZ"}),
    ("became russian citizen half a year ago, handed in my tajik passport", {"ru_citizenship": "naturalized", "ru_citizenship_since": "under_1_year", "home_country": "TJ"}),
    ("got russian citizenship some years ago, dont remember the year", {"ru_citizenship": "naturalized", "ru_citizenship_since": "dont_know"}),
    # not applying, with words between; not applying for a permit says nothing of a passport
    ("на ВНЖ подавать я точно не собираюсь", {"status_application": "no"}),
    ("Украинадагы шаарларга курулушка чакырышты", {"occupied_job_offer": "yes"}),
    # Tajik ӣ typed as й; a word that merely ends like a question (xodimi: its staff member)
    ("шахрвандии русия надорам, факат шахрвандии точикй", {"ru_citizenship": "none", "home_country": "TJ"}),
    ("ish beruvchi xodimi pasportimni olib qo'ydi", {"passport_taken": "yes"}),
])
def test_families_of_forms(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # Russian «и» is not the English "I": "... паспорт и держат" is still someone else holding it
    ("бригадир забрал паспорт и держит у себя", {"passport_taken": "yes"}),
    ("проверяют тех кто получил паспорт рф и везут в военкомат", {}),
    # a negation after a passport and "Russia" negates the pair only across words like "у меня", not another verb
    ("новый паспорт рф домой лететь не пускают", {}),
    ("паспорта РФ у меня пока нет", {"ru_citizenship": "none"}),
    # after a Turkic threat the "if I don't go" verb does not make the threat hypothetical
    ("ruxsatnomamni olib qo'yamiz deb qo'rqitishyapti urushga bormasam", {"permit_threat": "yes", "ru_citizenship": "none"}),
    # given citizenship, became a citizen: acquired
    ("месяц назад дали гражданство россии", {"ru_citizenship": "naturalized", "ru_citizenship_since": "under_1_year"}),
    ("писарам 2 мох пеш гражданини РФ шуд", {"ru_citizenship": "naturalized", "ru_citizenship_since": "under_1_year"}),
    # a citizenship promised for months of service is not held
    ("law firm promises russian citizenship for 2 months service", {}),
    # having come back from the war is not an offer; fighting in Ukraine is not a job offer there
    ("СВОдон келген жигитти Бишкекте соттошту", {"home_country": "KG", "in_russia": "no"}),
    ("my cousin fought in ukraine, now he is back in Osh", {"home_country": "KG", "in_russia": "no"}),
    # a construction site is not a website
    ("the foreman at the construction site offered me an army contract", {"military_offer": "employer"}),
    # «но» is not the English "no": what follows it is not negated
    ("мне никто не угрожал, но в миграционке предлагали контракт", {"permit_threat": "no", "military_offer": "migration_center"}),
    # an English "not" reaches over "or": neither a permit nor a passport
    ("I dont have a residence permit or russian passport, just a patent", {"ru_citizenship": "none"}),
    # Kazakh and Kyrgyz stems voice their last consonant before a vowel ending: азаматтық -> азаматтығым
    ("Екі азаматтығым бар, қазақ және орыс", {"ru_citizenship": "dual", "home_country": "KZ"}),
    ("Азаматтық алғаныма жарты жыл болды", {"ru_citizenship": "naturalized", "ru_citizenship_since": "under_1_year"}),
])
def test_words_that_look_alike_across_languages(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text", [
    "Қос азаматтығы барларды соғысқа жібере ме?",  # "those who have": people in general
    "Ресей азаматтығын алсам әскерге алады ма?",
    "Орус паспортун алсам аскерге алышабы?",
    "Rus fuqaroligini olsam armiyaga olishadimi?",
    "Бригадир паспортты алып қойса заңды ма?",
    "If I get russian citizenship will they draft me?",
])
def test_hypothetical_and_general_questions_in_turkic_languages(fx, text):
    assert fx.extract(text).facts == {}


@pytest.mark.parametrize("text, want", [
    # who made the offer: the one named first in the sentence (the foreman who brought the man in uniform)
    ("Бригадир привёл какого-то человека в военной форме, тот раздавал анкеты на контракт", {"military_offer": "employer"}),
    ("the site boss says they cancel my patent if i dont sign the contract", {"permit_threat": "yes", "military_offer": "employer"}),
    # wondering whether citizenship will be granted, with a residence permit: no Russian citizenship yet
    ("не знаю, дадут ли гражданство, пока живу по ВНЖ", {"ru_citizenship": "none"}),
    # after naturalization, the home country is the one given up or come from, not where one lives now
    ("орус жарандыгын 5 жыл мурун алган, азыр Бишкекте турат", {"ru_citizenship": "naturalized", "ru_citizenship_since": "1_to_10_years", "in_russia": "no"}),
])
def test_who_and_where_when_several_are_named(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text", [
    "can a policeman take my passport",  # "-man" of English words is not the Uzbek "-man" (I am)
    "can the foreman take passports?",
    "can they deport me if I refuse the contract?",  # what a question asks is not stated, even about oneself
])
def test_english_questions_about_oneself_state_nothing(fx, text):
    assert fx.extract(text).facts == {}


def test_wanting_to_apply_for_a_permit_is_applying_not_holding(fx):
    assert fx.extract("I want to apply for a residence permit, will they ask me to sign a contract?").facts == {"status_application": "residence_permit"}


@pytest.mark.parametrize("text", ["my husbands passport was taken by his boss", "zyatim rossiyada, povestka kelibdi", "Күйеу балам Мәскеуде жұмыс істейді"])
def test_relatives_by_marriage_and_possessives_are_someone_else(fx, text):
    assert fx.extract(text).about == "other"


@pytest.mark.parametrize("text", [
    "сказали если не подпишу контракт аннулируют патент и депортируют",
    "нам сказали: если не пойдёте на контракт, депортируют",
    "the boss said if I refuse the contract they will deport me",
    "agar shartnomaga imzo chekmasam patentimni bekor qilishadi deyishdi",
    "гуфтанд агар шартнома имзо накунам депорт мекунанд",
    "бастық айтты егер қол қоймасам депорт жасаймыз",
    "айтышты эгер кол койбосом депортация кылабыз",
])
def test_a_threat_they_said_after_an_if_with_no_comma_is_stated(fx, text):
    assert fx.extract(text).facts.get("permit_threat") == "yes"


@pytest.mark.parametrize("text", [
    "если не подпишу контракт аннулируют патент?",
    "they said: can they deport me if I refuse?",
])
def test_a_threat_after_an_if_without_a_reporting_verb_or_asked_stays_hypothetical(fx, text):
    assert "permit_threat" not in fx.extract(text).facts


@pytest.mark.parametrize("text, want", [
    ("mana povestka omad chi kor kunam", {"summons": "yes"}),
    ("мне повестку принесли, что теперь делать", {"summons": "yes"}),
    ("I got a call-up paper what should I do", {"summons": "yes"}),
    ("повестка келди эмне кылам", {"summons": "yes"}),
    ("маған повестка келді не істеймін", {"summons": "yes"}),  # the "не" of "не істеймін" is not Russian "not"
    ("что делать если заберут паспорт", {}),  # after a what-to-do question: asked
    ("мигрантам приходят повестки что делать", {}),  # people in general
])
def test_a_what_to_do_question_asks_only_what_to_do(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    ("povestka omadast, hich kas kontrakt pishnihod nakard", {"summons": "yes", "military_offer": "no"}),
    ("brigadir pasportamro gerefta mond", {"passport_taken": "yes"}),
    ("pasportam peshi khudam", {"passport_taken": "no"}),
])
def test_tajik_typed_in_latin_letters(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    ("жұмыс беруші төлқұжатымды алып қойды", {"passport_taken": "yes"}),
    ("толкужатымды алып койды", {"passport_taken": "yes"}),  # typed without the Kazakh letters
    ("төлқұжатым өзімде", {"passport_taken": "no"}),
    ("Ресей төлқұжатым жоқ", {"ru_citizenship": "none"}),
    ("жумуш берүүчү паспортумду алып коюшту, контракт сунушту", {"passport_taken": "yes", "military_offer": "employer"}),
])
def test_kazakh_tolkujat_is_a_passport_and_kyrgyz_employer(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    ("I got a call-up paper, I only have a Kyrgyz passport", {"summons": "yes", "ru_citizenship": "none", "home_country": "KG"}),
    ("my husband has only an Uzbek passport", {"ru_citizenship": "none", "home_country": "UZ"}),
    ("I've just got a Tajik passport, nothing else", {"ru_citizenship": "none", "home_country": "TJ"}),
])
def test_english_only_have_a_home_passport_is_no_russian_one(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    ("хочу подать на ВНЖ, правда что надо подписать контракт с армией", {"status_application": "residence_permit"}),
    ("собираюсь подавать документы на гражданство", {"status_application": "citizenship"}),
    ("хочу получить рвп", {"status_application": "residence_permit"}),
    ("не хочу подавать на внж", {"status_application": "no"}),  # "не хочу" (cancel) is part of the listed "no"
    ("fuqarolikka hujjat topshirmoqchiman", {"status_application": "citizenship"}),
    ("ба шаҳрвандӣ ҳуҷҷат супоридан мехоҳам", {"status_application": "citizenship"}),
    ("жарандыкка тапшыргым келет", {"status_application": "citizenship"}),
    ("I want to get a residence permit", {"status_application": "residence_permit"}),
])
def test_intending_to_apply_is_applying_in_every_language(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # a Tajik verb negative by its prefix negates what comes before it, not the offer after it
    ("ҳуҷҷат надоштам, маро гирифтанд ва ба ман контракт пешниҳод карданд", {"military_offer": "yes"}),
    ("патенти ман набуд маро доштанд ва контракт пешниход карданд", {"military_offer": "yes"}),
    ("паспорти русӣ надорам", {"ru_citizenship": "none"}),
    ("ба ман ҳеҷ кас контракт пешниҳод накард", {"military_offer": "no"}),
    ("повестка нагирифтам", {"summons": "no"}),
])
def test_tajik_negative_verb_negates_what_precedes_it(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # "тоҷикиаш ҳам" (its Tajik one too): a country's adjective with a possessive is its passport
    ("паспорти русиям дорам, тоҷикиам ҳам ҳаст", {"ru_citizenship": "dual", "home_country": "TJ"}),
    ("паспорти рф гирифтам, узбекиамро супоридам", {"ru_citizenship": "naturalized", "home_country": "UZ"}),
])
def test_tajik_possessed_country_adjective_is_a_passport(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    ("ман аз Фархор, дар Казан кор мекунам", {"home_country": "TJ", "in_russia": "yes"}),
    ("Yovondanam, hozir dar Samara", {"home_country": "TJ", "in_russia": "yes"}),
])
def test_tajik_district_towns_are_tajikistan(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want, about", [
    # "шиноснома" (passport) is not "шинос" (an acquaintance who offers)
    ("ду шиноснома дорам, маро ба ҷанг мебаранд?", {"ru_citizenship": "dual"}, "self"),
    # foreigners in general are asked about, not the writer
    ("ба хориҷиҳо повестка медиҳанд?", {}, "self"),
    # relatives: a cousin, a son-in-law
    ("амакбачаам паспорти рф гирифт", {"ru_citizenship": "naturalized"}, "other"),
    ("гражданини РФ шудам, ба ман повестка омад", {"ru_citizenship": "naturalized", "summons": "yes"}, "self"),
])
def test_tajik_word_families(fx, text, want, about):
    got = fx.extract(text)
    assert (got.facts, got.about) == (want, about)


@pytest.mark.parametrize("text, want", [
    # a passport in my own hands is not taken, whoever took another paper
    ("шартномаи коримро прораб гирифт, паспорт дар дасти ман", {"passport_taken": "no"}),
    # a word asked back, a which-question: asked, not stated
    ("kontrakt? kadom kontrakt, man hech chiz nagiriftam", {}),
    # what would follow an "if", asked
    ("agar ba SVO ravam, dar Tojikiston maro suda mekunand?", {}),
    # deported in the past is not a threat now
    ("du sol pesh deport shudam, hozir dar Dushanbe", {"home_country": "TJ", "in_russia": "no"}),
    # "не знаю как сказать" doubts nothing
    ("ne znayu kak skazat, povestka omad", {"summons": "yes"}),
    # the date is not known, the citizenship is
    ("кай шаҳрвандии русияро гирифтамро намедонам", {"ru_citizenship": "naturalized", "ru_citizenship_since": "dont_know"}),
    # a home passport not given up: dual
    ("паспорти русӣ дорам, паспорти тоҷикиро надодам", {"ru_citizenship": "dual", "home_country": "TJ"}),
    # a bare "nobody offered me" in a sentence about work in an occupied place is about that work
    ("мегӯянд дар Луганск кор ҳаст, ба ман касе пешниҳод накардааст", {"occupied_job_offer": "no"}),
])
def test_tajik_asked_past_and_kept(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # not signing is not "nobody offered"; the paper not received is
    ("ман не шартнома имзо кардам не повестка гирифтам", {"summons": "no"}),
    # now back home outweighs years of work in a Russian city
    ("дар Омск панҷ сол кор кардам, ҳозир ба ватан омадам", {"in_russia": "no"}),
])
def test_tajik_neither_nor_and_back_home_now(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # Russian words inside Tajik mean what the Tajik ones do
    ("барои ВНЖ документ супоридам", {"status_application": "residence_permit"}),
    ("ман гражданствои дугона дорам", {"ru_citizenship": "dual"}),
    # the language one speaks is not one's country
    ("man tojiki gap mezanam, dar Samara kor mekunam", {"in_russia": "yes"}),
])
def test_tajik_with_russian_words_and_languages(fx, text, want):
    assert fx.extract(text).facts == want


@pytest.mark.parametrize("text, want", [
    # "has taken", "had taken", "collected": a passport taken
    ("паспорташро прораб гирифтааст", {"passport_taken": "yes"}),
    ("бригадир паспортҳоямонро ҷамъ кард", {"passport_taken": "yes"}),
    # in my own hands
    ("паспортам дар дасти худам", {"passport_taken": "no"}),
    # weeks and months ago: under a year
    ("се ҳафта пеш паспорти рф гирифтам", {"ru_citizenship": "naturalized", "ru_citizenship_since": "under_1_year"}),
    # will not get a permit
    ("внж гирифтан намехоҳам", {"status_application": "no"}),
])
def test_tajik_perfect_tense_weeks_and_refusals(fx, text, want):
    assert fx.extract(text).facts == want


def test_tajik_someone_who_is_general(fx):
    # "касе ки ..." (someone who ...) speaks of anyone, not of the writer
    assert fx.extract("ба Тоҷикистон баргаштани касе ки дар фронт буд хатарнок аст").facts == {}
