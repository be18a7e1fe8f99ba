"""The app's pages (Streamlit scripts run by app/streamlit_app.py through st.navigation)."""
