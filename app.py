"""The planners' app (`make app`): Streamlit runs this script on every interaction; the page is
model/app/page.py, imported once per server."""

# model.run's worker processes import this script as __mp_main__ when they start: they import nothing more
# (not Streamlit, not the page), so that a worker is ready as soon as it has the model.
if __name__ != "__mp_main__":
    from model.app.page import main

    main()
