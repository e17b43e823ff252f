"""Loaders: one module per source kind, picked by name (installed as ``breachkg.loaders``)."""
