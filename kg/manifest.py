"""Stage 1, read: what a folder's manifest says about its documents (publication date, web address,
publisher), for texts that do not say it themselves.

A manifest is `manifest.csv` (a header row) or `manifest.json` (a list of objects) in the folder of the
documents it describes, with these columns:

- `file` (required): the document's file name, relative to the manifest's folder;
- `published`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`;
- `source` (or `url`): the release's web address, http or https;
- `publisher`: the publishing organisation's name ("Regeringskansliet", "Umeå kommun").

Other columns are ignored (`../shared/corpus/regeringen/manifest.csv` has a `language` column).
A value the manifest gives wins over what the extractor infers from the text.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pyoxigraph import NamedNode

NAMES = ("manifest.csv", "manifest.json")
MAX_BYTES = 64_000_000  # about 500,000 rows


class ManifestError(Exception):
    """A manifest that cannot be used; the message names the file and the row."""


@dataclass(frozen=True)
class DocMeta:
    published: str | None = None
    source: str | None = None
    publisher: str | None = None

    def fingerprint(self) -> str:
        return json.dumps([self.published, self.source, self.publisher], ensure_ascii=False)

    def published_date(self) -> datetime.date:
        """The reference date: the day, or the middle of the month or year."""
        parts = [int(p) for p in (self.published or "").split("-")]
        year, month, day = [*parts, 0, 0][:3]
        return datetime.date(year, month or 7, day or (15 if month else 1))


_PUBLISHED = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def manifest_path(folder: Path) -> Path | None:
    for name in NAMES:
        p = folder / name
        if p.exists():
            return p
    return None


def stamp(folder: Path) -> tuple[int, int]:
    """Size and modification time of the folder's manifest; (0, 0) without one."""
    p = manifest_path(folder)
    try:
        st = p.stat() if p else None
    except OSError:
        return (0, 0)
    return (st.st_size, st.st_mtime_ns) if st else (0, 0)


_CACHE: dict[Path, tuple[tuple[int, int], dict[str, DocMeta]]] = {}


def rows(folder: Path) -> dict[str, DocMeta]:
    """The folder's manifest rows by file name (none without a manifest), parsed once per change of it."""
    key = stamp(folder)
    if key == (0, 0):
        return {}
    cached = _CACHE.get(folder)
    if cached is None or cached[0] != key:
        manifest = manifest_path(folder)
        cached = (key, load(manifest) if manifest else {})
        _CACHE[folder] = cached
    return cached[1]


def meta_for(path: Path) -> DocMeta | None:
    """The manifest row of the document at `path`, if its folder has a manifest that lists it."""
    return rows(path.parent).get(path.name)


def load(path: Path) -> dict[str, DocMeta]:
    """file name -> DocMeta; ManifestError names the file and row of the first bad value."""
    text = _read(path)
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as err:
            raise ManifestError(f"{path}: not valid JSON ({err})") from err
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ManifestError(f"{path}: expected a list of objects with a 'file' key")
        rows = [(i + 1, r) for i, r in enumerate(data)]
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise ManifestError(f"{path}: the header row needs a 'file' column")
        rows = [(reader.line_num, r) for r in reader]
    out: dict[str, DocMeta] = {}
    for where, row in rows:
        meta = _row(path, where, row)
        if meta is not None:
            name = str(row.get("file") or "").strip()
            if name in out:
                raise ManifestError(f"{path}, row {where}: {name!r} is listed twice")
            out[name] = meta
    return out


def _row(path: Path, where: int, row: dict) -> DocMeta | None:
    def value(*keys: str) -> str | None:
        for k in keys:
            v = row.get(k)
            if v is not None and str(v).strip():
                return str(v).strip()
        return None

    name = value("file")
    if name is None:
        raise ManifestError(f"{path}, row {where}: 'file' is empty")
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise ManifestError(f"{path}, row {where}: 'file' must be a file name in the manifest's folder: {name!r}")
    published = value("published")
    if published is not None and not _valid_date(published):
        raise ManifestError(f"{path}, row {where}: 'published' must be YYYY, YYYY-MM or YYYY-MM-DD: {published!r}")
    source = value("source", "url")
    if source is not None:
        parts = urlsplit(source)
        if parts.scheme not in ("http", "https") or not parts.netloc or not _is_iri(source):
            raise ManifestError(f"{path}, row {where}: 'source' must be an http(s) address: {source[:200]!r}")
    publisher = value("publisher")
    if publisher is not None and len(publisher) > 200:
        raise ManifestError(f"{path}, row {where}: 'publisher' is longer than 200 characters")
    if not (published or source or publisher):
        return None
    return DocMeta(published, source, publisher)


def _is_iri(value: str) -> bool:
    try:
        NamedNode(value)  # the store's own IRI parser decides
    except ValueError:
        return False
    return True


def _valid_date(value: str) -> bool:
    if not _PUBLISHED.fullmatch(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return parts[0] >= 1000


def _read(path: Path) -> str:
    """The manifest's text: a regular file, at most MAX_BYTES, UTF-8."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise ManifestError(f"{path}: unreadable ({err.strerror or err})") from err
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ManifestError(f"{path}: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise ManifestError(f"{path}: larger than {MAX_BYTES:,} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ManifestError(f"{path}: not UTF-8 (invalid byte at offset {err.start})") from err
