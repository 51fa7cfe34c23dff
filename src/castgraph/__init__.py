"""castgraph: an open RDF knowledge graph of the China Association for Science and Technology.

The package root stays light: ``castgraph --help`` must not import rdflib, pyshacl, pyoxigraph or
networkx. Import the stage you need from its module (``castgraph.build.mint``, ``castgraph.check.validate``).
"""

__version__ = "0.1.0"
