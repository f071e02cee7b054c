"""Wikitext -> RDF, faithful to the DBpedia extraction framework. Pure: no network, no disk."""
