"""The outbox: e-mails as rows written with the change that causes them, delivered after commit
by background workers, retried with backoff, visible to organisers (see docs/outbox.md)."""
