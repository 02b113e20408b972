"""The demo catalog: brands, categories and models, each in one or more colourways.

One `Model` row becomes one product per colourway (a product is a style-colour). Style
codes follow each brand's own format; prices are Israeli shelf prices in shekels.
"""

from dataclasses import dataclass

from demo.images import Palette


@dataclass(frozen=True)
class BrandRow:
    slug: str
    name: str
    website: str
    # The company part of the brand's EAN-13 barcodes (GS1 prefix + company number).
    barcode_prefix: str


@dataclass(frozen=True)
class Specs:
    weight: int  # grams, men's US 9 / women's US 8 / kids' 3Y
    drop: int | None  # heel-to-toe drop in mm; None for flat court shoes
    upper: tuple[str, str]  # (Hebrew, English)
    midsole: tuple[str, str]
    use: tuple[str, str]

    def lines(self, language: str) -> str:
        he = language == "he"
        rows = [("משקל", f"{self.weight} גרם") if he else ("Weight", f"{self.weight} g")]
        if self.drop is not None:
            rows.append(("דרופ", f"{self.drop} מ״מ") if he else ("Drop", f"{self.drop} mm"))
        index = 0 if he else 1
        rows += [
            ("עליון" if he else "Upper", self.upper[index]),
            ("סוליית ביניים" if he else "Midsole", self.midsole[index]),
            ("שימוש" if he else "Use", self.use[index]),
        ]
        return "\n".join(f"{label}: {value}" for label, value in rows)


@dataclass(frozen=True)
class Colourway:
    style_code: str
    he: str
    en: str
    palette: Palette


@dataclass(frozen=True)
class Model:
    brand: str  # BrandRow.slug
    name: str
    category: str  # a CATEGORIES slug
    gender: str  # Product.Gender value; also picks the size chart
    price: str
    released: str  # ISO date
    kind: str  # the drawing's silhouette (images.SILHOUETTES)
    description_he: str
    description_en: str
    specs: Specs
    colourways: tuple[Colourway, ...]
    popularity: float = 1.0  # how deep stores stock it


BRANDS: list[BrandRow] = [
    BrandRow("nike", "Nike", "https://www.nike.com/il/", "196604"),
    BrandRow("adidas", "adidas", "https://www.adidas.co.il/", "406684"),
    BrandRow("new-balance", "New Balance", "https://www.newbalance.co.il/", "196941"),
    BrandRow("asics", "ASICS", "https://www.asics.com/", "455045"),
    BrandRow("hoka", "HOKA", "https://www.hoka.com/", "197634"),
    BrandRow("saucony", "Saucony", "https://www.saucony.com/", "195019"),
    BrandRow("puma", "PUMA", "https://il.puma.com/", "409968"),
    BrandRow("on", "On", "https://www.on.com/", "761553"),
]

# (slug, Hebrew, English, position)
CATEGORIES: list[tuple[str, str, str, int]] = [
    ("running", "ריצה", "Running", 1),
    ("trail", "ריצת שטח", "Trail running", 2),
    ("basketball", "כדורסל", "Basketball", 3),
    ("training", "אימון וחדר כושר", "Training & gym", 4),
    ("lifestyle", "לייפסטייל", "Lifestyle", 5),
    ("kids", "ילדים", "Kids", 6),
]

P = Palette
C = Colourway

# Recurring spec phrases.
MESH = ("רשת אריגה הנדסית נושמת", "breathable engineered mesh")
KNIT = ("סריג אחיד גמיש", "stretch engineered knit")
LEATHER = ("עור מלא עם ניקוב לאוורור", "full-grain leather with perforations")
SUEDE = ("זמש ועור", "suede and leather")
DAILY = ("ריצות יומיומיות בקצב קל עד בינוני", "daily runs at easy to moderate pace")
LONG = ("ריצות ארוכות והתאוששות", "long runs and recovery days")
TEMPO = ("אימוני טמפו, אינטרוולים ותחרויות", "tempo sessions, intervals and races")
STREET = ("יום-יום ובילוי", "everyday wear")
GYM = ("אימוני כוח, קרוספיט ושיעורי סטודיו", "strength training, CrossFit and studio classes")
COURT = ("משחק על פרקט, קליעה וחדירות מהירות", "indoor court play, quick cuts and drives")
SCHOOL = ("בית ספר, חצר ופעילות יומיומית", "school, playground and everyday play")

MODELS: list[Model] = [
    # --- Nike ---------------------------------------------------------------------------
    Model(
        "nike",
        "Pegasus 41",
        "running",
        "men",
        "599.90",
        "2024-06-06",
        "running",
        "נעל הריצה היומיומית הוותיקה של נייקי, עכשיו עם קצף ReactX ושתי יחידות Air Zoom: "
        "תחושה קפיצית, יציבה ונוחה לקילומטרים של כל יום.",
        "Nike's everyday workhorse, now with ReactX foam and two Zoom Air units: a springy, "
        "stable ride that is comfortable kilometre after kilometre.",
        Specs(
            283,
            10,
            MESH,
            (
                "קצף ReactX עם יחידות Air Zoom בעקב ובקדמת הכף הרגל",
                "ReactX foam with heel and forefoot Zoom Air units",
            ),
            DAILY,
        ),
        (
            C("FD2722-002", "שחור/לבן", "Black/White", P("#1d1d1f", "#ffffff", "#f4f4f4")),
            C(
                "FD2722-401",
                "כחול רויאל/צהוב וולט",
                "Game Royal/Volt",
                P("#2346a8", "#d7f23c", "#f4f4f4", "#ffffff"),
            ),
        ),
        popularity=1.5,
    ),
    Model(
        "nike",
        "Vomero 18",
        "running",
        "men",
        "699.90",
        "2025-02-06",
        "max-cushion",
        "הוומרו הרכה ביותר שנייקי ייצרה: שכבה עבה של ZoomX מעל ReactX לריצות ארוכות "
        "שבהן הרגליים צריכות פינוק.",
        "The softest Vomero yet: a thick layer of ZoomX over ReactX for long runs when your "
        "legs need looking after.",
        Specs(303, 10, MESH, ("ZoomX מעל ReactX", "ZoomX over ReactX"), LONG),
        (
            C(
                "HM6803-002",
                "אפור פוטון/כתום",
                "Photon Dust/Hyper Crimson",
                P("#c9ccd1", "#ff5a36", "#ffffff", "#ffffff"),
            ),
        ),
        popularity=1.2,
    ),
    Model(
        "nike",
        "Invincible 3",
        "running",
        "women",
        "849.90",
        "2023-01-12",
        "max-cushion",
        "ריפוד מקסימלי מקצף ZoomX ובסיס רחב ויציב. לימים שבהם רוצים לרוץ הרבה ולהרגיש מעט.",
        "Maximum ZoomX cushioning on a wide, stable base, for days you want to run a lot and "
        "feel very little.",
        Specs(255, 9, KNIT, ("קצף ZoomX", "ZoomX foam"), LONG),
        (
            C(
                "DR2660-100",
                "לבן/ורוד",
                "White/Pink Foam",
                P("#f7f3f2", "#f4a6b9", "#ffffff", "#ffffff", "#e7b3c0"),
            ),
        ),
    ),
    Model(
        "nike",
        "Pegasus Trail 5",
        "trail",
        "men",
        "649.90",
        "2024-07-01",
        "trail",
        "הפגסוס שיוצאת לשבילים: אחיזה טובה על חצץ ואדמה, ונוחה מספיק כדי להגיע אליהם בריצה "
        "על האספלט.",
        "The Pegasus that heads for the trails: grips on gravel and dirt, and comfortable "
        "enough to run there on the road.",
        Specs(
            298,
            10,
            ("רשת עמידה עם חיפוי נגד שחיקה", "durable mesh with abrasion overlays"),
            ("קצף ReactX", "ReactX foam"),
            ("שבילים קלים, מדרכה ושטח מעורב", "light trails and mixed road-to-trail runs"),
        ),
        (
            C(
                "DV3864-300",
                "זית/כתום",
                "Medium Olive/Total Orange",
                P("#5d6b3c", "#f47a20", "#e9e4d4", "#f2f2f2", "#2f2f2f"),
            ),
        ),
        popularity=0.8,
    ),
    Model(
        "nike",
        "Air Force 1 '07",
        "lifestyle",
        "unisex",
        "499.90",
        "2023-03-01",
        "lifestyle",
        "הקלאסיקה מ-1982 בגרסת הלבן-לבן הנצחית: עור מלא, יחידת Air בעקב וסוליית כדורסל "
        "שמתאימה לכל דבר.",
        "The 1982 classic in timeless triple white: full leather, heel Air cushioning and a "
        "basketball sole that goes with everything.",
        Specs(
            460, None, LEATHER, ("קאפסול עם יחידת Air בעקב", "cupsole with heel Air unit"), STREET
        ),
        (
            C(
                "CW2288-111",
                "לבן/לבן",
                "White/White",
                P("#fbfbfb", "#efefef", "#ffffff", "#ffffff", "#e6e6e6"),
            ),
        ),
        popularity=1.6,
    ),
    Model(
        "nike",
        "Dunk Low Retro",
        "lifestyle",
        "men",
        "499.90",
        "2021-03-10",
        "lifestyle",
        'הדאנק מהפרקטים של שנות השמונים, בצבעי "פנדה" שלא יוצאים מהאופנה.',
        "The Dunk from the 1980s courts, in the 'Panda' colours that never go out of style.",
        Specs(410, None, ("עור חלק", "smooth leather"), ("קאפסול מגומי", "rubber cupsole"), STREET),
        (
            C(
                "DD1391-100",
                "לבן/שחור",
                "White/Black",
                P("#ffffff", "#161616", "#ffffff", "#ffffff", "#1b1b1b"),
            ),
        ),
        popularity=1.4,
    ),
    Model(
        "nike",
        "G.T. Cut 3",
        "basketball",
        "men",
        "749.90",
        "2024-02-01",
        "basketball",
        "נעל כדורסל נמוכה לשחקנים מהירים: קצף ZoomX לתגובה, וסוליה שנצמדת לפרקט בכל שינוי כיוון.",
        "A low-cut basketball shoe for quick guards: ZoomX foam for bounce and an outsole "
        "that bites the floor on every cut.",
        Specs(
            370,
            9,
            ("רשת מחוזקת בסינתטי", "synthetic-reinforced mesh"),
            ("ZoomX עם פלטת TPU", "ZoomX with a TPU plate"),
            COURT,
        ),
        (
            C(
                "DV2913-001",
                "שחור/אדום",
                "Black/University Red",
                P("#161616", "#d32f2f", "#ffffff", "#ffffff", "#cc2a2a"),
            ),
        ),
        popularity=0.7,
    ),
    Model(
        "nike",
        "Metcon 9",
        "training",
        "men",
        "599.90",
        "2023-08-01",
        "training",
        "נעל האימונים היציבה של נייקי: עקב שטוח ורחב להרמות, ואחיזת חבל בצדדים לטיפוס.",
        "Nike's stable training shoe: a wide, flat heel for lifting and rope-climb grip on the "
        "sides.",
        Specs(
            380,
            4,
            ("רשת עמידה עם חיפוי TPU", "durable mesh with TPU overlays"),
            ("React עם פלטת Hyperlift בעקב", "React foam with a Hyperlift heel plate"),
            GYM,
        ),
        (
            C(
                "DZ2617-002",
                "אפור/כחול",
                "Smoke Grey/Racer Blue",
                P("#7c8187", "#2563eb", "#f1f1f1", "#ffffff"),
            ),
        ),
        popularity=0.8,
    ),
    Model(
        "nike",
        "Revolution 7 (GS)",
        "kids",
        "kids",
        "349.90",
        "2024-01-15",
        "kids",
        "נעל קלה ורכה לילדים שלא מפסיקים לזוז, עם סוליה עמידה לחצר בית הספר.",
        "A light, soft shoe for kids who never stop moving, with a durable sole for the "
        "schoolyard.",
        Specs(190, 9, MESH, ("קצף רך", "soft foam"), SCHOOL),
        (C("FB7689-003", "שחור/לבן", "Black/White", P("#202020", "#ffffff", "#f4f4f4")),),
        popularity=0.9,
    ),
    # --- adidas -------------------------------------------------------------------------
    Model(
        "adidas",
        "Adizero Boston 12",
        "running",
        "men",
        "749.90",
        "2023-09-01",
        "running",
        "נעל טמפו עם מוטות EnergyRods מסיבי פחמן וקצף Lightstrike Pro: מהירה באימונים "
        "וחסכונית בריצה ארוכה.",
        "A tempo shoe with glass-fibre EnergyRods and Lightstrike Pro foam: fast in workouts, "
        "economical on long runs.",
        Specs(
            270,
            6,
            MESH,
            (
                "Lightstrike Pro ו-Lightstrike 2.0 עם EnergyRods",
                "Lightstrike Pro and Lightstrike 2.0 with EnergyRods",
            ),
            TEMPO,
        ),
        (
            C(
                "IG3320",
                "לבן/שחור/אדום סולארי",
                "Cloud White/Core Black/Solar Red",
                P("#f5f5f5", "#e53935", "#ffffff", "#1b1b1b"),
            ),
        ),
    ),
    Model(
        "adidas",
        "Ultraboost 5",
        "running",
        "women",
        "799.90",
        "2024-02-08",
        "running",
        "האולטרהבוסט החדשה, קלה יותר ועם קצף Light BOOST: ריצה רכה ומחזירת אנרגיה, "
        "ומראה שמתאים גם לעיר.",
        "The new Ultraboost, lighter with Light BOOST foam: a soft, energetic ride that looks "
        "just as good in town.",
        Specs(
            300, 10, ("סריג Primeknit", "Primeknit upper"), ("Light BOOST", "Light BOOST"), DAILY
        ),
        (
            C("ID8847", "שחור", "Core Black", P("#1b1b1b", "#4a4a4a", "#f3f3f3", "#1b1b1b")),
            C(
                "ID8812",
                "לבן/כחול שמיים",
                "Cloud White/Blue Dawn",
                P("#f7f7f7", "#9cc3e6", "#ffffff", "#ffffff"),
            ),
        ),
        popularity=1.2,
    ),
    Model(
        "adidas",
        "Samba OG",
        "lifestyle",
        "unisex",
        "449.90",
        "2022-09-01",
        "lifestyle",
        "נעל הכדורגל לאולמות משנות החמישים שהפכה לאייקון רחוב: עור רך, כיסוי זמש "
        "באצבעות וסוליית מסטיק.",
        "The 1950s indoor football shoe turned street icon: soft leather, a suede toe overlay "
        "and a gum sole.",
        Specs(350, None, LEATHER, ("סוליית מסטיק מגומי", "gum rubber cupsole"), STREET),
        (
            C(
                "B75806",
                "לבן/שחור/מסטיק",
                "Cloud White/Core Black/Gum",
                P("#fafafa", "#111111", "#f1efe8", "#ffffff", "#b5793d"),
            ),
            C(
                "B75807",
                "שחור/לבן/מסטיק",
                "Core Black/Cloud White/Gum",
                P("#1a1a1a", "#ffffff", "#ece8dd", "#ffffff", "#b5793d"),
            ),
        ),
        popularity=1.7,
    ),
    Model(
        "adidas",
        "Gazelle Indoor",
        "lifestyle",
        "unisex",
        "449.90",
        "2024-01-04",
        "lifestyle",
        "הגאזל בגרסת האולם: זמש בצבע עז, שלושת הפסים בלבן וסוליית מסטיק שקופה.",
        "The Gazelle in its indoor version: bold suede, white Three Stripes and a translucent "
        "gum sole.",
        Specs(360, None, SUEDE, ("סוליית מסטיק", "gum rubber sole"), STREET),
        (
            C(
                "IG4998",
                "כחול/לבן/מסטיק",
                "Blue Bird/Cloud White/Gum",
                P("#2f5fb3", "#ffffff", "#eae3d2", "#ffffff", "#c08a4f"),
            ),
        ),
        popularity=1.3,
    ),
    Model(
        "adidas",
        "Terrex Agravic Speed",
        "trail",
        "men",
        "649.90",
        "2024-03-01",
        "trail",
        "נעל שטח מהירה עם סוליית Continental ורשת צמודה, לריצות טכניות בהרי ירושלים ובכרמל.",
        "A fast trail shoe with a Continental rubber outsole and a snug mesh upper, for "
        "technical runs in the hills.",
        Specs(
            290,
            8,
            ("רשת צמודה עם חיפוי TPU", "snug mesh with TPU overlays"),
            ("Lightstrike", "Lightstrike foam"),
            ("שבילים טכניים ומרוצי שטח", "technical trails and trail races"),
        ),
        (
            C(
                "IE7671",
                "שחור/כתום",
                "Core Black/Semi Impact Orange",
                P("#1f1f1f", "#ff6d1f", "#3a3a3a", "#ff6d1f", "#141414"),
            ),
        ),
        popularity=0.6,
    ),
    Model(
        "adidas",
        "AE 1",
        "basketball",
        "men",
        "549.90",
        "2024-02-10",
        "basketball",
        "הנעל הראשונה של אנתוני אדוארדס: עיצוב נועז, ריפוד Lightstrike ואחיזה מצוינת.",
        "Anthony Edwards' first signature shoe: bold design, Lightstrike cushioning and "
        "excellent traction.",
        Specs(
            390,
            8,
            ("מעטפת סינתטית יצוקה", "moulded synthetic shell"),
            ("Lightstrike ו-Jet BOOST", "Lightstrike and Jet BOOST"),
            COURT,
        ),
        (
            C(
                "IF1863",
                "כחול/צהוב",
                "Velocity Blue/Solar Yellow",
                P("#3b6fd8", "#f7d51d", "#ffffff", "#ffffff", "#3b6fd8"),
            ),
        ),
        popularity=0.7,
    ),
    Model(
        "adidas",
        "Dropset 3",
        "training",
        "unisex",
        "549.90",
        "2024-07-01",
        "training",
        "נעל לחדר הכושר עם עקב יציב ונמוך להרמות כבדות וגמישות בקדמת הכף לקפיצות.",
        "A gym shoe with a low, stable heel for heavy lifts and a flexible forefoot for jumps.",
        Specs(
            360,
            6,
            ("רשת עמידה עם עקב מחוזק", "durable mesh with a reinforced heel"),
            ("Bounce עם מייצב עקב", "Bounce foam with a heel stabiliser"),
            GYM,
        ),
        (
            C(
                "ID8637",
                "אפור/שחור",
                "Grey Two/Core Black",
                P("#9a9b9d", "#1b1b1b", "#f1f1f1", "#1b1b1b"),
            ),
        ),
        popularity=0.6,
    ),
    Model(
        "adidas",
        "Duramo SL Kids",
        "kids",
        "kids",
        "349.90",
        "2023-08-15",
        "kids",
        "נעל ריצה קלה לילדים, עם סגירת שרוכים רגילה וקצף רך לכל היום.",
        "A light running shoe for kids, with regular laces and soft foam for all day.",
        Specs(200, 10, MESH, ("Lightmotion", "Lightmotion foam"), SCHOOL),
        (C("IG0712", "כחול/לבן", "Bright Royal/Cloud White", P("#2853c6", "#ffffff", "#ffffff")),),
    ),
    # --- New Balance --------------------------------------------------------------------
    Model(
        "new-balance",
        "Fresh Foam X 1080v14",
        "running",
        "men",
        "749.90",
        "2024-12-05",
        "max-cushion",
        "הדגל של ניו באלאנס לריצות ארוכות: קצף Fresh Foam X רך, עקב רחב ומעבר חלק מהעקב לאצבעות.",
        "New Balance's flagship for long runs: soft Fresh Foam X, a wide heel and a smooth "
        "heel-to-toe transition.",
        Specs(272, 6, ("סריג היפוקניט", "Hypoknit upper"), ("Fresh Foam X", "Fresh Foam X"), LONG),
        (C("M1080K14", "שחור/פנטום", "Black/Phantom", P("#222222", "#5f6b7a", "#e8e8e8")),),
        popularity=1.1,
    ),
    Model(
        "new-balance",
        "FuelCell Rebel v4",
        "running",
        "women",
        "649.90",
        "2024-02-01",
        "running",
        "קלה, קופצנית ומהירה: הרבל מרגישה טוב בקצב מהיר ולא פחות בריצת בוקר רגועה.",
        "Light, bouncy and quick: the Rebel feels good at pace and just as good on an easy "
        "morning run.",
        Specs(210, 6, MESH, ("FuelCell עם PEBA", "PEBA-blended FuelCell"), TEMPO),
        (C("WFCXLC4", "לילך/מנטה", "Lilac/Mint", P("#b9a6e0", "#7fe0c3", "#ffffff")),),
    ),
    Model(
        "new-balance",
        "990v6 Made in USA",
        "lifestyle",
        "men",
        "999.00",
        "2022-04-28",
        "running",
        "השישית בסדרת ה-990 המיוצרת בארה״ב: זמש ורשת באפור המזוהה עם המותג, וקצף "
        "FuelCell לנוחות של נעל ריצה.",
        "The sixth 990, made in the USA: suede and mesh in the brand's signature grey, with "
        "FuelCell foam for running-shoe comfort.",
        Specs(
            390,
            12,
            ("זמש חזיר ורשת", "pigskin suede and mesh"),
            ("FuelCell עם ENCAP", "FuelCell with ENCAP"),
            STREET,
        ),
        (C("M990GL6", "אפור", "Grey", P("#9ea1a5", "#7b7f84", "#ededed", "#cfcfcf")),),
        popularity=0.7,
    ),
    Model(
        "new-balance",
        "9060",
        "lifestyle",
        "unisex",
        "749.90",
        "2023-02-10",
        "max-cushion",
        "עיצוב שנות האלפיים עם סוליה חצובה ודרמטית: ה-9060 היא הנעל שכולם שואלים עליה ברחוב.",
        "Y2K design with a dramatic sculpted sole: the 9060 is the shoe everyone asks about on "
        "the street.",
        Specs(420, 11, ("זמש ורשת", "suede and mesh"), ("ABZORB ו-SBS", "ABZORB and SBS"), STREET),
        (
            C(
                "U9060GRY",
                "אפור גשם/אבן",
                "Rain Cloud/Castlerock",
                P("#b9bcc0", "#6f7378", "#e9e7e2", "#d9d9d9"),
            ),
            C(
                "U9060BLK",
                "שחור/פחם",
                "Black/Castlerock",
                P("#232323", "#55595e", "#2e2e2e", "#232323", "#111111"),
            ),
        ),
        popularity=1.4,
    ),
    Model(
        "new-balance",
        "530",
        "lifestyle",
        "unisex",
        "449.90",
        "2022-03-01",
        "running",
        "נעל ריצה מסוף שנות התשעים שחזרה כנעל רחוב: כסוף, לבן ונגיעות של כחול.",
        "A late-'90s runner reborn for the street: silver, white and touches of navy.",
        Specs(
            340,
            12,
            ("רשת וחיפוי סינתטי", "mesh with synthetic overlays"),
            ("ABZORB", "ABZORB"),
            STREET,
        ),
        (
            C(
                "MR530SG",
                "לבן/כסוף/כחול נייבי",
                "White/Silver/Natural Indigo",
                P("#f4f4f4", "#1f2f5a", "#e9e9e9", "#ffffff", "#b9b9b9"),
            ),
        ),
        popularity=1.3,
    ),
    Model(
        "new-balance",
        "Fresh Foam X Hierro v8",
        "trail",
        "men",
        "649.90",
        "2024-03-15",
        "trail",
        "נעל שטח מרופדת לריצות ארוכות: סוליית Vibram MegaGrip ואצבעות מוגנות.",
        "A cushioned trail shoe for long days out: Vibram MegaGrip outsole and a protected toe.",
        Specs(
            310,
            8,
            ("רשת עם חיפוי נגד שחיקה", "mesh with abrasion overlays"),
            ("Fresh Foam X", "Fresh Foam X"),
            ("שבילים ארוכים ודרכי עפר", "long trail runs and dirt roads"),
        ),
        (
            C(
                "MTHIERO8",
                "זית/כתום עמום",
                "Dark Olivine/Hot Mango",
                P("#4f5a3a", "#f29a3a", "#d8d2c0", "#f2f2f2", "#2c2c2c"),
            ),
        ),
        popularity=0.6,
    ),
    Model(
        "new-balance",
        "574 Kids",
        "kids",
        "kids",
        "349.90",
        "2023-07-01",
        "kids",
        "ה-574 האהובה במידות ילדים: זמש ורשת, סוליה עמידה ונוחות של נעל ספורט.",
        "The much-loved 574 in kids' sizes: suede and mesh, a tough sole and sneaker comfort.",
        Specs(230, 10, SUEDE, ("EVA", "EVA foam"), SCHOOL),
        (C("PV574EVG", "ירוק/אפור", "Green/Grey", P("#3c7d5a", "#a7acb1", "#f3f3f3")),),
    ),
    # --- ASICS --------------------------------------------------------------------------
    Model(
        "asics",
        "Gel-Kayano 31",
        "running",
        "men",
        "799.90",
        "2024-07-01",
        "running",
        "נעל התמיכה של אסיקס לרצים עם פרונציה: יציבות בלי קשיחות, וריפוד FF BLAST+ ECO לאורך "
        "כל הריצה.",
        "ASICS's support shoe for runners who overpronate: stability without stiffness and "
        "FF BLAST+ ECO cushioning all the way.",
        Specs(
            300,
            10,
            MESH,
            ("FF BLAST+ ECO עם PureGEL", "FF BLAST+ ECO with PureGEL"),
            ("ריצות יומיומיות לרצים הזקוקים לתמיכה", "daily runs for runners needing support"),
        ),
        (
            C("1011B867.001", "שחור/לבן", "Black/White", P("#1f1f1f", "#ffffff", "#f3f3f3")),
            C(
                "1011B867.400",
                "כחול אינדיגו/כתום",
                "Indigo Blue/Bright Orange",
                P("#2b3a8c", "#ff7a1a", "#ffffff", "#ffffff"),
            ),
        ),
        popularity=1.3,
    ),
    Model(
        "asics",
        "Gel-Nimbus 26",
        "running",
        "women",
        "849.90",
        "2024-01-02",
        "max-cushion",
        "הנימבוס הרכה ביותר עד היום: ריפוד עבה, סריג נעים וסוליה עמידה לקילומטרים רבים.",
        "The softest Nimbus yet: deep cushioning, a soft knit upper and a durable sole for many "
        "kilometres.",
        Specs(265, 8, KNIT, ("FF BLAST+ ECO עם PureGEL", "FF BLAST+ ECO with PureGEL"), LONG),
        (
            C(
                "1012B601.700",
                "ורוד פנינה/לבן",
                "Pearl Pink/White",
                P("#f0c9cf", "#ffffff", "#ffffff", "#ffffff"),
            ),
        ),
        popularity=1.1,
    ),
    Model(
        "asics",
        "Novablast 4",
        "running",
        "men",
        "599.90",
        "2023-12-07",
        "running",
        "קפיצית ושמחה: הנובהבלאסט מחזירה אנרגיה בכל צעד ומתאימה לכל סוגי האימונים.",
        "Bouncy and fun: the Novablast returns energy with every step and suits every kind of run.",
        Specs(
            260,
            8,
            ("רשת אריגה", "woven engineered mesh"),
            ("FF BLAST+ ECO", "FF BLAST+ ECO"),
            DAILY,
        ),
        (
            C(
                "1011B693.401",
                "כחול/צהוב",
                "Blue Expanse/Safety Yellow",
                P("#3152c9", "#f6e23a", "#ffffff"),
            ),
        ),
        popularity=1.2,
    ),
    Model(
        "asics",
        "Gel-Trabuco 12",
        "trail",
        "men",
        "649.90",
        "2024-01-10",
        "trail",
        "נעל שטח נוחה עם פלטת הגנה מסלעים ואחיזת ASICSGRIP, מהשביל הראשון ועד האולטרה.",
        "A comfortable trail shoe with a rock plate and ASICSGRIP traction, from your first "
        "trail to your first ultra.",
        Specs(
            300,
            8,
            ("רשת עם חיפוי", "mesh with overlays"),
            ("FF BLAST+", "FF BLAST+"),
            ("שבילים ומסלולים סלעיים", "trails and rocky paths"),
        ),
        (
            C(
                "1011B799.300",
                "זית/צהוב",
                "Nature Bathing/Yellow",
                P("#6c7a45", "#f2cf2c", "#dcd6c4", "#f2f2f2", "#333333"),
            ),
        ),
        popularity=0.6,
    ),
    Model(
        "asics",
        "GT-2000 13",
        "running",
        "women",
        "649.90",
        "2024-08-01",
        "running",
        "יציבות עדינה ליום-יום: ה-GT-2000 מכוונת את הצעד בלי להרגיש, ונשארת קלה.",
        "Gentle everyday stability: the GT-2000 guides your stride without you noticing and "
        "stays light.",
        Specs(250, 8, MESH, ("FF BLAST+ עם 3D Guidance", "FF BLAST+ with 3D Guidance"), DAILY),
        (C("1012B666.100", "לבן/תכלת", "White/Light Blue", P("#f6f6f6", "#8ec5ea", "#ffffff")),),
    ),
    Model(
        "asics",
        "Gel-1130",
        "lifestyle",
        "unisex",
        "449.90",
        "2023-05-01",
        "running",
        "נעל ריצה מ-2008 שחזרה בגדול: כסוף ולבן, רשת ושכבות, ומראה רטרו שמתאים לג׳ינס.",
        "A 2008 runner back in a big way: silver and white, mesh and layers, and a retro look "
        "that goes with jeans.",
        Specs(
            330,
            10,
            ("רשת עם חיפוי סינתטי", "mesh with synthetic overlays"),
            ("GEL בעקב", "heel GEL"),
            STREET,
        ),
        (
            C(
                "1201A256.116",
                "לבן/כסוף",
                "White/Pure Silver",
                P("#f7f7f7", "#b6b9be", "#ededed", "#ffffff"),
            ),
        ),
        popularity=1.2,
    ),
    Model(
        "asics",
        "Pre Excite 10 GS",
        "kids",
        "kids",
        "349.90",
        "2023-09-01",
        "kids",
        "נעל ריצה לילדים עם ריפוד AMPLIFOAM ולשונית עקב נוחה לנעילה לבד.",
        "A kids' running shoe with AMPLIFOAM cushioning and a heel tab that makes it easy to put "
        "on alone.",
        Specs(210, 10, MESH, ("AMPLIFOAM", "AMPLIFOAM"), SCHOOL),
        (C("1014A296.002", "שחור/אדום", "Black/Electric Red", P("#1f1f1f", "#e53935", "#f3f3f3")),),
    ),
    # --- HOKA ---------------------------------------------------------------------------
    Model(
        "hoka",
        "Clifton 9",
        "running",
        "men",
        "649.90",
        "2023-01-03",
        "max-cushion",
        "קלה ומרופדת כמו שרק הוקה יודעים: הקליפטון היא נעל הכניסה המושלמת לעולם הריפוד המקסימלי.",
        "Light and cushioned the way only HOKA does it: the Clifton is the perfect way into "
        "max-cushion running.",
        Specs(248, 5, MESH, ("קצף CMEVA", "compression-moulded EVA"), DAILY),
        (
            C("1127895-BWHT", "שחור/לבן", "Black/White", P("#1e1e1e", "#ffffff", "#f4f4f4")),
            C(
                "1127895-ASRN",
                "כחול אוויר/קרם",
                "Airy Blue/Sunlit Ocean",
                P("#a9d2ea", "#3f7fb5", "#ffffff", "#ffffff"),
            ),
        ),
        popularity=1.4,
    ),
    Model(
        "hoka",
        "Bondi 8",
        "running",
        "women",
        "749.90",
        "2022-06-01",
        "max-cushion",
        "הנעל המרופדת ביותר של הוקה, לריצות ארוכות, להליכה ולמשמרות ארוכות על הרגליים.",
        "HOKA's most cushioned shoe, for long runs, walking and long shifts on your feet.",
        Specs(250, 4, MESH, ("קצף רך וקל משקל", "soft, lightweight foam"), LONG),
        (C("1127952-BWHT", "שחור/לבן", "Black/White", P("#1f1f1f", "#ffffff", "#f4f4f4")),),
        popularity=1.1,
    ),
    Model(
        "hoka",
        "Mach 6",
        "running",
        "men",
        "649.90",
        "2024-02-15",
        "running",
        "קלה ותגובתית לאימונים מהירים, בלי לוותר על הריפוד שהוקה ידועים בו.",
        "Light and responsive for faster sessions, without giving up the cushioning HOKA is "
        "known for.",
        Specs(
            232,
            5,
            ("רשת אריגה דקה", "thin woven mesh"),
            ("Supercritical EVA", "supercritical EVA"),
            TEMPO,
        ),
        (
            C(
                "1147790-WNCL",
                "לבן/אפור ענן",
                "White/Nimbus Cloud",
                P("#f7f7f7", "#9aa2ab", "#ffffff"),
            ),
        ),
    ),
    Model(
        "hoka",
        "Speedgoat 6",
        "trail",
        "men",
        "749.90",
        "2024-07-01",
        "trail",
        "מלכת השבילים: ריפוד עבה, אחיזת Vibram Megagrip וזיזים של 5 מ״מ לכל שטח.",
        "The queen of the trails: deep cushioning, Vibram Megagrip traction and 5 mm lugs for "
        "any terrain.",
        Specs(
            275,
            4,
            ("רשת אריגה עם חיפוי", "woven mesh with overlays"),
            ("Supercritical EVA", "supercritical EVA"),
            ("שבילים טכניים ואולטרה", "technical trails and ultras"),
        ),
        (
            C(
                "1147791-BKSD",
                "שחור/אבק כוכבים",
                "Black/Stardust",
                P("#222222", "#c9b8f0", "#3b3b3b", "#c9b8f0", "#151515"),
            ),
        ),
        popularity=0.9,
    ),
    Model(
        "hoka",
        "Transport",
        "lifestyle",
        "unisex",
        "599.90",
        "2023-03-01",
        "running",
        "נעל יום-יום עמידה לעיר, לעבודה ולנסיעות: סוליית Vibram ושרוכים מהירים.",
        "A durable everyday shoe for town, work and travel: Vibram outsole and quick laces.",
        Specs(
            300,
            5,
            ("בד קורדורה", "Cordura fabric"),
            ("EVA עם קצף ממוחזר", "EVA with recycled foam"),
            STREET,
        ),
        (
            C(
                "1123153-EEGG",
                "קרם/קרם",
                "Eggnog/Eggnog",
                P("#eee3c8", "#c8b58e", "#f6efe0", "#c8b58e", "#7d6a4b"),
            ),
        ),
        popularity=0.7,
    ),
    Model(
        "hoka",
        "Clifton 9 Youth",
        "kids",
        "kids",
        "449.90",
        "2023-06-01",
        "kids",
        "הקליפטון במידות נוער: אותו ריפוד קל, בגודל שמתאים לרגליים שעוד גדלות.",
        "The Clifton in youth sizes: the same light cushioning, sized for growing feet.",
        Specs(200, 5, MESH, ("קצף CMEVA", "compression-moulded EVA"), SCHOOL),
        (C("1131170-BWHT", "שחור/לבן", "Black/White", P("#1e1e1e", "#ffffff", "#f4f4f4")),),
        popularity=0.6,
    ),
    # --- Saucony ------------------------------------------------------------------------
    Model(
        "saucony",
        "Endorphin Speed 4",
        "running",
        "men",
        "749.90",
        "2024-03-01",
        "running",
        "נעל אימונים מהירה עם פלטת ניילון וקצף PWRRUN PB: ממריצה את הקצב בלי להעייף.",
        "A fast trainer with a nylon plate and PWRRUN PB foam: picks up the pace without "
        "wearing you out.",
        Specs(233, 8, MESH, ("PWRRUN PB עם פלטת ניילון", "PWRRUN PB with a nylon plate"), TEMPO),
        (C("S20940-125", "לבן/זהב", "White/ViZiGold", P("#f7f7f7", "#e9c21e", "#ffffff")),),
        popularity=0.9,
    ),
    Model(
        "saucony",
        "Ride 17",
        "running",
        "women",
        "599.90",
        "2024-03-01",
        "running",
        "נעל הריצה השימושית של סאקוני: מרופדת, מאוזנת ומתאימה כמעט לכל ריצה.",
        "Saucony's versatile daily trainer: cushioned, balanced and right for almost any run.",
        Specs(235, 8, MESH, ("PWRRUN+", "PWRRUN+"), DAILY),
        (C("S10924-110", "לבן/לבנדר", "White/Lavender", P("#f6f6f6", "#b7a3e0", "#ffffff")),),
    ),
    Model(
        "saucony",
        "Guide 17",
        "running",
        "men",
        "599.90",
        "2024-02-01",
        "running",
        "יציבות מודרנית: מבנה סוליה שמכוון את הצעד במקום לחסום אותו.",
        "Modern stability: a midsole shape that guides your stride rather than blocking it.",
        Specs(
            275,
            6,
            MESH,
            ("PWRRUN+ עם מסגרת CenterPath", "PWRRUN+ with a CenterPath frame"),
            ("ריצות יומיומיות עם תמיכה עדינה", "daily runs with gentle support"),
        ),
        (C("S20936-106", "כחול/שמיים", "Navy/Sky", P("#1f2f5a", "#7fc6ef", "#f4f4f4")),),
    ),
    Model(
        "saucony",
        "Peregrine 14",
        "trail",
        "men",
        "599.90",
        "2024-02-15",
        "trail",
        "נעל השטח הוורסטילית: אחיזה חזקה, פלטת סלעים ותחושה קרובה לקרקע.",
        "The versatile trail shoe: strong grip, a rock plate and a close-to-the-ground feel.",
        Specs(
            275,
            4,
            ("רשת עם חיפוי", "mesh with overlays"),
            ("PWRRUN", "PWRRUN"),
            ("שבילים מכל הסוגים", "all kinds of trails"),
        ),
        (
            C(
                "S20916-201",
                "ירוק יער/צהוב",
                "Forest/Citron",
                P("#2f5d3a", "#e8e23c", "#d9d4c4", "#f2f2f2", "#262626"),
            ),
        ),
        popularity=0.6,
    ),
    Model(
        "saucony",
        "Shadow 6000",
        "lifestyle",
        "unisex",
        "499.90",
        "2023-04-01",
        "running",
        "נעל ריצה מ-1991 שחזרה כנעל רחוב: זמש ורשת בשילובי צבעים של פעם.",
        "A 1991 runner back as a street shoe: suede and mesh in old-school colour blocking.",
        Specs(350, 12, SUEDE, ("EVA", "EVA"), STREET),
        (C("S70441-39", "אפור/כחול", "Grey/Blue", P("#a8adb3", "#3b5ba5", "#eeeeee")),),
        popularity=0.7,
    ),
    # --- PUMA ---------------------------------------------------------------------------
    Model(
        "puma",
        "Deviate Nitro 3",
        "running",
        "men",
        "749.90",
        "2024-06-01",
        "running",
        "נעל אימונים מהירה עם פלטת פחמן וקצף NITRO Elite: לכל מי שמתכונן למרתון.",
        "A fast trainer with a carbon plate and NITRO Elite foam, for anyone training for a "
        "marathon.",
        Specs(265, 8, MESH, ("NITRO Elite עם פלטת פחמן", "NITRO Elite with a carbon plate"), TEMPO),
        (C("309707-01", "שחור/כסוף", "PUMA Black/Silver", P("#1d1d1d", "#c0c4c8", "#e9e9e9")),),
        popularity=0.8,
    ),
    Model(
        "puma",
        "Velocity Nitro 3",
        "running",
        "women",
        "549.90",
        "2024-01-10",
        "running",
        "נעל יומיומית קלה ונוחה עם קצף NITRO וסוליית PUMAGRIP שאוחזת גם בכביש רטוב.",
        "A light, comfortable daily trainer with NITRO foam and a PUMAGRIP outsole that holds "
        "even on wet roads.",
        Specs(230, 10, MESH, ("NITRO", "NITRO foam"), DAILY),
        (C("377749-10", "לבן/ורוד", "PUMA White/Koral Ice", P("#f7f7f7", "#f4a49a", "#ffffff")),),
    ),
    Model(
        "puma",
        "Palermo",
        "lifestyle",
        "unisex",
        "399.90",
        "2023-06-01",
        "lifestyle",
        "נעל הטרסות משנות השמונים: זמש, T-toe וסוליית מסטיק.",
        "The 1980s terrace shoe: suede, a T-toe and a gum sole.",
        Specs(340, None, SUEDE, ("סוליית מסטיק", "gum rubber sole"), STREET),
        (
            C(
                "396463-03",
                "ירוק/לבן",
                "Vine/PUMA White",
                P("#2f6b47", "#ffffff", "#e8e1cf", "#ffffff", "#b47a3e"),
            ),
        ),
        popularity=1.2,
    ),
    Model(
        "puma",
        "Suede Classic XXI",
        "lifestyle",
        "unisex",
        "349.90",
        "2021-02-01",
        "lifestyle",
        "הסוויד של פומה מאז 1968: זמש רך, פס פורמסטריפ וסוליית גומי.",
        "PUMA's Suede since 1968: soft suede, the Formstrip and a rubber sole.",
        Specs(380, None, ("זמש", "suede"), ("סוליית גומי", "rubber cupsole"), STREET),
        (
            C(
                "374915-01",
                "שחור/לבן",
                "PUMA Black/PUMA White",
                P("#1d1d1d", "#ffffff", "#ffffff", "#1d1d1d", "#f0f0f0"),
            ),
        ),
        popularity=1.0,
    ),
    Model(
        "puma",
        "MB.04",
        "basketball",
        "men",
        "649.90",
        "2024-10-01",
        "basketball",
        "הנעל הרביעית של למלו בול: צבעוניות מטורפת, קצף NITRO ואחיזה שלא מוותרת.",
        "LaMelo Ball's fourth shoe: wild colours, NITRO foam and traction that never quits.",
        Specs(400, 8, ("מעטפת סינתטית", "synthetic shell"), ("NITRO", "NITRO foam"), COURT),
        (
            C(
                "310836-01",
                "כתום/סגול",
                "Orange/Purple",
                P("#f77f1f", "#6a2ca3", "#ffffff", "#6a2ca3", "#6a2ca3"),
            ),
        ),
        popularity=0.6,
    ),
    Model(
        "puma",
        "Fuse 3.0",
        "training",
        "unisex",
        "449.90",
        "2024-01-15",
        "training",
        "נעל אימונים יציבה לקרוספיט ולאימוני כוח, עם עקב רחב וסוליה שמחזיקה בחבל.",
        "A stable shoe for CrossFit and strength work, with a wide heel and a sole that grips "
        "the rope.",
        Specs(330, 4, ("רשת עמידה", "durable mesh"), ("PWRPLATE", "PWRPLATE"), GYM),
        (C("379599-02", "שחור/לבן", "PUMA Black/PUMA White", P("#1d1d1d", "#ffffff", "#e9e9e9")),),
        popularity=0.5,
    ),
    Model(
        "puma",
        "Suede Classic XXI Jr",
        "kids",
        "kids",
        "349.90",
        "2022-03-01",
        "kids",
        "הסוויד הקלאסית במידות ילדים, עם אותה סוליה ואותו פס פורמסטריפ.",
        "The classic Suede in kids' sizes, with the same sole and Formstrip.",
        Specs(250, None, ("זמש", "suede"), ("סוליית גומי", "rubber sole"), SCHOOL),
        (
            C(
                "380560-02",
                "כחול נייבי/לבן",
                "Peacoat/PUMA White",
                P("#1f2a44", "#ffffff", "#ffffff", "#1f2a44", "#f0f0f0"),
            ),
        ),
    ),
    # --- On -----------------------------------------------------------------------------
    Model(
        "on",
        "Cloudmonster 2",
        "running",
        "men",
        "799.90",
        "2024-03-07",
        "max-cushion",
        "המונסטר עם ה-CloudTec הגדולים ביותר של On: ריפוד ענק ותחושת גלגול קדימה.",
        "The monster with On's biggest CloudTec: huge cushioning and a rolling forward feel.",
        Specs(300, 6, MESH, ("Helion HF עם CloudTec", "Helion HF with CloudTec"), LONG),
        (
            C(
                "3ME10120553",
                "שחור/כפור",
                "Black/Frost",
                P("#1e1e1e", "#c9d3dc", "#2a2a2a", "#ffffff", "#111111"),
            ),
        ),
        popularity=1.1,
    ),
    Model(
        "on",
        "Cloudsurfer",
        "running",
        "women",
        "699.90",
        "2023-06-01",
        "running",
        "ריצה רכה ושקטה עם CloudTec Phase: כל צעד מתגלגל בעדינות מהעקב לאצבעות.",
        "A soft, quiet ride with CloudTec Phase: every step rolls gently from heel to toe.",
        Specs(220, 10, MESH, ("Helion עם CloudTec Phase", "Helion with CloudTec Phase"), DAILY),
        (C("3WD10440246", "לבן/ורוד", "White/Frost Rose", P("#f7f7f7", "#f1b8c4", "#ffffff")),),
    ),
    Model(
        "on",
        "Cloud 5",
        "lifestyle",
        "unisex",
        "649.90",
        "2021-06-01",
        "running",
        "הנעל הנוחה ביותר לעיר: שרוכים אלסטיים, גומי קל ואנרגיה של נעל ריצה.",
        "The most comfortable shoe for the city: elastic laces, light rubber and a runner's "
        "energy.",
        Specs(
            240, 8, MESH, ("Zero-Gravity עם CloudTec", "Zero-Gravity foam with CloudTec"), STREET
        ),
        (
            C(
                "59.98904",
                "שחור מלא",
                "All Black",
                P("#1c1c1c", "#3a3a3a", "#1f1f1f", "#1c1c1c", "#111111"),
            ),
            C(
                "59.98919",
                "לבן מלא",
                "Undyed-White/White",
                P("#f4f2ec", "#d8d4c8", "#ffffff", "#ffffff"),
            ),
        ),
        popularity=1.3,
    ),
    Model(
        "on",
        "Cloudultra 2",
        "trail",
        "men",
        "799.90",
        "2023-03-01",
        "trail",
        "נעל שטח לאולטרה עם FlipRelease שמשחרר לחץ מגב כף הרגל בלי לעצור.",
        "An ultra-distance trail shoe with FlipRelease to ease pressure on the top of the foot "
        "without stopping.",
        Specs(
            295,
            6,
            ("רשת עם חיפוי", "mesh with overlays"),
            ("Helion עם CloudTec", "Helion with CloudTec"),
            ("אולטרה ושבילים ארוכים", "ultras and long trails"),
        ),
        (
            C(
                "3MD30280299",
                "שחור/אקליפס",
                "Black/Eclipse",
                P("#222222", "#6f7f8f", "#333333", "#9fb0c0", "#151515"),
            ),
        ),
        popularity=0.5,
    ),
    Model(
        "on",
        "Cloud X 4",
        "training",
        "men",
        "649.90",
        "2024-03-01",
        "training",
        "נעל אחת לחדר הכושר, לשיעור הסטודיו ולריצה הקצרה שאחריו.",
        "One shoe for the gym floor, the studio class and the short run afterwards.",
        Specs(270, 6, MESH, ("Helion עם CloudTec", "Helion with CloudTec"), GYM),
        (C("3ME30012251", "שנהב/חול", "Ivory/Sand", P("#efe8da", "#c6ad83", "#ffffff")),),
        popularity=0.6,
    ),
]
