"""The FastAPI application: `GET /marts` lists the marts, `GET /marts/{mart}` pages one.

Every mart is read as `bi_reader`. Rows come in the mart's grain order (its unique key), so
pages are stable between builds. `ETag` and `Last-Modified` date the mart by its last
successful build: a client sending `If-None-Match` (or `If-Modified-Since`) gets 304 until the
next build. Bad input gets a 400 naming the parameter; a warehouse that is missing, unreachable
or not built yet gets a 503 with the reason.
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import UTC, date
from decimal import Decimal
from email.utils import format_datetime, parsedate_to_datetime
from hashlib import sha256
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from api.catalog import ManifestError, Mart, read_manifest
from api.openapi import openapi_document
from api.store import Filters, Store, Unavailable

DEFAULT_LIMIT = 1_000
MAX_LIMIT = 50_000  # rows per page: a larger `limit` is refused
FORMATS = ("json", "csv")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PARAMETERS = {
    "columns",
    "geo_level",
    "geo_id",
    "start_date",
    "end_date",
    "format",
    "limit",
    "offset",
}


class BadRequest(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def create_app(store: Store, manifest_path: Path) -> FastAPI:
    app = FastAPI(
        title="COVID warehouse API",
        version="1",
        description="Read-only access to the warehouse's marts.",
        docs_url="/docs",
        redoc_url=None,
    )

    cache: dict = {}

    def marts() -> dict[str, Mart]:
        """The manifest's marts, read again only when the file changes (a new parse)."""
        try:
            stamp = manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if cache.get("stamp") != stamp or "marts" not in cache:
            cache.update(stamp=stamp, marts=read_manifest(manifest_path))
        return cache["marts"]

    def document() -> dict:
        types = {}
        try:
            with store.connect() as conn:
                types = store.column_types(conn)
        except Unavailable:
            pass  # documented without column types
        return openapi_document(app, marts(), types, MAX_LIMIT, DEFAULT_LIMIT)

    app.openapi = document

    @app.exception_handler(Unavailable)
    async def unavailable(_request: Request, error: Unavailable):
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
        return JSONResponse({"detail": error.reason}, status_code=503, headers=headers)

    @app.exception_handler(ManifestError)
    async def no_manifest(_request: Request, error: ManifestError):
        return JSONResponse({"detail": str(error)}, status_code=503)

    @app.exception_handler(BadRequest)
    async def bad_request(_request: Request, error: BadRequest):
        body = {"detail": str(error), "parameter": error.parameter}
        return JSONResponse(body, status_code=400)

    @app.get("/marts", include_in_schema=False)
    def list_marts(request: Request):
        base = str(request.base_url).rstrip("/")
        return {
            "marts": [
                {
                    "name": mart.name,
                    "description": mart.description,
                    "grain": list(mart.grain),
                    "geography_level": mart.geography_level or mart.fixed_level,
                    "geography_id": mart.geography_id,
                    "date": mart.date,
                    "url": f"{base}/marts/{mart.name}",
                }
                for mart in marts().values()
            ]
        }

    @app.get("/marts/{name}", include_in_schema=False)
    def read_mart(name: str, request: Request):
        mart = marts().get(name)
        if mart is None:
            return JSONResponse({"detail": f"no mart named {name!r}: see /marts"}, 404)
        query = _Query(request, mart)
        with store.connect() as conn:
            builds = store.builds(conn)
            available = store.column_types(conn).get(mart.name)
            build = builds.get(mart.name)
            if build is None and available is not None and builds:
                # a table Python writes after the dbt build (the forecasts): the last build
                build = max(builds.values(), key=lambda b: b.finished_at)
            if build is None:
                running = store.running_since(conn)
                if running is not None:
                    raise Unavailable(
                        f"{mart.name} is being built (since {running.isoformat()}); retry later",
                        retry_after=60,
                    )
                raise Unavailable(f"{mart.name} has not been built yet: run `make run`")
            version = f"{build.invocation_id}/{mart.name}/{query.format}"
            tag = f'"{sha256(version.encode()).hexdigest()[:32]}"'
            headers = {
                "ETag": tag,
                "Last-Modified": format_datetime(build.finished_at.astimezone(UTC), usegmt=True),
                "Cache-Control": "no-cache",
                "Vary": "Accept",
            }
            if _not_modified(request, tag, build.finished_at):
                return Response(status_code=304, headers=headers)
            if available is None:
                raise Unavailable(f"{mart.name} is missing from the warehouse: run `make run`")
            columns = query.columns(available)
            rows, more = store.page(conn, mart, columns, query.filters, query.limit, query.offset)
        next_url = None
        if more:
            next_url = str(request.url.include_query_params(offset=query.offset + query.limit))
            headers["Link"] = f'<{next_url}>; rel="next"'
        if query.format == "csv":
            return Response(_csv(columns, rows), media_type="text/csv", headers=headers)
        body = {
            "mart": mart.name,
            "columns": list(columns),
            "limit": query.limit,
            "offset": query.offset,
            "next": next_url,
            "rows": [dict(zip(columns, map(_json_value, row), strict=True)) for row in rows],
        }
        return JSONResponse(body, headers=headers)

    return app


class _Query:
    """A request's parameters, each checked; a BadRequest names the first that is wrong."""

    def __init__(self, request: Request, mart: Mart):
        params = request.query_params
        self.mart = mart
        for key in params:
            if key not in PARAMETERS:
                raise BadRequest(key, f"unknown parameter; expected one of {sorted(PARAMETERS)}")
        self.params = params
        self.format = self._one("format") or _accepted(request)
        if self.format not in FORMATS:
            raise BadRequest("format", f"expected one of {list(FORMATS)}, found {self.format!r}")
        self.limit = self._integer("limit", DEFAULT_LIMIT)
        if not 1 <= self.limit <= MAX_LIMIT:
            raise BadRequest(
                "limit", f"expected 1 to {MAX_LIMIT} rows per page, found {self.limit}"
            )
        self.offset = self._integer("offset", 0)
        if self.offset < 0:
            raise BadRequest("offset", f"expected 0 or more, found {self.offset}")
        self.filters = Filters(
            geo_level=self._geography("geo_level"),
            geo_ids=tuple(self._list("geo_id")) if self._geography("geo_id") else (),
            start_date=self._date("start_date"),
            end_date=self._date("end_date"),
        )
        start, end = self.filters.start_date, self.filters.end_date
        if start and end and end < start:
            raise BadRequest("end_date", f"{end} is before start_date {start}")

    def columns(self, available: dict[str, str]) -> tuple[str, ...]:
        """The requested columns (all by default), each one the catalog lists for the mart."""
        known = [name for name in self.mart.column_names if name in available] or list(available)
        requested = self._list("columns")
        if not requested:
            return tuple(known)
        for name in requested:
            if name not in available:
                raise BadRequest("columns", f"{name!r} is not a column of {self.mart.name}")
        return tuple(dict.fromkeys(requested))

    def _one(self, name: str) -> str | None:
        values = self.params.getlist(name)
        if len(values) > 1:
            raise BadRequest(name, "given more than once")
        return values[0] if values else None

    def _list(self, name: str) -> list[str]:
        text = self._one(name)
        if text is None:
            return []
        items = [item.strip() for item in text.split(",")]
        if not all(items):
            raise BadRequest(name, f"expected a comma-separated list, found {text!r}")
        return items

    def _integer(self, name: str, default: int) -> int:
        text = self._one(name)
        if text is None:
            return default
        if not text.isdigit() or len(text) > 12:
            raise BadRequest(name, f"expected a whole number, found {text!r}")
        return int(text)

    def _date(self, name: str) -> date | None:
        text = self._one(name)
        if text is None:
            return None
        if self.mart.date is None:
            raise BadRequest(name, f"{self.mart.name} has no date column to filter on")
        try:
            if not DATE.fullmatch(text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            raise BadRequest(name, f"expected a date YYYY-MM-DD, found {text!r}") from None

    def _geography(self, name: str) -> str | None:
        text = self._one(name)
        if text is not None and self.mart.geography_id is None:
            raise BadRequest(name, f"{self.mart.name} has no geography to filter on")
        return text


def _accepted(request: Request) -> str:
    accept = request.headers.get("accept", "")
    return "csv" if "text/csv" in accept and "application/json" not in accept else "json"


def _not_modified(request: Request, tag: str, built) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return if_none_match.strip() == "*" or tag in [t.strip() for t in if_none_match.split(",")]
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return built.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    return value


def _csv(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
