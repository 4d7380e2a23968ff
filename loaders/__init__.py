"""Loaders: fetch public files, validate them against a contract, land them in schema `raw`."""
