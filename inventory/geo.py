"""Distances between stores and places: great-circle distance and a list of Israeli cities.

A salesperson picks the customer's city from `CITIES` so the stock finder can rank stores by
how far they are from where the customer lives, not only from the salesperson's own store.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from core.language import current_language

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)

Point = tuple[float, float]  # (latitude, longitude) in degrees


def great_circle_km(a: Point, b: Point) -> float:
    """Distance in kilometres between two (latitude, longitude) points (haversine formula)."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_label(distance_km: float | None) -> str:
    """12.5 → "13 km" ("13 ק״מ" in Hebrew), rounded half up; under a kilometre, "under 1 km"."""
    if distance_km is None:
        return ""
    if distance_km < 1:
        return _("under 1 km")
    km = Decimal(str(distance_km)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _("%(km)s km") % {"km": km}


def point_of(obj: object) -> Point:
    """The (latitude, longitude) of anything with those attributes (a Store, a City)."""
    lat: float | Decimal = obj.latitude  # type: ignore[attr-defined]
    lon: float | Decimal = obj.longitude  # type: ignore[attr-defined]
    return (float(lat), float(lon))


@dataclass(frozen=True)
class City:
    slug: str
    name_he: str
    name_en: str
    latitude: float
    longitude: float

    @property
    def name(self) -> str:
        return self.name_en if current_language() == "en" else self.name_he

    @property
    def point(self) -> Point:
        return (self.latitude, self.longitude)


# City centres, rounded to about 100 m: enough to rank stores, not to navigate.
CITIES: tuple[City, ...] = (
    City("jerusalem", "ירושלים", "Jerusalem", 31.7683, 35.2137),
    City("tel-aviv", "תל אביב-יפו", "Tel Aviv-Yafo", 32.0853, 34.7818),
    City("haifa", "חיפה", "Haifa", 32.7940, 34.9896),
    City("rishon-lezion", "ראשון לציון", "Rishon LeZion", 31.9730, 34.7925),
    City("petah-tikva", "פתח תקווה", "Petah Tikva", 32.0840, 34.8878),
    City("ashdod", "אשדוד", "Ashdod", 31.8044, 34.6553),
    City("netanya", "נתניה", "Netanya", 32.3215, 34.8532),
    City("beersheba", "באר שבע", "Be'er Sheva", 31.2518, 34.7913),
    City("bnei-brak", "בני ברק", "Bnei Brak", 32.0807, 34.8338),
    City("holon", "חולון", "Holon", 32.0158, 34.7874),
    City("ramat-gan", "רמת גן", "Ramat Gan", 32.0684, 34.8248),
    City("rehovot", "רחובות", "Rehovot", 31.8928, 34.8113),
    City("ashkelon", "אשקלון", "Ashkelon", 31.6688, 34.5743),
    City("bat-yam", "בת ים", "Bat Yam", 32.0132, 34.7480),
    City("beit-shemesh", "בית שמש", "Beit Shemesh", 31.7470, 34.9881),
    City("kfar-saba", "כפר סבא", "Kfar Saba", 32.1782, 34.9076),
    City("herzliya", "הרצליה", "Herzliya", 32.1624, 34.8447),
    City("hadera", "חדרה", "Hadera", 32.4340, 34.9196),
    City("modiin", "מודיעין-מכבים-רעות", "Modi'in-Maccabim-Re'ut", 31.8980, 35.0104),
    City("lod", "לוד", "Lod", 31.9510, 34.8881),
    City("ramla", "רמלה", "Ramla", 31.9275, 34.8625),
    City("raanana", "רעננה", "Ra'anana", 32.1848, 34.8713),
    City("nazareth", "נצרת", "Nazareth", 32.6996, 35.3035),
    City("rosh-haayin", "ראש העין", "Rosh HaAyin", 32.0956, 34.9566),
    City("hod-hasharon", "הוד השרון", "Hod HaSharon", 32.1500, 34.8880),
    City("kiryat-gat", "קריית גת", "Kiryat Gat", 31.6100, 34.7642),
    City("nahariya", "נהריה", "Nahariya", 33.0059, 35.0941),
    City("afula", "עפולה", "Afula", 32.6078, 35.2897),
    City("eilat", "אילת", "Eilat", 29.5577, 34.9519),
    City("tiberias", "טבריה", "Tiberias", 32.7922, 35.5312),
    City("karmiel", "כרמיאל", "Karmiel", 32.9190, 35.2950),
    City("kiryat-shmona", "קריית שמונה", "Kiryat Shmona", 33.2073, 35.5721),
    City("acre", "עכו", "Acre", 32.9281, 35.0818),
    City("dimona", "דימונה", "Dimona", 31.0700, 35.0300),
    City("yavne", "יבנה", "Yavne", 31.8780, 34.7390),
    City("givatayim", "גבעתיים", "Givatayim", 32.0722, 34.8125),
    City("ness-ziona", "נס ציונה", "Ness Ziona", 31.9293, 34.7987),
    City("kiryat-ata", "קריית אתא", "Kiryat Ata", 32.8090, 35.1060),
    City("umm-al-fahm", "אום אל-פחם", "Umm al-Fahm", 32.5190, 35.1530),
    City("sderot", "שדרות", "Sderot", 31.5250, 34.5960),
    City("zichron-yaakov", "זכרון יעקב", "Zichron Ya'akov", 32.5710, 34.9520),
    City("safed", "צפת", "Safed", 32.9646, 35.4960),
    City("yokneam", "יקנעם עילית", "Yokneam Illit", 32.6590, 35.1100),
    City("maale-adumim", "מעלה אדומים", "Ma'ale Adumim", 31.7770, 35.2980),
    City("arad", "ערד", "Arad", 31.2610, 35.2150),
    City("mitzpe-ramon", "מצפה רמון", "Mitzpe Ramon", 30.6100, 34.8010),
)

_BY_SLUG = {city.slug: city for city in CITIES}


def city_by_slug(slug: str | None) -> City | None:
    return _BY_SLUG.get(slug or "")


def city_choices() -> list[tuple[str, str]]:
    """(slug, name) pairs in the active language, alphabetical in that language."""
    return sorted(((city.slug, city.name) for city in CITIES), key=lambda pair: pair[1])
