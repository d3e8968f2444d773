"""Visible characters of the bot's first message for a typed message that gets a lead
(bot.core.replies.lead_reply, rendered by bot.telegram.lead.lead_text): detained and offered a
contract instead of court, "sign or be deported", a contract already signed, a Decree 821 question,
a Russian citizen taken to the enlistment office; each in 7 languages, some with a country named
(REVIEW9b G7: 850-1,190 characters on a phone). The messages are written here, not taken from a
held-out set. `--code DIR` measures another checkout (its code and rules) with the same messages.

    .venv/bin/python bench/lead_length.py [--code /work/main] [--show]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from html import unescape
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
TARGET = 700

MESSAGES = {
    "detained": [
        ("ru", "меня задержали за просроченный патент, в отделе предлагают контракт вместо суда"),
        ("ru", "я из узбекистана, меня задержали, полиция предлагает контракт вместо суда"),
        ("en", "I was detained by police and they offer me a contract instead of court"),
        ("uz", "politsiya meni ushlab oldi, sud o'rniga kontrakt taklif qilishyapti"),
        ("uz-Cyrl", "полиция мени ушлаб олди, суд ўрнига контракт таклиф қилишяпти"),
        ("tg", "маро полис боздошт кард, ба ҷои суд шартнома пешниҳод мекунанд"),
        ("ky", "мени полиция кармап алды, соттун ордуна контракт сунуп жатышат"),
        ("kk", "мені полиция ұстап алды, соттың орнына келісімшарт ұсынып жатыр"),
    ],
    "forced": [
        ("ru", "заставляют подписать контракт, иначе депортируют"),
        ("uz", "Saxarovoda kontrakt taklif qilishdi, imzolamasang deport qilamiz deyishdi"),
        ("en", "they say sign the contract or we deport you"),
        ("tg", "маҷбур мекунанд шартнома имзо кунам, вагарна депорт мекунанд"),
        ("uz-Cyrl", "контрактга имзо чек, бўлмаса депорт қиламиз дейишди"),
        ("ky", "контрактка кол кой, болбосо депортация кылабыз дешти"),
        ("kk", "келісімшартқа қол қой, әйтпесе депортациялаймыз деді"),
    ],
    "signed": [
        ("ru", "я уже подписал контракт, что делать"),
        ("ru", "меня заставили подписать контракт, я уже подписал, сейчас везут в военкомат"),
        ("en", "I already signed a contract, what now"),
        ("uz", "politsiya ushlab oldi, kontraktga imzo chekdim, yordam bering"),
        ("tg", "маро боздошт карданд ва маҷбур карданд, шартнома имзо кардам"),
        ("ky", "мени кармап алышты, контрактка кол койдум"),
        ("kk", "мені ұстап алды, келісімшартқа қол қойдым"),
        ("uz-Cyrl", "мени ушлаб олишди, контрактга имзо чекдим"),
    ],
    "decree": [
        ("ru", "указ 821 внж мне нужно подписывать контракт?"),
        ("en", "decree 821 residence permit, do I have to sign a contract?"),
        ("uz", "821 farmon bo'yicha yashash uchun ruxsatnoma olmoqchiman, kontrakt imzolashim kerakmi"),
        ("uz-Cyrl", "821 фармон бўйича яшаш учун рухсатнома олмоқчиман, контракт имзолашим керакми"),
        ("tg", "ман барои иҷозати истиқомат ариза медиҳам, фармони 821"),
        ("ky", "ВНЖ алгым келет, 821 указ боюнча контракт керекпи"),
        ("kk", "ВНЖ алғым келеді"),
    ],
    "ru_passport_summons": [
        ("ru", "у меня паспорт рф, меня забрали в военкомат с повесткой"),
        ("uz", "rossiya pasportim bor, voenkomatga olib ketishdi"),
        ("en", "I have a Russian passport, they took me to the military office with a summons"),
        ("tg", "шиносномаи русӣ дорам, маро ба военкомат бурданд"),
        ("ky", "орус паспортум бар, мени военкоматка алып кетишти"),
        ("kk", "ресей паспортым бар, мені әскери комиссариатқа алып кетті"),
        ("uz-Cyrl", "россия паспортим бор, военкоматга олиб кетишди"),
    ],
}


def visible(html: str) -> int:
    return len(unescape(re.sub(r"<[^>]+>", "", html)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--code", default=str(HERE), help="the checkout whose code and rules to measure")
    ap.add_argument("--show", action="store_true", help="print every message as the bot sends it")
    args = ap.parse_args()
    sys.path.insert(0, args.code)
    from bot.core import replies
    from bot.core.service import Service
    from bot.ogoh import Ogoh
    from bot.telegram.lead import lead_text

    svc = Service(Ogoh(str(Path(args.code) / "rules")))
    every: list[int] = []
    for kind, messages in MESSAGES.items():
        lengths = []
        for lang, text in messages:
            out = svc.ask_now(text, None, lang)
            lead = replies.lead_reply(svc, out, replies.attention(out))
            if lead is None:
                print(f"  {kind} {lang}: no lead ({out.attention}, {out.facts})")
                continue
            html = lead_text(svc.localizer(out.reply_lang), lead)
            lengths.append(visible(html))
            if args.show:
                print(f"--- {kind} {lang} {visible(html)} {lead.kind}\n{unescape(re.sub(r'<[^>]+>', '', html))}")
        every += lengths
        if lengths:
            print(f"{kind}: {len(lengths)} messages, median {statistics.median(lengths):.0f}, max {max(lengths)}, "
                  f"over {TARGET}: {sum(x > TARGET for x in lengths)}  {lengths}")
    print(f"all: {len(every)}, median {statistics.median(every):.0f}, max {max(every)}, over {TARGET}: {sum(x > TARGET for x in every)}")


if __name__ == "__main__":
    main()
