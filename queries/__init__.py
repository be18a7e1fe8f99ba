"""queries layer."""
