"""breachkg: a knowledge graph of health-sector data breaches and their software supply chain.

Articles and breach datasets become RDF (one named graph per source), validated with
SHACL, stored in Oxigraph, and queried for supply-chain concentration.
"""

__version__ = "0.1.0"
