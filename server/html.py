"""HTML rendering: one Jinja2 environment with autoescaping, shared by every page."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

env = Environment(loader=PackageLoader("server", "templates"), autoescape=select_autoescape(default=True))


def render(template: str, status_code: int = 200, headers: dict[str, str] | None = None, **values: Any) -> HTMLResponse:
    """Render `template` with `values`; every interpolated value is HTML-escaped."""
    body = env.get_template(template).render(**values)
    return HTMLResponse(body, status_code=status_code, headers=headers)
