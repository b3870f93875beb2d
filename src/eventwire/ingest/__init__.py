"""Input readers: files, directories and stdin -> Article values, with ReadError values for bad input.

Errors are values, never raised to the caller: each is one line naming the input and the reason. Reasons
starting with "skipped:" are notes (unknown extensions); reasons starting with "warning:" mean the article
was read but a field was unusable (e.g. a bad date); everything else is a failure of that input or record.
"""

from eventwire.ingest.errors import SKIPPED_PREFIX, WARNING_PREFIX
from eventwire.ingest.metadata import apply_metadata, load_metadata
from eventwire.ingest.published import parse_published
from eventwire.ingest.readers import (
    DEFAULT_MAX_BYTES,
    READERS,
    STDIN,
    iter_input_files,
    read_inputs,
    read_path,
    read_stdin,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "READERS",
    "SKIPPED_PREFIX",
    "STDIN",
    "WARNING_PREFIX",
    "apply_metadata",
    "iter_input_files",
    "load_metadata",
    "parse_published",
    "read_inputs",
    "read_path",
    "read_stdin",
]
