"""Language tables of DBpedia's DateTimeParser (``config/dataparser/DateTimeParserConfig.scala``).

Month names, era markers and ordinal suffixes are regex fragments, as in the framework (era
markers are written with escaped dots; the Esperanto ones are not, exactly as upstream). Template
names are lower-cased, with spaces for underscores. Template entries that can never affect a
result are left out: those of languages the parser does not support (ca, sl: it falls back to
English, templates included) and the Irish ones, whose parameter keys the parser never reads.
English also has "start date and age" and "end date and age", which extraction-rules.md §1.5 lists.
"""

from __future__ import annotations

from typing import NamedTuple


class ParamDate(NamedTuple):
    """Year, month and day are read from these template parameters (None: not given)."""

    year: str | None = None
    month: str | None = None
    day: str | None = None


class TextDate(NamedTuple):
    """The template holds a free-text date; the text of all its parameters is parsed."""

    param: str


class FlagDate(NamedTuple):
    """``when_set`` applies unless parameter ``flag`` holds text other than ``value``."""

    flag: str
    value: str
    when_set: ParamDate
    otherwise: ParamDate


DateTemplate = ParamDate | TextDate | FlagDate

YMD = ParamDate("1", "2", "3")
DMY = ParamDate("3", "2", "1")
YEAR = ParamDate("1")
SECOND_DATE = ParamDate("4", "5", "6")


def _names(names: str) -> list[str]:
    return [name.strip() for name in names.split(",")]


def _numbered(*groups: str, **extra: int) -> dict[str, int]:
    """Twelve comma-separated month names per group, January first; then extra names."""
    months = {name: number for group in groups for number, name in enumerate(_names(group), 1)}
    return {**months, **extra}


def _fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


#: month names (lower-case) -> month number, per wiki language
MONTHS: dict[str, dict[str, int]] = {
    "ar": _numbered(
        "جانفي, فيفري, مارس, أفريل, ماي, جوان, جويلية, أوت, سبتمبر, أكتوبر, نوفمبر, ديسمبر",
        يناير=1,
        فبراير=2,
        أبريل=4,
        مايو=5,
        يونيو=6,
        يوليو=7,
        يوليوز=7,
        أغسطس=8,
        غشت=8,
        شتنبر=9,
        نونبر=11,
        دجنبر=12,
    ),
    "bg": _numbered(
        "януари, февруари, март, април, май, юни, юли, август, септември, октомври, ноември, "
        "декември"
    ),
    "cs": _numbered(
        "leden, únor, březen, duben, květen, červen, červenec, srpen, září, říjen, listopad, "
        "prosinec"
    ),
    "de": _numbered(
        "januar, februar, märz, april, mai, juni, juli, august, september, oktober, november, "
        "dezember",
        maerz=3,
    ),
    "el": _numbered(
        "ιανουάριος, φεβρουάριος, μάρτιος, απρίλιος, μάιος, ιούνιος, ιούλιος, αύγουστος, "
        "σεπτέμβριος, οκτώβριος, νοέμβριος, δεκέμβριος",
        "ιανουαρίου, φεβρουαρίου, μαρτίου, απριλίου, μαΐου, ιουνίου, ιουλίου, αυγούστου, "
        "σεπτεμβρίου, οκτωβρίου, νοεμβρίου, δεκεμβρίου",
        μάϊος=5,
        μαίου=5,
    ),
    "en": _numbered(
        "january, february, march, april, may, june, july, august, september, october, "
        "november, december"
    ),
    "eo": _numbered(
        "januaro, februaro, marto, aprilo, majo, junio, julio, aŭgusto, septembro, oktobro, "
        "novembro, decembro"
    ),
    "es": _numbered(
        "enero, febrero, marzo, abril, mayo, junio, julio, agosto, septiembre, octubre, "
        "noviembre, diciembre"
    ),
    "eu": _numbered(
        "urtarrila, otsaila, martxoa, apirila, maiatza, ekaina, uztaila, abuztua, iraila, urria, "
        "azaroa, abendua"
    ),
    "fr": _numbered(
        "janvier, février, mars, avril, mai, juin, juillet, août, septembre, octobre, novembre, "
        "décembre"
    ),
    "ga": _numbered(
        "eanáir, feabhra, marta, aibreán, bealtaine, meitheamh, iúil, lúnasa, meán fómhair, "
        "deireadh fómhair, samhain, nollaig"
    ),
    "gl": _numbered(
        "xaneiro, febreiro, marzo, abril, maio, xuño, xullo, agosto, setembro, outubro, "
        "novembro, decembro",
        "xan, feb, mar, abr, mai, xuñ, xul, ago, set, out, nov, dec",
    ),
    "hr": _numbered(
        "siječanj, veljača, ožujak, travanj, svibanj, lipanj, srpanj, kolovoz, rujan, listopad, "
        "studeni, prosinac"
    ),
    "id": _numbered(
        "januari, februari, maret, april, mei, juni, juli, agustus, september, oktober, "
        "november, desember"
    ),
    "it": _numbered(
        "gennaio, febbraio, marzo, aprile, maggio, giugno, luglio, agosto, settembre, ottobre, "
        "novembre, dicembre"
    ),
    "ja": _numbered(
        "一月, 二月, 三月, 四月, 五月, 六月, 七月, 八月, 九月, 十月, 十一月, 十二月",
        ", ".join(f"{number}月" for number in range(1, 13)),
        ", ".join(_fullwidth(f"{number}月") for number in range(1, 13)),
    ),
    "nl": _numbered(
        "januari, februari, maart, april, mei, juni, juli, augustus, september, oktober, "
        "november, december"
    ),
    "pl": _numbered(
        "stycznia, lutego, marca, kwietnia, maja, czerwca, lipca, sierpnia, września, "
        "października, listopada, grudnia",
        "styczeń, luty, marzec, kwiecień, maj, czerwiec, lipiec, sierpień, wrzesień, "
        "październik, listopad, grudzień",
    ),
    "pt": _numbered(
        "janeiro, fevereiro, março, abril, maio, junho, julho, agosto, setembro, outubro, "
        "novembro, dezembro",
        "jan, fev, mar, abr, mai, jun, jul, ago, set, out, nov, dez",
    ),
    "ru": _numbered(
        "январь, февраль, март, апрель, май, июнь, июль, август, сентябрь, октябрь, ноябрь, "
        "декабрь",
        "янв, фев, мар, апр, май, июн, июл, авг, сен, окт, ноя, дек",
        "января, февраля, марта, апреля, мая, июня, июля, августа, сентября, октября, ноября, "
        "декабря",
    ),
    "sk": _numbered(
        "január, február, marec, apríl, máj, jún, júl, august, september, október, november, "
        "december"
    ),
    "sv": _numbered(
        "januari, februari, mars, april, maj, juni, juli, augusti, september, oktober, "
        "november, december"
    ),
    "uk": _numbered(
        "січень, лютий, березень, квітень, травень, червень, липень, серпень, вересень, "
        "жовтень, листопад, грудень",
        "січня, лютого, березня, квітня, травня, червня, липня, серпня, вересня, жовтня, "
        "листопада, грудня",
    ),
}

#: era markers (regex fragments) -> -1 for "before Christ", 1 otherwise; "en" is the fallback
ERAS: dict[str, dict[str, int]] = {
    "en": {"BCE": -1, "BC": -1, "CE": 1, "AD": 1, "AC": -1},
    "ar": {"ق.م.": -1, "م.": 1},
    "bg": {r"пр\.н\.е\.": -1},
    "el": {"ΠΧ": -1, r"Π\.Χ\.": -1, r"Π\.Χ": -1, "ΜΧ": 1, r"Μ\.Χ\.": 1, r"Μ\.Χ": 1},
    "eo": {"a.K.": -1, "p.K.": -1},
    "es": {
        "AC": -1, r"A\.C\.": -1, "DC": 1, r"D\.C\.": 1, "AD": 1, r"A\.D\.": 1,
        "AEC": 1, r"A\.E\.C\.": 1, "EC": 1, r"E\.C\.": 1,
    },
    "eu": {r"K\.a\.": -1, r"A\. D\.": 1},
    "fr": {r"av\. J\.-C\.": -1, r"ap\. J\.-C\.": 1},
    "ga": {
        r"B\.C\.": -1, r"R\.C\.": -1, r"r\. Chr\.": -1, "BC": -1, "RC": -1,
        r"A\.D\.": 1, "AD": 1, r"I\.C\.": 1, "IC": 1,
    },
    "gl": {
        "AC": -1, r"A\.C\.": -1, "DC": 1, r"D\.C\.": 1, "aC": -1, r"a\.C\.": -1,
        "dC": 1, r"d\.C\.": 1, "AEC": -1, r"A\.E\.C\.": -1, "EC": 1, r"E\.C\.": 1,
    },
    "it": {
        "AC": -1, r"A\.C\.": -1, "DC": 1, r"D\.C\.": 1, "AD": 1, r"A\.D\.": 1,
        "PEV": -1, r"P\.E\.V\.": -1, "EV": 1, r"E\.V\.": 1,
    },
    "ja": {"前": -1, r"B\.C\.": -1, "西暦": 1},
    "nl": {
        r"v\.Chr\.": -1, r"n\.C\.": 1, r"v\.C\.": -1, r"n\.Chr\.": 1,
        r"voor Chr\.": -1, r"na Chr\.": 1,
    },
    "pl": {r"p\.n\.e\.": -1, r"n\.e\.": 1},
    "pt": {
        "AC": -1, r"A\.C\.": -1, "DC": 1, r"D\.C\.": 1, "AD": 1, r"A\.D\.": 1,
        "AEC": 1, r"A\.E\.C\.": 1, "EC": 1, r"E\.C\.": 1,
    },
    "sv": {r"f\.Kr\.": -1, r"e\.Kr\.": 1, r"f\.v\.t\.": -1, r"e\.v\.t\.": 1},
}  # fmt: skip

#: ordinal suffixes after a day number (regex alternatives); "en" is the fallback
ORDINAL_SUFFIXES: dict[str, str] = {
    "en": "st|nd|rd|th",
    "cs": r"\.",
    "el": "η|ης",
    "eo": "-a|-an",
    "es": r"°|\.°|°\.",
    "eu": r"\.",
    "fr": "er|nd|ème",
    "ga": "ú",
    "gl": r"°|\.°|°\.|ª|\.ª|ª\.|º|\.º|º\.",
    "it": r"°|\.°|°\.",
    "nl": "ste|de|e",
    "pt": r"°|\.°|°\.",
    "sk": r"\.",
    "sv": ":e",
}


def _all(names: str, template: DateTemplate) -> dict[str, DateTemplate]:
    return dict.fromkeys(_names(names), template)


_EN_WIKI_DATES = _all(
    "birth date and age, birth date and age2, death date and age, birth date, death date, bda, "
    "dob, start date",
    YMD,
)

#: date templates (lower-cased names, after redirects) per wiki language
TEMPLATES: dict[str, dict[str, DateTemplate]] = {
    "en": {
        **_EN_WIKI_DATES,
        **_all("end date, start date and age, end date and age", YMD),
        **_all("birth-date, start-date, death-date, end-date", TextDate("1")),
        "birthdeathage": FlagDate("1", "B", ParamDate("2", "3", "4"), ParamDate("4", "5", "6")),
        **_all(
            "year, bc year in topic, birth year and age, death year and age, year dab, "
            "dash year, cfl year, cfly, nba year, nbay, nhl year, nhly, baseball year, nfl year, "
            "nfly, afl year, afly",
            YEAR,
        ),
        "imdb country year": ParamDate("2"),
    },
    "ar": _all(
        "تاريخ الازدياد و العمر, تاريخ الوفاة و العمر, تاريخ الولادة, تاريخ الوفاة, "
        "تاريخ الازدياد, تاريخ البدأ",
        YMD,
    ),
    "bg": {
        **_all(
            "дата на раждане и години, дата на раждане, дата на смърт и години, дата на смърт",
            YMD,
        ),
        "роден": DMY,
    },
    "cs": _all(
        "datum narození a věk, datum narození, datum úmrtí a věk, datum úmrtí, "
        "věk v letech a dnech, věk ve dnech, věk",
        YMD,
    ),
    "el": _all(
        "ημερομηνία γέννησης και ηλικία, ημερομηνία θανάτου και ηλικία, "
        "ημερομηνία εκκίνησης και ηλικία, ημερομηνία γέννησης, ηθηλ, ηγη",
        YMD,
    ),
    "eu": _all("adina, adin parentesigabea, data", YMD),
    "fr": {
        **_all("date, date de naissance, date de décès, date sport", DMY),
        **_all("date début, birth date and age", YMD),
        "naissance décès âge": FlagDate(
            "1", "N", ParamDate("4", "3", "2"), ParamDate("7", "6", "5")
        ),
        "année de naissance et âge": ParamDate("1", "2"),
        "année de décès et âge": ParamDate("1", "3"),
    },
    "id": {
        **_all(
            "mula tanggal dan usia, tanggal lahir dan umur, tanggal kematian dan umur, "
            "umur pada tanggal, umur, tanggal lahir dan umur2/doc, tanggal lahir dan umur2",
            YMD,
        ),
        "lahirmati": ParamDate("2", "3", "4"),
        **_EN_WIKI_DATES,
    },
    "it": {
        **_all("data nascita, data di nascita, data di morte, morte", DMY),
        "nascita anno": YEAR,
        "nascita mese": ParamDate(month="1"),
        "nascita giorno": ParamDate(day="1"),
    },
    "ja": {
        **_all("生年月日と年齢, 生年月日と馬齢, 年数", YMD),
        **_all(
            "生年月日と年齢2, 死亡年月日と没年齢, 死亡年月日と没馬齢, 没年齢, 没年齢2", SECOND_DATE
        ),
        "年": YEAR,
        **_all("birth date and age, birth date and age2, death date and age, start date", YMD),
    },
    "nl": _all(
        "geboren, geboortedatum, overleden, sterfdatum, overlijdensdatum, overlijddatum, "
        "datumbegin, begindatum, einddatum, datumeind, datum begin, datum eind, "
        "datum afbeelding",
        DMY,
    ),
    "pt": _all(
        "nascimento, dni, dnibr, dataext, falecimento, morte, falecimento2, dtlink, dtext", YMD
    ),
    "ru": {
        **_all("возраст, датарождения, датасмерти, прошло лет, умер, родился", DMY),
        **_all("start date, start date and age", YMD),
    },
    "sk": _all(
        "počiatočný dátum a vek, dátum narodenia a vek, dnv, vek, vek v dňoch, "
        "vek v rokoch a dňoch, dátum úmrtia a vek, dúv",
        YMD,
    ),
    "uk": {
        **_all("дата з віком, вік, age, дата смерті з віком", YMD),
        **_all("дата народження, народився, дата смерті", DMY),
    },
}
