"""Inputs: what a run is made of. The parameter registry and its citations, scenarios, resolved
parameters, calibration targets, parameter draws, and the calendar and errors they share. Nothing here
knows the simulation."""
