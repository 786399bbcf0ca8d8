"""`flush` that works with append-only tables.

Django's flush (also used between transactional tests) empties every table; the append-only
triggers rightly refuse that. Wiping the whole database is an operator's act, so this lifts the
triggers for the duration of the flush and puts them back, in one transaction where the
database allows it.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections, transaction

from audit import appendonly


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        tables = [t for t in appendonly.PROTECTED_TABLES if t in connection.introspection.table_names()]
        with transaction.atomic(using=connection.alias):
            for table in tables:
                appendonly.run(connection, appendonly.drop_sql(connection.vendor, table))
            try:
                super().handle(**options)
            finally:
                for table in tables:
                    appendonly.install(connection, table, appendonly.PROTECTED_TABLES[table])
