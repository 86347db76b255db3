"""Writing and reading rows of one model with plain statements, for the hot paths.

`insert_all()` writes many new rows with one `INSERT … RETURNING id`; `select_rows()` reads
instances with a `SELECT` whose condition the caller writes.

`QuerySet.bulk_create()` builds its statement anew through the ORM's compiler on every call.
On the hot paths (a batch of registrations under the seat-pool lock, a chunk of the e-mail
intake) that cost more than the database work itself (docs/benchmarks.md). `insert_all()` does
the same job for the simple case these paths need: new objects of a model without parents,
every field written, no conflict handling, primary keys read back and set on the objects.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Model


def insert_all[M: Model](objects: Sequence[M]) -> Sequence[M]:
    """Insert unsaved instances of one model; afterwards each has its primary key."""
    if not objects:
        return objects
    model = type(objects[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if not connection.features.can_return_rows_from_bulk_insert:
        return model.objects.bulk_create(objects)
    statement = _insert_statement(model, alias)
    if statement.from_arrays and len(objects) > 1:
        _insert(connection, objects, statement.fields, statement.from_arrays, columns_as_arrays=True)
        return objects
    batch_size = connection.ops.bulk_batch_size(statement.fields, objects) or len(objects)  # SQLite's limit
    for start in range(0, len(objects), batch_size):
        batch = objects[start : start + batch_size]
        rows = ", ".join([statement.row] * len(batch))
        _insert(connection, batch, statement.fields, f"{statement.values_head}{rows}{statement.returning}")
    return objects


@dataclass(frozen=True)
class _InsertStatement:
    fields: list
    values_head: str  # … VALUES , followed by one `row` per object
    row: str
    returning: str
    from_arrays: str  # PostgreSQL: the whole statement, one array per column


@functools.cache
def _insert_statement(model: type[Model], alias: str) -> _InsertStatement:
    """The text of a model's insert, built once per process (it only depends on the model)."""
    connection = connections[alias]
    meta = model._meta
    # An auto-increment key is left to the database and read back; any other field is written.
    fields = [field for field in meta.concrete_fields if not field.generated and not field.db_returning]
    quote = connection.ops.quote_name
    # Only names from the model's metadata go into the text; every value is a parameter.
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
    returning = f" RETURNING {quote(meta.pk.column)}"
    from_arrays = ""
    if connection.vendor == "postgresql":
        # One array per column: the text stays short and the same for any number of rows, so
        # psycopg need not parse a statement with thousands of placeholders each time.
        arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in fields)
        from_arrays = f"{head}SELECT * FROM UNNEST({arrays}){returning}"  # noqa: S608
    return _InsertStatement(
        fields=fields,
        values_head=head + "VALUES ",
        row="(" + ", ".join(["%s"] * len(fields)) + ")",
        returning=returning,
        from_arrays=from_arrays,
    )


def _insert(connection, objects, fields, sql: str, *, columns_as_arrays: bool = False) -> None:
    rows = []
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="insert_all")
        rows.append([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])
    if columns_as_arrays:
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        params = [value for row in rows for value in row]
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias


def _cursor(connection):
    """On PostgreSQL a cursor that sends the values apart from the statement, in binary
    (server-side binding): psycopg then need not quote each value of the arrays into text. It is
    wrapped like any Django cursor: errors become Django's, queries are logged where Django logs."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    return connection._prepare_cursor(psycopg.Cursor(connection.connection))


def select_rows[M: Model](model: type[M], condition: str, params: list) -> list[M]:
    """Instances of `model` from `SELECT <all its columns> FROM <its table> WHERE <condition>`
    (the condition may end in ORDER BY / LIMIT; values go in `params`). No query building: the
    statement costs what the database does, not what the ORM does to write it."""
    meta = model._meta
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    fields = meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {condition}", params)  # noqa: S608
        rows = cursor.fetchall()
    names = [field.attname for field in fields]
    # What the ORM does to values read from this database (e.g. SQLite's text into datetimes).
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        found = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        if found:
            converters.append((index, column, found))
    instances = []
    for row in rows:
        if converters:
            row = list(row)
            for index, column, found in converters:
                for converter in found:
                    row[index] = converter(row[index], column, connection)
        instances.append(model.from_db(connection.alias, names, row))
    return instances
