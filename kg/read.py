"""Stage 1, read: a press-release file becomes a `Document` (normalised text, checksum, id)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.manifest import DocMeta, ManifestError, meta_for
from kg.manifest import stamp as manifest_stamp


class ReadError(Exception):
    """A file that cannot be read as a press release; `reason` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Document:
    """One press release: its id, source path and NFC-normalised text."""

    doc_id: str
    path: Path
    text: str
    meta: DocMeta | None = None  # what the folder's manifest says about it (kg/manifest.py)

    @property
    def sha256(self) -> str:
        """The checksum of the text, and of its manifest row when it has one (a changed row is a change)."""
        data = self.text if self.meta is None else self.text + "\0" + self.meta.fingerprint()
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def doc_id_for(path: Path) -> str:
    """The stable document id: the file stem, slugified; a stem with letters that have no ASCII
    form ('日本語.txt') gets a hash of the stem, so that such names never share an id.

    >>> doc_id_for(Path("seeds/000_ca2d1111301209a2.txt")), doc_id_for(Path("Åre-möte.txt"))
    ('000-ca2d1111301209a2', 'are-mote')
    >>> doc_id_for(Path("日本語.txt")) != doc_id_for(Path("中文.txt"))
    True
    """
    decomposed = unicodedata.normalize("NFKD", path.stem)
    stem = decomposed.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    lost = not decomposed.isascii() and any(
        ord(c) > 127 and c.isalnum() and not unicodedata.combining(c) for c in decomposed
    )
    if lost or not slug:
        digest = hashlib.sha256(path.stem.encode("utf-8")).hexdigest()[:10]
        return f"{slug}-{digest}" if slug else f"doc-{digest}"
    return slug


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))  # soft hyphen, zero widths, BOM
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f"), " ")  # no-break and thin spaces
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)


def normalise(text: str) -> str:
    """The text as a reader sees it: NFC, LF line ends, no invisible characters (soft hyphens,
    zero-width spaces), plain spaces, and no Markdown heading markers ('# Title' -> 'Title')."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_SPACES)
    return _HEADING.sub("", text)


def document_from_text(text: str, path: Path | str = "inline.txt") -> Document:
    """A Document from text already in memory (tests, notebooks)."""
    path = Path(path)
    return Document(doc_id_for(path), path, normalise(text))


MAX_BYTES = 1_000_000  # a press release is a few kB; larger files are skipped with the reason


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read one UTF-8 text file; raise ReadError naming the reason when it is not usable.

    Only regular files are read (a FIFO, a device or a socket named *.txt would block or never end),
    and at most `max_bytes` of them: the file is opened without following it to anything but a regular
    file, checked with fstat, and read with a bound, so nothing can make the read unbounded.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise ReadError(path, f"unreadable ({err.strerror or err})") from err
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError(path, "unreadable (a folder, not a file)")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(path, "not a regular file")
        if st.st_size > max_bytes:
            raise ReadError(path, f"too large ({st.st_size:,} bytes; the limit is {max_bytes:,})")
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(max_bytes + 1)
    except OSError as err:
        raise ReadError(path, f"unreadable ({err.strerror or err})") from err
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise ReadError(path, f"too large (more than {max_bytes:,} bytes)")
    if not raw.strip():
        raise ReadError(path, "empty file")
    if b"\x00" in raw[:8192]:
        raise ReadError(path, "binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReadError(path, f"not UTF-8 (invalid byte at offset {err.start})") from err
    try:
        meta = meta_for(path)
    except ManifestError as err:
        raise ReadError(path, f"bad manifest ({err})") from err
    return Document(doc_id_for(path), path, normalise(text), meta)


def iter_paths(dirs: list[Path]) -> list[Path]:
    """Every .txt file under the given folders (or the files themselves), sorted, no duplicates.

    Folders are walked without following symbolic links to folders (no loops); a link to a file is
    kept as the file it names, and a link that cannot be resolved (a loop, a dangling link) is kept
    as it is, so that reading it reports why it was skipped.
    """
    seen: dict[str, None] = {}  # paths as strings (normalised as Path would): 10,000 Paths cost 0.1 s
    for d in dirs:
        try:
            d = d.resolve()  # once per folder; inside it only symbolic links need resolving
        except (OSError, RuntimeError):
            seen.setdefault(str(d), None)
            continue
        if not d.is_dir():
            seen.setdefault(str(d), None)
            continue
        for root, dirs, files in _walk(str(d)):  # a link to a folder is not entered
            for name in dirs:
                if name.endswith(".txt"):  # a folder named like a document: reported, not read
                    seen.setdefault(os.path.join(root, name), None)
            for name, link in files:
                if not name.endswith(".txt"):
                    continue
                p = os.path.join(root, name)
                if link:
                    with contextlib.suppress(OSError, RuntimeError):  # a loop or dangling link: read_document says so
                        p = str(Path(p).resolve(strict=True))
                seen.setdefault(p, None)
    return [Path(p) for p in sorted(seen, key=lambda p: (os.path.basename(p), p))]


def _walk(top: str) -> Iterator[tuple[str, list[str], list[tuple[str, bool]]]]:
    """Like `os.walk(top)` (links to folders listed but not entered), each file with whether it is a
    symbolic link, as the folder listing says (no stat per plain file)."""
    stack = [top]
    while stack:
        root = stack.pop()
        dirs, files, inside = [], [], []
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    link = entry.is_symlink()
                    if is_dir:
                        dirs.append(entry.name)
                        if not link:
                            inside.append(entry.path)
                    else:
                        files.append((entry.name, link))
        except OSError:
            continue
        yield root, dirs, files
        stack.extend(reversed(inside))


CHECKSUMS = "checksums.json"  # in the store folder: file stat -> checksum, so an update re-reads only changed files


def file_stamp(path: Path, folder: tuple[int, int] | None = None) -> tuple[int, ...] | None:
    """Size and modification time (ns) of a file and of its folder's manifest (`folder`, when the caller
    has it), or None when the file cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, *(folder if folder is not None else manifest_stamp(path.parent)))


def file_stamps(paths: Iterable[Path]) -> Iterator[tuple[Path, tuple[int, ...] | None]]:
    """`file_stamp` of each path, each folder's manifest looked at once."""
    folders: dict[str, tuple[int, int]] = {}
    for path in paths:
        parent = os.path.dirname(path)  # cheaper than Path.parent
        folder = folders.get(parent)
        if folder is None:
            folder = folders[parent] = manifest_stamp(path.parent)
        yield path, file_stamp(path, folder)


class ChecksumCache:
    """Checksums of files by path, valid while their size and modification time are unchanged.

    Only a speed-up for `kg build --update`: a missing, unreadable or stale entry means the file is
    read again. The stamp is taken before the file is read, so a file changed while it was being
    read gets a newer stamp than the one recorded and is read again next time.
    """

    def __init__(self, entries: dict[str, list] | None = None) -> None:
        self.entries: dict[str, list] = entries or {}

    @classmethod
    def load(cls, store_path: Path) -> ChecksumCache:
        try:
            data = json.loads((Path(store_path) / CHECKSUMS).read_text(encoding="utf-8"))
            return cls(data if isinstance(data, dict) else {})
        except (OSError, ValueError):
            return cls()

    def get(self, path: Path, stamp: tuple[int, ...] | None) -> str | None:
        entry = self.entries.get(str(path))
        if stamp is None or not entry or tuple(entry[:-1]) != stamp:
            return None
        return entry[-1]

    def put(self, path: Path, stamp: tuple[int, ...] | None, sha256: str) -> None:
        if stamp is not None:
            self.entries[str(path)] = [*stamp, sha256]

    def save(self, store_path: Path) -> None:
        target = Path(store_path) / CHECKSUMS
        partial = target.with_suffix(".partial")
        partial.write_text(json.dumps(self.entries, separators=(",", ":")), encoding="utf-8")
        partial.replace(target)
