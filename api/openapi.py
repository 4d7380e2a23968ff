"""The OpenAPI document: one path per mart, each column described by its dbt docs (the
manifest) and typed by the warehouse's catalog when it can be read."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.catalog import Mart

# Postgres type -> JSON Schema
TYPES = {
    "smallint": {"type": "integer"},
    "integer": {"type": "integer"},
    "bigint": {"type": "integer"},
    "numeric": {"type": "number"},
    "real": {"type": "number"},
    "double precision": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "timestamp with time zone": {"type": "string", "format": "date-time"},
    "timestamp without time zone": {"type": "string", "format": "date-time"},
}
ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What is wrong, and what to do."},
        "parameter": {"type": "string", "description": "The parameter at fault (400 only)."},
    },
    "required": ["detail"],
}


def openapi_document(
    app: FastAPI,
    marts: dict[str, Mart],
    types: dict[str, dict[str, str]],
    max_limit: int,
    default_limit: int,
) -> dict:
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=[]
    )
    schemas = {"Error": ERROR}
    paths = {}
    for mart in marts.values():
        schemas[mart.name] = _row_schema(mart, types.get(mart.name, {}))
        paths[f"/marts/{mart.name}"] = {"get": _operation(mart, max_limit, default_limit)}
    document["paths"] = paths
    document["components"] = {"schemas": schemas}
    return document


def _row_schema(mart: Mart, types: dict[str, str]) -> dict:
    properties = {}
    for column in mart.columns:
        kind = TYPES.get(types.get(column.name, ""), {"type": "string"})
        nullable = {**kind, "type": [kind["type"], "null"]}
        properties[column.name] = {**nullable, "description": column.description}
    return {
        "type": "object",
        "description": f"One row of {mart.name}. {mart.description}",
        "properties": properties,
    }


def _parameter(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _operation(mart: Mart, max_limit: int, default_limit: int) -> dict:
    columns = ", ".join(mart.column_names)
    parameters = [
        _parameter(
            "columns",
            f"Comma-separated columns to return (default: all): {columns}.",
            {"type": "string"},
        ),
    ]
    if mart.geography_id:
        level = mart.geography_level or f"always {mart.fixed_level!r}"
        parameters += [
            _parameter("geo_level", f"Geography level (column {level}).", {"type": "string"}),
            _parameter(
                "geo_id",
                f"Comma-separated geography ids (column {mart.geography_id}).",
                {"type": "string"},
            ),
        ]
    if mart.date:
        for name, bound in (("start_date", "First"), ("end_date", "Last")):
            parameters.append(
                _parameter(
                    name,
                    f"{bound} {mart.date} to return (inclusive), YYYY-MM-DD.",
                    {"type": "string", "format": "date"},
                )
            )
    parameters += [
        _parameter(
            "format",
            "json (default) or csv; an Accept: text/csv header asks for csv too.",
            {"type": "string", "enum": ["json", "csv"]},
        ),
        _parameter(
            "limit",
            f"Rows per page, at most {max_limit}.",
            {"type": "integer", "minimum": 1, "maximum": max_limit, "default": default_limit},
        ),
        _parameter(
            "offset",
            f"Rows to skip, in the order of the mart's unique key ({', '.join(mart.grain)}).",
            {"type": "integer", "minimum": 0, "default": 0},
        ),
    ]
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    page = {
        "type": "object",
        "properties": {
            "mart": {"type": "string"},
            "columns": {"type": "array", "items": {"type": "string"}},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "next": {"type": ["string", "null"], "description": "The next page's URL."},
            "rows": {"type": "array", "items": {"$ref": f"#/components/schemas/{mart.name}"}},
        },
        "required": ["mart", "columns", "limit", "offset", "next", "rows"],
    }
    validators = {
        "ETag": {"schema": {"type": "string"}, "description": "Changes when the mart is rebuilt."},
        "Last-Modified": {
            "schema": {"type": "string"},
            "description": "When the mart's last successful build finished.",
        },
    }
    return {
        "operationId": f"read_{mart.name}",
        "summary": f"Rows of {mart.name}",
        "description": mart.description,
        "parameters": parameters,
        "responses": {
            "200": {
                "description": f"A page of rows in the order of {', '.join(mart.grain)}.",
                "headers": validators,
                "content": {
                    "application/json": {"schema": page},
                    "text/csv": {"schema": {"type": "string"}},
                },
            },
            "304": {"description": "Not modified since the ETag or date the client sent."},
            "400": {"description": "A parameter is wrong: `parameter` names it.", "content": error},
            "503": {"description": "The warehouse is missing or not built yet.", "content": error},
        },
    }
