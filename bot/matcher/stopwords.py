"""Filler words per language, written as people type them and folded like the questions.
They carry no topic; dropping them keeps rare, meaningful words in charge of the match."""

from __future__ import annotations

from bot.matcher.normalize import fold

_RAW = {
    "ru": "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это мне меня мой моя мои пожалуйста подскажите скажите здравствуйте привет вопрос",
    "uz": "va bilan uchun ham bu u men sen siz biz ular bor yoq emas edi ekan deb kerak mumkin qanday nima nimaga qachon qayerda qaysi agar lekin yoki shu bir endi hali juda ko'p mi mu da de menga meni mening sizga iltimos salom",
    "tg": "ва бо барои ҳам ин он ман ту шумо мо онҳо дорам надорам аст нест буд ки агар лекин ё чӣ чи чаро кай куҷо кадом як акнун ҳоло хеле ба дар аз то мара ба ман лутфан салом",
    "ky": "жана менен үчүн да бул ал мен сен сиз биз алар бар жок эмес эле деп керек мүмкүн кандай эмне эмнеге качан кайда кайсы эгер бирок же ушул бир азыр дагы абдан мага мени менин сураныч салам",
    "kk": "және мен үшін да де бұл ол сен сіз біз олар бар жоқ емес еді деп керек мүмкін қандай не неге қашан қайда қайсы егер бірақ немесе осы бір қазір тағы өте маған мені менің өтініш сәлем",
    "en": "a an the and or but if of to in on at for with from by about as is are was were be been am do does did have has had i me my we you your he she it they them their this that these those what which who how when where why can could would should will shall may might must please hi hello question",
}

STOPWORDS: frozenset[str] = frozenset(w for text in _RAW.values() for w in fold(text).split())
