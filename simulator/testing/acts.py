"""What a step stands for, declared beside it, so `sferum-sim record` finds the sentence that says it.

A «Когда» step declares the user's actions it performs, in order (`@acts`): a click on a button or a
link by its label, text typed into a field by the field's label, an address opened, a page reloaded,
a switch flipped on the control plane. A «Тогда» step declares what it checks (`@checks`): the screen's
heading, its notice or alert, a text on it, the screen itself, what the world gained, and the data table
or doc string it takes, read off the page. A value in a declaration is a constant, the step's own regex
group that takes it (`Group("label")`), something of the actor's (`Actor("phone")`) or a confirmation
code the simulator sent (`CODE`).

The recorder reads these from the step functions: the library stays the one place a sentence is
defined, and a new step is recordable as soon as it says what it does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])
ATTRIBUTE = "__sferum_record__"


@dataclass(frozen=True)
class Group:
    """The step's regex group of this name takes what the user used (a label, a value)."""

    name: str


@dataclass(frozen=True)
class Actor:
    """Something of the scenario's actor: a `Persona` attribute (phone, email, login, password, last_name,
    birth_date, sex, …) or a credential of one of their accounts in the world (`ACCOUNT_WORDS`)."""

    attribute: str


@dataclass(frozen=True)
class Own:
    """The actor's own value of this attribute, or whatever else the person typed, which the step's data table
    then names (| поле | значение |): a form filled field by field, some fields with values of their choosing."""

    attribute: str


@dataclass(frozen=True)
class Subject:
    """Something of the person the steps call «пользователь» (`scene.person`) while another acts: the user an
    administrator invites by their phone. A `Persona` attribute."""

    attribute: str


@dataclass(frozen=True)
class Code:
    """A confirmation code the simulator sent in the session: an SMS or e-mail code, a call's last four digits;
    `channel` (sms, email, call): only a code sent that way («код из письма» is not an SMS's)."""

    channel: str | None = None


@dataclass(frozen=True)
class Wrong:
    """Not what the actor's account takes: typed where one of these credentials of theirs goes (`Actor`'s
    attributes), and none of them, at a moment the recorder knows one («вводит неверный пароль»)."""

    attributes: tuple[str, ...]


@dataclass(frozen=True)
class Chosen:
    """A value the person makes up there and then (a new password): whatever was typed, the same wherever the
    declaration names it again (typed twice); the step makes up its own when it runs."""

    name: str


@dataclass(frozen=True)
class Named:
    """A person of the scenario, as a label names them (their full name first: a member to tick in a list): the
    group takes the word the steps call them by, in the form `forms` gives it («ученик» → «ученика»)."""

    group: Group
    forms: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Anything:
    """A label the step does not name: whatever the person clicked there (a row of a list chosen by what it says,
    which the step finds by its place: the call going on in ЭШ's «Видеоконференции»)."""


ANYTHING = Anything()
CODE = Code()
Value = str | Group | Actor | Own | Subject | Code | Wrong | Chosen | Named | Anything


# -- what a «Когда» step does ----------------------------------------------------------------------


@dataclass(frozen=True)
class Click:
    """A click on a button or a link (`role` None: either) with this label, inside the landmark named `within`."""

    label: str | Group | Named | Anything
    role: str | None = None
    within: str | None = None


@dataclass(frozen=True)
class Fill:
    """This value typed into the field with this label (a <select>'s chosen option counts as typed)."""

    label: str | Group
    value: Value


@dataclass(frozen=True)
class Open:
    """The platform's page at this path opened by its address. A `{group}` part of the path is the id of a record of
    the world, which the step names otherwise: `records[group]` is the snapshot's list and the field of the record
    the group takes («/lessons/{subject}»: the subject of the lesson whose address was typed)."""

    platform: str
    path: str = "/"
    records: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Reload:
    """The page reloaded."""


@dataclass(frozen=True)
class Switch:
    """A fault switched on (`on`) or off on the control plane, as a trainer does in the console."""

    fault: str
    on: bool


@dataclass(frozen=True)
class Wait:
    """The simulator's clock moved on, by whole `unit`s of seconds that the group takes (a trainer's «часы» in
    the console, or a countdown the person waited out)."""

    amount: Group
    unit: int = 1


@dataclass(frozen=True)
class Attach:
    """A file chosen in the file field with this label: the `name` group takes its name, `kind` the step's word for
    what it is — `picture` for an image, `other` for any other file («прикрепляет картинку|файл»). `size` and `unit`
    take its size where the size is what matters: an empty file («0 байт»), or one of a megabyte or more, in whole
    megabytes rounded up («3 МБ»: over a limit of whole megabytes still); a small file stands for any."""

    label: str
    name: Group
    kind: Group | None = None
    picture: str = "картинку"
    other: str = "файл"
    size: Group | None = None
    unit: Group | None = None
    units: tuple[str, str] = ("байт", "МБ")  # the step's words for bytes and megabytes


@dataclass(frozen=True)
class Device:
    """A «Дано» step's: the person's browser is this device of Playwright's list from here on (the app «Моя школа
    Журнал» on a phone). The recorder opens its window as that device instead of running the step."""

    name: str


Action = Click | Fill | Open | Reload | Switch | Wait | Attach | Device


# -- whose browser a step works in --------------------------------------------------------------------

SECOND_BROWSER = " во втором браузере"  # how a step says a person's second browser, after their word


@dataclass(frozen=True)
class By:
    """A step done in, or checking, another person's own browser rather than the actor's page (`page`).

    `who` is the word the cast calls that person («администратор», «классный руководитель»: the browser their own
    steps open), or the step's group that takes the word: then it is the person's second browser («ученик во
    втором браузере», opened by a «Дано»). With `second`, the step works in any browser of the person the group
    names, the actor's page included, and the `second` group says «во втором браузере» where it is a second one.
    With `own`, the group names a person at a window of their own, which the step opens for them («ученик
    присоединяется к звонку … из VK Мессенджера»). A step that declares no `by` works in the actor's page, or,
    taking no page, in none (the world, the clock).
    """

    who: str | Group
    second: Group | None = None
    own: bool = False


@dataclass(frozen=True)
class Acts:
    """A «Когда» step's actions; `screen` is the `data-screen` it starts on, `reads` its groups shown after it,
    `values` the groups this way of doing it says by constants («код из письма» for a code sent by e-mail)."""

    actions: tuple[Action, ...]
    screen: str | None = None
    reads: Mapping[str, str] = field(default_factory=dict)  # group → data-testid whose text gives it
    values: Mapping[str, str] = field(default_factory=dict)  # group → its words when these actions are done
    by: By | None = None  # whose browser the actions are done in, when not the actor's
    # What the step leaves for the checks after it when it runs (the messages written, the files sent), told the
    # same way after the person did it by hand, so a check of it can be tried in a recording: called with the
    # step's groups and the scenario's fixtures, by their names, as the step is.
    tells: Callable[..., None] | None = None


# -- what a «Тогда» step checks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """The screen's heading (an open dialog's, else the page's first) reads exactly this."""

    title: str | Group


@dataclass(frozen=True)
class Notice:
    """The screen's notice (role=status) reads this; `platform` takes the platform's name (МЭШ, VK ID);
    `on` limits the step to one platform's pages."""

    text: Group
    platform: Group | None = None
    on: str | None = None


@dataclass(frozen=True)
class Alert:
    """The screen's alert (role=alert) reads this; `platform` takes the platform's name; `on` as for Notice."""

    text: Group
    platform: Group | None = None
    on: str | None = None


@dataclass(frozen=True)
class FieldAlert:
    """A field marked invalid (aria-invalid) whose label the `label` group takes, and the error it is described
    by, which `text` takes."""

    label: Group
    text: Group


@dataclass(frozen=True)
class Shows:
    """The page shows a text like this; `{name}` parts are the step's groups (no «» inside them)."""

    text: str


@dataclass(frozen=True)
class Screen:
    """The screen is this `data-screen`; the step's groups then have these values, and those of `reads` the
    text of the element with that `data-testid` (the subject of a lesson)."""

    name: str
    values: Mapping[str, str] = field(default_factory=dict)
    reads: Mapping[str, str] = field(default_factory=dict)  # group → data-testid whose text gives it
    present: tuple[str, ...] = ()  # data-testids the screen must show (one case of a step's optional part)


@dataclass(frozen=True)
class Text:
    """The element with this `data-testid` is shown and its text is what the `text` group takes (a dialog's
    paragraph, a note on a screen); `values`: the step's other groups, constants."""

    testid: str
    text: Group
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OnlyButton:
    """The screen has a single button, whose label the group takes."""

    label: Group


@dataclass(frozen=True)
class Gained:
    """The world's event log gained an event of this kind (`linked`, `profile_created`, …) by the last action.

    `journal` takes the journal of the event (as `names` or its platform's name says it); `also` and
    `without` are event kinds that must or must not have come in the scenario so far (a link «к его учебному
    профилю» needs the profile he had before, not one made a step earlier); `via`, if given, is the platform
    the event says it was made through (a link via МАХ is not a link via VK ID); `sent`, if given, a channel a
    code went by in the scenario so far (a profile made on an e-mail got its code by e-mail).
    """

    kind: str
    journal: Group | None = None
    also: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # journal → the word the step uses, if not its title
    via: str | None = None
    sent: str | None = None


@dataclass(frozen=True)
class Unchanged:
    """The action was refused (the screen shows an alert) and the world gained none of these event kinds.

    `journal` limits the step to recordings in that journal (its sentence names it), `on` to one platform's
    pages (a МАХ account not made is told on МАХ's refusal, not on every one), `screens` to these `data-screen`s
    (a message not sent, on a chat's screen). `refused` False: no refusal is shown, the person turned back
    (VK ID's «Назад» on `screens`), and the whole recording so far gained none of the kinds.
    """

    kinds: tuple[str, ...]
    journal: str | None = None
    on: str | None = None
    screens: tuple[str, ...] = ()
    refused: bool = True


@dataclass(frozen=True)
class Joined:
    """The profile joined chats by the last action (`chats_joined` in the event log): one information
    channel of the school, whose title after «школа · » the `channel` group takes, and one other chat,
    whose title `chat` takes — exactly these."""

    channel: Group
    chat: Group


@dataclass(frozen=True)
class FileSent:
    """The last action sent a file in a chat (the event log's `chat_message` with a file): the `name` group takes its
    name, `content_type` its type. `picture` True: a picture only (image/…), False: any other file only, None: any.
    `world`: the step checks what the world keeps of it, else what the chat shows."""

    name: Group
    picture: bool | None = None
    content_type: Group | None = None
    world: bool = False


@dataclass(frozen=True)
class Table:
    """The step's data table is what the page lists under this `data-testid`, as it is now: its rows are the elements
    with it (a list's items, when it is a list), their cells the texts of each row's parts (the row's own text when it
    has none), as many as `header` names. Listing nothing is no table; `Where` says on which screens it is read."""

    testid: str
    header: tuple[str, ...]


@dataclass(frozen=True)
class DocString:
    """The step's doc string is the text of the elements with these `data-testid`s, line by line, as the screen
    shows it now; every one of them must be shown."""

    testids: tuple[str, ...]


@dataclass(frozen=True)
class Where:
    """A precondition that checks nothing by itself: the screen is one of these `data-screen`s and shows these
    `data-testid`s; the step's groups then have these values (the same list in ЭШ's tab and in VK Мессенджер is
    said «во вкладке «Сферум»» or «в Сферуме»). Alone, for a step that compares what these elements show with the
    world («это ровно те чаты …»)."""

    screens: tuple[str, ...]
    values: Mapping[str, str] = field(default_factory=dict)
    present: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attends:
    """The call on the screen has one participant, the person at the keyboard, whose own tile is marked: the `who`
    group takes the actor's word («на онлайн-уроке участники: ученик»)."""

    who: Group


@dataclass(frozen=True)
class LessonCall:
    """The world holds an online lesson's call that the last action joined or left, made during the scenario: ended
    by now if `ended`, else going on. `who` takes the actor's word when the actor alone was ever in it; None: whoever
    is in it, as another check of the declaration names them (`People` on the call screen). `values`: the step's
    other groups, constants."""

    who: Group | None
    ended: bool
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RowCount:
    """One row of the list under this `data-testid` counts something («участников: 1»): the `title` group takes the
    row's first cell, `count` the number after `word`; a list where no row, or more than one, says it is no match."""

    testid: str
    title: Group
    count: Group
    word: str


@dataclass(frozen=True)
class TypedBack:
    """A field marked invalid still holds what was typed into it: the `label` group takes its label, `value` its
    value as the field shows it (the bad input itself, not a persona's)."""

    label: Group
    value: Group


@dataclass(frozen=True)
class People:
    """The elements with this `data-testid` show people of the scenario, each by their name first («Фамилия Имя» or
    the full name): the `who` group takes the words the steps call them by, in the page's order, joined by «, »
    («учитель, ученик»). Nobody, or someone the scenario does not name, is no match. `any_order`: the step takes
    them in any order (a chat's members, listed by name), so they are said in the order the scenario knows them, its
    actor first; else as the page lists them (a call's participants, as they joined)."""

    testid: str
    who: Group
    any_order: bool = False


@dataclass(frozen=True)
class Latest:
    """The last element with this `data-testid` (the newest message of a chat) reads what the `text` group takes."""

    testid: str
    text: Group


@dataclass(frozen=True)
class Tally:
    """The recording so far, in the event log: whoever wrote in chats (`chat_message`) also started calls
    (`call_started`), as many as the `count` group takes."""

    count: Group


@dataclass(frozen=True)
class MadeChat:
    """The recording so far made one group chat by hand (`chat_created`) and added one person to it
    (`chat_members_added`): the `maker` group takes the word the steps call whoever made it, `added` the one added."""

    maker: Group
    added: Group


@dataclass(frozen=True)
class CallStarted:
    """The recording so far started one call in a chat (`call_started`), and people joined it (`call_joined`): the
    `starter` group takes the word the steps call whoever started it, in the form `forms` gives («ученик» →
    «учеником»), `who` the words of everyone who came into it, in the order they came, joined by «, »."""

    starter: Group
    who: Group
    forms: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Live:
    """The page has fetched itself live since it was loaded (simulator/static/live.js): what the person sees there
    came without a reload."""


Check = (
    Heading
    | Notice
    | Alert
    | FieldAlert
    | Shows
    | Text
    | Screen
    | OnlyButton
    | Gained
    | Unchanged
    | Joined
    | FileSent
    | Table
    | DocString
    | Where
    | Attends
    | LessonCall
    | TypedBack
    | RowCount
    | Live
    | People
    | Latest
    | Tally
    | MadeChat
    | CallStarted
)


@dataclass(frozen=True)
class Checks:
    """A «Тогда» step's checks: it is proposed when all of them hold after an action."""

    checks: tuple[Check, ...]
    by: By | None = None  # whose browser is checked, when not the actor's


def acts(
    *actions: Action,
    screen: str | None = None,
    reads: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    by: By | None = None,
    tells: Callable[..., None] | None = None,
) -> Callable[[F], F]:
    """Declare what the user does that this step stands for (a step may declare several ways)."""
    return _declare(Acts(actions, screen, dict(reads or {}), dict(values or {}), by=by, tells=tells))


def checks(*what: Check, by: By | None = None) -> Callable[[F], F]:
    """Declare what this step checks, so the recorder can propose it (a step may declare several cases)."""
    return _declare(Checks(what, by))


def _declare(declaration: Acts | Checks) -> Callable[[F], F]:
    def mark(function: F) -> F:
        setattr(function, ATTRIBUTE, (declaration, *declared(function)))
        return function

    return mark


def declared(function: Callable[..., object]) -> tuple[Acts | Checks, ...]:
    """What a step function declares, in the order the decorators read from the top."""
    found = getattr(function, ATTRIBUTE, ())
    return tuple(d for d in found if isinstance(d, Acts | Checks)) if isinstance(found, tuple) else ()


# -- what a declaration says, in the catalogue (sferum-sim steps) -----------------------------------

# Credentials the world holds for the actor, beside the persona's own fields: the recorder reads them from
# the session (the Госуслуги account the «Дано» steps made, the VK ID account's password).
ACCOUNT_WORDS = {
    "gosuslugi_login": "его логин Госуслуг",
    "gosuslugi_password": "его пароль Госуслуг",
    "vkid_password": "его пароль VK ID",
    "duplicate_phone": "его другой номер (профиль-дублёр)",
    "vkid_new_password": "его пароль VK ID, когда он новый",
    "email_password": "пароль его профиля на почте",
}
ACTOR_WORDS = {
    "phone": "его телефон",
    "email": "его почта",
    "login": "его логин",
    "password": "его пароль",
    "new_password": "его новый пароль",
    **ACCOUNT_WORDS,
}


def _said(value: Value) -> str:
    if isinstance(value, Group):
        return f"‹{value.name}›"
    if isinstance(value, Actor):
        return ACTOR_WORDS.get(value.attribute, f"его {value.attribute}")
    if isinstance(value, Code):
        return {"email": "код из письма", "sms": "код из SMS", "call": "код из звонка"}.get(
            value.channel or "", "присланный код"
        )
    if isinstance(value, Wrong):
        return "не " + " и не ".join(ACTOR_WORDS.get(a, a) for a in value.attributes)
    if isinstance(value, Own):
        return ACTOR_WORDS.get(value.attribute, f"его {value.attribute}") + " или значение из таблицы"
    if isinstance(value, Subject):
        return "пользователя " + ACTOR_WORDS.get(value.attribute, value.attribute).removeprefix("его ")
    if isinstance(value, Anything):
        return "любая"
    if isinstance(value, Chosen):
        return f"придуманное им значение ‹{value.name}›"
    if isinstance(value, Named):
        return f"имя человека сценария ‹{value.group.name}›"
    return f"«{value}»"


def _action(action: Action) -> str:
    if isinstance(action, Click):
        what = {"button": "кнопка", "link": "ссылка", None: "кнопка или ссылка"}.get(action.role, action.role)
        where = f" в «{action.within}»" if action.within else ""
        return f"{what} {_said(action.label)}{where}"
    if isinstance(action, Fill):
        return f"{_said(action.value)} в поле {_said(action.label)}"
    if isinstance(action, Open):
        return f"адрес {action.platform}{action.path}"
    if isinstance(action, Reload):
        return "обновление страницы"
    if isinstance(action, Wait):
        return f"часы вперёд на {_said(action.amount)} × {action.unit} с"
    if isinstance(action, Attach):
        kind = f" ({_said(action.kind)}: «{action.picture}» или «{action.other}»)" if action.kind else ""
        size = f", размер {_said(action.size)} {_said(action.unit)}" if action.size and action.unit else ""
        return f"файл {_said(action.name)}{kind}{size} в поле «{action.label}»"
    if isinstance(action, Device):
        return f"браузер устройства «{action.name}»"
    return f"сбой «{action.fault}» {'включён' if action.on else 'выключен'}"


def _check(check: Check) -> str:
    if isinstance(check, Live):
        return "страница обновилась сама, без перезагрузки"
    if isinstance(check, People):
        return f"люди сценария в {check.testid}: {_said(check.who)}"
    if isinstance(check, Latest):
        return f"последний {check.testid}: {_said(check.text)}"
    if isinstance(check, Tally):
        return f"в мире: звонков пишущего в чатах — {_said(check.count)}"
    if isinstance(check, CallStarted):
        return f"в мире: звонок, начатый {_said(check.starter)}, в нём {_said(check.who)}"
    if isinstance(check, MadeChat):
        return f"в мире: чат, созданный ‹{check.maker.name}›, в нём ‹{check.added.name}›"
    if isinstance(check, Heading):
        return f"заголовок {_said(check.title)}"
    if isinstance(check, Notice | Alert):
        what = "уведомление" if isinstance(check, Notice) else "ошибка"
        return f"{what} {_said(check.text)}" + (f" на {check.on}" if check.on else "")
    if isinstance(check, FieldAlert):
        return f"ошибка у поля {_said(check.label)}: {_said(check.text)}"
    if isinstance(check, Shows):
        return f"текст «{check.text}»"
    if isinstance(check, Text):
        return f"текст {check.testid}: {_said(check.text)}"
    if isinstance(check, Screen):
        return f"экран {check.name}" + "".join(f" с {testid}" for testid in check.present)
    if isinstance(check, OnlyButton):
        return f"единственная кнопка {_said(check.label)}"
    if isinstance(check, Gained):
        via = f" через {check.via}" if check.via else ""
        via += f", код по {check.sent}" if check.sent else ""
        said = f"в мире: {' + '.join((check.kind, *check.also))}{via}"
        return said + "".join(f", без {k}" for k in check.without)
    if isinstance(check, Joined):
        return f"в мире: профиль вступил в канал {_said(check.channel)} и чат {_said(check.chat)}"
    if isinstance(check, FileSent):
        sent = {True: "отправлена картинка", False: "отправлен файл, не картинка", None: "отправлен файл"}
        kind = f" типа {_said(check.content_type)}" if check.content_type else ""
        return f"{'в мире' if check.world else 'в чате'}: {sent[check.picture]} {_said(check.name)}{kind}"
    if isinstance(check, Table):
        return f"таблица | {' | '.join(check.header)} | из списка {check.testid}"
    if isinstance(check, DocString):
        return f"текст {' + '.join(check.testids)} построчно"
    if isinstance(check, Where):
        present = "".join(f" с {testid}" for testid in check.present)
        return f"на экране {' или '.join(check.screens)}{present}"
    if isinstance(check, Attends):
        return f"в звонке на экране один участник, он сам: {_said(check.who)}"
    if isinstance(check, LessonCall):
        state = "завершён" if check.ended else "идёт"
        who = f"в нём только он ({_said(check.who)})" if check.who else "в нём те, кого называет экран"
        return f"в мире: звонок онлайн-урока, {who}, {state}"
    if isinstance(check, RowCount):
        return f"строка списка {check.testid} ({_said(check.title)}): «{check.word}: {_said(check.count)}»"
    if isinstance(check, TypedBack):
        return f"поле {_said(check.label)} с ошибкой хранит введённое: {_said(check.value)}"
    where = f" на {check.on}" if check.on else ""
    where += f" (экран {', '.join(check.screens)})" if check.screens else ""
    what = "отказ" if check.refused else "ничего не сделано"
    return f"{what}{where}, в мире нет: {', '.join(check.kinds)}" + (f" ({check.journal})" if check.journal else "")


def _by(by: By | None) -> str:
    if by is None:
        return ""
    second = isinstance(by.who, Group) and by.second is None and not by.own
    whose = f"второй браузер {_said(by.who)}" if second else _said(by.who)
    return f" (в браузере: {whose})"


def describe(declarations: tuple[Acts | Checks, ...]) -> str:
    """What the recorder writes the step from («запись: …») or proposes it on («проверка: …»), in short."""
    said = []
    for declaration in declarations:
        if isinstance(declaration, Acts):
            text = " → ".join(_action(a) for a in declaration.actions)
            text += "".join(f", ‹{group}› «{words}»" for group, words in declaration.values.items())
            said.append(
                f"запись: {text}"
                + (f" (экран {declaration.screen})" if declaration.screen else "")
                + _by(declaration.by)
            )
        else:
            said.append("проверка: " + " и ".join(_check(c) for c in declaration.checks) + _by(declaration.by))
    return "; ".join(said)
