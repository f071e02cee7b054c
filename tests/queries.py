"""SPARQL queries several test modules send, and what the MediaWiki testbed answers to them."""

from __future__ import annotations

PREFIXES = """PREFIX dbo: <http://dbpedia.org/ontology/>
PREFIX dbr: <http://dbpedia.org/resource/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: Berlin's political leaders and their names: one row, (LEADER, LEADER_NAME)
LEADERS = (
    PREFIXES
    + """SELECT ?leader ?name WHERE {
  dbr:Berlin dbo:politicalLeader ?leader . ?leader dbo:personName ?name . }"""
)
LEADER = "http://dbpedia.org/resource/Berlin__PoliticalFunction__1"
LEADER_NAME = "Michael Müller"
