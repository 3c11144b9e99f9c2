"""Reports: self-contained HTML or Markdown on a run, a run against its baseline, or a sweep
(`renewal report`, and the app's download); the effects and comparison tables of the command line."""
