"""DBpedia's page-level extractors (rules §1.7): labels, ids, provenance, links, categories,
redirects, disambiguation, images, homepage, length, sameAs and topical concepts.

They share one walk over the page's syntax tree (:func:`collect`), whose findings every
extractor reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mwparserfromhell.nodes import ExternalLink, Heading, Node, Tag, Template, Text, Wikilink

from extractors.dataparsers.objects import dbpedia_nodes, retrieve_text
from extractors.page import PageRecord
from extractors.rdf import (
    DBO,
    DBR,
    DC,
    DCT,
    FOAF,
    IRI,
    OWL,
    PROV,
    RDF_TYPE,
    RDFS,
    WIKIDATA,
    XSD,
    Literal,
    Triple,
)
from extractors.titles import (
    InvalidTitle,
    Title,
    link_title,
    parse_link_target,
    resource_iri,
    wiki_encode,
)
from extractors.wikitext import Wikicode, template_name

COMMONS_FILE_PATH = "http://commons.wikimedia.org/wiki/Special:FilePath/"
MAIN, CATEGORY = 0, 14

#: Link prefixes that leave the wiki (interwiki projects and language editions), lower-cased.
INTERWIKI_PREFIXES = frozenset(
    """wikt wiktionary commons c s wikisource q wikiquote b wikibooks n wikinews v wikiversity
    voy wikivoyage species wikispecies d wikidata m meta mw mediawikiwiki foundation wmf phab
    phabricator incubator outreach iarchive doi rfc google""".split()
) | frozenset(
    """aa ab ace af ak als am an ang ar arc arz as ast av ay az azb ba bar bcl be bg bh bi bjn bm
    bn bo bpy br bs bug bxr ca cbk-zam cdo ce ceb ch cho chr chy ckb co cr crh cs csb cu cv cy
    da de diq dsb dv dz ee el eml en eo es et eu ext fa ff fi fj fo fr frp frr fur fy ga gag gan
    gd gl glk gn gom got gu gv ha hak haw he hi hif ho hr hsb ht hu hy hz ia id ie ig ii ik ilo
    io is it iu ja jbo jv ka kaa kab kbd kg ki kj kk kl km kn ko koi kr krc ks ksh ku kv kw ky
    la lad lb lbe lez lg li lij lmo ln lo lrc lt ltg lv mai map-bms mdf mg mh mhr mi min mk ml
    mn mr mrj ms mt mus mwl my myv mzn na nah nap nds nds-nl ne new ng nl nn no nov nrm nso nv
    ny oc om or os pa pag pam pap pcd pdc pfl pi pih pl pms pnb pnt ps pt qu rm rmy rn ro
    roa-rup roa-tara ru rue rw sa sah sc scn sco sd se sg sh si simple sk sl sm sn so sq sr srn
    ss st stq su sv sw szl ta te tet tg th ti tk tl tn to tpi tr ts tt tum tw ty tyv udm ug uk
    ur uz ve vec vep vi vls vo wa war wo wuu xal xh xmf yi yo za zea zh zh-classical zh-min-nan
    zh-yue zu""".split()
)

_IMAGE_EXTENSION = re.compile(r"\.(?:jpe?g|png|gif|svg)\b", re.IGNORECASE)
_IMAGE_NAME_DELIMITERS = "[]|=\n{}<>"
_IMAGE_NAME_MAX = 240
_FILE_PREFIX = re.compile(r"^\s*(?:file|image)\s*:\s*", re.IGNORECASE)
_URL_SCHEME = re.compile(r"^(?:https?|ftp)://[^\s/]+", re.IGNORECASE)
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
_HOMEPAGE_KEYS = frozenset({"website", "homepage", "web", "site", "url"})
_DISAMBIGUATION_TEMPLATES = frozenset(
    {
        "Disambiguation",
        "Disambig",
        "Dab",
        "Disamb",
        "Hndis",
        "Geodis",
        "Numberdis",
        "Letter-NumberCombDisambig",
    }
)
_COORD_TEMPLATES = frozenset({"Coord", "Coor", "Coordinates", "Coor dms", "Coor d", "Coor dm"})
#: TopicalConceptsExtractorConfig.catMainTemplates (one set for all languages, as upstream)
_CAT_MAIN_TEMPLATES = frozenset(
    {
        "مزيد",
        "Infocat",
        "Infocatm",
        "Catmore",
        "Cat main",
        "AP",
        "Nagusia",
        "Article principal",
        "Voce principale",
        "torna a",
        "Artigo principal",
        "Основная статья по теме категории",
        "Catmain",
    }
)
_EXTERNAL_LINKS_HEADING = re.compile(r"^\s*external\s+links?\s*$", re.IGNORECASE)


@dataclass
class PageFacts:
    """What one walk over a page finds, in page order."""

    links: list[Title] = field(default_factory=list)
    link_labels: dict[str, str] = field(default_factory=dict)
    external_links: list[str] = field(default_factory=list)
    categories: list[Title] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    top_level_templates: list[Template] = field(default_factory=list)
    external_links_section: list[str] = field(default_factory=list)


def collect(wikicode: Wikicode, title: str) -> PageFacts:
    """Walk the page once, gathering links, categories, external links and templates."""
    facts = PageFacts()
    page_title = title

    def visit(nodes: list[Node], top: bool, in_external_section: bool) -> bool:
        for node in nodes:
            if type(node) is Text:  # most nodes; checked first to keep the walk cheap
                continue
            if isinstance(node, Heading):
                in_external_section = bool(_EXTERNAL_LINKS_HEADING.match(str(node.title)))
                visit(node.title.nodes, False, False)
            elif isinstance(node, Wikilink):
                _visit_link(node, facts, page_title)
                if node.text is not None:
                    visit(node.text.nodes, False, in_external_section)
            elif isinstance(node, ExternalLink):
                url = safe_url(str(node.url))
                if url:
                    facts.external_links.append(url)
                    if in_external_section:
                        facts.external_links_section.append(url)
            elif isinstance(node, Template):
                facts.templates.append(node)
                if top:
                    facts.top_level_templates.append(node)
                for param in node.params:
                    visit(param.value.nodes, False, in_external_section)
            elif isinstance(node, Tag) and node.contents is not None:
                visit(
                    node.contents.nodes, top and str(node.tag).lower() != "ref", in_external_section
                )
        return in_external_section

    visit(wikicode.nodes, True, False)
    return facts


def _visit_link(node: Wikilink, facts: PageFacts, page_title: str) -> None:
    raw = str(node.title).strip()
    escaped = raw.startswith(":")
    prefix = raw.lstrip(":").split(":", 1)[0].strip().lower() if ":" in raw else ""
    if prefix in INTERWIKI_PREFIXES:
        return
    try:
        target = link_title(parse_link_target(raw), page_title)
    except InvalidTitle:
        return
    if target.namespace == CATEGORY and not escaped:
        facts.categories.append(target)
    facts.links.append(target)
    if node.text is not None:
        label = str(node.text).strip().lower()
        if label:
            facts.link_labels.setdefault(label, target.text)


def safe_url(url: str) -> str | None:
    """An external link as an IRI (forbidden characters percent-encoded), or None if not a URL."""
    url = url.strip()
    if not _URL_SCHEME.match(url):
        return None
    return _IRI_FORBIDDEN.sub(
        lambda match: "".join(f"%{b:02X}" for b in match.group().encode()), url
    )


def wikipedia_page(page: PageRecord) -> str:
    """The Wikipedia article's IRI, ``http://<lang>.wikipedia.org/wiki/<encoded title>``."""
    return f"http://{page.lang}.wikipedia.org/wiki/{wiki_encode(page.title)}"


def metadata_triples(page: PageRecord, subject: str) -> list[Triple]:
    """Label, page id, revision id, provenance, the article page and sameAs."""
    article = wikipedia_page(page)
    triples = []
    if page.namespace == MAIN:
        triples.append(
            Triple(subject, RDFS + "label", Literal(page.title, lang=page.lang), "label")
        )
    triples += [
        Triple(subject, DBO + "wikiPageID", Literal(str(page.page_id), XSD + "integer"), "page-id"),
        Triple(
            subject,
            DBO + "wikiPageRevisionID",
            Literal(str(page.revision_id), XSD + "integer"),
            "revision-id",
        ),
        Triple(
            subject,
            PROV + "wasDerivedFrom",
            IRI(f"{article}?oldid={page.revision_id}&ns={page.namespace}"),
            "provenance",
        ),
        Triple(subject, FOAF + "isPrimaryTopicOf", IRI(article), "article-page"),
        Triple(article, FOAF + "primaryTopic", IRI(subject), "article-page"),
        Triple(article, DC + "language", Literal(page.lang), "article-page"),
        Triple(article, RDF_TYPE, IRI(FOAF + "Document"), "article-page"),
        Triple(
            subject,
            DBO + "wikiPageLength",
            Literal(str(len(page.wikitext.encode("utf-16-le")) // 2), XSD + "nonNegativeInteger"),
            "page-length",
        ),
    ]
    if page.wikidata_item:
        triples.append(
            Triple(subject, OWL + "sameAs", IRI(WIKIDATA + page.wikidata_item), "sameas")
        )
    return triples


def link_triples(page: PageRecord, subject: str, facts: PageFacts) -> list[Triple]:
    """Page links, external links and categories."""
    triples = [
        Triple(subject, DBO + "wikiPageWikiLink", IRI(resource_iri(link)), "page-links")
        for link in facts.links
    ]
    triples += [
        Triple(subject, DBO + "wikiPageExternalLink", IRI(url), "external-links")
        for url in facts.external_links
    ]
    triples += [
        Triple(subject, DCT + "subject", IRI(resource_iri(category)), "categories")
        for category in facts.categories
    ]
    return triples


def redirect_triples(page: PageRecord, subject: str) -> list[Triple]:
    """``dbo:wikiPageRedirects`` on a redirect page whose target is in the same namespace."""
    if not page.redirect:
        return []
    try:
        target = parse_link_target(page.redirect)
    except InvalidTitle:
        return []
    if target.namespace != page.namespace or not target.name:
        return []
    return [Triple(subject, DBO + "wikiPageRedirects", IRI(resource_iri(target)), "redirects")]


def is_disambiguation(page: PageRecord, facts: PageFacts) -> bool:
    """A disambiguation page: flagged by the wiki, or carrying a disambiguation template."""
    return page.disambiguation or any(
        template_name(template) in _DISAMBIGUATION_TEMPLATES for template in facts.templates
    )


def disambiguation_triples(
    page: PageRecord, subject: str, facts: PageFacts, disambiguation: bool
) -> list[Triple]:
    """``dbo:wikiPageDisambiguates`` for links that spell out the page's title or its acronym;
    ``disambiguation`` is :func:`is_disambiguation` of the page (nothing when it is False)."""
    if page.namespace != MAIN or not disambiguation:
        return []
    base = re.sub(r"\s*\(disambiguation\)\s*$", "", page.title, flags=re.IGNORECASE).upper()
    triples, seen = [], set()
    for link in facts.links:
        if link.namespace != MAIN or link.text == page.title:
            continue
        target = link.text.upper()
        if base in target or _is_acronym(base, link.text):
            iri = resource_iri(link)
            if iri not in seen:
                seen.add(iri)
                triples.append(
                    Triple(subject, DBO + "wikiPageDisambiguates", IRI(iri), "disambiguation")
                )
    return triples


def _is_acronym(acronym: str, title: str) -> bool:
    letters = [word[0].upper() for word in re.split(r"[\s\-]+", title) if word]
    return len(acronym) > 1 and "".join(letters).startswith(acronym.replace(".", ""))


def image_triples(page: PageRecord, subject: str, wikitext: str) -> list[Triple]:
    """Thumbnail and depictions of every image named in the wikitext (the first is the main one)."""
    names: list[str] = []
    for match in _IMAGE_EXTENSION.finditer(wikitext):
        # the name runs back from the extension to the nearest delimiter
        window = wikitext[max(0, match.start() - _IMAGE_NAME_MAX) : match.start()]
        start = max(window.rfind(delimiter) for delimiter in _IMAGE_NAME_DELIMITERS) + 1
        name = _FILE_PREFIX.sub("", window[start:] + match.group()).strip()
        if name and name not in names and "://" not in name:
            names.append(name)
    triples: list[Triple] = []
    for index, name in enumerate(names):
        encoded = wiki_encode(name[:1].upper() + name[1:])
        image = COMMONS_FILE_PATH + encoded
        thumbnail = f"{image}?width=300"
        if index == 0:
            triples.append(Triple(subject, DBO + "thumbnail", IRI(thumbnail), "images"))
        triples += [
            Triple(subject, FOAF + "depiction", IRI(image), "images"),
            Triple(image, FOAF + "thumbnail", IRI(thumbnail), "images"),
            Triple(
                image,
                DC + "rights",
                IRI(f"http://{page.lang}.wikipedia.org/wiki/File:{encoded}"),
                "images",
            ),
            Triple(image, RDF_TYPE, IRI(DBO + "Image"), "images"),
        ]
    return triples


def homepage_triples(subject: str, facts: PageFacts) -> list[Triple]:
    """``foaf:homepage``: a website-like template parameter, else the External links section."""
    for template in facts.templates:
        for param in template.params:
            if str(param.name).strip().lower() in _HOMEPAGE_KEYS:
                for link in param.value.filter_external_links():
                    url = safe_url(str(link.url))
                    if url:
                        return [Triple(subject, FOAF + "homepage", IRI(url), "homepage")]
                url = safe_url(str(param.value).strip())
                if url:
                    return [Triple(subject, FOAF + "homepage", IRI(url), "homepage")]
    if facts.external_links_section:
        return [
            Triple(subject, FOAF + "homepage", IRI(facts.external_links_section[0]), "homepage")
        ]
    return []


def coord_template(facts: PageFacts) -> Template | None:
    """The first top-level ``{{coord}}`` template of the page."""
    for template in facts.top_level_templates:
        if template_name(template) in _COORD_TEMPLATES:
            return template
    return None


def topical_concept_triples(subject: str, facts: PageFacts) -> list[Triple]:
    """``dbo:mainArticleForCategory`` of a category page, from its ``{{Cat main|Article}}``.

    DBpedia's TopicalConceptsExtractor: templates named (unresolved) as in its config, with a
    parameter 1; the article is ``dbr:`` + that parameter's text, DBpedia-encoded as written. A
    parameter 1 that is not a single text makes the framework fail the page: nothing at all.
    """
    triples = []
    for template in facts.templates:
        if template_name(template) in _CAT_MAIN_TEMPLATES and template.has("1"):
            text = retrieve_text(dbpedia_nodes(template.get("1").value))
            if text is None:
                return []
            article = IRI(DBR + wiki_encode(text))
            triples.append(
                Triple(subject, DBO + "mainArticleForCategory", article, "topical-concepts")
            )
    return triples
