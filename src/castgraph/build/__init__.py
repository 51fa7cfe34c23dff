"""The build: checked records -> the statements of every source graph, and its summary."""
