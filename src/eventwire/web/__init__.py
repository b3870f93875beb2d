"""The web app: REST API, OpenAPI docs and the review page (``eventwire serve``)."""

from eventwire.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
