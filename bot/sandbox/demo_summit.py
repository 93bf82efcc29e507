"""A realistic three-day summit for `summitbot demo`, dated relative to a given first day.

The demo has to show the product at its best to someone who has never seen it: `/agenda
today` must not be empty, the Arabic and French titles must be there, a bilateral meeting must
be visible to its two delegations and invisible to everyone else, and a cancelled session must
show how cancellations look. So the programme is hand-written rather than generated, and only
its dates move: the demo passes today's date and the summit is always "happening now".

Everything here is fictional: the delegations are invented nations (never real countries, so
that no bilateral meeting reads as a political statement) and the people are invented names.

The files are produced with the `csv` module in exactly the formats of SPEC §4, so the demo
loads them through the same importer an organizer would use — the demo exercises the real path.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["DemoPersona", "DemoSummit", "build_demo_summit"]

DAYS = 3

# Column orders: the SPEC headers first, optional columns after.
SESSION_COLUMNS = (
    "id",
    "title",
    "start",
    "end",
    "room",
    "track",
    "kind",
    "audience",
    "status",
    "speakers",
    "description",
    "title:ar",
    "title:fr",
)
DELEGATE_COLUMNS = ("id", "name", "delegation", "language", "role")
ATTENDANCE_COLUMNS = ("delegate_id", "session_id")

# French typography puts a no-break space before a colon; it also keeps phones from wrapping
# the colon onto a line of its own.
_NBSP = "\u00a0"


@dataclass(frozen=True)
class DemoPersona:
    """Someone the person at the terminal can play: a delegate row plus a Telegram account."""

    delegate_id: str
    name: str
    delegation: str
    language: str
    telegram_user_id: int
    organizer: bool


@dataclass(frozen=True)
class DemoSummit:
    """The import files of the demo summit and the people worth playing in it.

    `personas[0]` is the delegate the person plays by default, `personas[1]` a delegate of
    another delegation (with a bilateral meeting the first one must not see) and `personas[2]`
    an organizer.
    """

    files: dict[str, bytes]
    personas: tuple[DemoPersona, ...]
    first_day: date
    days: int

    @property
    def default_persona(self) -> DemoPersona:
        return self.personas[0]


# --- rooms and tracks ------------------------------------------------------------------------

PLENARY_HALL = "Plenary Hall"
ROOM_1 = "Al Multaqa Room 1"
ROOM_2 = "Al Multaqa Room 2"
ROOM_3 = "Al Multaqa Room 3"
DIWAN = "Diwan Briefing Room"
SUITE_A = "Bilateral Suite A"
SUITE_B = "Bilateral Suite B"
EXHIBITION_HALL = "Exhibition Hall"
BALLROOM = "Grand Ballroom"

HADR = "Humanitarian Assistance & Disaster Relief"
CRISIS = "Crisis Management"
MEDIATION = "Conflict Resolution & Mediation"
CYBER = "Cyber Defense"
TRADE = "Defense Trade Controls"
RESEARCH = "Defense Research & Innovation"


# --- people ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Delegation:
    code: str
    name: str
    name_ar: str
    name_fr: str
    """The name in the summit's other official languages, for translated titles."""
    members: tuple[tuple[str, str], ...]
    """(name, language) pairs; the first two are the head and deputy head of delegation."""


_DELEGATIONS: tuple[_Delegation, ...] = (
    _Delegation(
        "XAN",
        "Xandria",
        "زاندريا",
        "Xandrie",
        (
            ("Daniel Whitmore", "en"),
            ("Sarah Okafor", "en"),
            ("Rashid Karimov", "ru"),
            ("Helen Marsh", "en"),
        ),
    ),
    _Delegation(
        "VAL",
        "Valdoria",
        "فالدوريا",
        "Valdorie",
        (
            ("Camille Laurent", "fr"),
            ("Julien Moreau", "fr"),
            ("Amira Benali", "ar"),
            ("Lucas Ferrand", "fr"),
        ),
    ),
    _Delegation(
        "NOR",
        "Norvania",
        "نورفانيا",
        "Norvanie",
        (
            ("Irina Volkova", "ru"),
            ("Dmitri Sokolov", "ru"),
            ("Anna Lindqvist", "en"),
            ("Pavel Orlov", "ru"),
        ),
    ),
    _Delegation(
        "EST",
        "Estmark",
        "إستمارك",
        "Estmark",
        (
            ("Thomas Keller", "en"),
            ("Ingrid Halvorsen", "en"),
            ("Yusuf Demir", "tr"),
            ("Claire Dubois", "fr"),
        ),
    ),
    _Delegation(
        "COR",
        "Corvinia",
        "كورفينيا",
        "Corvinie",
        (
            ("Elif Yıldız", "tr"),
            ("Murat Aksoy", "tr"),
            ("Selin Kaya", "tr"),
            ("Kerem Arslan", "en"),
        ),
    ),
    _Delegation(
        "LUM",
        "Lumera",
        "لوميرا",
        "Lumera",
        (
            ("Siti Rahmawati", "id"),
            ("Budi Santoso", "id"),
            ("Dewi Lestari", "id"),
            ("Arief Nugroho", "en"),
        ),
    ),
    _Delegation(
        "TAR",
        "Tarsis",
        "ترسيس",
        "Tarsis",
        (
            ("Dariush Farahani", "fa"),
            ("Shirin Tehrani", "fa"),
            ("Kaveh Rostami", "fa"),
            ("Leila Moradi", "en"),
        ),
    ),
    _Delegation(
        "OPH",
        "Ophira",
        "أوفيرا",
        "Ophira",
        (
            ("Khalid Al-Amin", "ar"),
            ("Fatima Haddad", "ar"),
            ("Omar Nasser", "ar"),
            ("Layla Mansour", "fr"),
        ),
    ),
    _Delegation(
        "BEL",
        "Belmarre",
        "بيلمار",
        "Belmarre",
        (
            ("Imran Qureshi", "ur"),
            ("Ayesha Siddiqui", "ur"),
            ("Bilal Chaudhry", "ur"),
            ("Sana Malik", "en"),
        ),
    ),
    _Delegation(
        "ZEP",
        "Zephyria",
        "زفيريا",
        "Zéphyrie",
        (
            ("Youssef Al-Rashid", "ar"),
            ("Noor Saleh", "ar"),
            ("Hassan Darwish", "ar"),
            ("Mona Khalil", "en"),
        ),
    ),
)

SECRETARIAT = "Secretariat"
_ORGANIZERS: tuple[tuple[str, str, str], ...] = (
    ("SEC-01", "Noura Al-Mansouri", "en"),
    ("SEC-02", "Pierre Lambert", "fr"),
)


def _delegate_id(code: str, index: int) -> str:
    return f"{code}-{index + 1:02d}"


def _head(code: str) -> str:
    return _delegate_id(code, 0)


def _deputy(code: str) -> str:
    return _delegate_id(code, 1)


DEFAULT_DELEGATE = _head("XAN")  # Daniel Whitmore, Xandria
OTHER_DELEGATE = _head("VAL")  # Camille Laurent, Valdoria
ORGANIZER = "SEC-01"  # Noura Al-Mansouri, Secretariat

# Telegram accounts of the personas inside the emulator (nothing real is ever contacted).
_PERSONA_ACCOUNTS = {DEFAULT_DELEGATE: 1001, OTHER_DELEGATE: 1002, ORGANIZER: 1003}


# --- the programme ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Session:
    id: str
    day: int
    start: str
    end: str
    title: str
    room: str
    kind: str
    track: str = ""
    speakers: tuple[str, ...] = ()
    description: str = ""
    ar: str = ""
    fr: str = ""
    cancelled: bool = False
    between: tuple[str, str] | None = None
    """For a bilateral: the codes of the two delegations that meet."""

    @property
    def audience(self) -> str:
        return "invited" if self.kind in ("bilateral", "briefing") else "all"


def _bilateral(
    sid: str, day: int, start: str, end: str, room: str, a: str, b: str, topic: str
) -> _Session:
    first, second = (next(d for d in _DELEGATIONS if d.code == code) for code in (a, b))
    return _Session(
        sid,
        day,
        start,
        end,
        f"Bilateral Meeting: {first.name} – {second.name}",
        room,
        "bilateral",
        description=topic,
        ar=f"اجتماع ثنائي: {first.name_ar} – {second.name_ar}",
        fr=f"Entretien bilatéral{_NBSP}: {first.name_fr} – {second.name_fr}",
        between=(a, b),
    )


OPENING = "d1-opening"
_SG = "H.E. Dr. Rania Al-Suwaidi"  # Secretary-General of the summit
_HOST_MINISTER = "H.E. Minister Faisal Al-Harbi"

_PROGRAMME: tuple[_Session, ...] = (
    # --- day 1 --------------------------------------------------------------------------------
    _Session(
        "d1-expo",
        0,
        "08:30",
        "18:00",
        "International Defense Exhibition — Day 1",
        EXHIBITION_HALL,
        "exhibition",
        description="More than 300 exhibitors: land, sea, air, space, cyber and C4ISR.",
        ar="المعرض الدولي للدفاع — اليوم الأول",
        fr="Salon international de la défense — 1er jour",
    ),
    _Session(
        OPENING,
        0,
        "09:00",
        "09:45",
        "Opening Ceremony & Welcome Address",
        PLENARY_HALL,
        "plenary",
        speakers=(_SG, _HOST_MINISTER),
        description="Delegates are asked to be seated by 08:45.",
        ar="حفل الافتتاح وكلمة الترحيب",
        fr="Cérémonie d'ouverture et allocution de bienvenue",
    ),
    _Session(
        "d1-keynote",
        0,
        "09:45",
        "10:30",
        "Keynote: Security in an Age of Converging Threats",
        PLENARY_HALL,
        "plenary",
        speakers=("Gen. (ret.) Marcus Holloway",),
        ar="الكلمة الرئيسية: الأمن في عصر التهديدات المتشابكة",
        fr=f"Discours principal{_NBSP}: la sécurité à l'ère des menaces convergentes",
    ),
    _Session(
        "d1-hadr",
        0,
        "11:00",
        "12:15",
        "Humanitarian Assistance & Disaster Relief: Civil–Military Coordination",
        ROOM_1,
        "panel",
        track=HADR,
        speakers=("Dr. Priya Raman", "Brig. Gen. Tariq Mahmood", "Ms. Ingrid Solberg"),
        description="Who leads, who supports, and how militaries hand over to civilian relief.",
        ar="المساعدات الإنسانية والإغاثة في حالات الكوارث: التنسيق المدني العسكري",
        fr=(
            "Assistance humanitaire et secours en cas de catastrophe"
            f"{_NBSP}: coordination civilo-militaire"
        ),
    ),
    _Session(
        "d1-cyber",
        0,
        "11:00",
        "12:15",
        "Cyber Defense of Critical Infrastructure: Power, Water and Ports",
        ROOM_2,
        "panel",
        track=CYBER,
        speakers=("Dr. Elena Petrova", "Cdr. Hiroshi Tanabe", "Mr. Kwame Asante"),
        ar="الدفاع السيبراني عن البنية التحتية الحيوية: الطاقة والمياه والموانئ",
        fr=f"Cyberdéfense des infrastructures critiques{_NBSP}: énergie, eau et ports",
    ),
    _bilateral(
        "d1-bil-xan-val",
        0,
        "12:30",
        "13:15",
        SUITE_A,
        "XAN",
        "VAL",
        "Joint training, port visits and the renewal of the 2019 defense cooperation agreement.",
    ),
    _bilateral(
        "d1-bil-cor-lum",
        0,
        "12:30",
        "13:15",
        SUITE_B,
        "COR",
        "LUM",
        "Coast guard cooperation and search and rescue at sea.",
    ),
    _Session(
        "d1-crisis",
        0,
        "14:00",
        "15:15",
        "Crisis Management: Lessons from Regional Emergencies",
        ROOM_1,
        "panel",
        track=CRISIS,
        speakers=("Amb. Jean-Luc Marchetti", "Col. Samuel Adeyemi"),
        ar="إدارة الأزمات: دروس مستفادة من حالات الطوارئ الإقليمية",
        fr=f"Gestion de crise{_NBSP}: les leçons des situations d'urgence régionales",
    ),
    _Session(
        "d1-brief-maritime",
        0,
        "14:00",
        "15:00",
        "Closed Briefing: Maritime Security Outlook",
        DIWAN,
        "briefing",
        speakers=("Vice Adm. Catherine Brandt",),
        description="Heads of delegation only. No devices beyond this point.",
        ar="إحاطة مغلقة: آفاق الأمن البحري",
        fr=f"Séance d'information à huis clos{_NBSP}: perspectives de la sécurité maritime",
    ),
    _bilateral(
        "d1-bil-val-nor",
        0,
        "14:00",
        "14:45",
        SUITE_B,
        "VAL",
        "NOR",
        "Arctic search and rescue, and a possible joint exercise next spring.",
    ),
    _Session(
        "d1-ws-cyber",
        0,
        "15:30",
        "17:00",
        "Workshop: Tabletop Exercise on Cyber Incident Response",
        ROOM_3,
        "workshop",
        track=CYBER,
        speakers=("Dr. Elena Petrova", "Lt. Col. Maya Richter"),
        description='Bring a laptop. Scenario: "Operation Blackout", a grid attack at 03:00.',
    ),
    _bilateral(
        "d1-bil-est-tar",
        0,
        "15:30",
        "16:15",
        SUITE_A,
        "EST",
        "TAR",
        "Demining assistance and the exchange of liaison officers.",
    ),
    _Session(
        "d1-reception",
        0,
        "19:30",
        "21:30",
        "Welcome Reception",
        BALLROOM,
        "social",
        description="Hosted by the Secretary-General. Business attire or national dress.",
        ar="حفل الاستقبال الترحيبي",
        fr="Réception de bienvenue",
    ),
    # --- day 2 --------------------------------------------------------------------------------
    _Session(
        "d2-expo",
        1,
        "08:30",
        "18:00",
        "International Defense Exhibition — Day 2",
        EXHIBITION_HALL,
        "exhibition",
        ar="المعرض الدولي للدفاع — اليوم الثاني",
        fr="Salon international de la défense — 2e jour",
    ),
    _Session(
        "d2-plenary",
        1,
        "09:00",
        "10:00",
        "Ministerial Plenary: Collective Security and Regional Stability",
        PLENARY_HALL,
        "plenary",
        speakers=(_HOST_MINISTER, "H.E. Minister Anneliese Vogt", "H.E. Minister Kofi Mensah"),
        ar="الجلسة العامة الوزارية: الأمن الجماعي والاستقرار الإقليمي",
        fr=f"Séance plénière ministérielle{_NBSP}: sécurité collective et stabilité régionale",
    ),
    _Session(
        "d2-keynote",
        1,
        "10:00",
        "10:45",
        "Keynote: Innovation, Industry and the Future of Defense",
        PLENARY_HALL,
        "plenary",
        speakers=("Prof. Aylin Demirci",),
        ar="الكلمة الرئيسية: الابتكار والصناعة ومستقبل الدفاع",
        fr=f"Discours principal{_NBSP}: innovation, industrie et avenir de la défense",
    ),
    _Session(
        "d2-mediation",
        1,
        "11:00",
        "12:15",
        "Conflict Resolution & Mediation: Keeping Ceasefires Alive",
        ROOM_1,
        "panel",
        track=MEDIATION,
        speakers=("Amb. Jean-Luc Marchetti", "Dr. Hana Al-Khatib", "Mr. Tomás Ibarra"),
        ar="حل النزاعات والوساطة: الحفاظ على صمود وقف إطلاق النار",
        fr=f"Résolution des conflits et médiation{_NBSP}: faire durer les cessez-le-feu",
    ),
    _Session(
        "d2-trade",
        1,
        "11:00",
        "12:15",
        "Defense Trade Controls: Export Licensing, End-Use Assurances and Compliance",
        ROOM_2,
        "panel",
        track=TRADE,
        speakers=("Ms. Rebecca Thornton", "Dr. Omar Farouk"),
        ar="ضوابط التجارة الدفاعية: تراخيص التصدير وضمانات الاستخدام النهائي والامتثال",
        fr=(
            f"Contrôle des transferts de matériels de défense{_NBSP}: licences d'exportation, "
            "garanties d'utilisation finale et conformité"
        ),
    ),
    _bilateral(
        "d2-bil-xan-nor",
        1,
        "11:00",
        "11:45",
        SUITE_A,
        "XAN",
        "NOR",
        "Final text of the memorandum on defense research cooperation.",
    ),
    _Session(
        "d2-cyber-share",
        1,
        "12:30",
        "13:30",
        "Cyber Defense: Building a Regional Information-Sharing Network",
        ROOM_2,
        "panel",
        track=CYBER,
        speakers=("Cdr. Hiroshi Tanabe", "Ms. Leyla Aliyeva"),
        description="Cancelled: the moderator's flight was diverted.",
        ar="الدفاع السيبراني: بناء شبكة إقليمية لتبادل المعلومات",
        fr=f"Cyberdéfense{_NBSP}: bâtir un réseau régional de partage d'informations",
        cancelled=True,
    ),
    _bilateral(
        "d2-bil-val-oph",
        1,
        "12:30",
        "13:15",
        SUITE_B,
        "VAL",
        "OPH",
        "Peacekeeping rotations and medical evacuation support.",
    ),
    _bilateral(
        "d2-bil-bel-zep",
        1,
        "12:30",
        "13:15",
        SUITE_A,
        "BEL",
        "ZEP",
        "Counter-piracy patrols in shared waters.",
    ),
    _Session(
        "d2-research",
        1,
        "14:00",
        "15:15",
        "Defense Research & Innovation: From Lab to Field",
        ROOM_1,
        "panel",
        track=RESEARCH,
        speakers=("Prof. Aylin Demirci", "Dr. Viktor Almann", "Ms. Grace Nakamura"),
        ar="البحث والابتكار الدفاعي: من المختبر إلى الميدان",
        fr=f"Recherche et innovation de défense{_NBSP}: du laboratoire au terrain",
    ),
    _Session(
        "d2-ws-hadr",
        1,
        "14:00",
        "15:30",
        "Workshop: Negotiating Humanitarian Access in Contested Areas",
        ROOM_3,
        "workshop",
        track=HADR,
        speakers=("Dr. Priya Raman", "Mr. Tomás Ibarra"),
        ar="ورشة عمل: التفاوض بشأن وصول المساعدات الإنسانية في المناطق المتنازع عليها",
        fr=f"Atelier{_NBSP}: négocier l'accès humanitaire dans les zones disputées",
    ),
    _Session(
        "d2-brief-drones",
        1,
        "15:45",
        "16:30",
        "Closed Briefing: Counter-Drone Threat Assessment",
        DIWAN,
        "briefing",
        speakers=("Brig. Gen. Tariq Mahmood",),
        description="Classified at the summit's restricted level. Invitation only.",
        ar="إحاطة مغلقة: تقييم تهديد الطائرات المسيّرة",
        fr=f"Séance d'information à huis clos{_NBSP}: évaluation de la menace des drones",
    ),
    _Session(
        "d2-signing-xan-nor",
        1,
        "16:45",
        "17:15",
        "Signing Ceremony: Xandria–Norvania Memorandum of Understanding on Defense Research",
        PLENARY_HALL,
        "signing",
        track=RESEARCH,
        description="Press pool admitted; photo opportunity afterwards.",
        ar="حفل توقيع: مذكرة تفاهم بين زاندريا ونورفانيا بشأن البحث الدفاعي",
        fr=(
            f"Cérémonie de signature{_NBSP}: protocole d'accord Xandrie–Norvanie "
            "sur la recherche de défense"
        ),
    ),
    _Session(
        "d2-gala",
        1,
        "20:00",
        "23:00",
        "Gala Dinner",
        BALLROOM,
        "social",
        speakers=(_HOST_MINISTER,),
        description="Black tie. Seating plan at the entrance; shuttle buses from 19:15.",
        ar="حفل العشاء الرسمي",
        fr="Dîner de gala",
    ),
    # --- day 3 --------------------------------------------------------------------------------
    _Session(
        "d3-expo",
        2,
        "08:30",
        "14:00",
        "International Defense Exhibition — Day 3",
        EXHIBITION_HALL,
        "exhibition",
        ar="المعرض الدولي للدفاع — اليوم الثالث",
        fr="Salon international de la défense — 3e jour",
    ),
    _Session(
        "d3-hadr",
        2,
        "09:00",
        "10:15",
        "Humanitarian Assistance & Disaster Relief: Pre-Positioning, Logistics and Last-Mile "
        "Delivery",
        ROOM_1,
        "panel",
        track=HADR,
        speakers=("Ms. Ingrid Solberg", "Col. Samuel Adeyemi"),
    ),
    _Session(
        "d3-trade",
        2,
        "09:00",
        "10:15",
        'Defense Trade Controls: Emerging Technologies and the "Dual-Use" Dilemma',
        ROOM_2,
        "panel",
        track=TRADE,
        speakers=("Ms. Rebecca Thornton", "Dr. Lukas Brenner"),
        ar="ضوابط التجارة الدفاعية: التقنيات الناشئة ومعضلة «الاستخدام المزدوج»",
        fr=(
            f"Contrôle des transferts de matériels de défense{_NBSP}: technologies émergentes "
            f"et dilemme du «{_NBSP}double usage{_NBSP}»"
        ),
    ),
    _bilateral(
        "d3-bil-xan-est",
        2,
        "09:00",
        "09:45",
        SUITE_A,
        "XAN",
        "EST",
        "Air policing rotation and shared maintenance of transport aircraft.",
    ),
    _bilateral(
        "d3-bil-val-cor",
        2,
        "09:00",
        "09:45",
        SUITE_B,
        "VAL",
        "COR",
        "Defense industry partnership: armoured vehicles, offsets and local production.",
    ),
    _Session(
        "d3-crisis",
        2,
        "10:30",
        "11:45",
        "Crisis Management: Command, Control and Communications Under Stress",
        ROOM_1,
        "panel",
        track=CRISIS,
        speakers=("Lt. Gen. Oluwaseun Bello", "Dr. Sofia Lindgren"),
        ar="إدارة الأزمات: القيادة والسيطرة والاتصالات تحت الضغط",
        fr=f"Gestion de crise{_NBSP}: commandement, contrôle et communications sous pression",
    ),
    _Session(
        "d3-research",
        2,
        "10:30",
        "11:45",
        "Defense Research & Innovation: Artificial Intelligence, Autonomy and Accountability",
        ROOM_2,
        "panel",
        track=RESEARCH,
        speakers=("Dr. Viktor Almann", "Prof. Mei-Ling Chou", "Mr. Kwame Asante"),
        ar="البحث والابتكار الدفاعي: الذكاء الاصطناعي والاستقلالية والمساءلة",
        fr=(
            f"Recherche et innovation de défense{_NBSP}: intelligence artificielle, "
            "autonomie et responsabilité"
        ),
    ),
    _Session(
        "d3-ws-mediation",
        2,
        "10:30",
        "12:00",
        "Workshop: Mediation Skills for Military Liaison Officers",
        ROOM_3,
        "workshop",
        track=MEDIATION,
        speakers=("Dr. Hana Al-Khatib",),
    ),
    _Session(
        "d3-signing-hadr",
        2,
        "12:00",
        "12:30",
        "Signing Ceremony: Joint Declaration on Humanitarian Corridors",
        PLENARY_HALL,
        "signing",
        track=HADR,
        ar="حفل توقيع: الإعلان المشترك بشأن الممرات الإنسانية",
        fr=f"Cérémonie de signature{_NBSP}: déclaration conjointe sur les corridors humanitaires",
    ),
    _Session(
        "d3-brief-space",
        2,
        "12:45",
        "13:30",
        "Closed Briefing: Space and Satellite Resilience",
        DIWAN,
        "briefing",
        speakers=("Maj. Gen. Astrid Nilsen",),
        ar="إحاطة مغلقة: مرونة الفضاء والأقمار الصناعية",
        fr=f"Séance d'information à huis clos{_NBSP}: résilience spatiale et satellitaire",
    ),
    _Session(
        "d3-closing",
        2,
        "14:30",
        "15:30",
        "Closing Plenary: Adoption of the Summit Declaration",
        PLENARY_HALL,
        "plenary",
        speakers=(_SG,),
        ar="الجلسة العامة الختامية: اعتماد إعلان القمة",
        fr=f"Séance plénière de clôture{_NBSP}: adoption de la déclaration du sommet",
    ),
    _Session(
        "d3-remarks",
        2,
        "15:30",
        "16:00",
        "Closing Remarks by the Host Minister",
        PLENARY_HALL,
        "plenary",
        speakers=(_HOST_MINISTER,),
        ar="الكلمة الختامية لوزير الدولة المضيفة",
        fr="Allocution de clôture du ministre hôte",
    ),
    _Session(
        "d3-farewell",
        2,
        "16:15",
        "17:30",
        "Farewell Reception",
        BALLROOM,
        "social",
        ar="حفل الوداع",
        fr="Réception d'adieu",
    ),
)


# --- who attends what ------------------------------------------------------------------------

# Closed briefings: the invited delegates, by id.
_BRIEFING_INVITES: dict[str, tuple[str, ...]] = {
    "d1-brief-maritime": (DEFAULT_DELEGATE, _head("EST"), _head("OPH"), _head("ZEP"), "BEL-01"),
    "d2-brief-drones": (DEFAULT_DELEGATE, "XAN-03", _head("NOR"), _head("COR"), _head("TAR")),
    "d3-brief-space": (DEFAULT_DELEGATE, _head("LUM"), _deputy("EST"), _deputy("OPH")),
}

# Signing ceremonies are public, but the signatories have them on their agenda.
_SIGNATORIES: dict[str, tuple[str, ...]] = {
    "d2-signing-xan-nor": (DEFAULT_DELEGATE, _deputy("XAN"), _head("NOR"), _deputy("NOR")),
    "d3-signing-hadr": (
        DEFAULT_DELEGATE,
        OTHER_DELEGATE,
        _head("OPH"),
        _head("ZEP"),
        _head("LUM"),
    ),
}

# The personas' own choice of open sessions, so that their days read well in the demo.
_PERSONA_CHOICES: dict[str, tuple[str, ...]] = {
    DEFAULT_DELEGATE: (
        "d1-cyber",
        "d1-ws-cyber",
        "d2-cyber-share",  # cancelled: shows how a cancellation looks on one's own agenda
        "d2-research",
        "d3-crisis",
    ),
    OTHER_DELEGATE: ("d1-hadr", "d2-mediation", "d2-ws-hadr", "d3-research"),
    ORGANIZER: ("d1-crisis", "d2-trade", "d3-hadr"),
}

_SOCIAL_KINDS = ("social",)
_OPEN_KINDS = ("panel", "workshop")
_SEED = 2026  # the rest of the delegates pick panels "at random", the same way every time


def _attendance() -> list[tuple[str, str]]:
    """Every (delegate_id, session_id) pair, deterministic and free of double bookings."""
    members: dict[str, list[str]] = {}
    everyone: list[str] = []
    for delegation in _DELEGATIONS:
        ids = [_delegate_id(delegation.code, i) for i in range(len(delegation.members))]
        members[delegation.code] = ids
        everyone.extend(ids)
    everyone.extend(sid for sid, _, _ in _ORGANIZERS)
    by_id = {s.id: s for s in _PROGRAMME}

    rows: list[tuple[str, str]] = []
    agenda: dict[str, list[_Session]] = {d: [] for d in everyone}

    def add(delegate_id: str, session: _Session, *, must: bool = True) -> None:
        clash = next((s for s in agenda[delegate_id] if _overlaps(s, session)), None)
        if clash is not None:
            if must:
                raise RuntimeError(
                    f"demo programme bug: {delegate_id}: {session.id} clashes with {clash.id}"
                )
            return
        agenda[delegate_id].append(session)
        rows.append((delegate_id, session.id))

    # Bilaterals: head and deputy head of each of the two delegations, nobody else.
    for session in _PROGRAMME:
        if session.between is not None:
            for code in session.between:
                for delegate_id in members[code][:2]:
                    add(delegate_id, session)
    for sid, invited in _BRIEFING_INVITES.items():
        for delegate_id in invited:
            add(delegate_id, by_id[sid])
    for sid, signatories in _SIGNATORIES.items():
        for delegate_id in signatories:
            add(delegate_id, by_id[sid])
    for delegate_id, choices in _PERSONA_CHOICES.items():
        for sid in choices:
            add(delegate_id, by_id[sid])
    # Everyone is invited to the receptions and the gala dinner.
    for session in _PROGRAMME:
        if session.kind in _SOCIAL_KINDS:
            for delegate_id in everyone:
                add(delegate_id, session)
    # The other delegates pick some panels and workshops, skipping what clashes.
    rng = random.Random(_SEED)
    open_sessions = [s for s in _PROGRAMME if s.kind in _OPEN_KINDS and not s.cancelled]
    for delegate_id in everyone:
        if delegate_id in _PERSONA_CHOICES:
            continue
        for session in open_sessions:
            if rng.random() < 0.45:
                add(delegate_id, session, must=False)
    # Grouped by delegate, in programme order: how a secretariat would keep the file.
    person = {delegate_id: i for i, delegate_id in enumerate(everyone)}
    order = {s.id: i for i, s in enumerate(_PROGRAMME)}
    return sorted(rows, key=lambda row: (person[row[0]], order[row[1]]))


def _overlaps(a: _Session, b: _Session) -> bool:
    return a.day == b.day and a.start < b.end and b.start < a.end


# --- files -----------------------------------------------------------------------------------


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Proper CSV (quoting commas, quotes and newlines) in UTF-8 without a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _at(day: date, hhmm: str) -> str:
    hours, minutes = hhmm.split(":")
    moment = datetime(day.year, day.month, day.day, int(hours), int(minutes))
    return moment.isoformat(timespec="minutes")


def _sessions_csv(first_day: date, summit_name: str) -> bytes:
    rows = []
    for s in _PROGRAMME:
        day = first_day + timedelta(days=s.day)
        description = s.description
        if s.id == OPENING and summit_name:
            description = f"The {summit_name} opens. {description}"
        rows.append(
            (
                s.id,
                s.title,
                _at(day, s.start),
                _at(day, s.end),
                s.room,
                s.track,
                s.kind,
                s.audience,
                "cancelled" if s.cancelled else "scheduled",
                ";".join(s.speakers),
                description,
                s.ar,
                s.fr,
            )
        )
    return _csv(SESSION_COLUMNS, rows)


def _role(index: int) -> str:
    """The first member of each delegation heads it (and can request bilateral meetings)."""
    return "head" if index == 0 else "delegate"


def _delegates_csv() -> bytes:
    rows: list[tuple[str, str, str, str, str]] = []
    for delegation in _DELEGATIONS:
        for index, (name, language) in enumerate(delegation.members):
            rows.append(
                (
                    _delegate_id(delegation.code, index),
                    name,
                    delegation.name,
                    language,
                    _role(index),
                )
            )
    for delegate_id, name, language in _ORGANIZERS:
        rows.append((delegate_id, name, SECRETARIAT, language, "organizer"))
    return _csv(DELEGATE_COLUMNS, rows)


def _personas() -> tuple[DemoPersona, ...]:
    people: dict[str, tuple[str, str, str, bool]] = {}
    for delegation in _DELEGATIONS:
        for index, (name, language) in enumerate(delegation.members):
            people[_delegate_id(delegation.code, index)] = (
                name,
                delegation.name,
                language,
                False,
            )
    for delegate_id, name, language in _ORGANIZERS:
        people[delegate_id] = (name, SECRETARIAT, language, True)
    return tuple(
        DemoPersona(delegate_id, *people[delegate_id][:3], account, people[delegate_id][3])
        for delegate_id, account in _PERSONA_ACCOUNTS.items()
    )


def build_demo_summit(first_day: date, *, name: str = "Defense & Security Summit") -> DemoSummit:
    """The demo summit: three days from `first_day`, times in local venue time.

    `name` is the summit's display name. SPEC §4 files do not carry one (it belongs to the
    configuration), so it only appears in the opening ceremony's description, where a
    delegate reading the programme would expect it.
    """
    files = {
        "sessions.csv": _sessions_csv(first_day, name),
        "delegates.csv": _delegates_csv(),
        "attendance.csv": _csv(ATTENDANCE_COLUMNS, _attendance()),
    }
    return DemoSummit(files=files, personas=_personas(), first_day=first_day, days=DAYS)
