"""Errors the store reports to its callers (the CLI turns them into one clear line)."""

from __future__ import annotations


class StoreError(Exception):
    """The database cannot be opened or used as asked."""


class ArticleConflict(StoreError):
    """An article id is already stored with different content (a different raw hash)."""


class EventNotFound(StoreError):
    """No event has the id asked for."""


class ReviewConflict(StoreError):
    """A review operation does not fit the events as stored (already merged, not one of its articles...)."""
