"""Storage: the SQLite/PostgreSQL schema and its migrations, the Store API, and file exports.

Typical use (what `eventwire extract` does):

store = open_store("eventwire.db")            # or "postgresql://user:pw@host/db"
run = store.start_run("extract", ["reports/"])
with store.transaction():                     # one article and its events together
    if store.add_article(doc, run):
        store.save_events(events, run)
store.finish_run(run, articles_read=1, articles_new=1, events_written=len(events))
store.export("events.csv", country="Syria")
"""

from eventwire.store.acled import ACLED_COLUMNS, CSV_COLUMNS, EXTRA_COLUMNS, acled_row
from eventwire.store.db import ORDERS, SaveCounts, Store, StoredArticle, normalize_url, open_store
from eventwire.store.errors import ArticleConflict, StoreError
from eventwire.store.export import check_output_path, output_format, write_events

__all__ = [
    "ACLED_COLUMNS",
    "CSV_COLUMNS",
    "EXTRA_COLUMNS",
    "ORDERS",
    "ArticleConflict",
    "SaveCounts",
    "Store",
    "StoreError",
    "StoredArticle",
    "acled_row",
    "check_output_path",
    "normalize_url",
    "open_store",
    "output_format",
    "write_events",
]
