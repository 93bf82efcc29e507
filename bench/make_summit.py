"""A summit at full scale, as data files an organizer would import (SPEC §4).

    python -m bench.make_summit --delegates 20000 --out DIR [--seed 1] [--start-date YYYY-MM-DD]

Benchmarks need the shape of a real summit, not just its row counts: what costs time and
memory in the bot depends on how delegates spread over delegations, how many sessions are
`invited` (the visibility rule), and how many agenda rows each delegate has. So the data
set has

- N delegates in about 150 delegations of very uneven size (the host and a few large
  nations send hundreds, most send 20 to 100), each delegation with a main language among
  en, ar, fr, tr, fa, ur, id and ru;
- 5 days and about 600 sessions in 30 rooms, whatever N is (a programme does not grow
  with attendance): a plenary each morning, then 8 slots of parallel panels and workshops
  in the summit's six tracks, exhibition tours, bilaterals between two delegations and
  closed briefings (both `invited`, roughly a quarter of all sessions), a few signings,
  and social events each evening; titles in English with `title:ar`, `title:fr` and, for
  some, `title:ru`;
- about 40 agenda rows per delegate (about 800,000 for 20,000 delegates). Every session
  lies inside one time slot and a delegate gets at most one session per slot, so no
  delegate is double-booked; a bilateral's attendees all come from its two delegations.

Output is deterministic for a seed and written row by row, so 20,000 delegates take a
few seconds and little memory. The default first day is a fixed date in the future, not
today: the same seed must give the same bytes on any day.

The importer refuses files of more than `bot.importers.MAX_ROWS` rows (an organizer is
told to split them), so attendance beyond that is written as `attendance-01.csv`,
`attendance-02.csv`, ... of at most that many rows each; `SummitSize.files` lists every
file in the order to import them, all in one `summitbot import` run.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from bot.importers import MAX_ROWS
from tests.support.summit_files import SESSION_COLUMNS

DEFAULT_START = date(2030, 11, 4)
"""A Monday far enough ahead that every session is in the future whenever the bench runs."""

DAYS = 5
MAX_DELEGATIONS = 150
DELEGATES_PER_SMALL_DELEGATION = 20
"""Below 150 x 20 delegates there are fewer delegations, so each still has a few people."""

LANGUAGES = ("en", "ar", "fr", "tr", "fa", "ur", "id", "ru")
LANGUAGE_WEIGHTS = (30, 20, 15, 8, 7, 7, 7, 6)

# Per time slot, the chance that a delegate (not already in an invited session) attends.
PLENARY_ATTENDANCE = 0.9
PARALLEL_ATTENDANCE = 0.8
EVENING_ATTENDANCE = 0.6
PREFERRED_TRACK = 0.5
"""Chance that a delegate picks a session of their own track when the slot has one."""

SESSIONS_HEADER = (*SESSION_COLUMNS, "description", "speakers", "title:ar", "title:fr", "title:ru")
DELEGATES_HEADER = ("id", "name", "delegation", "language", "role")
ATTENDANCE_HEADER = ("delegate_id", "session_id")


@dataclass(frozen=True)
class Words:
    """One phrase in the languages the programme is translated into ("" = none)."""

    en: str
    fr: str
    ar: str
    ru: str = ""


TRACKS = (
    Words(
        "Humanitarian assistance",
        "Assistance humanitaire",
        "المساعدة الإنسانية",
        "Гуманитарная помощь",
    ),
    Words("Crisis management", "Gestion des crises", "إدارة الأزمات", "Кризисное управление"),
    Words(
        "Conflict resolution",
        "Résolution des conflits",
        "حل النزاعات",
        "Урегулирование конфликтов",
    ),
    Words("Cyber defense", "Cyberdéfense", "الدفاع السيبراني", "Киберзащита"),
    Words(
        "Defense trade controls",
        "Contrôle du commerce de défense",
        "ضوابط التجارة الدفاعية",
        "Контроль за оборонной торговлей",
    ),
    Words("Defense research", "Recherche de défense", "البحث الدفاعي", "Оборонные исследования"),
)

TOPICS = (
    Words("Lessons learned", "Retours d'expérience", "الدروس المستفادة", "Извлечённые уроки"),
    Words(
        "Regional cooperation",
        "Coopération régionale",
        "التعاون الإقليمي",
        "Региональное сотрудничество",
    ),
    Words(
        "Emerging technologies", "Technologies émergentes", "التقنيات الناشئة", "Новые технологии"
    ),
    Words(
        "Standards and interoperability",
        "Normes et interopérabilité",
        "المعايير وقابلية التشغيل البيني",
        "Стандарты и совместимость",
    ),
    Words(
        "Training and exercises",
        "Formation et exercices",
        "التدريب والتمارين",
        "Подготовка и учения",
    ),
    Words("Policy and law", "Politique et droit", "السياسات والقانون", "Политика и право"),
    Words(
        "Industry partnerships",
        "Partenariats industriels",
        "الشراكات الصناعية",
        "Партнёрство с промышленностью",
    ),
    Words("Case studies", "Études de cas", "دراسات الحالة", "Практические примеры"),
)

EXHIBITION_ZONES = (
    Words("Unmanned systems", "Systèmes sans pilote", "الأنظمة غير المأهولة"),
    Words(
        "Cyber and electronic warfare",
        "Cyber et guerre électronique",
        "الحرب السيبرانية والإلكترونية",
    ),
    Words("Land systems", "Systèmes terrestres", "الأنظمة البرية"),
    Words("Naval systems", "Systèmes navals", "الأنظمة البحرية"),
    Words("Space and satellites", "Espace et satellites", "الفضاء والأقمار الصناعية"),
    Words(
        "Medical and humanitarian logistics",
        "Logistique médicale et humanitaire",
        "الخدمات اللوجستية الطبية والإنسانية",
    ),
)

EVENINGS = (
    (
        Words(
            "Welcome reception", "Réception de bienvenue", "حفل الاستقبال", "Приветственный приём"
        ),
        Words("Desert evening", "Soirée dans le désert", "أمسية صحراوية", "Вечер в пустыне"),
    ),
    (
        Words("Gala dinner", "Dîner de gala", "عشاء رسمي", "Торжественный ужин"),
        Words("Young leaders' meetup", "Rencontre des jeunes leaders", "لقاء القادة الشباب"),
    ),
    (
        Words("Cultural evening", "Soirée culturelle", "أمسية ثقافية", "Культурный вечер"),
        Words("Industry networking", "Rencontres industrielles", "لقاء الصناعة والتواصل"),
    ),
    (
        Words("Heritage dinner", "Dîner du patrimoine", "عشاء التراث"),
        Words("Concert in the garden", "Concert au jardin", "حفل موسيقي في الحديقة"),
    ),
    (
        Words("Farewell reception", "Réception d'adieu", "حفل الوداع", "Прощальный приём"),
        Words("Farewell dinner", "Dîner d'adieu", "عشاء الوداع"),
    ),
)

OPENING = Words(
    "Opening plenary: security in a changing world",
    "Séance plénière d'ouverture : la sécurité dans un monde en mutation",
    "الجلسة العامة الافتتاحية: الأمن في عالم متغير",
    "Пленарное заседание открытия: безопасность в меняющемся мире",
)
CLOSING = Words(
    "Closing plenary and summit declaration",
    "Séance plénière de clôture et déclaration du sommet",
    "الجلسة العامة الختامية وإعلان القمة",
    "Заключительное пленарное заседание и декларация саммита",
)

PLENARY_HALL = "Plenary Hall"
EXHIBITION_HALL = "Exhibition Hall"
EVENING_ROOMS = ("Grand Ballroom", "Garden Terrace")
HALLS = tuple(f"Hall {letter}" for letter in "ABCDEFGHIJKL")
WORKSHOP_ROOMS = tuple(f"Workshop Room {number}" for number in range(1, 5))
SALONS = tuple(f"Salon {number}" for number in range(1, 9))
SIGNING_ROOM = "Salon 9"
BRIEFING_ROOM = "Briefing Room"
ROOMS = (
    PLENARY_HALL,
    EXHIBITION_HALL,
    *EVENING_ROOMS,
    *HALLS,
    *WORKSHOP_ROOMS,
    *SALONS,
    SIGNING_ROOM,
    BRIEFING_ROOM,
)

EARLY = ((8, 0), (8, 45))
PLENARY = ((9, 0), (10, 0))
PARALLEL = (
    ((10, 15), (11, 15)),
    ((11, 30), (12, 30)),
    ((12, 45), (13, 30)),
    ((13, 45), (14, 45)),
    ((15, 0), (16, 0)),
    ((16, 15), (17, 15)),
    ((17, 30), (18, 30)),
    ((18, 45), (19, 30)),
)
EVENING = ((20, 0), (22, 30))

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("James", "Emily", "Michael", "Sarah", "David", "Laura", "Thomas", "Grace"),
        ("Smith", "Johnson", "Brown", "Taylor", "Walker", "Wright", "Evans", "Clarke"),
    ),
    "ar": (
        ("Amal", "Omar", "Layla", "Youssef", "Fatima", "Karim", "Nadia", "Hassan", "أحمد", "مريم"),
        ("Haddad", "Al-Farsi", "Mansour", "Khalil", "Al-Otaibi", "Nasser", "الحداد", "المنصور"),
    ),
    "fr": (
        ("Claire", "Pierre", "Amélie", "Jean", "Sophie", "Luc", "Hélène", "Moussa"),
        ("Dubois", "Martin", "Lefèvre", "Moreau", "Girard", "Diallo", "Traoré", "Fontaine"),
    ),
    "tr": (
        ("Mehmet", "Ayşe", "Emre", "Zeynep", "Burak", "Elif", "Mustafa", "Selin"),
        ("Yılmaz", "Demir", "Kaya", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan"),
    ),
    "fa": (
        ("Reza", "Maryam", "Dariush", "Shirin", "Ali", "Parisa", "Kaveh", "Roya"),
        ("Ahmadi", "Karimi", "Hosseini", "Rahimi", "Moradi", "Jafari", "Tehrani", "Sadeghi"),
    ),
    "ur": (
        ("Imran", "Ayesha", "Bilal", "Sana", "Faisal", "Hina", "Usman", "Zainab"),
        ("Khan", "Qureshi", "Malik", "Siddiqui", "Chaudhry", "Butt", "Raza", "Sheikh"),
    ),
    "id": (
        ("Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Hendra", "Wulan"),
        ("Santoso", "Wijaya", "Pratama", "Hidayat", "Saputra", "Kusuma", "Nugroho", "Lestari"),
    ),
    "ru": (
        ("Ivan", "Olga", "Sergei", "Natalia", "Dmitri", "Irina", "Alexei", "Yelena"),
        ("Ivanov", "Petrov", "Smirnov", "Volkov", "Sokolov", "Morozov", "Lebedev", "Orlov"),
    ),
}
HONORIFICS = ("H.E.", "Gen.", "Lt. Gen.", "Col.", "Capt.", "Dr.", "Prof.", "Adm.")

_NATION_START = (
    "Val",
    "Ost",
    "Mar",
    "Kel",
    "Zan",
    "Tor",
    "Bel",
    "Dar",
    "Esk",
    "Lun",
    "Nor",
    "Ral",
    "Sar",
    "Ves",
    "Cor",
    "Ald",
    "Bri",
    "Gal",
    "Hel",
    "Ism",
    "Jor",
    "Kor",
    "Mol",
    "Pra",
    "Qua",
    "Rho",
    "Sel",
    "Tal",
    "Ura",
    "Wen",
)
_NATION_MIDDLE = ("a", "e", "o", "i", "ava", "ene", "ori", "u")
_NATION_END = ("ria", "dia", "nia", "stan", "land", "via", "sia", "mark", "ora", "ine")


@dataclass(frozen=True)
class SummitSize:
    """What was written: the counts a benchmark reports, and the files to import."""

    delegates: int
    delegations: int
    sessions: int
    invited_sessions: int
    attendance: int
    files: tuple[Path, ...]
    """sessions.csv, delegates.csv, then the attendance file(s): one `summitbot import` run."""


@dataclass
class _Delegation:
    name: str
    language: str
    first: int
    """Index of its first delegate; its delegates are first .. first + size - 1."""
    size: int


@dataclass
class _Planned:
    id: str
    title: Words
    start: datetime
    end: datetime
    room: str
    kind: str
    track: str = ""
    invited: bool = False
    cancelled: bool = False
    description: str = ""
    speakers: tuple[str, ...] = ()
    parties: tuple[int, ...] = ()
    """Delegations whose members attend an invited session."""

    def row(self) -> tuple[str, ...]:
        return (
            self.id,
            self.title.en,
            self.start.strftime("%Y-%m-%dT%H:%M"),
            self.end.strftime("%Y-%m-%dT%H:%M"),
            self.room,
            self.track,
            self.kind,
            "invited" if self.invited else "all",
            "cancelled" if self.cancelled else "scheduled",
            self.description,
            ";".join(self.speakers),
            self.title.ar,
            self.title.fr,
            self.title.ru,
        )


@dataclass
class _Slot:
    kind: str
    """early | plenary | parallel | evening: decides who attends and how."""
    start: datetime
    end: datetime
    sessions: list[_Planned] = field(default_factory=list)


def make_summit(
    out: Path,
    delegates: int = 20000,
    seed: int = 1,
    start: date | None = None,
    *,
    rows_per_file: int = MAX_ROWS,
) -> SummitSize:
    """Write the summit's files into `out` (created if needed) and return what they hold."""
    if delegates < 2:
        raise ValueError("a summit needs at least two delegates (bilaterals have two sides)")
    if rows_per_file < 1:
        raise ValueError("rows_per_file must be positive")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    delegations = _delegations(rng, delegates)
    ids = _delegate_ids(delegates)
    slots = _programme(rng, delegations, start or DEFAULT_START)
    sessions = [session for slot in slots for session in slot.sessions]

    sessions_path = out / "sessions.csv"
    with sessions_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(SESSIONS_HEADER)
        writer.writerows(session.row() for session in sessions)

    delegates_path = out / "delegates.csv"
    with delegates_path.open("w", encoding="utf-8", newline="") as stream:
        _write_delegates(rng, csv.writer(stream, lineterminator="\n"), delegations, ids)

    preferences = bytes(rng.randrange(len(TRACKS)) for _ in range(delegates))
    with _PartWriter(out, "attendance", ATTENDANCE_HEADER, rows_per_file) as attendance:
        for slot in slots:
            _attend(rng, slot, delegations, ids, preferences, attendance)

    return SummitSize(
        delegates=delegates,
        delegations=len(delegations),
        sessions=len(sessions),
        invited_sessions=sum(session.invited for session in sessions),
        attendance=attendance.rows,
        files=(sessions_path, delegates_path, *attendance.paths),
    )


def _delegate_ids(count: int) -> list[str]:
    width = max(5, len(str(count)))
    return [f"D{number:0{width}d}" for number in range(1, count + 1)]


def _delegations(rng: random.Random, delegates: int) -> list[_Delegation]:
    """About 150 delegations, largest first, sized like a real summit's.

    Shares fall off as 1/(rank + 5): for 20,000 delegates the host sends over 1,000, about
    15 delegations send 300 or more, and most send between 20 and 100.
    """
    count = max(2, min(MAX_DELEGATIONS, delegates // DELEGATES_PER_SMALL_DELEGATION))
    weights = [1 / (rank + 5) for rank in range(count)]
    total = sum(weights)
    shares = [delegates * weight / total for weight in weights]
    sizes = [max(1, int(share)) for share in shares]
    # Hand out what rounding left (or take back what the minimum of one added), largest
    # fractions first, never leaving a delegation empty.
    order = sorted(range(count), key=lambda i: sizes[i] - shares[i])
    surplus = delegates - sum(sizes)
    for step in range(abs(surplus)):
        if surplus > 0:
            sizes[order[step % count]] += 1
        else:
            sizes[max(range(count), key=sizes.__getitem__)] -= 1
    names = _nation_names(rng, count)
    # Every language is some delegation's (when there are enough delegations), the rest
    # follow the weights.
    languages = list(LANGUAGES[:count])
    languages += rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS, k=count - len(languages))
    rng.shuffle(languages)
    result = []
    first = 0
    for name, language, size in zip(names, languages, sizes, strict=True):
        result.append(_Delegation(name, language, first, size))
        first += size
    return result


def _nation_names(rng: random.Random, count: int) -> list[str]:
    """Made-up nation names: a benchmark should not stage meetings between real states."""
    names: dict[str, None] = {}
    for _ in range(count * 100):
        if len(names) == count:
            break
        name = rng.choice(_NATION_START) + rng.choice(_NATION_MIDDLE) + rng.choice(_NATION_END)
        names[name.capitalize()] = None
    for number in range(len(names), count):  # only if the syllables ran out
        names[f"Nation {number + 1}"] = None
    return list(names)


def _write_delegates(
    rng: random.Random,
    writer: Any,
    delegations: Sequence[_Delegation],
    ids: Sequence[str],
) -> None:
    """Delegates grouped by delegation, as registration lists come. A few leave the
    language empty (the bot then uses Telegram's), a fifth of the main delegation's
    language switch to English, and the host's first five are the secretariat."""
    writer.writerow(DELEGATES_HEADER)
    for number, delegation in enumerate(delegations):
        firsts, lasts = NAMES[delegation.language]
        for index in range(delegation.first, delegation.first + delegation.size):
            name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
            if rng.random() < 0.2:
                name = f"{rng.choice(HONORIFICS)} {name}"
            draw = rng.random()
            language = "" if draw < 0.05 else "en" if draw < 0.25 else delegation.language
            organizer = number == 0 and index - delegation.first < 5
            role = "organizer" if organizer else "delegate"
            writer.writerow((ids[index], name, delegation.name, language, role))


def _programme(
    rng: random.Random, delegations: Sequence[_Delegation], first_day: date
) -> list[_Slot]:
    """The sessions of every time slot, in time order; ids follow that order."""
    slots: list[_Slot] = []
    sizes = [delegation.size for delegation in delegations]
    counter = iter(range(1, 10_000))

    def new_id() -> str:
        return f"S{next(counter):04d}"

    def at(day: date, hour_minute: tuple[int, int]) -> datetime:
        return datetime.combine(day, time(*hour_minute))

    def pair() -> tuple[int, int]:
        # Large delegations hold more bilaterals: pick both sides by size.
        for _ in range(20):
            a, b = rng.choices(range(len(delegations)), weights=sizes, k=2)
            if a != b:
                return a, b
        return 0, 1

    for day_index in range(DAYS):
        day = first_day + timedelta(days=day_index)
        early = _Slot("early", at(day, EARLY[0]), at(day, EARLY[1]))
        for room in (BRIEFING_ROOM, *SALONS[:2]):
            early.sessions.append(_briefing(rng, new_id(), early, room, sizes))
        slots.append(early)

        plenary = _Slot("plenary", at(day, PLENARY[0]), at(day, PLENARY[1]))
        if day_index == 0:
            title = OPENING
        elif day_index == DAYS - 1:
            title = CLOSING
        else:
            theme = TRACKS[(day_index - 1) % len(TRACKS)]
            title = Words(
                f"Plenary: {theme.en}",
                f"Séance plénière : {theme.fr}",
                f"جلسة عامة: {theme.ar}",
                f"Пленарное заседание: {theme.ru}",
            )
        plenary.sessions.append(
            _Planned(
                new_id(),
                title,
                plenary.start,
                plenary.end,
                PLENARY_HALL,
                "plenary",
                speakers=_speakers(rng, 3),
            )
        )
        slots.append(plenary)

        for slot_index, (begin, end) in enumerate(PARALLEL):
            slot = _Slot("parallel", at(day, begin), at(day, end))
            first_track = rng.randrange(len(TRACKS))
            for position, room in enumerate(rng.sample(HALLS, rng.randint(6, 9))):
                track = TRACKS[(first_track + position) % len(TRACKS)]
                slot.sessions.append(_panel(rng, new_id(), slot, room, track))
            for room in rng.sample(WORKSHOP_ROOMS, rng.randint(1, 2)):
                track = rng.choice(TRACKS)
                topic = rng.choice(TOPICS)
                title = Words(
                    f"Workshop: {track.en} — {topic.en}",
                    f"Atelier : {track.fr} — {topic.fr}",
                    f"ورشة عمل: {track.ar} — {topic.ar}",
                    f"Семинар: {track.ru} — {topic.ru}" if rng.random() < 0.3 else "",
                )
                slot.sessions.append(
                    _Planned(new_id(), title, slot.start, slot.end, room, "workshop", track.en)
                )
            if rng.random() < 0.9:
                zone = EXHIBITION_ZONES[(day_index * len(PARALLEL) + slot_index) % 6]
                title = Words(
                    f"Exhibition tour: {zone.en}",
                    f"Visite de l'exposition : {zone.fr}",
                    f"جولة في المعرض: {zone.ar}",
                )
                slot.sessions.append(
                    _Planned(
                        new_id(),
                        title,
                        slot.start,
                        slot.end,
                        EXHIBITION_HALL,
                        "exhibition",
                        "Exhibition",
                    )
                )
            for room in rng.sample(SALONS, rng.randint(2, 6)):
                a, b = pair()
                names = f"{delegations[a].name} – {delegations[b].name}"
                title = Words(
                    f"Bilateral: {names}",
                    f"Entretien bilatéral : {names}",
                    f"اجتماع ثنائي: {names}",
                )
                length = timedelta(minutes=rng.choice((30, 45)))
                slot.sessions.append(
                    _Planned(
                        new_id(),
                        title,
                        slot.start,
                        min(slot.end, slot.start + length),
                        room,
                        "bilateral",
                        invited=True,
                        parties=(a, b),
                    )
                )
            if rng.random() < 0.4:
                slot.sessions.append(_briefing(rng, new_id(), slot, BRIEFING_ROOM, sizes))
            if rng.random() < 0.25:
                a, b = pair()
                names = f"{delegations[a].name} – {delegations[b].name}"
                title = Words(
                    f"Signing ceremony: {names} memorandum of understanding",
                    f"Cérémonie de signature : protocole d'accord {names}",
                    f"مراسم توقيع: مذكرة تفاهم {names}",
                )
                slot.sessions.append(
                    _Planned(new_id(), title, slot.start, slot.end, SIGNING_ROOM, "signing")
                )
            slots.append(slot)

        evening = _Slot("evening", at(day, EVENING[0]), at(day, EVENING[1]))
        for room, title in zip(EVENING_ROOMS, EVENINGS[day_index % len(EVENINGS)], strict=True):
            evening.sessions.append(
                _Planned(new_id(), title, evening.start, evening.end, room, "social")
            )
        slots.append(evening)
    return slots


def _panel(rng: random.Random, session_id: str, slot: _Slot, room: str, track: Words) -> _Planned:
    topic = rng.choice(TOPICS)
    title = Words(
        f"{track.en}: {topic.en}",
        f"{track.fr} : {topic.fr}",
        f"{track.ar}: {topic.ar}",
        f"{track.ru}: {topic.ru}" if rng.random() < 0.35 else "",
    )
    return _Planned(
        session_id,
        title,
        slot.start,
        slot.end,
        room,
        "panel",
        track.en,
        cancelled=rng.random() < 0.01,
        description=f"Panel discussion on {topic.en.lower()} in {track.en.lower()}.",
        speakers=_speakers(rng, rng.randint(2, 4)),
    )


def _briefing(
    rng: random.Random, session_id: str, slot: _Slot, room: str, sizes: Sequence[int]
) -> _Planned:
    """A closed briefing for a handful of delegations (chosen by size, as for bilaterals)."""
    track = rng.choice(TRACKS)
    title = Words(
        f"Closed briefing: {track.en}",
        f"Briefing restreint : {track.fr}",
        f"إحاطة مغلقة: {track.ar}",
        f"Закрытый брифинг: {track.ru}",
    )
    parties = tuple(
        dict.fromkeys(rng.choices(range(len(sizes)), weights=sizes, k=rng.randint(3, 6)))
    )
    return _Planned(
        session_id,
        title,
        slot.start,
        slot.end,
        room,
        "briefing",
        track.en,
        invited=True,
        parties=parties,
    )


def _speakers(rng: random.Random, count: int) -> tuple[str, ...]:
    speakers = []
    for _ in range(count):
        firsts, lasts = NAMES[rng.choice(LANGUAGES)]
        speakers.append(f"{rng.choice(HONORIFICS)} {rng.choice(firsts)} {rng.choice(lasts)}")
    return tuple(speakers)


def _attend(
    rng: random.Random,
    slot: _Slot,
    delegations: Sequence[_Delegation],
    ids: Sequence[str],
    preferences: bytes,
    out: _PartWriter,
) -> None:
    """Write one slot's attendance: invited sessions first, then open ones for the rest.

    `busy` marks who already has a session in this slot, so nobody gets two.
    """
    busy = bytearray(len(ids))
    open_sessions: list[_Planned] = []
    for session in slot.sessions:
        if not session.invited:
            open_sessions.append(session)
            continue
        # A bilateral brings 2-5 people from each side; a briefing 1-4 from each.
        low, high = (2, 5) if session.kind == "bilateral" else (1, 4)
        for party in session.parties:
            delegation = delegations[party]
            wanted = rng.randint(low, high)
            members = range(delegation.first, delegation.first + delegation.size)
            candidates = rng.sample(members, min(len(members), wanted * 2))
            for index in [i for i in candidates if not busy[i]][:wanted]:
                busy[index] = 1
                out.write(ids[index], session.id)
    if not open_sessions:
        return
    if slot.kind == "plenary":
        chance = PLENARY_ATTENDANCE
    elif slot.kind == "evening":
        chance = EVENING_ATTENDANCE
    else:
        chance = PARALLEL_ATTENDANCE
    by_track: list[list[str]] = [[] for _ in TRACKS]
    for session in open_sessions:
        for number, track in enumerate(TRACKS):
            if session.track == track.en:
                by_track[number].append(session.id)
    everything = [session.id for session in open_sessions]
    draw = rng.random
    choose = rng.choice
    write = out.write
    for index, delegate_id in enumerate(ids):
        if busy[index] or draw() >= chance:
            continue
        own = by_track[preferences[index]]
        write(delegate_id, choose(own) if own and draw() < PREFERRED_TRACK else choose(everything))


class _PartWriter:
    """A CSV written as parts of at most `limit` rows, each with the header.

    Parts are `<stem>-01.csv`, `<stem>-02.csv`, ...; a single part is renamed to
    `<stem>.csv` at the end. Earlier output of this writer in the folder is removed first,
    so a glob such as `attendance*.csv` never picks up a stale part of a bigger run.
    """

    def __init__(self, folder: Path, stem: str, header: Sequence[str], limit: int) -> None:
        self.folder = folder
        self.stem = stem
        self.header = header
        self.limit = limit
        self.rows = 0
        self.paths: list[Path] = []
        self._in_part = 0
        self._stream: IO[str] | None = None
        self._writer: Any = None
        for stale in [folder / f"{stem}.csv", *folder.glob(f"{stem}-[0-9][0-9]*.csv")]:
            stale.unlink(missing_ok=True)

    def __enter__(self) -> _PartWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def write(self, *row: str) -> None:
        if self._writer is None or self._in_part == self.limit:
            self._next_part()
        self._writer.writerow(row)
        self._in_part += 1
        self.rows += 1

    def _next_part(self) -> None:
        if self._stream is not None:
            self._stream.close()
        path = self.folder / f"{self.stem}-{len(self.paths) + 1:02d}.csv"
        self.paths.append(path)
        self._stream = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._stream, lineterminator="\n")
        self._writer.writerow(self.header)
        self._in_part = 0

    def close(self) -> None:
        if self._stream is None:
            self._next_part()  # no rows at all: still a valid file with its header
        assert self._stream is not None
        self._stream.close()
        if len(self.paths) == 1:
            single = self.folder / f"{self.stem}.csv"
            self.paths[0].replace(single)
            self.paths[0] = single


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.make_summit",
        description="Write a full-size summit (sessions, delegates, attendance CSV).",
    )
    parser.add_argument("--delegates", type=int, default=20000, metavar="N")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--start-date",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help=f"first day of the summit (default {DEFAULT_START.isoformat()})",
    )
    parser.add_argument(
        "--rows-per-file",
        type=int,
        default=MAX_ROWS,
        metavar="N",
        help=f"attendance rows per file (default {MAX_ROWS}, the import limit)",
    )
    args = parser.parse_args(argv)
    try:
        size = make_summit(
            args.out, args.delegates, args.seed, args.start_date, rows_per_file=args.rows_per_file
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(
        f"{size.delegates} delegates in {size.delegations} delegations, {size.sessions} sessions "
        f"({size.invited_sessions} invited), {size.attendance} attendance rows "
        f"in {len(size.files) - 2} file(s)"
    )
    print("import with: summitbot import " + " ".join(str(path) for path in size.files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
