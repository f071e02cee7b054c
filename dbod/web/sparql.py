"""/sparql: the SPARQL 1.1 Protocol's query operation over the on-demand Dataset.

Statuses: 400 for a query that is not legal SPARQL (message with line and column), for a
protocol error (two ``query`` parameters, a dataset given by the client) and for a body that is
not UTF-8; 415 for a POST of another media type; 501 for legal SPARQL outside the supported
subset (the message names the feature); 422 when the query passes a limit (resources fetched,
wall time or results; the message names it); 503 when Wikipedia is unreachable; 406 when no
result format matches Accept. Unknown parameters are ignored. ``format`` / ``output`` (as
SPARQLWrapper and DBpedia's Virtuoso take them) override Accept.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from html import escape
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from rdflib import Graph, URIRef
from starlette.responses import HTMLResponse, Response

from dbod.core import Core
from dbod.formats import FORMATS, RdfFormat, serialize
from dbod.settings import Settings
from dbod.sparql_dataset import run_query
from dbod.web.errors import Problem, negotiate_or_406
from dbod.web.html import HTML_HEADERS, render_message
from extractors.rdf import DBR, PREFIXES
from sparql_lite import (
    MEDIA_TYPES,
    AskResult,
    LimitExceeded,
    QuerySyntaxError,
    SelectResult,
    UnsupportedFeature,
    parse_query,
)
from sparql_lite import serialize as serialize_results

router = APIRouter()

#: a note in results answered from the cache only (patterns anchored on no resource)
CACHE_ONLY_NOTE = "urn:dbod:note:cache-only-partial-answer"
#: a note in results where a resource had more linking pages than were read
BACKLINKS_NOTE = "urn:dbod:note:backlinks-limit-partial-answer"
DEFAULT_GRAPH = "http://dbpedia.org"
MAX_QUERY_BYTES = 64 * 1024

#: SELECT and ASK answers: media type -> sparql_lite format name
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: CONSTRUCT and DESCRIBE answers and the service description: every RDF format but RDF/JSON,
#: whose media type application/json SPARQL clients send when they want JSON results
GRAPH_FORMATS: list[RdfFormat] = [fmt for fmt in FORMATS.values() if fmt.name != "rdfjson"]
GRAPH_TYPES = [fmt.media_type for fmt in GRAPH_FORMATS]
#: values of ``format`` / ``output`` that real clients send (SPARQLWrapper, Virtuoso's) and media
#: types, for results (-> a sparql_lite format name) and for graphs (-> a dbod.formats name)
RESULT_NAMES = {**RESULT_TYPES, **{name: name for name in MEDIA_TYPES}}
GRAPH_NAMES = {
    alias: fmt.name
    for fmt in GRAPH_FORMATS
    for alias in (fmt.name, *fmt.extensions, fmt.rdflib_name, *fmt.media_types)
    if alias is not None
}


@router.get("/sparql", summary="SPARQL query (GET), or the service description / query form")
async def sparql_get(request: Request) -> Response:
    queries = request.query_params.getlist("query")
    if not queries:
        return _service_description(request)
    _reject_datasets(
        request.query_params.getlist("default-graph-uri"),
        request.query_params.getlist("named-graph-uri"),
    )
    if len(queries) > 1:
        raise Problem(400, "the query parameter must be given exactly once")
    return await _answer(
        request,
        queries[0],
        request.query_params.get("format") or request.query_params.get("output"),
    )


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)")
async def sparql_post(request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    media_type, _, parameters = content_type.partition(";")
    media_type = media_type.strip().lower()
    body = await request.body()
    if len(body) > MAX_QUERY_BYTES:
        raise Problem(413, f"the request body is larger than {MAX_QUERY_BYTES} bytes")
    charset = _charset(parameters)
    if charset not in ("utf-8", "utf8"):
        raise Problem(400, f"the request body must be UTF-8, not {charset}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the request body is not valid UTF-8") from None
    url_params = request.query_params
    if media_type == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        queries = form.get("query", [])
        _reject_datasets(
            form.get("default-graph-uri", []) + url_params.getlist("default-graph-uri"),
            form.get("named-graph-uri", []) + url_params.getlist("named-graph-uri"),
        )
        if len(queries) != 1:
            raise Problem(400, "the query parameter must be given exactly once")
        fmt = (form.get("format") or form.get("output") or [None])[0]
        return await _answer(request, queries[0], fmt or url_params.get("format"))
    if media_type == "application/sparql-query":
        _reject_datasets(
            url_params.getlist("default-graph-uri"), url_params.getlist("named-graph-uri")
        )
        return await _answer(request, text, url_params.get("format") or url_params.get("output"))
    raise Problem(
        415,
        "POST a query as application/x-www-form-urlencoded or "
        "application/sparql-query" + (f", not {media_type}" if media_type else ""),
    )


def _charset(parameters: str) -> str:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return "utf-8"


def _reject_datasets(default_graphs: list[str], named_graphs: list[str]) -> None:
    if named_graphs:
        raise Problem(400, "named graphs are not supported: this service has one default graph")
    other = [graph for graph in default_graphs if graph != DEFAULT_GRAPH]
    if other:
        raise Problem(400, f"the only graph is {DEFAULT_GRAPH}; clients cannot choose the dataset")


async def _answer(request: Request, text: str, format_parameter: str | None) -> Response:
    if len(text.encode()) > MAX_QUERY_BYTES:
        raise Problem(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
    try:
        query = parse_query(text)
    except QuerySyntaxError as exc:
        raise Problem(400, f"syntax error: {exc}") from None
    except UnsupportedFeature as exc:
        raise Problem(
            501,
            f"unsupported: {exc.feature} (this endpoint evaluates basic graph "
            "patterns with FILTER, OPTIONAL, UNION, ORDER BY, LIMIT, COUNT)",
        ) from None
    is_graph = query.form in ("CONSTRUCT", "DESCRIBE")
    fmt = _choose_format(request, format_parameter, is_graph)
    settings: Settings = request.app.state.settings
    core: Core = request.app.state.core
    try:
        result, dataset = await asyncio.to_thread(
            run_query, core, asyncio.get_running_loop(), settings, query
        )
    except LimitExceeded as exc:
        raise Problem(422, f"{exc}; narrow the query (anchor it on fewer resources)") from None
    headers = {"Vary": "Accept", "X-DBOD-Resources-Fetched": str(dataset.fetched)}
    notes = []
    if dataset.cache_only:
        headers["X-DBOD-Cache-Only"] = "true"
        notes.append(CACHE_ONLY_NOTE)
    if dataset.backlinks_truncated:
        headers["X-DBOD-Backlinks-Truncated"] = "true"
        notes.append(BACKLINKS_NOTE)
    if isinstance(result, Graph):
        body = serialize(result, fmt)
        return Response(body, media_type=FORMATS[fmt].media_type, headers=headers)
    if isinstance(result, SelectResult | AskResult):
        result.links = (*result.links, *notes)
    return Response(serialize_results(result, fmt), media_type=MEDIA_TYPES[fmt], headers=headers)


def _choose_format(request: Request, parameter: str | None, is_graph: bool) -> str:
    """The format ``format`` / ``output`` names for this query form, else the one Accept
    prefers: a name of :data:`~dbod.formats.FORMATS` for graphs, of MEDIA_TYPES for results."""
    names, offers = (GRAPH_NAMES, GRAPH_TYPES) if is_graph else (RESULT_NAMES, list(RESULT_TYPES))
    name = names.get(parameter.strip().lower()) if parameter else None
    if name is not None:
        return name
    what = "graph format" if is_graph else "results format"
    return names[negotiate_or_406(request, offers, what)]


#: stands for the endpoint's URL (which depends on the Host the request names)
ENDPOINT = "urn:dbod:sparql-endpoint"
SERVICE_DESCRIPTION = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dbo: <{PREFIXES["dbo"]}> .

[] a sd:Service ;
    sd:endpoint <{ENDPOINT}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>,
        <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>,
        <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>,
        <http://www.w3.org/ns/formats/N3>, <http://www.w3.org/ns/formats/JSON-LD>,
        <http://www.w3.org/ns/formats/RDF_XML> ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""

QUERY_FORM = """<h2>Query</h2>
<form method=get action="/sparql">
<textarea name=query rows=12 cols=100>{example}</textarea>
<p><select name=format>
<option value="text/html" disabled>results as</option>
<option value=json>JSON</option><option value=xml>XML</option>
<option value=csv>CSV</option><option value=tsv>TSV</option>
</select> <button type=submit>Run</button></p>
</form>
"""

EXAMPLE = f"""PREFIX dbo: <{PREFIXES["dbo"]}>
PREFIX dbr: <{DBR}>
SELECT ?leader ?name WHERE {{
  dbr:Berlin dbo:politicalLeader ?leader .
  ?leader dbo:personName ?name .
}}"""


def _service_description(request: Request) -> Response:
    chosen = negotiate_or_406(request, ["text/html", *GRAPH_TYPES])
    if chosen == "text/html":
        body = render_message(200, "SPARQL endpoint of DBpedia on Demand").replace(
            "</main>", QUERY_FORM.format(example=escape(EXAMPLE)) + "</main>"
        )
        return HTMLResponse(body, headers={"Vary": "Accept", **HTML_HEADERS})
    name = GRAPH_NAMES[chosen]
    return Response(
        _described(str(request.url_for("sparql_get")), name),
        media_type=FORMATS[name].media_type,
        headers={"Vary": "Accept"},
    )


@lru_cache(maxsize=32)
def _described(endpoint: str, name: str) -> str:
    """The service description of ``endpoint`` in the named format."""
    template, graph = _service_graph(), Graph()
    for prefix, namespace in template.namespaces():
        graph.bind(prefix, namespace)
    for triple in template:
        graph.add(tuple(URIRef(endpoint) if term == URIRef(ENDPOINT) else term for term in triple))
    return serialize(graph, name)


@lru_cache(maxsize=1)
def _service_graph() -> Graph:
    return Graph().parse(data=SERVICE_DESCRIPTION, format="turtle")
