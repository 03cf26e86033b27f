"""Helpers of the differential tests: seeded tables + schemas, seeded mutations,
and the comparison of Territoria's errors with frictionless-py's on one file.

``generator``: :func:`generator.make_case` builds one seeded (schema, CSV bytes)
case; ``compare``: runs both validators and returns their error lists.
"""
