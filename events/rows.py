"""Writing many new rows of one model with one plain `INSERT … VALUES … RETURNING id`.

`QuerySet.bulk_create()` builds its statement anew through the ORM's compiler on every call.
On the hot paths (a batch of registrations under the seat-pool lock, a chunk of the e-mail
intake) that cost more than the database work itself (docs/benchmarks.md). `insert_all()` does
the same job for the simple case these paths need: new objects of a model without parents,
every field written, no conflict handling, primary keys read back and set on the objects.
"""

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model


def insert_all[M: Model](objects: Sequence[M]) -> Sequence[M]:
    """Insert unsaved instances of one model; afterwards each has its primary key."""
    if not objects:
        return objects
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    if not connection.features.can_return_rows_from_bulk_insert:
        return model.objects.bulk_create(objects)
    meta = model._meta
    # An auto-increment key is left to the database and read back; any other field is written.
    fields = [field for field in meta.concrete_fields if not field.generated and not field.db_returning]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Only names from the model's metadata go into the text; every value is a parameter.
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    tail = f" RETURNING {quote(meta.pk.column)}"
    batch_size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            batch = objects[start : start + batch_size]
            params = []
            for obj in batch:
                obj._prepare_related_fields_for_save(operation_name="insert_all")
                params.extend(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields)
            cursor.execute(head + ", ".join([row] * len(batch)) + tail, params)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
    return objects
