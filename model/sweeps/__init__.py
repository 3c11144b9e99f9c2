"""Sweeps: designs over levers and uncertainties with replicates, run on a laptop or a Dask cluster,
stored by run hash so that an interrupted sweep resumes (`renewal sweep`)."""
