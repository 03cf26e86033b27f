"""Renderers: one :class:`~territoria.report.Report`, five forms (text, json, markdown, html, github)."""
