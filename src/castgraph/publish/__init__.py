"""Publishing the graph: push to a remote store, releases and their metadata, the static site."""
