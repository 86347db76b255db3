import pytest

from tests.operations.private_postgres import PrivateCluster


@pytest.fixture(scope="module")
def private_postgres():
    """A PostgreSQL cluster of this module's own (tests/operations/private_postgres.py), for tests
    that restart their database: the shared server is never restarted."""
    cluster = PrivateCluster.in_temporary_folder()
    yield cluster
    cluster.stop()
