"""Validation of one source: one table (``table``), or the tables of a package (``package``)."""
