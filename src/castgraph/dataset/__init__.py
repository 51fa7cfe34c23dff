"""The dataset: the built graph as a pyoxigraph store, its query engine and its writers."""
