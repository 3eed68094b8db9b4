"""cancergraph: a governance knowledge graph and rules engine for English cancer networks."""

__version__ = "0.1.0"
