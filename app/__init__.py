"""User-facing layer: the CLI and the Streamlit app."""
