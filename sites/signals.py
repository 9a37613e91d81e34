"""Signals the gazetteer sends so that other apps can follow bulk writes.

sites never imports heritage, yet heritage keeps a status for every site. An
importer that writes thousands of rows wraps them in ``batch()``: listeners
(heritage/status.py) hold back their per-row work while the batch runs and do
it once, for the sites touched, when it ends.
"""

from contextlib import contextmanager

from django.dispatch import Signal

# Sent when a batch of writes begins and ends; batch_finished carries
# ``committed`` (False when the batch was rolled back, as in a dry run) and
# ``site_pks``, the sites written without save() (bulk inserts send no post_save).
batch_started = Signal()
batch_finished = Signal()


@contextmanager
def batch(sender):
    """Group many writes so that listeners refresh derived data once, at the end."""
    batch_started.send(sender=sender)
    state = {"committed": False, "site_pks": set()}
    try:
        yield state
    finally:
        batch_finished.send(sender=sender, committed=state["committed"], site_pks=state["site_pks"])
