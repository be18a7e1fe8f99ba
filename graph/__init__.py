"""The graph layer: records, the store protocol and its implementations."""
