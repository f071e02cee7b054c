"""A restricted SPARQL engine that evaluates basic graph patterns over a Dataset protocol."""
