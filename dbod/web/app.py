"""The web service: Linked Data (/resource, /data, /page, /ontology), health and readiness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, Response

from dbod import __version__
from dbod.runtime import open_core
from dbod.settings import Settings
from dbod.web import linked_data, ontology, sparql
from dbod.web.errors import install_error_handlers


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application for ``settings`` (default: from the environment)."""
    settings = settings or Settings.load()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_core(settings) as core:
            app.state.core = core
            app.state.settings = settings
            yield

    app = FastAPI(
        title="DBpedia on Demand",
        version=__version__,
        description="DBpedia-faithful Linked Data extracted from live Wikipedia, on request.",
        lifespan=lifespan,
    )
    app.include_router(linked_data.router)
    app.include_router(ontology.router)
    app.include_router(sparql.router)

    @app.get("/health", summary="Liveness")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", summary="Readiness: cache writable, source reachable")
    async def ready(request: Request) -> Response:
        core = request.app.state.core
        checks = {"cache": "ok", "source": "ok"}
        try:
            core.cache.set("ready-probe", b"1", expire=60)
            if core.cache.get("ready-probe") != b"1":
                checks["cache"] = "not readable back"
        except Exception as exc:  # any backend failure means not ready
            checks["cache"] = f"failed: {type(exc).__name__}"
        try:
            await core.source.last_revisions(["Main Page"])
        except Exception as exc:
            checks["source"] = f"failed: {type(exc).__name__}"
        ready = all(value == "ok" for value in checks.values())
        return JSONResponse({"ready": ready, **checks}, 200 if ready else 503)

    install_error_handlers(app)
    return app
