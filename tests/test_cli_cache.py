"""`dbod cache stats|clear|warm` and `dbod fetch` over a dump source (no network)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import rdflib
import rdflib.compare

from tests.queries import LEADER_NAME, LEADERS


def dbod(shared_data: Path, cache_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    dump = shared_data / "dbpedia" / "minidump_en_wiki.xml.bz2"
    command = [
        sys.executable, "-m", "dbod.cli", "--source", f"dump:{dump}",
        "--mappings", str(shared_data / "dbpedia"), "--cache-dir", str(cache_dir), *args,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def stats(shared_data: Path, cache_dir: Path) -> dict[str, str]:
    out = dbod(shared_data, cache_dir, "cache", "stats").stdout
    return dict(line.split(": ", 1) for line in out.splitlines())


def test_warm_stats_clear(shared_data: Path, tmp_path: Path) -> None:
    titles = tmp_path / "titles.txt"
    titles.write_text("Berlin\nIKEA\n\nSamsung\nNo such page\n", encoding="utf-8")
    warm = dbod(shared_data, tmp_path / "cache", "cache", "warm", str(titles))
    assert warm.returncode == 1  # one title was not found, and it says which
    assert "No such page: not found" in warm.stderr
    counted = stats(shared_data, tmp_path / "cache")
    assert int(counted["entries"]) >= 9  # pointer, page and graph of each of the three
    assert int(counted["size_bytes"]) > 0
    cleared = dbod(shared_data, tmp_path / "cache", "cache", "clear")
    assert cleared.returncode == 0 and cleared.stdout.startswith("removed ")
    assert stats(shared_data, tmp_path / "cache")["entries"] == "0"


def test_fetch_formats(shared_data: Path, tmp_path: Path) -> None:
    parsers = {"ttl": "turtle", "nt": "nt", "n3": "n3", "jsonld": "json-ld", "rdfxml": "xml"}
    graphs = {}
    for name, parser in parsers.items():
        result = dbod(shared_data, tmp_path / "cache", "fetch", "Berlin", "--format", name)
        assert result.returncode == 0, result.stderr
        graphs[name] = rdflib.Graph().parse(data=result.stdout, format=parser)
    reference = graphs.pop("nt")
    for graph in graphs.values():
        assert rdflib.compare.isomorphic(graph, reference)


def test_query_in_process(shared_data: Path, tmp_path: Path) -> None:
    table = dbod(shared_data, tmp_path / "cache", "query", LEADERS)
    assert table.returncode == 0, table.stderr
    assert f'"{LEADER_NAME}"' in table.stdout and "(1 rows)" in table.stdout
    as_json = dbod(shared_data, tmp_path / "cache", "query", LEADERS, "--format", "json")
    rows = json.loads(as_json.stdout)["results"]["bindings"]
    assert rows[0]["name"] == {"type": "literal", "value": LEADER_NAME}
    csv = dbod(shared_data, tmp_path / "cache", "query", LEADERS, "--format", "csv")
    assert csv.stdout.splitlines()[0] == "leader,name"
    construct = dbod(
        shared_data, tmp_path / "cache", "query",
        "CONSTRUCT { ?s a ?t } WHERE { <http://dbpedia.org/resource/IKEA> a ?t . ?s a ?t }",
    )  # fmt: skip
    graph = rdflib.Graph().parse(data=construct.stdout, format="turtle")
    assert len(graph) > 0 and "@prefix dbo: <http://dbpedia.org/ontology/>" in construct.stdout
    bad = dbod(shared_data, tmp_path / "cache", "query", "SELECT * {")
    assert bad.returncode == 4 and "line 1, column" in bad.stderr and "Traceback" not in bad.stderr
    unsupported = dbod(
        shared_data, tmp_path / "cache", "query", "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s"
    )
    assert unsupported.returncode == 4 and "GROUP BY" in unsupported.stderr
