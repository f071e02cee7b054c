"""sparql_lite against rdflib's SPARQL engine and pyoxigraph: the same queries on the same graph.

Run ``python benchmarks/bench_sparql.py [SHARED_DATA] [--synthetic N]``.

(a) The graph ``dbod fetch --format nt`` extracts from every article of the Wikipedia dumps in
    SHARED_DATA (gensim dumps and the DBpedia minidump), with queries shaped like DBpedia
    question-answering benchmarks: single resource, star, two hops, type-constrained, COUNT,
    FILTER and OPTIONAL.
(b) A synthetic DBpedia-like graph of N triples (default 1,000,000).

Each query runs through each engine's public API from the query text (parsing included;
sparql_lite's plan cache is allowed, rdflib has none), best of up to 5 runs within about 2 s.
The engines' answers are checked to agree (row count, or the ASK/COUNT value). Prints
milliseconds per engine and the ratios rdflib / sparql_lite and sparql_lite / pyoxigraph
(issue targets: >= 10 and <= 3). pyoxigraph is optional (``pip install pyoxigraph``).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from dbod.sources.dump import DumpSource
from sparql_lite import AskResult, InMemoryDataset, SelectResult, execute

try:
    import pyoxigraph
except ImportError:  # optional dev dependency
    pyoxigraph = None

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = """PREFIX dbo: <http://dbpedia.org/ontology/>
PREFIX dbr: <http://dbpedia.org/resource/>
PREFIX dbp: <http://dbpedia.org/property/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX ex: <http://example.org/>
"""

REAL_QUERIES = {
    "single resource": "SELECT ?p ?o WHERE { dbr:Angela_Merkel ?p ?o }",
    "star": "SELECT ?x ?label ?place ?date WHERE { ?x a dbo:Person ; rdfs:label ?label ;"
    " dbo:birthPlace ?place ; dbo:birthDate ?date }",
    "two hops": "SELECT DISTINCT ?y WHERE { dbr:Berlin dbo:wikiPageWikiLink ?x ."
    " ?x dbo:wikiPageWikiLink ?y }",
    "type-constrained": "SELECT ?x ?density WHERE { ?x a dbo:Country ;"
    " dbo:populationDensity ?density FILTER(?density > 50) }",
    "count": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x dbo:wikiPageWikiLink dbr:Germany }",
    "ask": "ASK { dbr:Angela_Merkel dbo:birthPlace dbr:Hamburg }",
    "filter strings": "SELECT ?x ?label WHERE { ?x rdfs:label ?label"
    ' FILTER(lang(?label) = "en" && STRSTARTS(?label, "A")) }',
    "optional": "SELECT ?x ?thumb ?abstract WHERE { ?x a dbo:Place"
    " OPTIONAL { ?x dbo:thumbnail ?thumb } OPTIONAL { ?x dbo:abstract ?abstract } }",
    "order by + limit": "SELECT ?x ?length WHERE { ?x dbo:wikiPageLength ?length }"
    " ORDER BY DESC(?length) LIMIT 10",
}

SYNTHETIC_QUERIES = {
    "single resource": "SELECT ?p ?o WHERE { ex:e42 ?p ?o }",
    "star": "SELECT ?x ?name ?age WHERE { ?x a ex:Class3 ; rdfs:label ?name ; ex:age ?age }",
    "two hops": "SELECT ?z WHERE { ex:e42 ex:knows ?y . ?y ex:knows ?z }",
    "type-constrained": "SELECT ?x WHERE { ?x a ex:Class7 ; ex:livesIn ex:e5 }",
    "count": "SELECT (COUNT(?x) AS ?n) WHERE { ?x ex:knows ex:e1 }",
    "filter numeric": "SELECT ?x ?age WHERE { ?x a ex:Class1 ; ex:age ?age FILTER(?age >= 90) }",
    "optional": "SELECT ?x ?city WHERE { ?x ex:knows ex:e7 OPTIONAL { ?x ex:livesIn ?city } }",
}


def extracted_graph(shared: Path, scratch: Path) -> Graph:
    """Every article of the shared Wikipedia dumps, extracted by ``dbod fetch --format nt``."""
    dumps = [
        *sorted((shared / "wikipedia" / "gensim").glob("*.bz2")),
        shared / "dbpedia" / "minidump_en_wiki.xml.bz2",
    ]
    graph = Graph()
    for dump in dumps:
        with DumpSource(dump, scratch / "index") as source:
            titles = list(source.titles(0, redirects=False))
        command = [
            sys.executable, "-m", "dbod.cli", "--source", f"dump:{dump}",
            "--mappings", str(shared / "dbpedia"), "--cache-dir", str(scratch / "cache"),
            "fetch", "--format", "nt", *titles,
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        graph.parse(data=output, format="nt")
    return graph


def synthetic_graph(size: int, seed: int = 7) -> Graph:
    """Entities with a class, a label, an age, a home and Zipf-distributed ``knows`` links."""
    ex = Namespace("http://example.org/")
    rng = random.Random(seed)
    entities = max(10, size // 8)
    graph = Graph()
    add = graph.add
    for i in range(entities):
        entity = ex[f"e{i}"]
        add((entity, RDF.type, ex[f"Class{i % 20}"]))
        add((entity, RDFS.label, Literal(f"Entity {i}", lang="en")))
        add((entity, ex.age, Literal(rng.randrange(100), datatype=XSD.integer)))
        add((entity, ex.livesIn, ex[f"e{rng.randrange(50)}"]))
    while len(graph) < size:
        source = rng.randrange(entities)
        target = min(int(rng.paretovariate(1.2)) - 1, entities - 1)
        add((ex[f"e{source}"], ex.knows, ex[f"e{target}"]))
    return graph


def answer(result: object) -> object:
    """What engines must agree on: row count, or the boolean / the single value."""
    if isinstance(result, bool | AskResult):
        return bool(result)
    if getattr(result, "type", None) == "ASK":  # an rdflib Result
        return bool(result.askAnswer)  # type: ignore[attr-defined]
    rows = result.rows if isinstance(result, SelectResult) else list(result)  # type: ignore[attr-defined]
    if len(rows) == 1 and len(rows[0]) == 1 and isinstance(rows[0][0], Literal | URIRef):
        return str(rows[0][0])
    if len(rows) == 1 and len(rows[0]) == 1 and hasattr(rows[0][0], "value"):
        return str(rows[0][0].value)
    return len(rows)


def best_time(
    run: Callable[[], object], budget: float = 2.0, runs: int = 5
) -> tuple[float, object]:
    times, value, spent = [], None, 0.0
    for _ in range(runs):
        start = time.perf_counter()
        value = run()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
        if spent > budget:
            break
    return min(times), value


def engines(graph: Graph) -> Iterator[tuple[str, Callable[[str], object]]]:
    dataset = InMemoryDataset(graph)
    yield "sparql_lite", lambda text: answer(execute(text, dataset))
    yield "rdflib", lambda text: answer(graph.query(text))
    if pyoxigraph is not None:
        store = pyoxigraph.Store()
        store.bulk_load(graph.serialize(format="nt"), pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)

        def oxigraph(text: str) -> object:
            result = store.query(text)
            if isinstance(result, pyoxigraph.QueryBoolean):
                return bool(result)
            return answer([tuple(solution) for solution in result])

        yield "pyoxigraph", oxigraph


def compare(title: str, graph: Graph, queries: dict[str, str]) -> None:
    print(f"\n{title}: {len(graph):,} triples")
    runners = dict(engines(graph))
    names = list(runners)
    header = "".join(f"{name + ' ms':>15}" for name in names)
    print(f"{'query':<18}{header}{'rdflib/lite':>13}{'lite/oxigraph':>15}  answer")
    for label, body in queries.items():
        text = PREFIXES + body
        timings, answers = {}, {}
        for name in names:
            timings[name], answers[name] = best_time(
                lambda text=text, name=name: runners[name](text)
            )
        agreed = len({repr(a) for a in answers.values()}) == 1
        cells = "".join(f"{timings[name] * 1000:>15.2f}" for name in names)
        slower = timings["rdflib"] / timings["sparql_lite"]
        versus = (
            f"{timings['sparql_lite'] / timings['pyoxigraph']:>15.2f}"
            if "pyoxigraph" in timings
            else ""
        )
        verdict = answers["sparql_lite"] if agreed else f"DISAGREE {answers}"
        print(f"{label:<18}{cells}{slower:>13.1f}{versus}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--synthetic", type=int, default=1_000_000, metavar="N")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        graph = extracted_graph(options.shared, Path(scratch))
        print(f"extracted the shared Wikipedia dumps in {time.perf_counter() - start:.1f} s")
    compare("(a) extracted from the shared Wikipedia dumps", graph, REAL_QUERIES)
    if options.synthetic:
        compare("(b) synthetic", synthetic_graph(options.synthetic), SYNTHETIC_QUERIES)


if __name__ == "__main__":
    main()
