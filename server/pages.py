"""Placeholder: routes of the pages part (being written)."""

from fastapi import APIRouter


def routes(ctx) -> APIRouter:  # type: ignore[no-untyped-def]
    return APIRouter()
