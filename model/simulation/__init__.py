"""The simulation: the Mesa model (model.py, whose `step` is the month's story), its agents (agents/),
the compounds, the economy, the dispute centre, amenity, the starting county (builder.py), the random
streams and the monthly measures. It reads parameters (model.inputs) and knows nothing of files, the
app or the command line."""
