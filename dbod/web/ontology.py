"""/ontology/{term}: the DBpedia ontology's classes and properties, as HTML or RDF by Accept."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from dbod.formats import BY_EXTENSION, BY_MEDIA_TYPE, RdfFormat, serialize
from dbod.web.errors import Problem, negotiate_or_406
from dbod.web.html import HTML_HEADERS, render_page
from dbod.web.linked_data import HTML_TYPES
from extractors.ontology import Ontology
from extractors.rdf import DBO, IRI, OWL, RDF_TYPE, RDFS, Literal, Triple

router = APIRouter()


def term_triples(ontology: Ontology, term: str) -> list[Triple]:
    """The statements the ontology makes about a class or property named ``term``."""
    if term in ontology.classes:
        cls = ontology.classes[term]
        out = [Triple(cls.iri, RDF_TYPE, IRI(OWL + "Class"), "ontology")]
        out += [
            Triple(cls.iri, RDFS + "label", Literal(text, lang=lang), "ontology")
            for lang, text in cls.labels.items()
        ]
        out += [
            Triple(cls.iri, RDFS + "subClassOf", IRI(ontology.classes[b].iri), "ontology")
            for b in cls.bases
            if b in ontology.classes
        ]
        out += [
            Triple(cls.iri, OWL + "equivalentClass", IRI(ontology.classes[e].iri), "ontology")
            for e in cls.equivalents
            if e in ontology.classes
        ]
        return out
    prop = ontology.properties.get(term) or ontology.properties.get(term[:1].lower() + term[1:])
    if prop is None:
        return []
    kind = "ObjectProperty" if prop.is_object else "DatatypeProperty"
    out = [Triple(prop.iri, RDF_TYPE, IRI(OWL + kind), "ontology")]
    if prop.functional:
        out.append(Triple(prop.iri, RDF_TYPE, IRI(OWL + "FunctionalProperty"), "ontology"))
    out += [
        Triple(prop.iri, RDFS + "label", Literal(text, lang=lang), "ontology")
        for lang, text in prop.labels.items()
    ]
    domain = ontology.classes.get(prop.domain)
    if domain is not None:
        out.append(Triple(prop.iri, RDFS + "domain", IRI(domain.iri), "ontology"))
    target = (
        ontology.classes.get(prop.range) if prop.is_object else ontology.datatypes.get(prop.range)
    )
    if target is not None:
        out.append(Triple(prop.iri, RDFS + "range", IRI(target.iri), "ontology"))
    return out


@router.get("/ontology/{term:path}", summary="An ontology class or property")
async def ontology_term(request: Request, term: str) -> Response:
    """HTML for browsers, else RDF in the format Accept prefers; ``TERM.EXT`` (``City.ttl``)
    gives the format of the extension."""
    ontology: Ontology = request.app.state.core.compiled.ontology
    triples = term_triples(ontology, term)
    fmt: RdfFormat | None = None
    if not triples:
        stem, dot, ext = term.rpartition(".")
        fmt = BY_EXTENSION.get(ext.lower()) if dot else None
        triples = term_triples(ontology, stem) if fmt is not None else []
    if not triples:
        raise Problem(404, f"the DBpedia ontology has no class or property {term!r}")
    if fmt is not None:
        return Response(serialize(triples, fmt.name), media_type=fmt.media_type)
    chosen = negotiate_or_406(request, [*HTML_TYPES, *BY_MEDIA_TYPE])
    headers = {"Vary": "Accept"}
    subject = triples[0].subject
    if chosen in HTML_TYPES:
        body = render_page(
            subject=subject, name=subject[len(DBO) :], triples=triples, data_path="/ontology/"
        )
        return HTMLResponse(body, headers={**headers, **HTML_HEADERS})
    fmt = BY_MEDIA_TYPE[chosen]
    return Response(serialize(triples, fmt.name), media_type=fmt.media_type, headers=headers)
