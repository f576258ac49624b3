"""What feedback exports look like: each reader turns a file into plain rows of text.

Nothing here touches the database; `imports.py` checks the rows and saves them. A row's fields
are some of FIELDS, every value a string. The column names each tool writes are in HEADERS,
matched ignoring case, spaces and underscores; the first non-empty column of a field wins, and
every format also reads the plain names ("csv") after its own, so an export with a `segment` or
`ARR` column is weighed without a mapping. docs/feedback.md says where each layout comes from.
"""

import hashlib
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

from truenorth import tabular
from truenorth.tabular import ImportFailed, RowError, refuse

FIELDS = (
    "key",
    "title",
    "text",
    "kind",
    "type",
    "account",
    "segment",
    "account_value",
    "date",
    "heard_by",
    "competitor",
    "rating",
    "url",
)
FORMATS = {
    "zendesk": "Zendesk",
    "freshdesk": "Freshdesk",
    "intercom": "Intercom",
    "reviews": "app-store reviews",
    "interviews": "interview notes",
    "field": "field notes",
}
CSV_FORMATS = ("zendesk", "freshdesk", "intercom", "reviews", "field")
TICKETS = ("zendesk", "freshdesk", "intercom")  # a ticket's subject is its text when it has none

HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    # Admin Center → Account → Tools → Reports → Export → CSV export: "Summation column", "Id",
    # "Requester", …, "Subject", "Tags", "Status", "Priority", "Via", "Ticket type",
    # "Created at", "Updated at", "Assigned at", "Organization", …, then each custom field as
    # "Title [type]". It has no description: then the subject is the text. An Explore report
    # names its attributes instead ("Ticket ID", "Ticket subject", "Ticket organization name",
    # "Ticket created - Date"). docs/feedback.md says where each name comes from.
    "zendesk": {
        "key": ("Id", "Ticket ID"),
        "title": ("Subject", "Ticket subject"),
        "text": ("Description",),
        "account": ("Organization", "Ticket organization name", "Organization name"),
        "date": ("Created at", "Ticket created - Date", "Requested"),
        "type": ("Ticket type", "Type"),
    },
    # Tickets → Export (CSV): the ticket's fields chosen ("Ticket Id", "Subject", "Description",
    # …, "Created Time", …), then the requester's ("Full Name", "Email", …) and the company's
    # ("Company Name", "Account tier", …), each under the label the account gives it.
    "freshdesk": {
        "key": ("Ticket ID",),
        "title": ("Subject",),
        "text": ("Description", "Description text"),
        "account": ("Company Name", "Company"),
        "segment": ("Account tier",),
        "date": ("Created time", "Created at"),
        "type": ("Type",),
    },
    # The reporting export of the conversation dataset (attributes conversation_id,
    # conversation_started_at), a conversation export with one row per conversation
    # (message_body, message_author_companies, conversation_created_at), or the REST API's
    # fields flattened. Intercom's own CSV header is not confirmed: --map names the rest.
    "intercom": {
        "key": ("Conversation ID", "conversation_id", "ID"),
        "title": ("Conversation title", "Title", "Subject"),
        "text": (
            "message_body",
            "First message",
            "Conversation first message",
            "Initial message",
            "Source body",
            "Conversation",
        ),
        "account": ("message_author_companies", "Company name", "Company", "Companies"),
        "date": (
            "Conversation started at",
            "conversation_created_at",
            "Created at",
            "Started at",
        ),
        "type": ("Conversation type", "Ticket type"),
    },
    # Google Play Console → Download reports → Reviews (one CSV a month, UTF-16); a plain
    # store export or scraper's CSV reads through the "csv" names (id, text, rating, date).
    "reviews": {
        "key": ("Review ID", "reviewId"),
        "title": ("Review Title",),
        "text": ("Review Text", "review", "content", "body"),
        "rating": ("Star Rating", "score", "stars"),
        "date": ("Review Submit Date and Time", "Review Date", "at"),
        "url": ("Review Link",),
    },
    "field": {},
    # The plain names, which every format reads too.
    "csv": {
        "key": ("key", "id", "source key"),
        "title": ("title", "subject"),
        "text": ("text", "note", "notes", "quote", "feedback"),
        "kind": ("kind",),
        "type": ("type",),
        "account": (
            "account",
            "company",
            "customer",
            "account name",
            "company name",
            "customer name",
        ),
        "segment": ("segment", "account segment", "plan", "tier"),
        "account_value": ("account value", "account_value", "arr", "mrr x 12", "value"),
        "date": ("date", "received on", "received", "created"),
        "heard_by": ("heard by", "heard_by", "reporter"),
        "competitor": ("competitor",),
        "rating": ("rating",),
        "url": ("url", "link"),
    },
}
REQUIRED = ("text", "date")
PLAY_KEY_PARTS = ("Package Name", "Review Submit Millis Since Epoch")  # when there is no link


@dataclass
class Row:
    """One item as the file has it: where it is (for error reports) and its text fields."""

    line: int  # the physical line where a CSV row starts; 0 for an interview's note
    where: str  # "line 12", "calls.csv line 12" or "acme.md"
    fields: dict = field(default_factory=dict)
    skip: str = ""  # why this row is not an item (a rating without words)


def names_for(file_format: str, mapping: dict[str, str]) -> dict[str, tuple[str, ...]]:
    own = HEADERS[file_format]
    names = {name: own.get(name, ()) + HEADERS["csv"].get(name, ()) for name in FIELDS}
    names.update({name: (column,) for name, column in mapping.items()})
    return names


def plain(title: str) -> str:
    """A column's name as matched: lower case, underscores and runs of spaces as one space,
    without a unit, zone or Zendesk field type after it ("Created at (UTC)", "ARR [dec]")."""
    title = re.sub(r"\s*(?:\([^)]*\)|\[[^\]]*\])\s*$", "", title)
    return " ".join(title.replace("_", " ").lower().split())


def locate(
    table: tabular.Table, names: dict[str, tuple[str, ...]], mapping: dict[str, str]
) -> dict[str, list[int]]:
    """Each field's column positions, most wanted first; a mapped column must be there."""
    header = [plain(title) for title in table.header]
    missing = [name for name, column in mapping.items() if plain(column) not in header]
    if missing:
        found = ", ".join(table.header)
        raise ImportFailed(
            [
                RowError(0, f"no column {mapping[name]!r} for {name}; columns found: {found}")
                for name in missing
            ]
        )
    return {
        name: list(dict.fromkeys(i for t in titles for i, h in enumerate(header) if h == plain(t)))
        for name, titles in names.items()
    }


# CSV exports


def read_csv(text: str, file_format: str, mapping: dict[str, str], where: str = "") -> list[Row]:
    """The rows of a CSV export, with the fields its format names; `where` names the file in
    messages when more than one is imported."""
    if not text.strip("\ufeff \t\r\n"):
        raise refuse(0, "the file is empty")
    table = tabular.read_table(text, delimiters=",;\t")
    if not table.rows:
        raise refuse(0, "the file has a header but no rows")
    if problem := tabular.unstorable(" ".join(table.header)):
        raise refuse(1, f"the header holds {problem}")
    names = names_for(file_format, mapping)
    at = locate(table, names, mapping)
    if file_format in TICKETS and not at["text"]:
        at["text"] = at["title"]  # Zendesk's full CSV export has no description
    required = REQUIRED + (("kind",) if file_format == "field" else ())
    missing = [name for name in required if not at[name]]
    if missing:
        wanted = ", ".join(f"{name} (e.g. {names[name][0]!r})" for name in missing)
        found = ", ".join(table.header) or "none"
        raise refuse(
            0,
            f"missing column(s) for {wanted} in {with_article(FORMATS[file_format])} export; columns "
            f"found: {found}. Say which column holds each as FIELD=COLUMN, e.g. "
            f"{missing[0]}=Column (under “Columns of your own” on the import page, or with "
            "--map on the command line)",
        )
    prefix = f"{where} " if where else ""
    rows = []
    for line, cells in table.rows:
        fields = {
            name: tabular.cell(cells, positions) for name, positions in at.items() if positions
        }
        row = Row(line, f"{prefix}line {line}", fields)
        if file_format in TICKETS:
            fields["text"] = html_words(fields.get("text", "")) or fields.get("title", "")
        if problem := table.one_line(line, fields, multiline=("text", "title")) or unstorable(
            fields
        ):
            fields["error"] = problem
        if file_format == "reviews":
            play_review(row, table, cells)
        if "key" not in fields:
            # A file without keys: an item is known again by its words, date and account.
            fields["key"] = content_key(fields)
        rows.append(row)
    return rows


def unstorable(fields: dict[str, str]) -> str:
    """Why a row's field cannot be stored ("" when all can): a NUL, a lone surrogate."""
    return next(
        (
            f"{name} holds {why}"
            for name, text in fields.items()
            if (why := tabular.unstorable(text))
        ),
        "",
    )


def play_review(row: Row, table: tabular.Table, cells: list[str]) -> None:
    """Google Play gives no review id: its link holds one, else the app and the moment. A
    review's title stands in for its words when it has none; stars alone are no feedback."""
    fields = row.fields
    if not fields.get("key") and fields.get("url"):
        query = parse_qs(urlparse(fields["url"]).query)
        ids = {k.lower(): v for k, v in query.items()}.get("reviewid")
        fields["key"] = ids[0] if ids else fields["url"]
    if not fields.get("key") and table.has(*PLAY_KEY_PARTS):
        parts = [tabular.cell(cells, table.columns(name)) for name in PLAY_KEY_PARTS]
        if all(parts):
            fields["key"] = ":".join(parts)
    if not fields.get("text") and fields.get("title"):
        fields["text"] = fields["title"]  # a review with a title and no body
    if not fields.get("text") and fields.get("rating"):
        row.skip = "a star rating without words"


def content_key(fields: dict) -> str:
    words = "\n".join(fields.get(name, "") for name in ("date", "account", "text"))
    return "sha1:" + hashlib.sha1(words.encode()).hexdigest()[:20]


# Interview notes

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
BULLET = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
HEADER_FIELDS = {
    "account": "account",
    "company": "account",
    "customer": "account",
    "date": "date",
    "segment": "segment",
    "account_value": "account_value",
    "account value": "account_value",
    "arr": "account_value",
    "interviewer": "heard_by",
    "heard_by": "heard_by",
    "heard by": "heard_by",
}


def read_interview(name: str, text: str) -> list[Row]:
    """One interview's notes: a header between `---` lines (account, date, segment,
    account_value, interviewer), then the notes; each bullet or paragraph is one item."""
    found = FRONT_MATTER.match(text)
    if not found:
        return [Row(0, name, {"error": "no header: start the file with ---, account: …, date: …"})]
    header: dict[str, str] = {}
    for number, line in enumerate(found.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label, sep, value = line.partition(":")
        if not sep:
            return [
                Row(number, name, {"error": f"header line {line.strip()!r} is not name: value"})
            ]
        if (known := HEADER_FIELDS.get(label.strip().lower())) is not None:
            header[known] = value.strip().strip("\"'")
    missing = [label for label in ("account", "date") if not header.get(label)]
    if missing:
        return [Row(0, name, {"error": f"the header has no {' or '.join(missing)}"})]
    notes = text[found.end() :]
    offset = text[: found.end()].count("\n")
    items = note_items(notes)
    if not items:
        return [Row(0, name, {"error": "no notes under the header"})]
    return [
        Row(0, f"{name} line {line + offset}", {**header, "text": words, "key": f"{name}#{n}"})
        for n, (line, words) in enumerate(items, start=1)
    ]


def note_items(notes: str) -> list[tuple[int, str]]:
    """(line, text) of each bullet and each paragraph; headings and rules are no items."""
    items: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, line in enumerate(notes.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or re.fullmatch(r"[-*_]{3,}", stripped):
            current = None
        elif BULLET.match(line):
            current = [BULLET.sub("", line).strip()]
            items.append((number, current))
        elif current is not None:
            current.append(stripped)  # a wrapped bullet or paragraph goes on
        else:
            current = [stripped]
            items.append((number, current))
    # A line of its own that ends in a colon ("Notes:") labels what follows; it says nothing.
    return [
        (number, " ".join(lines))
        for number, lines in items
        if " ".join(lines).strip() and not (len(lines) == 1 and lines[0].endswith(":"))
    ]


# HTML in ticket text

HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
}


class Words(HTMLParser):
    """The text of HTML: tags dropped, blocks kept apart, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_words(text: str) -> str:
    """Text as a reader sees it: the words of HTML without its tags; text that holds no tag
    is kept as written ("a < b" is no HTML)."""
    if not HTML_TAG.search(text):
        return text.strip()
    parser = Words()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.split()) for line in unescape("".join(parser.parts)).splitlines())
    return "\n".join(line for line in lines if line)


def with_article(name: str) -> str:
    """ "an app-store reviews", "an Intercom", "a Zendesk": the names here begin with their
    sound, so the first letter says which."""
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
