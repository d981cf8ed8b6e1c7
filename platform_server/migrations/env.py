"""Alembic environment of the platform: runs on the connection ``migrate.upgrade`` passes."""

from alembic import context

from platform_server.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
