"""DBpedia's ObjectParser and FlagTemplateParser: wikitext values -> resource IRIs.

The Scala parsers look at the *children* of a value as DBpedia's own wiki parser builds them, which
differs from mwparserfromhell's tree; :func:`dbpedia_nodes` rebuilds that view (shared by the link,
boolean and coordinate parsers):

* text, HTML entities and ordinary tags (``<span>``, ``<br />``) are raw text; adjacent pieces merge
  into one text, and comments vanish from it; ``<ref>``, ``<math>``, ``<code>`` and ``<source>`` are
  dropped with their content;
* leading whitespace of the value is dropped, trailing whitespace stays (a text of its own);
* a bare ``http…`` URL runs up to the first of `` {}[]`` / newline / tab, trailing punctuation and
  tags included, and an external link whose URL ``java.net.URI`` would reject is plain text;
* wiki links and templates stay nodes.

ObjectParser (non-strict, as mappings use it) returns, for the first child that has one: a wiki link
in the Main namespace -> its target; an external link -> its URL; a text whose trimmed, lower-cased
content is the label of a wiki link elsewhere on the page (``ParseContext.link_labels``) -> that
link's target, if in the Main namespace; a template that is the value's only child and a flag
template -> the country. Plain text gives nothing. Targets are not redirect-resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mwparserfromhell.nodes import (
    Comment,
    ExternalLink,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)

from extractors.dataparsers import ParseContext
from extractors.java_text import JAVA_SPACE_CHARS, JAVA_TRIM
from extractors.rdf import IRI
from extractors.titles import (
    InvalidTitle,
    Title,
    link_title,
    parse_link_target,
    parse_title,
    resource_iri,
)
from extractors.wikitext import Wikicode, template_name, template_params

__all__ = [
    "COUNTRY_CODES",
    "JAVA_TRIM",
    "SKIPPED_TAGS",
    "Piece",
    "UrlLink",
    "dbpedia_nodes",
    "link_label",
    "parse_flag_template",
    "parse_object",
    "parse_objects",
    "retrieve_text",
]

#: Tags DBpedia's parser drops with their content (their names start so).
SKIPPED_TAGS = ("ref", "math", "code", "source")
_URL_END = re.compile(r"[ {}\[\]\n\t]")  # where DBpedia's parser ends a bare http URL
# What java.net.URI rejects: spaces and controls, some ASCII, a bad %-escape, a second '#'.
_BAD_URI = re.compile(r'[\s\x00-\x1f\x7f-\x9f"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})|#.*#')

_FLAG_TEMPLATES = frozenset({"flagicon", "flag", "flagcountry"})


@dataclass(frozen=True, slots=True)
class UrlLink:
    """An external link as DBpedia's parser reads it: the URL and the label (None: no label)."""

    url: str
    label: Wikicode | None


#: One child of a value in DBpedia's view: a text, a wiki link, an external link, a template, or
#: another node (a template argument or a heading) that no parser reads.
Piece = str | Wikilink | UrlLink | Template | Node


def dbpedia_nodes(value: Wikicode) -> list[Piece]:
    """The children of a value as DBpedia's SimpleWikiParser builds them (see module docstring)."""
    atoms: list[Node | tuple[str, bool]] = []
    _flatten(value.nodes, atoms)
    pieces: list[Piece] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        run.clear()
        if not pieces:
            text = text.lstrip(JAVA_SPACE_CHARS)  # Java's ^\s+
        if text:
            pieces.append(text)

    for index, atom in enumerate(atoms):
        if isinstance(atom, tuple):
            if atom[1]:
                run.append(atom[0])
        elif isinstance(atom, ExternalLink):
            link = _url_link(atom, atoms, index)
            if link is None:
                run.append(str(atom))
            else:
                flush()
                pieces.append(link)
        else:
            flush()
            pieces.append(atom)
    flush()
    return pieces


def _flatten(nodes: list[Node], atoms: list[Node | tuple[str, bool]]) -> None:
    """Raw text as ``(text, kept)`` (comments and skipped tags are not kept), other nodes as is."""
    for node in nodes:
        if isinstance(node, Text | HTMLEntity):
            atoms.append((str(node), True))
        elif isinstance(node, Comment):
            atoms.append((str(node), False))
        elif isinstance(node, Tag):
            source = str(node)
            if not node.wiki_markup and str(node.tag).startswith(SKIPPED_TAGS):
                atoms.append((source, False))
            elif node.self_closing:
                atoms.append((source, True))
            else:
                contents = str(node.contents)
                if node.wiki_markup:
                    close = node.closing_wiki_markup or ""
                else:
                    close = f"</{node.closing_tag}>"
                atoms.append((source[: len(source) - len(contents) - len(close)], True))
                _flatten(node.contents.nodes, atoms)
                atoms.append((close, True))
        else:
            atoms.append(node)


def _url_link(
    link: ExternalLink, atoms: list[Node | tuple[str, bool]], index: int
) -> UrlLink | None:
    """DBpedia's reading of an external link, or None when its parser keeps it as text.

    A bare URL swallows the raw text after it up to a URL end; the swallowed text is removed from
    ``atoms`` only when the URL is valid.
    """
    url = str(link.url)
    if link.brackets:
        return None if _BAD_URI.search(url) else UrlLink(url, link.title)
    if not url.startswith("http"):
        return None
    taken: list[tuple[int, int]] = []
    for position in range(index + 1, len(atoms)):
        atom = atoms[position]
        if not isinstance(atom, tuple):
            break
        end = _URL_END.search(atom[0])
        cut = end.start() if end else len(atom[0])
        url += atom[0][:cut]
        taken.append((position, cut))
        if end:
            break
    if _BAD_URI.search(url):
        return None
    for position, cut in taken:
        text, kept = atoms[position]  # type: ignore[misc]
        atoms[position] = (text[cut:], kept)
    return UrlLink(url, None)


def retrieve_text(pieces: list[Piece]) -> str | None:
    """DBpedia's ``Node.retrieveText``: the text of a node whose only child is a text."""
    if len(pieces) == 1 and isinstance(pieces[0], str):
        return pieces[0]
    return None


def link_label(piece: Wikilink | UrlLink) -> list[Piece]:
    """The children DBpedia gives a link: its label, or its target as the only text."""
    if isinstance(piece, Wikilink):
        return dbpedia_nodes(piece.text if piece.text is not None else piece.title)
    if piece.label is not None:
        return dbpedia_nodes(piece.label)
    return [piece.url]


def parse_object(value: Wikicode, context: ParseContext) -> IRI | None:
    """DBpedia's ObjectParser on one value (or one split piece of it): the first match, or None.

    ``context.page_title`` (the page being extracted) is needed only for ``[[#Section]]`` links,
    which become the page's IRI with ``%23Section`` appended; without it they match nothing.
    """
    pieces = dbpedia_nodes(value)
    single = len(pieces) == 1
    page_title = context.page_title or None
    for piece in pieces:
        iri = _match(piece, single, context, page_title)
        if iri is not None:
            return iri
    return None


def parse_objects(value: Wikicode, context: ParseContext) -> list[IRI]:
    """Every object of a value, in order: the contract of DBpedia's ``ObjectParserTest.xml``.

    Like :func:`parse_object`, but every child that matches counts (``[[A]], [[B]]`` gives both),
    and the caption of a link to another namespace (``[[File:x.jpg|thumb|… [[B]] …]]``) is searched
    for objects too. Mappings instead split a value and take :func:`parse_object` of each piece.
    """
    found: list[IRI] = []
    _collect(dbpedia_nodes(value), context, context.page_title or None, found)
    return found


def _collect(
    pieces: list[Piece], context: ParseContext, page_title: str | None, found: list[IRI]
) -> None:
    single = len(pieces) == 1
    for piece in pieces:
        iri = _match(piece, single, context, page_title)
        if iri is not None:
            found.append(iri)
        elif isinstance(piece, Wikilink) and piece.text is not None:
            _collect(dbpedia_nodes(piece.text), context, page_title, found)


def _match(piece: Piece, single: bool, context: ParseContext, page_title: str | None) -> IRI | None:
    if isinstance(piece, Wikilink):
        return _main_iri(str(piece.title), page_title)
    if isinstance(piece, UrlLink):
        return IRI(piece.url)
    if isinstance(piece, str):
        label = piece.strip(JAVA_TRIM).lower()
        target = context.link_labels.get(label) if label else None
        return _main_iri(target, page_title) if target is not None else None
    if isinstance(piece, Template) and single:
        title = parse_flag_template(piece, context)
        return IRI(resource_iri(title)) if title is not None else None
    return None


def _main_iri(target: str, page_title: str | None) -> IRI | None:
    """The resource IRI of a link target in the Main namespace (section dropped), else None."""
    try:
        link = parse_link_target(target)
        if link.namespace != 0 or (page_title is None and not link.name):
            return None
        return IRI(resource_iri(link_title(link, page_title or "")))
    except InvalidTitle:
        return None


def parse_flag_template(template: Template, context: ParseContext) -> Title | None:
    """DBpedia's FlagTemplateParser (English configuration): the country a flag template shows.

    ``{{flag|Germany}}``, ``{{flagicon|…}}`` and ``{{flagcountry|…}}`` name the country by
    parameter 1 (its first text): a two- or three-letter upper-case code is looked up (an unknown
    code gives nothing), anything else is the country's title. A template whose name is such a code
    (``{{GER}}``, ``{{KOR}}``, ``{{EU}}``) is looked up the same way. Names are not
    redirect-resolved.
    """
    name = template_name(template)
    if name.lower() in _FLAG_TEMPLATES:
        param = template_params(template).get("1")
        text = (
            next((p for p in dbpedia_nodes(param) if isinstance(p, str)), None) if param else None
        )
        if text is None:
            return None
        if len(text) in (2, 3) and text == text.upper():
            return _country(text)
        try:
            return parse_title(text)
        except InvalidTitle:
            return None
    if len(name) in (2, 3) and name == name.upper():
        return _country(name)
    return None


def _country(code: str) -> Title | None:
    name = COUNTRY_CODES.get(code)
    return Title(0, name) if name is not None else None


def _code_table(table: str) -> dict[str, str]:
    return {line[:3].strip(): line[4:] for line in table.strip().splitlines()}


#: Flag codes for English: ISO 3166-1 alpha-3 (the Java-locale table DBpedia fell back to), then the
#: IOC codes that English Wikipedia's country templates use where they are not ISO codes, and EU.
#: Names are the English Wikipedia article titles.
COUNTRY_CODES: dict[str, str] = _code_table(
    """
ABW Aruba
AFG Afghanistan
AGO Angola
AIA Anguilla
ALA Åland Islands
ALB Albania
AND Andorra
ARE United Arab Emirates
ARG Argentina
ARM Armenia
ASM American Samoa
ATA Antarctica
ATF French Southern and Antarctic Lands
ATG Antigua and Barbuda
AUS Australia
AUT Austria
AZE Azerbaijan
BDI Burundi
BEL Belgium
BEN Benin
BES Caribbean Netherlands
BFA Burkina Faso
BGD Bangladesh
BGR Bulgaria
BHR Bahrain
BHS The Bahamas
BIH Bosnia and Herzegovina
BLM Saint Barthélemy
BLR Belarus
BLZ Belize
BMU Bermuda
BOL Bolivia
BRA Brazil
BRB Barbados
BRN Brunei
BTN Bhutan
BVT Bouvet Island
BWA Botswana
CAF Central African Republic
CAN Canada
CCK Cocos (Keeling) Islands
CHE Switzerland
CHL Chile
CHN China
CIV Ivory Coast
CMR Cameroon
COD Democratic Republic of the Congo
COG Republic of the Congo
COK Cook Islands
COL Colombia
COM Comoros
CPV Cape Verde
CRI Costa Rica
CUB Cuba
CUW Curaçao
CXR Christmas Island
CYM Cayman Islands
CYP Cyprus
CZE Czech Republic
DEU Germany
DJI Djibouti
DMA Dominica
DNK Denmark
DOM Dominican Republic
DZA Algeria
ECU Ecuador
EGY Egypt
ERI Eritrea
ESH Western Sahara
ESP Spain
EST Estonia
ETH Ethiopia
FIN Finland
FJI Fiji
FLK Falkland Islands
FRA France
FRO Faroe Islands
FSM Federated States of Micronesia
GAB Gabon
GBR United Kingdom
GEO Georgia (country)
GGY Guernsey
GHA Ghana
GIB Gibraltar
GIN Guinea
GLP Guadeloupe
GMB The Gambia
GNB Guinea-Bissau
GNQ Equatorial Guinea
GRC Greece
GRD Grenada
GRL Greenland
GTM Guatemala
GUF French Guiana
GUM Guam
GUY Guyana
HKG Hong Kong
HMD Heard Island and McDonald Islands
HND Honduras
HRV Croatia
HTI Haiti
HUN Hungary
IDN Indonesia
IMN Isle of Man
IND India
IOT British Indian Ocean Territory
IRL Republic of Ireland
IRN Iran
IRQ Iraq
ISL Iceland
ISR Israel
ITA Italy
JAM Jamaica
JEY Jersey
JOR Jordan
JPN Japan
KAZ Kazakhstan
KEN Kenya
KGZ Kyrgyzstan
KHM Cambodia
KIR Kiribati
KNA Saint Kitts and Nevis
KOR South Korea
KWT Kuwait
LAO Laos
LBN Lebanon
LBR Liberia
LBY Libya
LCA Saint Lucia
LIE Liechtenstein
LKA Sri Lanka
LSO Lesotho
LTU Lithuania
LUX Luxembourg
LVA Latvia
MAC Macau
MAF Collectivity of Saint Martin
MAR Morocco
MCO Monaco
MDA Moldova
MDG Madagascar
MDV Maldives
MEX Mexico
MHL Marshall Islands
MKD North Macedonia
MLI Mali
MLT Malta
MMR Myanmar
MNE Montenegro
MNG Mongolia
MNP Northern Mariana Islands
MOZ Mozambique
MRT Mauritania
MSR Montserrat
MTQ Martinique
MUS Mauritius
MWI Malawi
MYS Malaysia
MYT Mayotte
NAM Namibia
NCL New Caledonia
NER Niger
NFK Norfolk Island
NGA Nigeria
NIC Nicaragua
NIU Niue
NLD Netherlands
NOR Norway
NPL Nepal
NRU Nauru
NZL New Zealand
OMN Oman
PAK Pakistan
PAN Panama
PCN Pitcairn Islands
PER Peru
PHL Philippines
PLW Palau
PNG Papua New Guinea
POL Poland
PRI Puerto Rico
PRK North Korea
PRT Portugal
PRY Paraguay
PSE State of Palestine
PYF French Polynesia
QAT Qatar
REU Réunion
ROU Romania
RUS Russia
RWA Rwanda
SAU Saudi Arabia
SDN Sudan
SEN Senegal
SGP Singapore
SGS South Georgia and the South Sandwich Islands
SHN Saint Helena, Ascension and Tristan da Cunha
SJM Svalbard and Jan Mayen
SLB Solomon Islands
SLE Sierra Leone
SLV El Salvador
SMR San Marino
SOM Somalia
SPM Saint Pierre and Miquelon
SRB Serbia
SSD South Sudan
STP São Tomé and Príncipe
SUR Suriname
SVK Slovakia
SVN Slovenia
SWE Sweden
SWZ Eswatini
SXM Sint Maarten
SYC Seychelles
SYR Syria
TCA Turks and Caicos Islands
TCD Chad
TGO Togo
THA Thailand
TJK Tajikistan
TKL Tokelau
TKM Turkmenistan
TLS East Timor
TON Tonga
TTO Trinidad and Tobago
TUN Tunisia
TUR Turkey
TUV Tuvalu
TWN Taiwan
TZA Tanzania
UGA Uganda
UKR Ukraine
UMI United States Minor Outlying Islands
URY Uruguay
USA United States
UZB Uzbekistan
VAT Vatican City
VCT Saint Vincent and the Grenadines
VEN Venezuela
VGB British Virgin Islands
VIR United States Virgin Islands
VNM Vietnam
VUT Vanuatu
WLF Wallis and Futuna
WSM Samoa
YEM Yemen
ZAF South Africa
ZMB Zambia
ZWE Zimbabwe
ALG Algeria
ANG Angola
ANT Antigua and Barbuda
ARU Aruba
ASA American Samoa
BAH The Bahamas
BAN Bangladesh
BAR Barbados
BER Bermuda
BHU Bhutan
BIZ Belize
BOT Botswana
BRU Brunei
BUL Bulgaria
BUR Burkina Faso
CAM Cambodia
CAY Cayman Islands
CGO Republic of the Congo
CHA Chad
CHI Chile
CRC Costa Rica
CRO Croatia
DEN Denmark
ESA El Salvador
FIJ Fiji
GAM The Gambia
GBS Guinea-Bissau
GEQ Equatorial Guinea
GER Germany
GRE Greece
GRN Grenada
GUA Guatemala
GUI Guinea
HAI Haiti
HON Honduras
INA Indonesia
IRI Iran
ISV United States Virgin Islands
IVB British Virgin Islands
KOS Kosovo
KSA Saudi Arabia
KUW Kuwait
LAT Latvia
LBA Libya
LES Lesotho
MAD Madagascar
MAS Malaysia
MAW Malawi
MGL Mongolia
MON Monaco
MRI Mauritius
MTN Mauritania
MYA Myanmar
NCA Nicaragua
NED Netherlands
NEP Nepal
NGR Nigeria
NIG Niger
OMA Oman
PAR Paraguay
PHI Philippines
PLE State of Palestine
POR Portugal
PUR Puerto Rico
RSA South Africa
SAM Samoa
SEY Seychelles
SIN Singapore
SKN Saint Kitts and Nevis
SLO Slovenia
SOL Solomon Islands
SRI Sri Lanka
SUD Sudan
SUI Switzerland
TAN Tanzania
TGA Tonga
TOG Togo
TPE Chinese Taipei
UAE United Arab Emirates
URU Uruguay
VAN Vanuatu
VIE Vietnam
VIN Saint Vincent and the Grenadines
ZAM Zambia
ZIM Zimbabwe
EU  European Union
"""
)
