"""The demo chain: twelve branches in malls across Israel and one central warehouse.

Coordinates are the malls' real locations (to about a hundred metres), so distances in the
stock finder are believable. `size` scales how much stock a branch carries.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StoreRow:
    code: str
    name_he: str
    name_en: str
    city_he: str
    city_en: str
    address_he: str
    address_en: str
    latitude: str
    longitude: str
    phone: str
    hours: str  # a key of HOURS
    size: float = 1.0
    is_warehouse: bool = False
    # The branch's two demo staff: (first name, last name) in Hebrew, for the salesperson
    # and the manager.
    staff: tuple[tuple[str, str], tuple[str, str]] = (("", ""), ("", ""))


HOURS: dict[str, tuple[str, str]] = {
    # Most malls: closed on Shabbat, open again on Saturday evening.
    "mall": (
        "א׳–ה׳: 10:00–22:00\nו׳: 09:30–15:00\nמוצאי שבת: 20:00–23:00",
        "Sun–Thu: 10:00–22:00\nFri: 09:30–15:00\nSat: 20:00–23:00",
    ),
    # Closed all Saturday.
    "closed-saturday": (
        "א׳–ה׳: 09:30–21:30\nו׳: 09:00–14:00\nשבת: סגור",
        "Sun–Thu: 09:30–21:30\nFri: 09:00–14:00\nSat: closed",
    ),
    # Eilat and the coast: open on Saturday too.
    "seven-days": (
        "א׳–ה׳: 10:00–23:00\nו׳: 09:30–16:00\nשבת: 10:00–23:00",
        "Sun–Thu: 10:00–23:00\nFri: 09:30–16:00\nSat: 10:00–23:00",
    ),
    "warehouse": (
        "א׳–ה׳: 07:00–16:00 (קבלת סחורה עד 14:00)\nו׳–שבת: סגור",
        "Sun–Thu: 07:00–16:00 (deliveries until 14:00)\nFri–Sat: closed",
    ),
}


# The same hours, day by day (Sunday first) as (opens, closes), None when closed: the pick-up
# times a customer with a held pair can choose.
Hours = tuple[str, str] | None
_WEEKDAYS: list[Hours] = [("10:00", "22:00")] * 5
WEEK_HOURS: dict[str, list[Hours]] = {
    "mall": [*_WEEKDAYS, ("09:30", "15:00"), ("20:00", "23:00")],
    "closed-saturday": [*[("09:30", "21:30")] * 5, ("09:00", "14:00"), None],
    "seven-days": [*[("10:00", "23:00")] * 5, ("09:30", "16:00"), ("10:00", "23:00")],
    "warehouse": [*[("07:00", "16:00")] * 5, None, None],
}

# Branches that text a customer who has not said when they will come, two hours before the
# hold runs out.
PICKUP_REMINDER_STORES = {"tlv", "jlm", "hfa"}

# Dates with other hours, so the stores page and the pick-up page show some: (store code, days
# from the day of the seed, opens, closes — None for closed all day —, note in Hebrew and
# English). The holidays themselves come from the calendar, whatever the date.
OTHER_HOURS: list[tuple[str, int, str | None, str | None, str, str]] = [
    ("tlv", 3, "12:00", "22:00", "ספירת מלאי בבוקר", "Stock count in the morning"),
    ("hfa", 5, None, None, "סגור לשיפוצים", "Closed for renovation"),
]


STORES: list[StoreRow] = [
    StoreRow(
        code="tlv",
        name_he="סול דיזנגוף סנטר",
        name_en="Sole Dizengoff Center",
        city_he="תל אביב-יפו",
        city_en="Tel Aviv-Yafo",
        address_he="דיזנגוף סנטר, דיזנגוף 50, קומה 1",
        address_en="Dizengoff Center, 50 Dizengoff St, 1st floor",
        latitude="32.075370",
        longitude="34.775620",
        phone="03-5287410",
        hours="mall",
        size=1.4,
        staff=(("נועה", "לוי"), ("איתי", "כהן")),
    ),
    StoreRow(
        code="jlm",
        name_he="סול קניון מלחה",
        name_en="Sole Malha Mall",
        city_he="ירושלים",
        city_en="Jerusalem",
        address_he="קניון מלחה, דרך אגודת ספורט בית״ר 1",
        address_en="Malha Mall, 1 Agudat Sport Beitar Rd",
        latitude="31.751530",
        longitude="35.187440",
        phone="02-6792215",
        hours="closed-saturday",
        size=1.3,
        staff=(("אביגיל", "פרידמן"), ("יהודה", "אזולאי")),
    ),
    StoreRow(
        code="hfa",
        name_he="סול גרנד קניון חיפה",
        name_en="Sole Grand Canyon Haifa",
        city_he="חיפה",
        city_en="Haifa",
        address_he="גרנד קניון, דרך שמחה גולן 54",
        address_en="Grand Canyon Mall, 54 Simha Golan Rd",
        latitude="32.789850",
        longitude="35.007580",
        phone="04-8122930",
        hours="mall",
        size=1.2,
        staff=(("מאיה", "חדד"), ("עומר", "סאלח")),
    ),
    StoreRow(
        code="bsh",
        name_he="סול גרנד קניון באר שבע",
        name_en="Sole Grand Kenyon Be'er Sheva",
        city_he="באר שבע",
        city_en="Be'er Sheva",
        address_he="גרנד קניון, שדרות טוביהו 125",
        address_en="Grand Kenyon, 125 Tuviyahu Blvd",
        latitude="31.250310",
        longitude="34.771700",
        phone="08-6283370",
        hours="mall",
        size=1.1,
        staff=(("שירה", "אוחיון"), ("דניאל", "ביטון")),
    ),
    StoreRow(
        code="rlz",
        name_he="סול קניון הזהב",
        name_en="Sole Gold Mall Rishon LeZion",
        city_he="ראשון לציון",
        city_en="Rishon LeZion",
        address_he="קניון הזהב, דוד סחרוב 21",
        address_en="Gold Mall, 21 David Sakharov St",
        latitude="31.989950",
        longitude="34.774110",
        phone="03-9519042",
        hours="mall",
        size=1.1,
        staff=(("טל", "מזרחי"), ("רון", "שפירא")),
    ),
    StoreRow(
        code="ptk",
        name_he="סול קניון עופר גרנד",
        name_en="Sole Ofer Grand Petah Tikva",
        city_he="פתח תקווה",
        city_en="Petah Tikva",
        address_he="קניון עופר גרנד, ז׳בוטינסקי 72",
        address_en="Ofer Grand Mall, 72 Jabotinsky St",
        latitude="32.099210",
        longitude="34.862650",
        phone="03-9306618",
        hours="mall",
        size=1.0,
        staff=(("הילה", "גבאי"), ("אלון", "ברק")),
    ),
    StoreRow(
        code="ntn",
        name_he="סול עיר ימים",
        name_en="Sole Ir Yamim Netanya",
        city_he="נתניה",
        city_en="Netanya",
        address_he="קניון עיר ימים, בני ברמן 2",
        address_en="Ir Yamim Mall, 2 Beni Berman St",
        latitude="32.279380",
        longitude="34.846810",
        phone="09-8854127",
        hours="seven-days",
        size=0.9,
        staff=(("ליאור", "אברהם"), ("מיכל", "רוזן")),
    ),
    StoreRow(
        code="ash",
        name_he="סול ביג פאשן אשדוד",
        name_en="Sole Big Fashion Ashdod",
        city_he="אשדוד",
        city_en="Ashdod",
        address_he="ביג פאשן, הבנאים 7, אזור התעשייה הצפוני",
        address_en="Big Fashion, 7 HaBanaim St, North Industrial Zone",
        latitude="31.821440",
        longitude="34.665870",
        phone="08-8563092",
        hours="seven-days",
        size=0.9,
        staff=(("אור", "דהן"), ("יעל", "פרץ")),
    ),
    StoreRow(
        code="eil",
        name_he="סול אייס מול אילת",
        name_en="Sole Ice Mall Eilat",
        city_he="אילת",
        city_en="Eilat",
        address_he="קניון אייס מול, קמפן 8",
        address_en="Ice Mall, 8 Kampen St",
        latitude="29.553920",
        longitude="34.955290",
        phone="08-6341175",
        hours="seven-days",
        size=0.7,
        staff=(("גיא", "נחום"), ("ספיר", "אלמוג")),
    ),
    StoreRow(
        code="hrz",
        name_he="סול שבעת הכוכבים",
        name_en="Sole Seven Stars Herzliya",
        city_he="הרצליה",
        city_en="Herzliya",
        address_he="קניון שבעת הכוכבים, שדרות שבעת הכוכבים 8",
        address_en="Seven Stars Mall, 8 Shivat HaKokhavim Blvd",
        latitude="32.166350",
        longitude="34.842950",
        phone="09-9583361",
        hours="mall",
        size=1.0,
        staff=(("עדי", "גולן"), ("נדב", "קליין")),
    ),
    StoreRow(
        code="mod",
        name_he="סול עזריאלי מודיעין",
        name_en="Sole Azrieli Modi'in",
        city_he="מודיעין-מכבים-רעות",
        city_en="Modi'in-Maccabim-Re'ut",
        address_he="עזריאלי מודיעין, לב העיר, שדרות יצחק רבין 1",
        address_en="Azrieli Modi'in, City Center, 1 Yitzhak Rabin Blvd",
        latitude="31.899380",
        longitude="35.006220",
        phone="08-9714436",
        hours="closed-saturday",
        size=0.8,
        staff=(("רותם", "שטרן"), ("אריאל", "וקנין")),
    ),
    StoreRow(
        code="kfs",
        name_he="סול קניון ערים",
        name_en="Sole Arim Mall Kfar Saba",
        city_he="כפר סבא",
        city_en="Kfar Saba",
        address_he="קניון ערים, טשרניחובסקי 35",
        address_en="Arim Mall, 35 Tchernichovsky St",
        latitude="32.178720",
        longitude="34.909410",
        phone="09-7657218",
        hours="mall",
        size=0.8,
        staff=(("אגם", "ישראלי"), ("יונתן", "בן דוד")),
    ),
    StoreRow(
        code="wh",
        name_he="מרכז לוגיסטי איירפורט סיטי",
        name_en="Airport City Logistics Center",
        city_he="קריית שדה התעופה",
        city_en="Airport City",
        address_he="פארק לוגיסטי, דרך ההדרים 5",
        address_en="Logistics Park, 5 HaHadarim Rd",
        latitude="31.987520",
        longitude="34.905280",
        phone="03-9710500",
        hours="warehouse",
        size=3.0,
        is_warehouse=True,
    ),
]

CATALOG_EDITOR = ("catalog-editor", "שני", "ברגר")
