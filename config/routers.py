"""Database routing for an optional read replica (DATABASE_REPLICA_URL).

Reads go to the replica; writes go to the primary ("default"), and so does
every read made inside a transaction on the primary, so that a request that
writes and then reads back (the admin's change forms, API writes, importers)
never sees the replica's slightly older copy.
"""

from django.db import connections

PRIMARY = "default"
REPLICA = "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
