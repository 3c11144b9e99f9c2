"""The planners' app's helpers: settings and links, its words in Chinese and English, its charts as
data. app.py at the project root lays them out with Streamlit."""
