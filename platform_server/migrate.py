"""Schema migrations of the platform database (Alembic, run on start-up and by ``migrate``)."""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from platform_server.credit_projection import DATA_VERSION, upgrade_data
from platform_server.db import MIGRATIONS_DIR, make_engine, make_sessionmaker

log = logging.getLogger(__name__)


def alembic_config() -> Config:
    """A programmatic Alembic configuration (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision``, keeping every row (at head: and its data shape)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        before = MigrationContext.configure(conn).get_current_revision()
        command.upgrade(cfg, revision)
        after = MigrationContext.configure(conn).get_current_revision()
    if before != after:
        log.info("platform schema migrated from %s to %s", before, after)
    if revision != "head":
        return
    with Session(engine) as session, session.begin():
        if upgrade_data(session):
            log.info("public credit record brought to data version %s", DATA_VERSION)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrated_sessions(database_url: str) -> sessionmaker[Session]:
    """Writer sessions on ``database_url``, its schema brought to the newest revision first.

    What every ``credit-platform`` command that touches the database opens.
    """
    engine = make_engine(database_url)
    upgrade(engine)
    return make_sessionmaker(engine, write=True)
