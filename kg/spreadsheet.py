"""CSV that a spreadsheet opens without running formulas (OWASP's CSV-injection advice).

Used for the saved-query CSV downloads of `kg serve` and the CSV files `kg report` writes beside
its HTML: both go to spreadsheets. The SPARQL endpoint's CSV stays exactly the W3C format.
"""

from __future__ import annotations

import csv
import io

_FORMULA_START = tuple("=+-@\t\r")


def csv_safe(body: bytes) -> bytes:
    """A CSV answer whose cells cannot start a spreadsheet formula (OWASP's CSV-injection advice).

    A cell starting with = + - @ tab or CR gets a leading apostrophe, inside the quotes the cell
    already has or in new ones; numbers such as -3 are left alone.
    """
    text = body.decode("utf-8")
    if not any(ch in text for ch in "=+-@\t\r"):
        return body
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_defuse(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def _defuse(cell: str) -> str:
    if cell.startswith(_FORMULA_START) and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
