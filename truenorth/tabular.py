"""Reading import files, for every importer: bytes to text, CSV to rows, and what is wrong.

An importer refuses a file it cannot read whole: nothing is imported, and ImportFailed names the
line of each problem (line 0: the file itself). The readers here decide what "read whole"
means: UTF-8 text (a byte-order mark is fine), every quote closed where it should be, no
character a database cannot store. Nothing here touches the database or any app, so every
importer can use it without importing another app.
"""

import calendar
import codecs
import contextlib
import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO, Literal, Protocol, TextIO

# GitHub issue bodies run past csv's default limit of 128 KB per cell.
MAX_CELL = 16 * 1024 * 1024
csv.field_size_limit(MAX_CELL)


@dataclass
class RowError:
    line: int
    message: str
    where: str = ""  # for items that have no line (JSON): "item [3] (#1234)"


class Said(Protocol):
    """A problem as a report names it: a RowError, or an importer's own kind."""

    @property
    def line(self) -> int: ...
    @property
    def where(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass
class ImportFailed(Exception):
    """The file was rejected; `errors` names each bad row (line 0: the file itself)."""

    errors: list[RowError]

    def report(self) -> str:
        """The text the CLI prints: each problem once, with every line it is on."""
        groups = grouped(self.errors)
        lines = [f"Nothing imported: {counted_problems(len(self.errors), len(groups))}."]
        lines += [f"  {group}" for group in groups]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


# One report line per problem, however many rows have it: an export whose status column is
# wrong on every row says so once, with the rows, rather than 800 times.

# A value as repr() quotes it; an apostrophe within a word ("the manager's") opens none.
QUOTED = re.compile(r"(?<![\w'\"])(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")
DIGITS = re.compile(r"\d+")
DAY = re.compile(r"\d{1,2} [A-Z][a-z]+\.? \d{4}")  # "3 Apr 2026", "30 February 2026"
NUMBERED = re.compile(r"(?P<file>.*?) ?\bline (?P<n>\d+)")  # "line 12", "calls.csv line 12"
ITEM = re.compile(r"items? ?\[(?P<n>\d+)\]")  # "item [3] (#1234)", the API's "items[3]"
EXAMPLES = 3  # other values a repeated problem names
SHOWN_RANGES = 20  # of a problem's lines, on a page


def counted_problems(problems: int, kinds: int) -> str:
    """ "3 problem(s)", or "800 problem(s) of 2 kinds" where some are said once for many rows."""
    of = f" of {kinds} kind{'' if kinds == 1 else 's'}" if kinds < problems else ""
    return f"{problems} problem(s){of}"


def value_of(message: str) -> str:
    """The row's own value in a message: its last quoted text ("" when it quotes none)."""
    found = QUOTED.findall(message)
    return found[-1] if found else ""


def pattern(message: str) -> str:
    """A message less what belongs to its row: the value it quotes last, and the numbers and
    days outside quotes that follow from it (a date's two readings). A message that quotes nothing
    is its own pattern: "the row has 4 cells" and "… 5 cells" are two problems."""
    parts = QUOTED.split(message)
    quoted = QUOTED.findall(message)
    if not quoted:
        return message
    quoted[-1] = "…"
    masked = [DIGITS.sub("#", DAY.sub("#", part)) for part in parts]
    return "".join(part + (quoted[i] if i < len(quoted) else "") for i, part in enumerate(masked))


def place_of(error: Said) -> tuple[str, str, int]:
    """(kind, file, number) of where a problem is: ("line", "calls.csv", 12), ("item", "", 3),
    or ("", where, 0) for a place named otherwise (an interview's notes, the file)."""
    if error.where:
        if found := ITEM.match(error.where):
            return "item", "", int(found["n"])
        if found := NUMBERED.fullmatch(error.where):
            return "line", found["file"], int(found["n"])
        return "", error.where, 0
    return ("line", "", error.line) if error.line else ("", "file", 0)


def spans(numbers: list[int], mark: str = "{}", most: int = 0) -> str:
    """ "2–41, 43, 50–800": runs of consecutive numbers as ranges, in order; past `most`
    ranges (where given), how many numbers more."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    shown = runs[:most] if most else runs
    said = ", ".join(
        f"{mark.format(run[0])}–{mark.format(run[-1])}" if len(run) > 1 else mark.format(run[0])
        for run in shown
    )
    more = sum(len(run) for run in runs[len(shown) :])
    return f"{said} and {more} more" if more else said


@dataclass
class Group:
    """One problem of a report, said once: the first row's message, and every row with it."""

    errors: list[Said]

    @property
    def message(self) -> str:
        return self.errors[0].message

    @property
    def count(self) -> int:
        return len(self.errors)

    @property
    def places(self) -> str:
        """ "line 3", "lines 2–41, 43", "calls.csv lines 2–9", "items [0]–[4]", "file"."""
        return self.placed()

    @property
    def places_shortly(self) -> str:
        """Its places as a page shows them, which lists each row's problem too: past 20
        ranges, how many more ("lines 2, 4, …, 40 and 780 more"), not a screenful of numbers."""
        return self.placed(most=SHOWN_RANGES)

    def placed(self, most: int = 0) -> str:
        if self.count == 1:
            error = self.errors[0]
            return error.where or (f"line {error.line}" if error.line else "file")
        kind, file, _ = place_of(self.errors[0])
        numbers = [place_of(error)[2] for error in self.errors]
        if kind == "line":
            return f"{file} lines {spans(numbers, most=most)}".lstrip()
        if kind == "item":
            return f"items {spans(numbers, '[{}]', most)}"
        places = list(dict.fromkeys(error.where or "file" for error in self.errors))
        more = f" and {len(places) - most} more" if most and len(places) > most else ""
        return ", ".join(places[:most] if more else places) + more

    @property
    def briefly(self) -> str:
        """Its places, or the first and how many more where they run past a few ranges."""
        if self.places.count(",") < EXAMPLES:
            return self.places
        return f"{Group(self.errors[:1]).places} and {self.count - 1} more"

    @property
    def rows(self) -> str:
        """How many rows (or JSON items) have the problem, for a group of more than one."""
        if self.count == 1:
            return ""
        return f"{self.count} {'items' if place_of(self.errors[0])[0] == 'item' else 'rows'}"

    @property
    def others(self) -> str:
        """The other values of the rows with this problem, a few with their lines ("" when
        every row has the first row's): "the same for 'XL' (line 7) and 12 other values"."""
        first = value_of(self.message)
        rows: dict[str, list[Said]] = {}
        for error in self.errors[1:]:
            value = value_of(error.message)
            if value != first:
                rows.setdefault(value, []).append(error)
        if not rows:
            return ""
        named = EXAMPLES + 1 if len(rows) == EXAMPLES + 1 else EXAMPLES  # not "1 other value"
        shown = [f"{value} ({Group(found).briefly})" for value, found in list(rows.items())[:named]]
        if more := len(rows) - len(shown):
            shown.append(f"{more} other value{'' if more == 1 else 's'}")
        listed = ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
        return f"the same for {listed}"

    def __str__(self) -> str:
        rows, others = self.rows, self.others  # each read once: `others` reads every row
        return f"{self.places}{f' ({rows})' if rows else ''}: {self.message}" + (
            f"; {others}" if others else ""
        )

    def as_json(self) -> dict:
        return {
            "where": self.places,
            "rows": self.count,
            "message": self.message,
            "text": str(self),
            "places": [Group([error]).places for error in self.errors],
        }


def named_places(wheres: list[str]) -> str:
    """Places given as words ("line 3", "history line 9"), each file's lines as ranges:
    "lines 2–41, 43; history line 9"."""
    groups = grouped([RowError(0, "", where) for where in wheres])
    return "; ".join(group.places for group in groups)


def grouped(errors: Sequence[Said]) -> list[Group]:
    """The problems of a report, each once with all its rows, in the order the first of each
    was found. Rows share a problem where the same message is said of them, but for the
    value each quotes last (in one file: a problem in another file is another problem)."""
    groups: dict[tuple[str, str, str], Group] = {}
    for error in errors:
        kind, file, _ = place_of(error)
        key = (kind, file, pattern(error.message) if kind else error.message)
        if key in groups:
            groups[key].errors.append(error)
        else:
            groups[key] = Group([error])
    return list(groups.values())


def column_names(text: str, fields: tuple[str, ...] | list[str]) -> dict[str, str]:
    """An upload page's "field=Column" lines (the CLI's --map FIELD=COLUMN) as a mapping;
    ValueError names a line that is not one, or a field the importer does not have."""
    mapping = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, column = line.partition("=")
        name, column = name.strip(), column.strip().strip('"')
        if not sep or not name or not column:
            raise ValueError(f"{line.strip()!r} is not field=Column.")
        if name not in fields:
            raise ValueError(f"No field {name!r}; fields: {', '.join(fields)}.")
        mapping[name] = column
    return mapping


def refuse(line: int, message: str) -> ImportFailed:
    return ImportFailed([RowError(line, message)])


# Where an import runs, so that its advice names what the reader can change there: the command
# line's options (--format, --map) or the upload page's fields.
Where = Literal["cli", "page"]


def columns_found(header: list[str]) -> str:
    """The header as a "missing column" message lists it. A header read as one column that
    holds a semicolon or a tab is a file separated by those: the message says so."""
    found = ", ".join(header) or "none"
    if len(header) == 1:
        for mark, name in ((";", "semicolons"), ("\t", "tabs")):
            if mark in header[0]:
                return f"{found} (one column: the file seems to separate its columns with {name})"
    return found


def ignored_note(columns: list[str], shown: int = 10) -> str:
    """What an import says of the columns it did not read ("" when it read them all), in the
    People import's words; a tracker's export of every field names the first `shown` only."""
    columns = [title for title in dict.fromkeys(columns) if title]
    if not columns:
        return ""
    more = f" and {len(columns) - shown} more" if len(columns) > shown else ""
    return f"Ignored columns: {', '.join(columns[:shown])}{more}."


def looks_like_json(text: str) -> bool:
    """Whether a file meant to be CSV is JSON instead: it opens an object or a list."""
    return text.lstrip("\ufeff \t\r\n").startswith(("{", "["))


# Bytes to text

SAVE_AS_UTF8 = "save it as “CSV UTF-8” (Excel: File → Save As → CSV UTF-8)"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_text(source: TextIO | BinaryIO | bytes | str) -> str:
    """The text of an uploaded or named file, checked (see `decode` and `check_text`).

    A text stream that wraps bytes (an upload, a file the CLI opened) is read as bytes, so that
    a file in another encoding is named as such, at its line, rather than failing mid-read.
    """
    data = source
    if not isinstance(source, bytes | str):
        buffer = getattr(source, "buffer", None)
        data = buffer.read() if buffer is not None else source.read()
    text = decode(data) if isinstance(data, bytes) else data
    check_text(text)
    return text


def decode(data: bytes, utf16: bool = False) -> str:
    """UTF-8 text (with or without a byte-order mark); UTF-16 with a byte-order mark, as
    Excel's "Unicode text" writes it, only where `utf16` allows it."""
    problem = encoding_problem(data, utf16)
    if problem:
        line, why = problem
        raise refuse(line, f"not a UTF-8 text file: {why}")
    if utf16 and data.startswith(UTF16_BOMS):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def encoding_problem(data: bytes, utf16: bool = False) -> tuple[int, str] | None:
    """(0, why) when the bytes are not text this reader takes: the file as a whole is in
    another encoding, which `why` names with the first line and byte that tell."""
    if data.startswith(UTF16_BOMS):
        if not utf16:
            return 0, f"it is UTF-16 (Excel's “Unicode text”); {SAVE_AS_UTF8}"
        try:
            data.decode("utf-16")
        except UnicodeDecodeError as error:
            where = f"line {line_at(data, error.start)}, byte {error.start}"
            return 0, f"it starts as UTF-16 but {where} is not"
        return None
    if looks_like_utf16(data):
        return 0, f"it looks like UTF-16 without a byte-order mark; {SAVE_AS_UTF8}"
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = data[error.start : error.start + 1].hex().upper()
        where = f"line {line_at(data, error.start)}, byte {error.start} (0x{byte})"
        return 0, f"{where} is not UTF-8; {guess_encoding(data)}"
    return None


def looks_like_utf16(data: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a NUL in every other byte."""
    head = data[:2000]
    return len(head) >= 4 and head.count(0) * 3 >= len(head)


def guess_encoding(data: bytes) -> str:
    if b"\x00" in data:
        return "a text file has no NUL bytes: this looks like a binary file, not CSV"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return SAVE_AS_UTF8
    return f"it is probably Windows-1252 (Excel's plain “CSV” on Windows): {SAVE_AS_UTF8}"


def line_at(text: bytes | str, position: int) -> int:
    """The physical line of a position, counting \\r\\n, \\r and \\n each as one line end."""
    newline = b"\r\n?|\n" if isinstance(text, bytes) else r"\r\n?|\n"
    return len(re.findall(newline, text[:position])) + 1


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str:
    """Why a database cannot store this text ("" when it can): a NUL or a lone surrogate."""
    found = UNSTORABLE.search(text)
    if found is None:
        return ""
    if found.group() == "\x00":
        return "a NUL character, which text cannot hold"
    return f"a lone surrogate (U+{ord(found.group()):04X}), which is not a character"


def check_text(text: str) -> None:
    found = UNSTORABLE.search(text)
    if found:
        raise refuse(line_at(text, found.start()), f"holds {unstorable(found.group())}")


# CSV text to rows


@dataclass
class Table:
    """A CSV file's header and its non-blank rows, each with the line it starts on."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    spans: dict[int, int]  # the last line of each row that spans lines, by its first line
    lines: list[str]  # the file's physical lines, to say where a quote opened
    delimiter: str = ","

    def opened(self, start: int) -> int:
        """The line where the first multi-line cell of the row starting on `start` opened."""
        return scan(self.lines, start, self.delimiter).multiline or start

    def columns(self, name: str) -> list[int]:
        """Every position of a column: Jira repeats Labels, Sprint and Component/s."""
        return [i for i, title in enumerate(self.header) if title == name]

    def has(self, *names: str) -> bool:
        return all(name in self.header for name in names)

    def one_line(self, line: int, fields: dict[str, str], multiline: tuple[str, ...] = ()) -> str:
        """Why a row is broken ("" when it is not): a field that no tool writes over several
        lines holds a line break, which is a quote left open.
        """
        if line not in self.spans:
            return ""
        for name, value in fields.items():
            if name not in multiline and isinstance(value, str) and LINE_BREAK.search(value):
                opened, last = self.opened(line), self.spans[line]
                return unclosed_quote(line, opened, f"{name} runs over lines {line}–{last}")
        return ""


LINE_BREAK = re.compile(r"[\r\n]")


def unclosed_quote(line: int, opened: int, detail: str) -> str:
    where = "here" if opened == line else f"on line {opened}"
    return f"a quote opened {where} is never closed ({detail}); check the quotes"


# What separates cells: commas, or semicolons where Excel writes "," as the decimal point (many
# European locales), or tabs (text copied from a spreadsheet).
SEPARATORS = ",;\t"
SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab"}


def separator(text: str, delimiters: str = SEPARATORS) -> str:
    """The one of `delimiters` that the first non-blank line of `text` uses most (the first of
    them on a tie)."""
    first = next((line for line in io.StringIO(text, newline="") if line.strip("\r\n")), "")
    return max(delimiters, key=first.count)


def read_table(text: str, delimiters: str = ",") -> Table:
    """The header and the non-blank rows of CSV text; cells are separated by whichever of
    `delimiters` the header line uses most (`separator`).

    Refused, at the line where the trouble starts: a quote that is never closed, text after a
    closing quote, a row that spans lines and is wider than any one-line row (a quote that
    swallowed rows), a cell larger than MAX_CELL; and each row with more values than the
    header, whose values would otherwise be read shifted, each in the wrong column.
    """
    text = text.removeprefix("\ufeff")
    lines = io.StringIO(text, newline="").readlines()
    delimiter = separator(text, delimiters)
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows, spans = [], {}
    start = 1
    try:
        for cells in reader:
            last = reader.line_num
            if header is None:
                if cells:  # blank lines before the header are skipped
                    header = [title.strip() for title in cells]
            elif any(cell.strip() for cell in cells):
                rows.append((start, cells))
                if last > start:
                    spans[start] = last
            start = last + 1
    except csv.Error as error:
        raise refuse(*quote_trouble(lines, start, delimiter, str(error))) from None
    table = Table(header or [], rows, spans, lines, delimiter)
    if problem := swallowed_rows(table):
        raise refuse(*problem)
    if wide := too_wide(table):
        raise ImportFailed(wide)
    return table


def too_wide(table: Table) -> list[RowError]:
    """Each row with more values than the header: a value holding the separator without quotes
    shifts every value after it into the next column. Empty cells past the header are fine
    where every row has them (some exports end each row with a few); in a file whose other rows
    end at the header's width, they are the shifted row's last columns, left empty. A header
    read as one column is the importer's to name (`columns_found`)."""
    width = len(table.header)
    if width < 2:
        return []
    padded = all(len(cells) > width for _, cells in table.rows)
    return [
        RowError(
            line,
            f"the row has {len(cells)} values but the header has {width} columns: "
            f"{SEPARATOR_NAMES[table.delimiter]} inside a value needs the value in double quotes",
        )
        for line, cells in table.rows
        if len(cells) > width and (not padded or any(cell.strip() for cell in cells[width:]))
    ]


def swallowed_rows(table: Table) -> tuple[int, str] | None:
    """A row that spans lines and is wider than any one-line row: a quote that never closed
    took the rows after it into one cell (and a stray quote further down ended it)."""
    widest = max([len(table.header)] + [len(c) for n, c in table.rows if n not in table.spans])
    for start, cells in table.rows:
        if start in table.spans and len(cells) > widest:
            opened, last = table.opened(start), table.spans[start]
            detail = f"the row runs to line {last} and has {len(cells)} cells, other rows {widest}"
            return opened, unclosed_quote(opened, opened, detail)
    return None


def quote_trouble(lines: list[str], start: int, delimiter: str, error: str) -> tuple[int, str]:
    """(line, why) for the csv module's complaint about the row that starts on `start`."""
    if "field larger than field limit" in error:
        return start, f"a cell is larger than {MAX_CELL // (1024 * 1024)} MB"
    quotes = scan(lines, start, delimiter)
    if quotes.still_open:
        return quotes.opened, "a quote opened here is never closed"
    if quotes.closed and quotes.swallowed:
        # The cell took in a delimiter or a line break before a quote ended it: the quote
        # that opened it was a stray one.
        detail = f"a quote on line {quotes.closed}, followed by {quotes.after!r}, ends it"
        if quotes.closed == quotes.opened:
            detail = f"a quote further on, followed by {quotes.after!r}, ends it"
        return quotes.opened, unclosed_quote(quotes.opened, quotes.opened, detail)
    if quotes.closed:
        why = f"after a quoted cell's closing quote comes {quotes.after!r}; write a quote inside "
        return quotes.closed, why + 'a quoted cell twice ("")'
    return start, f"not readable as CSV: {error}"


@dataclass
class Quotes:
    """How one row's quotes went, followed as the csv module follows them."""

    multiline: int = 0  # the line where the row's first cell over several lines opened
    opened: int = 0  # the line where the last quoted cell opened
    still_open: bool = False  # that cell runs to the end of the file
    closed: int = 0  # the line of a closing quote followed by something else than a delimiter
    after: str = ""  # what follows that quote
    swallowed: bool = False  # the last quoted cell holds a delimiter or a line break


def scan(lines: list[str], start: int, delimiter: str) -> Quotes:
    quotes, in_quotes, field_start = Quotes(), False, True
    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        i = 0
        while i < len(line):
            char = line[i]
            if in_quotes and char == '"':
                after = line[i + 1 : i + 2]
                if after == '"':
                    i += 2
                    continue
                in_quotes, field_start = False, False
                if after not in (delimiter, "\r", "\n", ""):
                    quotes.closed, quotes.after = number, after
                    return quotes
            elif in_quotes:
                quotes.swallowed = quotes.swallowed or char in (delimiter, "\r", "\n")
            else:
                if char == '"' and field_start:
                    in_quotes, quotes.opened, quotes.swallowed = True, number, False
                field_start = char in (delimiter, "\r", "\n")
            i += 1
        if not in_quotes:
            return quotes
        quotes.multiline = quotes.multiline or quotes.opened
    quotes.still_open = in_quotes
    return quotes


def cell(cells: list[str], positions: list[int]) -> str:
    """The first non-empty value among a column's positions (rows can be short)."""
    for i in positions:
        if i < len(cells) and cells[i].strip():
            return cells[i].strip()
    return ""


def folded(text: str) -> str:
    """A name as one, whatever its case and spacing: "Northwind  Dental " is "northwind dental",
    the same customer account (claims, feedback), and the same words said twice the same
    claim."""
    return " ".join(text.split()).casefold()


def cells_of(cells: list[str], positions: list[int]) -> list[str]:
    return [cells[i].strip() for i in positions if i < len(cells) and cells[i].strip()]


def shown(value: str, size: int = 40) -> str:
    """A value as a message quotes it: cut short, so that a huge cell makes a short message."""
    return (
        repr(value) if len(value) <= size else repr(value[:size]) + f"… ({len(value)} characters)"
    )


# JSON


class BadJSON(ValueError):
    """The text is not JSON this reader can take; the message says why."""


def load_json(text: str):
    """JSON, or BadJSON saying why not: not JSON, nested too deep, a number too long."""
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise BadJSON(f"not JSON: {error}") from None
    except RecursionError:
        raise BadJSON("the JSON is nested too deeply to read (over about 1,000 levels)") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise BadJSON(f"the JSON holds a number too long to read: {error}") from None


# Dates as trackers and spreadsheets write them


DATE_FORMATS = ("%d %b %Y", "%d.%m.%Y")  # 21.11.2026: day first wherever dots are written
MAX_DATE = 100  # characters; longer text is no date, and regular expressions stay quick
MONTH_NAMES = (  # as Jira abbreviates them in English, German, French and Spanish
    ("jan", "ene", "janv"),
    ("feb", "fév", "févr", "fev"),
    ("mar", "mär", "mrz", "mars"),
    ("apr", "abr", "avr"),
    ("may", "mai"),
    ("jun", "juin"),
    ("jul", "juil"),
    ("aug", "ago", "aoû", "août"),
    ("sep", "sept"),
    ("oct", "okt"),
    ("nov",),
    ("dec", "dez", "dic", "déc"),
)
MONTHS = {name: number for number, names in enumerate(MONTH_NAMES, 1) for name in names}
JIRA_DATE = re.compile(  # 21/Nov/25 4:05 PM, 21/Nov/2025, 21/Nov/25 16:05
    r"(\d{1,2})/([^\W\d_]+)\.?/(\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
)
JAVASCRIPT_DATE = re.compile(r"[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{4}) ")  # Tue Nov 21 2025 …
# Nov 21, 2025 · November 21 2025 · Nov 21, 2025 4:05 PM: month first in words, as US-English
# spreadsheets and trackers write a day for people
WORDED_DATE = re.compile(
    r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})(?:,? \d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
)
# 21/11/2026 or 11/21/2026, as spreadsheets write dates in Europe or the US; a time may follow
SLASHED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
SLASHED_IN_TEXT = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")


@dataclass(frozen=True)
class Mixed:
    """A file whose unambiguous slashed dates disagree: one written day first (21/11/2026), one
    month first (11/24/2026), each as the file has it or with where it is."""

    day_first: str
    month_first: str


DayOrder = Literal["day first", "month first", ""] | Mixed


def day_order(text: str) -> DayOrder:
    """Whether a file's slashed dates are day or month first, as its unambiguous ones show
    (a 21 can only be a day); "" when none shows it, Mixed when they disagree."""
    firsts, seconds = [], []
    for found in SLASHED_IN_TEXT.finditer(text):
        first, second = int(found[1]), int(found[2])
        if 12 < first <= 31 and second <= 12:
            firsts.append(found[0])
        if 12 < second <= 31 and first <= 12:
            seconds.append(found[0])
    if firsts and seconds:
        return Mixed(firsts[0], seconds[0])
    if firsts or seconds:
        return "day first" if firsts else "month first"
    return ""


def parse_date(text: str, order: DayOrder = "") -> date:
    """The calendar date as written (a time or zone after it is ignored, not converted).

    A slashed date such as 03/04/2026 is read in the `order` of the file it comes from
    (`day_order`); where that is unknown, it is an error naming both readings.
    """
    if len(text) > MAX_DATE:
        raise ValueError(f"{text[:20]!r}… is not a date (use YYYY-MM-DD)")
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(text).date()
    if found := JIRA_DATE.fullmatch(text):
        day, month, year = found.groups()
        return calendar_date(text, int(year) + (2000 if len(year) == 2 else 0), month, int(day))
    if found := JAVASCRIPT_DATE.match(text) or WORDED_DATE.fullmatch(text):
        month, day, year = found.groups()
        return calendar_date(text, int(year), month, int(day))
    if found := SLASHED_DATE.fullmatch(text):
        return slashed_date(text, *map(int, found.groups()), order)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if found := ISO_DAY.fullmatch(text) or ISO_MOMENT.fullmatch(text):
        raise ValueError(f"{text!r}: {no_such_day(*map(int, found.groups()))}")
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD)")


ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# The same day with a time after it (2026-02-30T10:00:00Z, 2026-02-30 10:00, …+0000): a day
# that does not exist is named as such whatever time follows it.
ISO_MOMENT = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def no_such_day(year: int, month: int, day: int) -> str:
    """Why a date written YYYY-MM-DD is none: "2027-02-30" is in the right shape, so saying
    "use YYYY-MM-DD" would send its writer looking for the wrong mistake."""
    if not 1 <= month <= 12:
        return f"there is no month {month} (use YYYY-MM-DD)"
    return f"there is no {day} {calendar.month_name[month]} {year}"


class AmbiguousDate(ValueError):
    """A slashed date that is two days, in a file that does not say which."""

    def __init__(self, text: str, why: str):
        super().__init__(f"{text!r} {why}")
        self.why = why


def slashed_date(text: str, first: int, second: int, year: int, order: DayOrder) -> date:
    readings = []
    for day, month in ((first, second), (second, first)):
        with contextlib.suppress(ValueError):
            readings.append(date(year, month, day))
    if len(set(readings)) == 2 and order in ("day first", "month first"):
        return readings[0] if order == "day first" else readings[1]
    if len(set(readings)) == 2:
        day_first, month_first = (f"{d.day} {d:%b %Y}" for d in readings)
        raise AmbiguousDate(text, f"could be {day_first} or {month_first}, {unknown(order)}")
    if readings:
        return readings[0]
    raise ValueError(f"{text!r}{no_such_slashed_day(first, second, year, order)}")


def no_such_slashed_day(first: int, second: int, year: int, order: DayOrder) -> str:
    """Why a slashed date is none: "31/02/2026" is a date's shape whichever comes first, so
    "use YYYY-MM-DD" would send its writer looking for the wrong mistake; the day that does not
    exist is named in each reading the file allows whose month is one."""
    readings = {"day first": [(first, second)], "month first": [(second, first)]}.get(
        order if isinstance(order, str) else "", [(first, second), (second, first)]
    )
    days = [
        f"{day} {calendar.month_name[month]} {year}" for day, month in readings if 1 <= month <= 12
    ]
    if not days:
        return " is not a date (use YYYY-MM-DD)"
    return f": there is no {' and no '.join(dict.fromkeys(days))}"


def unknown(order: DayOrder) -> str:
    """Why the file does not say which reading it means."""
    if isinstance(order, Mixed):
        # Its unambiguous dates were written both ways: neither way is the file's.
        return (
            f"and the file mixes day-first dates ({order.day_first}) with month-first ones "
            f"({order.month_first}), so it does not show which (use YYYY-MM-DD)"
        )
    return (
        "and no other date in the file shows whether the day or the month comes first "
        "(use YYYY-MM-DD)"
    )


def calendar_date(text: str, year: int, month_name: str, day: int) -> date:
    name = month_name.lower().rstrip(".")
    month = MONTHS.get(name) or MONTHS.get(name[:4]) or MONTHS.get(name[:3])
    try:
        return date(year, month or 0, day)
    except ValueError:
        if month:  # "31 Feb 2026": the shape is right, the day does not exist
            raise ValueError(f"{text!r}: {no_such_day(year, month, day)}") from None
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
