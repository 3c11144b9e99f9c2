"""Results: the one way to run the model (run.py), the history cache, results on disk, the outcome
catalogue with its bands and paired changes, the paired comparison of policies, and which outcomes
rest on assumptions."""
