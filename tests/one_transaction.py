"""Each request's writes in one transaction: a crash between two would leave half a change.

Every request the test client makes is watched (tests/conftest.py): a request that writes to the
data more than once, outside one transaction, fails its test, unless its view writes in steps on
purpose (IN_STEPS, with why). Bookkeeping that stands on its own is not counted: the session,
the cache of figures, the embedding cache (a vector depends on its text alone; whether a test
writes one depends on what its process embedded before), a token's last use, a login's time and
attempts.
"""

import re
import threading

from django.core.handlers.base import BaseHandler
from django.db import transaction
from django.db.backends.utils import CursorWrapper

BOOKKEEPING = ("django_session", "truenorth_cache", "checkins_embedding", "api_apitoken", "axes_")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)', re.I)

# Views that write in steps on purpose, each step whole. A test of one of them passes whatever
# its steps; a new view is held to one transaction until it is added here, with why.
IN_STEPS = {
    # The claim is saved, then checked with the model, which never runs inside a transaction
    # (tests/test_model_outside_transactions.py); a claim left unchecked is checked next time.
    "new_claim": "saved, then checked",
    "edit_claim": "saved, then checked",
    "api:get_claim": "saved, then checked",  # PATCH on a claim's address
    "import_claims": "saved, then checked",
    "api:list_claims": "saved, then checked",
    # Closed at once (no more answers), then published after the analysis (checkins.measure).
    "close_checkin": "closed, then published",
    # Each invitation is marked as its message goes out: a failure part-way forgets no one.
    "send_checkin": "each message marked as it is sent",
    "api:send": "each message marked as it is sent",  # a check-in's links, through the API
    # The back-brief made in one, then its links sent on commit (inline: in the same request).
    "back_brief_decision": "made, then each message marked as it is sent",
    "api:send_decision_back_brief": "made, then each message marked as it is sent",
    "api:send_update_back_brief": "made, then each message marked as it is sent",
    "api:close": "closed, then published",  # a check-in, through the API
    # Published (the texts typed with it too), then each notification recorded as it goes out.
    "publish_update": "published, then each notification recorded as it is sent",
    # Each sending (a channel to an audience) is recorded as it goes out, as the page's worker.
    "api:send_published": "each sending recorded as it goes out",
    "send_update": "each sending recorded as it goes out",  # the page's, sent inline
    # Each term's measure is kept as it is computed, on the pages that show it.
    "glossary": "each term measured in turn",
    "glossary_json": "each term measured in turn",
    "term": "each term measured in turn",
    "term_json": "each term measured in turn",
    "alignment": "each term measured in turn",
    "alignment_json": "each term measured in turn",
    "overview": "each term measured in turn",  # its line of sight and vision are the dashboard's
    "alignment_csv": "each term measured in turn",
    # The mapping, then the items it links, read in full outside the write (work.actions).
    "add_work_mapping": "the mapping, then its items",
    "delete_work_mapping": "the mapping, then its items",
    "api:list_tracker_mappings": "the mapping, then its items",  # POST on the list's address
    "api:delete_tracker_mapping": "the mapping, then its items",
    # The import's record is kept whatever the import does, to report a refused file.
    "work_import": "the import's record, then the import",
    # The statuses mapped on the form are kept when the file is refused: not chosen twice.
    "import_roadmap": "the statuses mapped, then the import",
    # An initiative saved, archived or restored, then the claims it may turn checked again with
    # the model (claims.tasks.follow_roadmap), once the change has committed.
    "edit_initiative": "saved, then its claims checked",
    "archive_initiative": "archived, then its claims checked",
    "restore_initiative": "restored, then its claims checked",
    "api:get_initiative": "saved, then its claims checked",  # PATCH on an initiative's address
    "api:archive": "archived, then its claims checked",
    "api:restore": "restored, then its claims checked",
}


# What the current request wrote: each table, with the transaction it was written in (None:
# none, each statement its own).
Writes = list[tuple[str, int | None]]

local = threading.local()
split: list[str] = []  # what the watched requests wrote in pieces, since the last test


def transaction_number(connection) -> int | None:
    """A number for the transaction open now, the test's own left out; None when there is
    none."""
    opened = [b for b in connection.atomic_blocks if not getattr(b, "_from_testcase", False)]
    return getattr(local, "closed", 0) if opened else None


def watched_execute(real):
    def execute(self, sql, params, many, executor):
        writes = getattr(local, "writes", None)
        if writes is not None and (found := WRITE.match(sql)):
            table = found.group(1)
            if not table.startswith(BOOKKEEPING) and not login_time(table, sql):
                writes.append((table, transaction_number(self.db)))
        return real(self, sql, params, many, executor)

    return execute


def login_time(table: str, sql: str) -> bool:
    return table == "auth_user" and "last_login" in sql and "password" not in sql


def watched_exit(real):
    def exit_(self, *exc):
        result = real(self, *exc)
        connection = transaction.get_connection(self.using)
        if all(getattr(b, "_from_testcase", False) for b in connection.atomic_blocks):
            local.closed = getattr(local, "closed", 0) + 1  # the next one is another
        return result

    return exit_


def watched_response(real):
    def get_response(self, request):
        local.writes = []
        try:
            return real(self, request)
        finally:
            writes, local.writes = local.writes, None
            check(request, writes)

    return get_response


def check(request, writes: Writes) -> None:
    transactions = {number for _, number in writes}
    in_one = len(transactions) == 1 and None not in transactions
    if len(writes) < 2 or in_one:
        return
    match = request.resolver_match
    if match is None or match.view_name not in IN_STEPS:
        tables = ", ".join(table for table, _ in writes)
        split.append(f"{request.method} {request.path} wrote {tables} in pieces")


def install() -> None:
    CursorWrapper._execute_with_wrappers = watched_execute(CursorWrapper._execute_with_wrappers)
    transaction.Atomic.__exit__ = watched_exit(transaction.Atomic.__exit__)
    BaseHandler.get_response = watched_response(BaseHandler.get_response)
