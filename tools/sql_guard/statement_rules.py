"""Statement-level rules: the raw text, parsing to exactly one statement, and the node kinds
(writes, DDL, session commands, SELECT INTO, locks, variables...) refused anywhere in it."""

from __future__ import annotations

import itertools
import re
from functools import cache

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError

from tools.errors import InvalidInput, SqlRejected

MAX_SQL_CHARS = 20_000
SUPPORTED_DIALECTS = ("duckdb", "postgres", "mysql", "sqlite")

# MySQL executes /*! ... */ and /*!50000 ... */; MariaDB also /*M! ... */.
_EXECUTABLE_COMMENT = re.compile(r"/\*\s*M?!", re.IGNORECASE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# (sqlglot class names, rule, what the node does): refused wherever they appear.
_NODE_RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "AlterColumn",
      "TruncateTable", "Grant", "Revoke", "Comment", "LoadData", "Returning", "Analyze",
      "Refresh", "Cache", "Uncache", "DDL", "DML"), "write",
     "writes data or changes the schema"),
    (("Copy", "Export"), "copy", "copies data to or from files or programs"),
    (("Attach", "Detach", "Use"), "attach", "attaches or switches databases"),
    (("Install",), "extension", "installs or loads an extension"),
    (("Set", "SetItem", "Pragma", "Transaction", "Commit", "Rollback", "Kill", "Describe",
      "Show", "Declare", "Summarize"), "session_command", "is a session or server command"),
    (("Execute",), "procedure", "runs a procedure or prepared statement"),
    (("Into",), "into", "writes the result into a table, file or variable (SELECT INTO)"),
    (("Lock",), "locking", "takes row locks (FOR UPDATE / FOR SHARE)"),
    (("Hint",), "hint", "carries optimizer hints, which can set session variables"),
    (("Parameter", "SessionParameter", "Placeholder", "PropertyEQ"), "variable",
     "uses a variable, parameter or assignment"),
    (("Lateral", "Pivot", "Unpivot", "MatchRecognize", "Connect", "UserDefinedFunction"),
     "unsupported_construct", "uses a construct the guard does not check"),
)

# Statements sqlglot keeps as an opaque exp.Command, by their first keyword.
_COMMAND_RULES: dict[str, str] = {
    **dict.fromkeys(("CALL", "DO", "EXECUTE", "EXEC", "PREPARE", "DEALLOCATE"), "procedure"),
    **dict.fromkeys(("LOCK", "UNLOCK"), "locking"),
    **dict.fromkeys(("LOAD", "INSTALL"), "extension"),
    **dict.fromkeys(("COPY", "EXPORT", "IMPORT"), "copy"),
    **dict.fromkeys(("ATTACH", "DETACH", "USE"), "attach"),
    **dict.fromkeys(("GRANT", "REVOKE", "CREATE", "DROP", "ALTER", "TRUNCATE", "INSERT",
                     "UPDATE", "DELETE", "MERGE", "REPLACE", "RENAME", "HANDLER", "VACUUM",
                     "REINDEX", "CLUSTER", "REFRESH", "OPTIMIZE", "REPAIR"), "write"),
    **dict.fromkeys(("SET", "RESET", "SHOW", "PRAGMA", "EXPLAIN", "DESCRIBE", "DESC",
                     "BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "LISTEN",
                     "NOTIFY", "UNLISTEN", "DISCARD", "CHECKPOINT", "KILL", "FLUSH",
                     "SHUTDOWN", "ANALYZE", "SUMMARIZE"), "session_command"),
}


@cache
def _node_rules() -> dict[type[exp.Expression], tuple[str, str]]:
    rules: dict[type[exp.Expression], tuple[str, str]] = {}
    for names, rule, what in _NODE_RULES:
        for name in names:
            cls = getattr(exp, name, None)
            if isinstance(cls, type) and issubclass(cls, exp.Expression):
                rules[cls] = (rule, what)
    return rules


def reject(message: str, rule: str, **details: object) -> SqlRejected:
    """The guard's refusal: one sentence and a machine-readable rule."""
    return SqlRejected(message, rule=rule, **details)


def check_dialect(dialect: str) -> str:
    """The dialect name, refused unless the guard supports it."""
    if dialect not in SUPPORTED_DIALECTS:
        raise InvalidInput(f"the SQL guard supports the dialects {', '.join(SUPPORTED_DIALECTS)}"
                           f", not {dialect!r}", dialect=dialect)
    return dialect


def check_raw_text(sql: str, dialect: str) -> None:
    """Rules on the text itself, before parsing: size, control bytes, executable comments,
    a leading statement keyword other than SELECT/WITH (so statements sqlglot cannot parse,
    like EXPORT DATABASE, are still named) and INTO OUTFILE / DUMPFILE."""
    if not sql.strip():
        raise reject("the query is empty; send one SELECT statement", "empty")
    if len(sql) > MAX_SQL_CHARS:
        raise reject(f"the query is {len(sql)} characters long, more than the "
                     f"{MAX_SQL_CHARS} allowed", "too_long")
    if _CONTROL_CHARS.search(sql):
        raise reject("the query contains control characters", "invalid_characters")
    if _EXECUTABLE_COMMENT.search(sql):
        raise reject("the query contains a MySQL executable comment (/*! ... */), which "
                     "MySQL would run as SQL", "executable_comment")
    try:
        tokens = Dialect.get_or_raise(dialect).tokenize(sql)
    except TokenError as exc:
        raise reject(f"the query could not be read as {dialect} SQL: {exc}",
                     "parse_error") from exc
    # A token may span words ("LOCK TABLES"); the first word is the statement keyword.
    words = " ".join(t.text for t in tokens[:2]).upper().split()
    leading = words[0] if words else ""
    if leading in _COMMAND_RULES:
        rule = _COMMAND_RULES[leading]
        if leading == "LOAD" and len(words) > 1 and words[1] in ("DATA", "XML"):
            rule = "write"  # MySQL LOAD DATA / LOAD XML INFILE
        raise reject(f"the query is a {leading} statement; only SELECT is allowed", rule,
                     statement=leading)
    for first, second in itertools.pairwise(tokens):
        if first.text.upper() == "INTO" and second.text.upper() in ("OUTFILE", "DUMPFILE"):
            raise reject(f"the query writes its result to a file (INTO {second.text.upper()})",
                         "into")


def _parse_error_text(exc: ParseError) -> str:
    if exc.errors:
        first = exc.errors[0]
        return f"{first.get('description')} at line {first.get('line')}, column {first.get('col')}"
    return str(exc).splitlines()[0]


def parse_single(sql: str, dialect: str) -> exp.Expr:
    """Exactly one statement parsed in the dialect; anything sqlglot cannot parse is refused."""
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except ParseError as exc:
        raise reject(f"the query could not be parsed as {dialect} SQL ({_parse_error_text(exc)})",
                     "parse_error") from exc
    except (TokenError, ValueError, KeyError, RecursionError) as exc:
        raise reject(f"the query could not be parsed as {dialect} SQL", "parse_error") from exc
    if not statements:
        raise reject("the query is empty; send one SELECT statement", "empty")
    if len(statements) > 1:
        raise reject(f"the query holds {len(statements)} statements; send exactly one SELECT",
                     "multiple_statements", statements=len(statements))
    return statements[0]


def _command_rule(node: exp.Command) -> tuple[str, str]:
    keyword = str(node.this or "").strip().split(" ")[0].upper()
    rule = _COMMAND_RULES.get(keyword, "not_select")
    return rule, keyword or "a command"


def _node_label(node: exp.Expr) -> str:
    if isinstance(node, exp.Lock):
        return "FOR UPDATE" if node.args.get("update") else "FOR SHARE"
    if isinstance(node, exp.Into):
        return "SELECT INTO"
    return node.key.upper()


def check_statement_nodes(root: exp.Expr) -> None:
    """Refuse any write, DDL, session command, SELECT INTO, lock, hint or variable, at the
    root or nested anywhere (a DELETE inside a CTE counts)."""
    rules = _node_rules()
    for node in root.walk():
        if isinstance(node, exp.Command):
            rule, keyword = _command_rule(node)
            raise reject(f"the query is a {keyword} statement; only SELECT is allowed", rule,
                         statement=keyword)
        for cls in type(node).__mro__:
            if cls in rules:
                rule, what = rules[cls]
                label = _node_label(node)
                raise reject(f"the query contains {label}, which {what}; only plain SELECT "
                             "is allowed", rule, construct=label)


def query_root(root: exp.Expr) -> exp.Query:
    """The SELECT (or set operation of SELECTs) at the root, parentheses removed."""
    node = root
    while isinstance(node, exp.Subquery) and not any(
            value for key, value in node.args.items() if key != "this"):
        node = node.this
    if isinstance(node, exp.Select | exp.SetOperation):
        return node
    raise reject(f"the query is not a SELECT statement (it reads as {node.key.upper()}); "
                 "only SELECT is allowed", "not_select", statement=node.key.upper())
