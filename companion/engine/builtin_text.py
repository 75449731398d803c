"""The companion's own words in findings (those not from a pack), in English and Bulgarian.

Picked by the language a request names, like a pack's translations (engine/wording.py); English for
any other language. Values are filled in with str.format.
"""

from __future__ import annotations

from companion.engine.wording import pick

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "conf.message": "“{excerpt}” is confidential ({kind}).",
        "conf.kind.product": "unreleased product", "conf.kind.codename": "code name",
        "conf.kind.internal_tool": "internal tool", "conf.kind.plan": "internal plan",
        "conf.kind.financial": "unpublished financials", "conf.kind.other": "confidential",
        "conf.until": " (confidential until {date})",
        "conf.say": "Say “{replacement}” instead",
        "conf.remove": "Remove “{excerpt}”",
        "remove_it": "Remove it",
        "handoff.send": "Don't answer: send it to {owner}{contact}{within}",
        "handoff.within": ", who respond within {within}",
        "handoff.team": "your social-media team",
        "refer": "Send them to {title} instead",
        "convo.message": "The customer shared their own {what} in public.",
        "convo.why": "Customers' personal data stays out of public conversations: continue in a private message.",
        "convo.move": "Move to private messages: ask them to send their details there, and don't repeat them here",
        "convo.reply": "Use the canned reply “{title}” (side panel)",
        "convo.email": "e-mail address", "convo.phone": "phone number", "convo.address": "address", "convo.card": "card number", "convo.iban": "bank account number",
        "and": " and ",
        "limit.message": "Too long for {name}: {length} of {limit} characters.",
        "limit.why": "{name} does not accept posts over {limit} characters.",
        "limit.shorten_one": "Shorten it by 1 character",
        "limit.shorten_many": "Shorten it by {over} characters",
        "model.resembles": " It resembles drafts that break the policy in: {drafts}.",
        "disclosure.add_line": "Add the disclosure line",
        "disclosure.praise": "You speak up for {company} in a conversation about it; say that you work there.",
        "model.resembles_reply": " The message answered resembles conversations that are handed over: {drafts}.",
        "suggest.mentions": "mentions {words}",
        "suggest.topic": "the message is a {topic}",
        "refer_only.message": "Customers are helped from the official accounts: send them to {title} instead.",
        "refer_only.why": "Your company's policy lets personal accounts only refer customers to the official place "
                          "(customer_replies: refer_only); the official team answers their problem.",
        "refer_only.add": "Add the link to {title}",
    },
    "bg": {
        "conf.message": "„{excerpt}“ е поверително ({kind}).",
        "conf.kind.product": "неизлязъл продукт", "conf.kind.codename": "кодово име",
        "conf.kind.internal_tool": "вътрешен инструмент", "conf.kind.plan": "вътрешен план",
        "conf.kind.financial": "непубликувани финансови данни", "conf.kind.other": "поверително",
        "conf.until": " (поверително до {date})",
        "conf.say": "Кажете „{replacement}“ вместо това",
        "conf.remove": "Премахнете „{excerpt}“",
        "remove_it": "Премахнете го",
        "handoff.send": "Не отговаряйте: изпратете го на {owner}{contact}{within}",
        "handoff.within": ", които отговарят до {within}",
        "handoff.team": "екипа ви за социални мрежи",
        "refer": "Насочете ги към „{title}“",
        "convo.message": "Клиентът сподели публично свои данни: {what}.",
        "convo.why": "Личните данни на клиентите не се обсъждат публично: продължете в лично съобщение.",
        "convo.move": "Преминете към лични съобщения: помолете клиента да изпрати данните си там и не ги повтаряйте тук",
        "convo.reply": "Използвайте готовия отговор „{title}“ (страничния панел)",
        "convo.email": "имейл адрес", "convo.phone": "телефонен номер", "convo.address": "адрес", "convo.card": "номер на карта", "convo.iban": "номер на банкова сметка",
        "and": " и ",
        "limit.message": "Твърде дълго за {name}: {length} от {limit} знака.",
        "limit.why": "{name} не приема публикации над {limit} знака.",
        "limit.shorten_one": "Съкратете с 1 знак",
        "limit.shorten_many": "Съкратете с {over} знака",
        "model.resembles": " Прилича на чернови, които нарушават политиката: {drafts}.",
        "disclosure.add_line": "Добавете реда, че работите там",
        "disclosure.praise": "Защитавате или хвалите {company} в разговор за нея; кажете, че работите там.",
        "model.resembles_reply": " Съобщението, на което отговаряте, прилича на разговори, които се предават: {drafts}.",
        "suggest.mentions": "споменава {words}",
        "suggest.topic": "съобщението е: {topic}",
        "refer_only.message": "Клиентите получават помощ от официалните профили: насочете ги към „{title}“.",
        "refer_only.why": "Политиката на компанията позволява на личните профили само да насочват клиентите към "
                          "официалното място (customer_replies: refer_only); официалният екип решава проблема им.",
        "refer_only.add": "Добавете връзката към „{title}“",
    },
}


def say(lang: str | None, key: str, **values: object) -> str:
    """The built-in text `key` in `lang` (English when there is none), filled in."""
    table = pick({k: v for k, v in TEXTS.items() if k != "en"}, lang) or TEXTS["en"]
    return table.get(key, TEXTS["en"][key]).format(**values)


def joined(lang: str | None, words: list[str]) -> str:
    """"a", "a and b", "a, b and c" in `lang`."""
    if len(words) <= 2:
        return say(lang, "and").join(words)
    return ", ".join(words[:-1]) + say(lang, "and") + words[-1]
