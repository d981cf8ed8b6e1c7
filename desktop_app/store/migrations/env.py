"""Alembic environment: runs on the connection the store hands over, never on a URL.

The store is encrypted, so Alembic must not open its own connection (it has no key).
"""

from alembic import context

from desktop_app.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
