"""Tools for schema authors: ``lint`` (house rules), ``diff`` (semver of a change), ``lock`` (released versions)."""
