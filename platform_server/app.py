"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from platform_server import __version__
from platform_server.db import make_engine, make_sessionmaker, ping
from platform_server.errors import ERROR_RESPONSES, install_error_handlers
from platform_server.middleware import BodySizeLimit, RequestLog
from platform_server.migrate import upgrade
from platform_server.routers import (
    admin,
    auth,
    blobs,
    draws,
    followups,
    measures,
    policies,
    public_verify,
    publications,
    releases,
    repairs,
    reports,
    risk,
    sync,
    verifications,
)
from platform_server.settings import ServerSettings
from sync.protocol import PROTOCOL_VERSION


def create_app(settings: ServerSettings | None = None, *, migrate: bool = True) -> FastAPI:
    """Build the platform application.

    Args:
        settings: Instance settings; read from the environment when omitted.
        migrate: Bring the schema to the newest revision first.
    """
    settings = settings or ServerSettings.from_env()
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    settings.blob_dir.mkdir(parents=True, exist_ok=True)

    app = FastAPI(
        # No HTML API pages: FastAPI's load their scripts from a CDN. The schema stays at
        # /openapi.json (no scripts); the protocol is documented in docs/PROTOCOL.md.
        docs_url=None,
        redoc_url=None,
        responses=ERROR_RESPONSES,
        title="Credit Desk municipal platform",
        version=__version__,
        description=(
            "Reference municipal platform for Credit Desk (信用监管工作台): accounts, devices, "
            f"sync protocol v{PROTOCOL_VERSION}, 双随机 draws, publication feed, report "
            "verification. Errors are ErrorBody objects with a reason code; see docs/PROTOCOL.md."
        ),
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.write_sessions = make_sessionmaker(engine, write=True)
    install_error_handlers(app)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        """Liveness and database reachability."""
        return {"status": "ok" if ping(engine) else "degraded", "version": __version__}

    for router in (
        auth.router,
        sync.router,
        blobs.router,
        draws.router,
        followups.router,
        measures.router,
        publications.router,
        policies.router,
        repairs.router,
        releases.router,
        reports.router,
        public_verify.router,
        risk.router,
        verifications.router,
        admin.router,
    ):
        app.include_router(router)

    # Outermost first: log everything, refuse oversized bodies, then compress answers.
    app.add_middleware(
        GZipMiddleware, minimum_size=settings.gzip_min_size, compresslevel=settings.gzip_level
    )
    app.add_middleware(
        BodySizeLimit,
        limit=settings.max_body_bytes,
        blob_limit=settings.max_blob_chunk_bytes + 65536,
    )
    app.add_middleware(RequestLog)
    return app
