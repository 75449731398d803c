"""Local records: what happened with PostGuard's warnings, never what was written.

Counts per day and rule (findings shown, fixed through a suggestion, ignored, posted anyway past a
critical finding, marked "this warning is wrong" with a reason from a fixed list), canned replies
used (by id), sites paused or resumed, and champions' answers (the conversation's URL only as a
salted hash, the customer's message time, the answer's, the minutes between), in an SQLite file in the user's state folder
(`records.sqlite`). No draft text, excerpt, handle or URL is ever accepted: every field is an id the
loaded pack knows or a word from a fixed list (`events.py`).

    events.py    what the extension may report, checked against the pack and the fixed lists
    database.py  open the file: WAL, the versioned schema and its migrations, a damaged file moved aside
    writer.py    a background thread that writes batches, off the request path
    salt.py      the salt that hashes conversation URLs (records.salt, 0600)
    store.py     add counts, prune past the retention, forget
    report.py    `postguard report`: per week, rates, the noisiest rules; JSON and CSV
"""

from companion.records.database import SCHEMA_VERSION, open_records
from companion.records.events import DEFAULT_RETENTION_DAYS, WRONG_REASONS, Event, parse_events
from companion.records.writer import RecordWriter

RECORDS_FILE = "records.sqlite"

__all__ = ["DEFAULT_RETENTION_DAYS", "RECORDS_FILE", "SCHEMA_VERSION", "WRONG_REASONS", "Event", "RecordWriter",
           "open_records", "parse_events"]
