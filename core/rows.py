"""Writing and reading rows of one model with plain statements, for the hot paths.

`insert_all()` writes many new rows with one `INSERT … RETURNING id`; `select_rows()` reads
instances with a `SELECT` whose condition the caller writes; `run_statement()` runs any other
plain statement.

`QuerySet.bulk_create()` builds its statement anew through the ORM's compiler on every call.
On the hot paths (a batch of registrations under the seat-pool lock, a chunk of the e-mail
intake) that cost more than the database work itself (docs/benchmarks.md). `insert_all()` does
the same job for the simple case these paths need: new objects of a model without parents,
every field written, no conflict handling, primary keys read back and set on the objects.

Use these only where the seat lock and its batch need them: the registration batch (registrations,
details, consents, audit lines, mails), the waiting-list moves and counters (registrations/seats.py),
the event read once per batch, and a chunk of the e-mail intake. Everything else uses the ORM.
Where they lean on Django beyond its documented API (a field's cached related object, the
converters of a column), tests/core/test_rows_django_internals.py pins it.
"""

import datetime
import functools
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import BinaryField, Model
from django.db.models import fields as field_types
from psycopg.types.json import Jsonb


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
    if statement.from_json and len(objects) > 1:
        rows = _rows(objects, statement)
        try:
            document = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), default=_json_value)
        except TypeError:  # a value JSON cannot carry: the general statement below takes it
            pass
        else:
            _insert(connection, objects, statement.from_json, [document])
            return objects
    batch_size = connection.ops.bulk_batch_size(statement.fields, objects) or len(objects)  # SQLite's limit
    for start in range(0, len(objects), batch_size):
        batch = objects[start : start + batch_size]
        params = [value for row in _rows(batch, statement) for value in row]
        values = placeholder_rows(len(batch), len(statement.fields))
        _insert(connection, batch, f"{statement.values_head}{values}{statement.returning}", params)
    return objects


@dataclass(frozen=True)
class _InsertStatement:
    fields: list
    readers: list[Callable]  # per field: the object → the value to send (see _reader)
    values_head: str  # … VALUES , followed by the placeholders of the rows
    returning: str
    from_json: str  # PostgreSQL: the whole statement, the rows as one JSON document


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
    from_json = ""
    if connection.vendor == "postgresql":
        # All rows as one JSON array of arrays, taken apart by PostgreSQL: the text stays short and
        # the same for any number of rows, and json.dumps writes
        # the values in C, where psycopg would adapt them one by one into arrays per column.
        values = ", ".join(_from_json(field, index, connection) for index, field in enumerate(fields))
        from_json = (
            f"{head}SELECT {values} FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS given (item, place) "  # noqa: S608
            f"ORDER BY place{returning}"
        )
    return _InsertStatement(
        fields=fields,
        readers=[_reader(field, connection) for field in fields],
        values_head=head + "VALUES ",
        returning=returning,
        from_json=from_json,
    )


def _from_json(field, index: int, connection) -> str:
    """The SQL that takes the value of `field` out of `item`, the JSON array of one row."""
    if isinstance(field, BinaryField):
        return f"decode(item->>{index}, 'hex')"
    # varchar, not varchar(200): the cast would cut a long text that the column has to refuse.
    return f"(item->>{index})::{field.db_type(connection).split('(')[0]}"


def _json_value(value):
    """What json.dumps cannot write itself: datetimes, keys, bytes (see _from_json), and the
    value of a JSONField, which goes as the text the ORM would have sent (its encoder included)."""
    if isinstance(value, Jsonb):
        return (value.dumps or json.dumps)(value.obj)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"{type(value).__name__} does not go into JSON")


# Field classes (exactly these, not subclasses) whose values of these types Django sends to the
# database as they are: for them `get_db_prep_save(pre_save(…))` is the identity.
_AS_IS = {
    **dict.fromkeys(
        (
            field_types.CharField,
            field_types.TextField,
            field_types.EmailField,
            field_types.SlugField,
            field_types.URLField,
        ),
        (str,),
    ),
    **dict.fromkeys(
        (
            field_types.IntegerField,
            field_types.BigIntegerField,
            field_types.SmallIntegerField,
            field_types.PositiveIntegerField,
            field_types.PositiveSmallIntegerField,
            field_types.PositiveBigIntegerField,
        ),
        (int,),
    ),
    field_types.BooleanField: (bool,),
    BinaryField: (bytes,),
}


def _reader(field, connection) -> Callable:
    """How to read a field's value for the insert. `field.get_db_prep_save(field.pre_save(obj))`
    is the general way, and the cost of half an insert's Python time; for the plain cases
    (a string in a CharField, an int in an IntegerField, the key of a related row, an aware
    datetime on PostgreSQL, a NULL) the value goes as it is, anything else the general way."""
    attname = field.attname

    def general(obj):
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    if field.many_to_one or field.one_to_one:
        return functools.partial(_related_key, field, general)
    takes_none = field.null
    if type(field) is field_types.DateTimeField and not (field.auto_now or field.auto_now_add):
        if connection.vendor != "postgresql":  # elsewhere datetimes are adapted, e.g. to text
            return general

        def aware_datetime(obj):
            value = obj.__dict__.get(attname)
            if (type(value) is datetime.datetime and value.tzinfo is not None) or (value is None and takes_none):
                return value
            return general(obj)

        return aware_datetime
    as_is = _AS_IS.get(type(field))
    if as_is is None:
        return general

    def plain(obj):
        value = obj.__dict__.get(attname)
        if type(value) in as_is or (value is None and takes_none):
            return value
        return general(obj)

    return plain


def _related_key(field, general, obj):
    """The key of a related row; taken from the related object if that was saved only after
    it was assigned (a consent made before its registration had a key), as `save()` does."""
    value = obj.__dict__.get(field.attname)
    if value is None:
        related = field.get_cached_value(obj, default=None)
        if related is not None:
            if related.pk is None:
                raise ValueError(f"insert_all() of {obj!r}: the related {field.name} is not saved.")
            value = obj.__dict__[field.attname] = related.pk
    return value if type(value) is int or value is None else general(obj)


def _rows(objects, statement: _InsertStatement) -> list[list]:
    readers = statement.readers
    return [[read(obj) for read in readers] for obj in objects]


def _insert(connection, objects, sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias


def run_statement(model: type[Model], sql: str, params: list) -> list[tuple]:
    """Run one plain statement on the database of `model` and return its rows (none for a
    statement that returns none)."""
    connection = connections[router.db_for_write(model)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def values_present(model: type[Model], field_name: str, values: list) -> set:
    """Which of `values` the column of `field_name` already holds (e.g. keys of unique rows)."""
    if not values:
        return set()
    connection = connections[router.db_for_write(model)]  # where run_statement asks
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(field_name).column)
    condition, params = one_of(connection, column, values)
    found = run_statement(model, f"SELECT {column} FROM {quote(model._meta.db_table)} WHERE {condition}", params)  # noqa: S608
    return {value for (value,) in found}


def one_of(connection, column: str, values) -> tuple[str, list]:
    """`column` is one of `values`, as SQL and its parameters: on PostgreSQL `= ANY(%s)` with one
    array, so that the statement's text is the same for any number of values."""
    values = list(values)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def placeholder_rows(count: int, width: int) -> str:
    """The placeholders of `count` rows of `width` values each, for a VALUES list."""
    return ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * count)


def select_rows[M: Model](model: type[M], condition: str, params: list) -> list[M]:
    """Instances of `model` from `SELECT <all its columns> FROM <its table> WHERE <condition>`
    (the condition may end in ORDER BY / LIMIT; values go in `params`). No query building: the
    statement costs what the database does, not what the ORM does to write it."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    plan = _select_plan(model, alias)
    with connection.cursor() as cursor:
        cursor.execute(f"{plan.head}{condition}", params)
        rows = cursor.fetchall()
    instances = []
    for row in rows:
        if plan.converters:
            row = list(row)
            for index, column, found in plan.converters:
                for converter in found:
                    row[index] = converter(row[index], column, connection)
        instances.append(model.from_db(alias, plan.names, row))
    return instances


@dataclass(frozen=True)
class _SelectPlan:
    head: str  # SELECT <columns> FROM <table> WHERE
    names: list[str]
    converters: list  # (index, column, converters): what the ORM does to values read from this
    # database, e.g. SQLite's text into datetimes


@functools.cache
def _select_plan(model: type[Model], alias: str) -> _SelectPlan:
    meta = model._meta
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        found = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        if found:
            converters.append((index, column, found))
    return _SelectPlan(
        head=f"SELECT {columns} FROM {quote(meta.db_table)} WHERE ",  # noqa: S608
        names=[field.attname for field in fields],
        converters=converters,
    )
