"""Exceptions that reach the command line as one-line messages."""


class UsageError(Exception):
    """A mistake in how eventwire was called: a missing file, a bad option value (exit status 2)."""
