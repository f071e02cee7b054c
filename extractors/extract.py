"""Extraction of one page: every extractor over one parse of the wikitext.

``extract_page(page, ontology, mappings)`` returns the page's triples, each naming the extractor
that made it. Pure: the caller supplies the compiled ontology and mappings and the page record.
"""

from __future__ import annotations

from collections.abc import Mapping

from mwparserfromhell.smart_list import SmartList

from extractors.abstract import extract_abstracts
from extractors.citations import extract_citations
from extractors.dataparsers import ParseContext
from extractors.dataparsers.geo import parse_coordinates
from extractors.infobox import extract_infobox
from extractors.mapping_extractor import extract_mappings
from extractors.mapping_values import geo_triples
from extractors.mappings import Mappings
from extractors.ontology import Ontology
from extractors.page import PageRecord
from extractors.page_extractors import (
    CATEGORY,
    MAIN,
    collect,
    coord_template,
    disambiguation_triples,
    homepage_triples,
    image_triples,
    is_disambiguation,
    link_triples,
    metadata_triples,
    redirect_triples,
    topical_concept_triples,
)
from extractors.rdf import Literal, Triple
from extractors.template_transforms import apply_template_transforms, find_transform
from extractors.titles import resource_iri
from extractors.wikitext import Wikicode, parse, template_names

#: DBpedia's ``reject-long`` IRI policy: statements with a longer IRI are dropped.
MAX_IRI_LENGTH = 500

#: The raw-infobox datasets DBpedia publishes (not its unpublished "extended" one).
RELEASED_INFOBOX_DATASETS = frozenset({"infobox", "infobox-property-definitions"})

#: Part of every cache key of extracted graphs: bump when extraction output changes.
EXTRACTOR_VERSION = "0.4"


def extract_page(
    page: PageRecord,
    ontology: Ontology,
    mappings: Mappings,
    template_redirects: Mapping[str, str] | None = None,
    *,
    citations: bool = False,
) -> list[Triple]:
    """All triples DBpedia's extractors would produce for ``page``.

    ``template_redirects`` maps normalized template names to the template they redirect to.
    ``citations`` adds DBpedia's citation data (resources named by the cited URL or ISBN), a
    dataset of its own that resource descriptions leave out by default.
    """
    subject = resource_iri(page.title)
    triples = metadata_triples(page, subject)
    if page.redirect:
        return triples + redirect_triples(page, subject)
    triples = _content_triples(
        page, subject, ontology, mappings, template_redirects, triples, citations
    )
    return [triple for triple in triples if _short(triple)]


def _short(triple: Triple) -> bool:
    obj = triple.object
    return (
        len(triple.subject) <= MAX_IRI_LENGTH
        and len(triple.predicate) <= MAX_IRI_LENGTH
        and (isinstance(obj, Literal) or len(obj) <= MAX_IRI_LENGTH)
    )


def _content_triples(
    page: PageRecord,
    subject: str,
    ontology: Ontology,
    mappings: Mappings,
    template_redirects: Mapping[str, str] | None,
    triples: list[Triple],
    citations: bool,
) -> list[Triple]:
    redirects = dict(template_redirects or {})

    def resolve(name: str) -> str:
        return redirects.get(name, name)

    wikicode = parse(page.wikitext)
    # the abstract renders templates itself: it reads the tree before templates are rewritten
    abstracts = extract_abstracts(page, wikicode.nodes) if page.namespace == MAIN else []
    if any(find_transform(resolve(name), page.lang) for name in template_names(page.wikitext)):
        apply_template_transforms(wikicode, page.lang, resolve)
    facts = collect(wikicode, page.title)
    context = ParseContext(
        lang=page.lang,
        page_title=page.title,
        resolve_template=resolve,
        link_labels=facts.link_labels,
    )
    triples += link_triples(page, subject, facts)
    if page.namespace == MAIN:
        triples += extract_mappings(wikicode, subject, page.title, ontology, mappings, context)
        disambiguation = is_disambiguation(page, facts)
        triples += disambiguation_triples(page, subject, facts, disambiguation)
        triples += image_triples(page, subject, page.wikitext)
        triples += homepage_triples(subject, facts)
        if citations:
            triples += extract_citations(facts.templates, subject, context)
        triples += [
            triple
            for triple in extract_infobox(wikicode, subject, context)
            if triple.extractor in RELEASED_INFOBOX_DATASETS
        ]
        coord = coord_template(facts)
        coordinates = (
            parse_coordinates(Wikicode(SmartList([coord])), context) if coord is not None else None
        )
        if coordinates is not None:
            triples += geo_triples(subject, coordinates, "geo")
        if not disambiguation:
            triples += abstracts
    elif page.namespace == CATEGORY:
        triples += topical_concept_triples(subject, facts)
    return triples
