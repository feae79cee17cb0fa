"""kazgraph: a knowledge graph of Kazakhstan's foreign relations in Neo4j."""

__version__ = "0.1.0"
