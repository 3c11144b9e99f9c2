"""The county's actors: households and businesses (rows of NumPy arrays, decided in bulk), the
government and the stall markets (`mesa.Agent`s)."""
