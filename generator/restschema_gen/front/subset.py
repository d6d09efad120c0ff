"""Which named types an endpoint needs, and a model limited to chosen endpoints (issue 12).

A service of a thousand endpoints is generated for the few a program calls:
`select_endpoints(model, ids)` keeps those endpoints, the named types they
use (directly or through other types), the error envelope and its types, and
drops services left without endpoints. Every back end reads the result like
any model.
"""
from __future__ import annotations

import dataclasses

from . import model as m
from .diagnostics import did_you_mean


def field_types(fields) -> list:
    """Named types the fields' type expressions name directly, first use first, once each."""
    out, seen = [], set()
    for f in fields:
        for t in f.type.named_types() if f.type is not None else []:
            if id(t) not in seen:
                seen.add(id(t))
                out.append(t)
    return out


def type_dependencies(t) -> list:
    """Named types a named type's fields name directly (none for an enum)."""
    return field_types(t.fields) if isinstance(t, m.StructType) else []


def endpoint_types(ep: m.Endpoint) -> list:
    """Named types an endpoint's request members, response and response headers name directly."""
    fields = list(ep.members) + list(ep.response.headers)
    out = field_types(fields)
    if ep.response.type is not None:
        for t in ep.response.type.named_types():
            if all(t is not o for o in out):
                out.append(t)
    return out


def closure(svc: m.Service, roots) -> list:
    """The named types in roots and those their fields use, directly or not, in service order."""
    seen = {}
    stack = list(roots)
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen[id(t)] = t
        stack.extend(type_dependencies(t))
    return [t for t in svc.types if id(t) in seen]


class UnknownEndpoints(Exception):
    """Ids that name no endpoint, or more than one; args[0] is the list of messages."""


def select_endpoints(model: m.Model, ids) -> m.Model:
    """A model with only the endpoints named by `ids` (`<id>`, or `<service>.<id>` where
    several services have the id) and what they need; raises UnknownEndpoints."""
    by_id: dict = {}
    for svc in model.services:
        for ep in svc.endpoints:
            by_id.setdefault(ep.id, []).append(ep)
            by_id[f"{svc.name}.{ep.id}"] = [ep]
    wanted, problems = set(), []
    for key in ids:
        found = by_id.get(key)
        if not found:
            problems.append(f"no endpoint '{key}' in the schemas{did_you_mean(key, sorted(by_id))}")
        elif len(found) > 1:
            services = ", ".join(f"'{ep.service.name}.{key}'" for ep in found)
            problems.append(f"endpoint id '{key}' is in {len(found)} services: write {services}")
        else:
            wanted.add(id(found[0]))
    if problems:
        raise UnknownEndpoints(problems)
    services = []
    for svc in model.services:
        endpoints = [ep for ep in svc.endpoints if id(ep) in wanted]
        if not endpoints:
            continue
        roots = [t for ep in endpoints for t in endpoint_types(ep)]
        if svc.envelope is not None:
            roots += field_types(svc.envelope.type.fields)
        # Copies: the endpoints' back reference names the smaller service; fields and types are shared.
        part = dataclasses.replace(svc, types=closure(svc, roots), endpoints=[])
        part.endpoints = [dataclasses.replace(ep, service=part) for ep in endpoints]
        services.append(part)
    return m.Model(services=services)
