"""The Streamlit dashboard. The only package that imports streamlit."""
