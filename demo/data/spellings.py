"""How Israeli customers write the demo catalogue's names: the spellings the catalogue editor
keeps on brands, model lines and categories (`spellings` in the admin).

Search also matches a name by how it sounds (catalog.spelling), so these lists hold the usual
Hebrew spellings and the ones sound alone would miss (סווייד for Suede, מאך for Mach).
"""

from dataclasses import dataclass

# Brand slug → spellings.
BRAND_SPELLINGS: dict[str, str] = {
    "nike": "נייקי, נייק, נאיקי, נייקי אייר",
    "adidas": "אדידס, אדידאס, אדי דס, adiddas",
    "new-balance": "ניו באלאנס, ניו בלאנס, ניו בלנס, ניובלנס, ניו באלנס, NB",
    "asics": "אסיקס, אסיקס ג'ל, אזיקס, asix",
    "hoka": "הוקה, הוקא, הוקה וואן וואן, hoka one one",
    "saucony": "סאקוני, סוקוני, סקוני",
    "puma": "פומה, פומא, פּוּמָה",
    "on": "און, און ראנינג, on running, on cloud",
}

# Category slug → other words customers use for it.
CATEGORY_SPELLINGS: dict[str, str] = {
    "running": "נעלי ריצה, ריצות, ראנינג, run, runner, road running, כביש",
    "trail": "שטח, טרייל, ריצת הרים, trail, off road, הרים",
    "basketball": "כדורסל, בסקטבול, basket, hoops, כדור סל",
    "training": "כושר, חדר כושר, אימון, אימונים, גים, ג'ים, קרוספיט, gym, crossfit, workout",
    "lifestyle": "יומיום, אופנה, קז'ואל, casual, street, לייף סטייל, הליכה, walking",
    "kids": "ילדים, ילד, ילדה, נוער, קטנים, kids, children, youth, junior",
}


@dataclass(frozen=True)
class LineRow:
    brand: str  # BrandRow.slug
    name: str
    spellings: str
    models: tuple[str, ...]  # Model.name of each model in the line


LINES: list[LineRow] = [
    # Nike
    LineRow(
        "nike", "Pegasus", "פגסוס, פגאסוס, פגזוס, פגסוס נייקי", ("Pegasus 41", "Pegasus Trail 5")
    ),
    LineRow("nike", "Vomero", "וומרו, וומרו 18, ווימרו, ומרו", ("Vomero 18",)),
    LineRow("nike", "Invincible", "אינווינסיבל, אינוינסיבל, אינווינסבל", ("Invincible 3",)),
    LineRow(
        "nike",
        "Air Force 1",
        "אייר פורס, אייר פורס 1, אייר פורס וואן, איירפורס, AF1",
        ("Air Force 1 '07",),
    ),
    LineRow("nike", "Dunk", "דאנק, דנק, דאנק לואו", ("Dunk Low Retro",)),
    LineRow("nike", "G.T. Cut", "ג'י טי קאט, גי טי קאט, GT Cut", ("G.T. Cut 3",)),
    LineRow("nike", "Metcon", "מטקון, מטקון 9", ("Metcon 9",)),
    LineRow("nike", "Revolution", "רבולושן, רבולוציה, רבולושן 7", ("Revolution 7 (GS)",)),
    # adidas
    LineRow("adidas", "Adizero", "אדיזרו, אדיזירו, אדיזרו בוסטון, בוסטון", ("Adizero Boston 12",)),
    LineRow(
        "adidas",
        "Ultraboost",
        "אולטרה בוסט, אולטרבוסט, אולטרהבוסט, אולטראבוסט, ultra boost",
        ("Ultraboost 5",),
    ),
    LineRow("adidas", "Samba", "סמבה, סאמבה", ("Samba OG",)),
    LineRow("adidas", "Gazelle", "גאזל, גזל, גאזלה, גזלה", ("Gazelle Indoor",)),
    LineRow("adidas", "Terrex", "טרקס, טרקס אגרביק", ("Terrex Agravic Speed",)),
    LineRow("adidas", "AE 1", "אנתוני אדוארדס, איי אי 1, Anthony Edwards", ("AE 1",)),
    LineRow("adidas", "Dropset", "דרופסט, דרופ סט", ("Dropset 3",)),
    LineRow("adidas", "Duramo", "דוראמו, דורמו", ("Duramo SL Kids",)),
    # New Balance
    LineRow(
        "new-balance",
        "Fresh Foam X",
        "פרש פום, פרש פואם, 1080, אלף שמונים",
        ("Fresh Foam X 1080v14", "Fresh Foam X Hierro v8"),
    ),
    LineRow(
        "new-balance", "FuelCell", "פיול סל, פיולסל, רבל, FuelCell Rebel", ("FuelCell Rebel v4",)
    ),
    LineRow("new-balance", "990", "990, תשע תשעים", ("990v6 Made in USA",)),
    LineRow("new-balance", "9060", "9060", ("9060",)),
    LineRow("new-balance", "530", "530", ("530",)),
    LineRow("new-balance", "574", "574", ("574 Kids",)),
    # ASICS
    LineRow(
        "asics",
        "Gel-Kayano",
        "קאיאנו, קיאנו, קאיינו, ג'ל קאיאנו, גל קאיאנו, kayano",
        ("Gel-Kayano 31",),
    ),
    LineRow("asics", "Gel-Nimbus", "נימבוס, ג'ל נימבוס, גל נימבוס, nimbus", ("Gel-Nimbus 26",)),
    LineRow("asics", "Novablast", "נובהבלאסט, נובה בלאסט, נובבלאסט, נובה בלסט", ("Novablast 4",)),
    LineRow("asics", "Gel-Trabuco", "טרבוקו, ג'ל טרבוקו", ("Gel-Trabuco 12",)),
    LineRow("asics", "GT-2000", "ג'י טי 2000, גי טי 2000, GT 2000", ("GT-2000 13",)),
    LineRow("asics", "Gel-1130", "ג'ל 1130, גל 1130, 1130", ("Gel-1130",)),
    LineRow("asics", "Pre Excite", "אקסייט, פרי אקסייט", ("Pre Excite 10 GS",)),
    # HOKA
    LineRow("hoka", "Clifton", "קליפטון, קליפטן, קליפטון 9", ("Clifton 9", "Clifton 9 Youth")),
    LineRow("hoka", "Bondi", "בונדי, בונדיי", ("Bondi 8",)),
    LineRow("hoka", "Mach", "מאך, מאק, מאך 6", ("Mach 6",)),
    LineRow("hoka", "Speedgoat", "ספידגואט, ספיד גואט, ספידגוט", ("Speedgoat 6",)),
    LineRow("hoka", "Transport", "טרנספורט", ("Transport",)),
    # Saucony
    LineRow("saucony", "Endorphin", "אנדורפין, אנדורפינה, אנדורפין ספיד", ("Endorphin Speed 4",)),
    LineRow("saucony", "Ride", "רייד, ראייד", ("Ride 17",)),
    LineRow("saucony", "Guide", "גייד, גאייד", ("Guide 17",)),
    LineRow("saucony", "Peregrine", "פרגרין, פרגרינה, פרגריין", ("Peregrine 14",)),
    LineRow("saucony", "Shadow", "שאדו, שדו, שאדואו", ("Shadow 6000",)),
    # PUMA
    LineRow("puma", "Deviate Nitro", "דביאט, דוויאט, דיוויאט ניטרו, ניטרו", ("Deviate Nitro 3",)),
    LineRow("puma", "Velocity Nitro", "ולוסיטי, וולוסיטי, ולוסיטי ניטרו", ("Velocity Nitro 3",)),
    LineRow("puma", "Palermo", "פלרמו, פאלרמו", ("Palermo",)),
    LineRow(
        "puma",
        "Suede",
        "סווייד, סוויד, סואד, סוויד קלאסיק",
        ("Suede Classic XXI", "Suede Classic XXI Jr"),
    ),
    LineRow("puma", "MB", "למלו בול, לאמלו, MB.04, LaMelo Ball", ("MB.04",)),
    LineRow("puma", "Fuse", "פיוז, פיוס", ("Fuse 3.0",)),
    # On
    LineRow("on", "Cloudmonster", "קלאוד מונסטר, קלאודמונסטר, קלאוד מונסטר 2", ("Cloudmonster 2",)),
    LineRow("on", "Cloudsurfer", "קלאוד סרפר, קלאודסרפר, קלאוד סורפר", ("Cloudsurfer",)),
    LineRow("on", "Cloud", "קלאוד, קלאוד 5, און קלאוד", ("Cloud 5",)),
    LineRow("on", "Cloudultra", "קלאוד אולטרה, קלאודאולטרה", ("Cloudultra 2",)),
    LineRow("on", "Cloud X", "קלאוד אקס, קלאוד X", ("Cloud X 4",)),
]
