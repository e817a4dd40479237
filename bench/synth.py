#!/usr/bin/env python3
"""Writes a synthetic, valid OpenAPI 3.0.3 description (JSON) with N operations and M schemas.

Usage: bench/synth.py N M [OUT]     (OUT defaults to stdout)

Deterministic: the same N and M always give the same bytes. The shape is a typical REST API:
resources with list / create / get / delete operations (every one with an operationId),
path, query and header parameters, JSON request bodies, typed 200/201 responses and 404/429
errors sharing an Error schema. Schemas have eight properties of mixed kinds (strings,
int64, bool, date-time, a string enum, an array, a map) plus a `$ref` to a lower-numbered
schema, so references form a tree (depth log2 M) and never a cycle.
"""

import json
import sys


def schema_name(j):
    return f"Thing{j}"


def ref(j):
    return {"$ref": f"#/components/schemas/{schema_name(j)}"}


def make_schema(j, m):
    props = {
        "id": {"type": "string", "description": f"Identifier of thing {j}."},
        "name": {"type": "string", "nullable": True},
        "count": {"type": "integer", "format": "int64", "minimum": 0},
        "active": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "status": {"type": "string", "enum": ["active", "suspended", f"kind_{j % 7}"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    if j > 0:
        props["parent"] = ref(j // 2)
    if j > 0 and j % 3 == 0:
        props["children"] = {"type": "array", "items": ref(j // 3)}
    return {
        "type": "object",
        "description": f"Synthetic schema number {j}.",
        "required": ["id", "status"],
        "properties": props,
    }


def make_spec(n, m):
    m = max(m, 1)
    schemas = {schema_name(j): make_schema(j, m) for j in range(m)}
    schemas["Error"] = {
        "type": "object",
        "required": ["message"],
        "properties": {
            "message": {"type": "string"},
            "request_id": {"type": "string"},
        },
    }
    errors = {
        "404": {
            "description": "Not found.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
        "429": {
            "description": "Too many requests.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }
    paths = {}
    for i in range(n):
        resource, kind = divmod(i, 4)
        target = (i * 7 + resource) % m
        body_schema = ref(target)
        collection = f"/v1/resources{resource}"
        item = f"{collection}/{{id}}"
        id_param = {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        }
        if kind == 0:
            path, method = collection, "get"
            op = {
                "operationId": f"listResources{resource}",
                "summary": f"Lists resources of kind {resource}.",
                "parameters": [
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                    {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "A page.",
                        "content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {
                                "items": {"type": "array", "items": body_schema},
                                "next": {"type": "string"},
                            },
                        }}},
                    },
                    **errors,
                },
            }
        elif kind == 1:
            path, method = collection, "post"
            op = {
                "operationId": f"createResource{resource}",
                "summary": f"Creates a resource of kind {resource}.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body_schema}},
                },
                "responses": {
                    "201": {
                        "description": "Created.",
                        "content": {"application/json": {"schema": body_schema}},
                    },
                    **errors,
                },
            }
        elif kind == 2:
            path, method = item, "get"
            op = {
                "operationId": f"getResource{resource}",
                "summary": f"Gets one resource of kind {resource}.",
                "parameters": [id_param],
                "responses": {
                    "200": {
                        "description": "The resource.",
                        "content": {"application/json": {"schema": body_schema}},
                    },
                    **errors,
                },
            }
        else:
            path, method = item, "delete"
            op = {
                "operationId": f"deleteResource{resource}",
                "summary": f"Deletes one resource of kind {resource}.",
                "parameters": [id_param],
                "responses": {"204": {"description": "Deleted."}, **errors},
            }
        paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Synthetic API",
            "version": "1.0.0",
            "description": f"A synthetic API with {n} operations and {m} schemas.",
        },
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[2])
    n, m = int(sys.argv[1]), int(sys.argv[2])
    text = json.dumps(make_spec(n, m), indent=2) + "\n"
    if len(sys.argv) == 4:
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
