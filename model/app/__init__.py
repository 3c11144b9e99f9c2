"""The planners' app: its page (page.py, drawn by app.py at the project root), settings and links, its words
in Chinese and English, its charts as data, and its server (serve.py, what `make app` starts)."""
