"""Reading the server's compact JSON-LD the way a client does: a real JSON-LD processor (rdflib's, or pyld)
expands it with the context the server publishes at /context.jsonld, fetched here through the same
client (a TestClient has no network address a processor could fetch from)."""

from __future__ import annotations

import json
from typing import Any

import rdflib


def served_context(client: Any) -> dict[str, Any]:
    """The context document the server publishes."""
    response = client.get("/context.jsonld")
    assert response.status_code == 200 and response.headers["content-type"] == "application/ld+json"
    return response.json()


def expand_with_rdflib(client: Any, body: bytes | str) -> rdflib.Graph:
    """The triples of a JSON-LD answer: its remote context replaced by the served one, parsed by rdflib."""
    document = json.loads(body)
    if isinstance(document, dict) and isinstance(document.get("@context"), str):
        assert document["@context"].endswith("/context.jsonld"), document["@context"]
        document["@context"] = served_context(client)["@context"]
    return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


def expand_with_pyld(client: Any, body: bytes | str) -> rdflib.Graph:
    """The triples of a JSON-LD answer as pyld makes them, loading the remote context through `client`."""
    from pyld import jsonld

    def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        assert url.endswith("/context.jsonld"), url
        return {"contextUrl": None, "documentUrl": url, "document": served_context(client),
                "contentType": "application/ld+json"}  # fmt: skip

    nquads = jsonld.to_rdf(json.loads(body), {"format": "application/n-quads", "documentLoader": loader})
    return rdflib.Graph().parse(data=nquads, format="nquads")
