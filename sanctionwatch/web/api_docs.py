"""``/docs``: the API's reference as a plain server-rendered page, from the OpenAPI document.

FastAPI's own /docs pages load Swagger UI from a CDN, which the content security policy forbids
and an offline analyst cannot reach; this page needs nothing but the app. Every endpoint with
its parameters, their types, ranges and choices, and its responses.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sanctionwatch.web.views import templates

router = APIRouter(include_in_schema=False)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    reference = schema.get("$ref")
    if isinstance(reference, str):
        return components.get(reference.rsplit("/", 1)[-1], {})
    if "anyOf" in schema:  # "str | None": the non-null part
        parts = [part for part in schema["anyOf"] if part.get("type") != "null"]
        merged = {**(parts[0] if parts else {}), **{k: v for k, v in schema.items() if k != "anyOf"}}
        return _resolve(merged, components)
    return schema


def _describe(schema: dict[str, Any]) -> str:
    """ "integer, 1 to 500", "one of: newest, oldest", "date", "text, at most 200 characters"."""
    parts = [str(schema.get("type") or "value")]
    if "enum" in schema:
        parts = ["one of: " + ", ".join(map(str, schema["enum"]))]
    if "format" in schema:
        parts.append(str(schema["format"]))
    if "minimum" in schema and "maximum" in schema:
        parts.append(f"{schema['minimum']} to {schema['maximum']}")
    elif "minimum" in schema:
        parts.append(f"at least {schema['minimum']}")
    elif "maximum" in schema:
        parts.append(f"at most {schema['maximum']}")
    if "maxLength" in schema:
        parts.append(f"at most {schema['maxLength']} characters")
    if "pattern" in schema:
        parts.append(f"matching {schema['pattern']}")
    if "default" in schema and schema["default"] is not None:
        parts.append(f"default {schema['default']}")
    return ", ".join(parts)


def endpoints(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    components = openapi.get("components", {}).get("schemas", {})
    found = []
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter.get("in", ""),
                    "required": bool(parameter.get("required")),
                    "description": parameter.get("description") or parameter.get("schema", {}).get("description", ""),
                    "accepts": _describe(_resolve(parameter.get("schema", {}), components)),
                }
                for parameter in operation.get("parameters", [])
            ]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            fields = []
            if body:
                resolved = _resolve(body, components)
                for name, schema in resolved.get("properties", {}).items():
                    fields.append(
                        {
                            "name": name,
                            "required": name in resolved.get("required", []),
                            "description": schema.get("description", ""),
                            "accepts": _describe(_resolve(schema, components)),
                        }
                    )
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "body": fields,
                    "responses": [(status, item.get("description", "")) for status, item in operation.get("responses", {}).items()],
                }
            )
    return found


@router.get("/docs")
def api_docs(request: Request) -> Response:
    openapi = request.app.openapi()
    context = {"title": openapi["info"]["title"], "version": openapi["info"]["version"], "endpoints": endpoints(openapi)}
    return templates.TemplateResponse(request, "api_docs.html", context)
