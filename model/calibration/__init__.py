"""Calibration: estimating the calibrated parameters against the document figures (`renewal calibrate`)
and reading the stored fit."""
