"""Reference municipal platform: accounts, devices, sync protocol v1, draws, publication feed.

FastAPI + SQLAlchemy 2.x + Alembic; PostgreSQL in production, a SQLite file as the embedded
default. Shares only ``sync.protocol`` (wire schemas) and ``desktop_app.domain`` (rules) with
the client.
"""

__version__ = "0.1.0"
