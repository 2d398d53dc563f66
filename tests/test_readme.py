"""The README stays true: every command, saved query and server path it names exists, and vice versa."""

from __future__ import annotations

import re
from pathlib import Path

from kg.cli import main
from kg.queries import registry

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def test_every_command_is_in_the_cli_reference() -> None:
    documented = set(re.findall(r"^\| `kg (\w+)", section("CLI reference"), re.M))
    assert documented == set(main.commands)


def test_every_saved_query_is_in_the_table() -> None:
    documented = set(re.findall(r"^\| `([\w-]+)` \|", section("Saved queries"), re.M))
    assert documented == set(registry().names())


def test_the_server_paths_exist(seeds_store_path: Path) -> None:
    from fastapi.testclient import TestClient

    from server.app import create_app
    from server.context import Settings

    paths = re.findall(r"`(/[\w./{}-]*)`", section("Server").split("**The default graph")[0])
    assert len(paths) >= 8
    with TestClient(create_app(Settings(store_path=seeds_store_path, query_workers=1))) as client:
        for path in paths:
            if "{" in path or path.endswith("/…"):
                continue
            response = client.get(path, headers={"accept": "text/html"})
            assert response.status_code in (200, 302, 307), (path, response.status_code)


def test_the_first_screen_has_the_two_commands() -> None:
    first = README[: README.index("## CLI reference")]
    blocks = re.findall(r"```sh\n(.+?)\n```", first, re.S)
    assert any("pip install" in b and "kg serve" in b for b in blocks)
    assert any("pip install" in b and "pytest" in b for b in blocks)


def test_the_gazetteers_it_names_ship_in_the_package() -> None:
    """The data files the Extraction section names are package data, and each file kg/gazetteer.py reads is named
    there; the gazetteers are not read from ../shared/data."""
    from importlib import resources

    text = section("Extraction")
    named = set(re.findall(r"`(?:kg/data/)?([\w]+\.(?:csv|json))`", text))
    data = resources.files("kg") / "data"
    assert named and all((data / name).is_file() for name in named), named
    code = (Path(__file__).parent.parent / "kg" / "gazetteer.py").read_text(encoding="utf-8")
    read = set(re.findall(r'_(?:rows|data)\("([\w.]+)"\)', code))
    assert read and read <= named, read - named
    assert "shared/data" not in text
