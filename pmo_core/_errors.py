"""The errors pmo-core raises. Every one is a :class:`PmoError`.

The CLI turns a :class:`PmoError` into a one-line message and a non-zero exit; embedders catch
the specific subclasses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


#: What pmo-core catches around a plugin's code (its import, hooks, rules, connectors and
#: reports): any exception, and the two that are not exceptions but would end the process
#: (``sys.exit`` and ``KeyboardInterrupt`` raised by the plugin), so a plugin can never decide
#: a command's exit status.
PLUGIN_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit, KeyboardInterrupt)


def describe(exc: BaseException) -> str:
    """An exception as ``Type: message``, or just ``Type`` when it has no message.

    Example::

        describe(KeyError("rules"))   # "KeyError: 'rules'"
        describe(KeyboardInterrupt())  # 'KeyboardInterrupt'
    """
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class PmoError(Exception):
    """Base class of every error pmo-core raises on purpose.

    Example::

        try:
            ws.get("NOPE")
        except PmoError as exc:
            print(f"error: {exc}")
    """

    #: Exit code the CLI uses for this error.
    exit_code: int = 1


class InvalidInputError(PmoError, ValueError):
    """Input failed validation; ``where`` names the place (file:line:column, field, option).

    An error that stands for several (an import refusing many rows) holds them in
    ``problems``, each an ``InvalidInputError`` with its own place; its message says how
    many there are, and the command line prints each on a line of its own.

    Example::

        raise InvalidInputError("budget must be positive", where="projects.csv:4:7")
        try:
            ws.import_from("csv", "projects.csv")
        except InvalidInputError as exc:
            for problem in exc.problems or (exc,):
                print(problem.where, problem.message)
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        problems: tuple[InvalidInputError, ...] = (),
    ) -> None:
        self.message = message
        self.where = where
        self.problems = problems
        super().__init__(f"{where}: {message}" if where else message)


class NotFoundError(PmoError, LookupError):
    """An entity, plugin, report or connector that was asked for does not exist.

    Example::

        raise NotFoundError("project 'ALPHA' not found")
    """

    exit_code = 3


class ConflictError(PmoError):
    """A write was based on a stale version, or would create a duplicate.

    Example::

        raise ConflictError("project 'ALPHA' changed since it was read (version 3, now 4)")
    """

    exit_code = 4


class StoreError(PmoError):
    """The store cannot be opened, migrated or written.

    Example::

        raise StoreError("store schema version 9 is newer than this pmo-core (5)")
    """


class PluginError(PmoError):
    """A plugin failed: import, invalid records, a raising hook, or a name clash.

    ``plugin`` is the canonical plugin id when one is known.

    Example::

        raise PluginError("yielded an invalid record: name is empty", plugin="acme-rules")
    """

    def __init__(self, message: str, *, plugin: str | None = None) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}" if plugin else message)


class IncompatiblePluginError(PluginError):
    """A plugin requires a pmo-core version other than the one installed.

    Example::

        raise IncompatiblePluginError(
            "requires pmo-core>=2.0, installed 0.1.0", plugin="acme-rules"
        )
    """


class GovernanceBlockedError(PmoError):
    """A change was refused because a governance rule at level ``block`` failed.

    ``findings`` holds the blocking findings.

    Example::

        raise GovernanceBlockedError("gate blocked by 1 rule", findings=[...])
    """

    exit_code = 5

    def __init__(self, message: str, *, findings: list[object] | None = None) -> None:
        self.findings = list(findings or [])
        super().__init__(message)


class PmoDeprecationWarning(DeprecationWarning):
    """Warns about a deprecated hook, argument or API; removed in a later major version.

    Example::

        import warnings

        warnings.warn("use pmo_reports", PmoDeprecationWarning, stacklevel=2)
    """


def validation_message(exc: ValidationError, *, prefix: str = "") -> str:
    """One line naming each invalid field of a pydantic error and why.

    Example::

        validation_message(exc)  # 'budget.amount: Input should be a valid decimal'
    """
    return "; ".join(error_line(err, prefix=prefix) for err in exc.errors())


def error_line(err: Any, *, prefix: str = "") -> str:
    """One pydantic error as ``field: problem``, in words a user can act on.

    Example::

        error_line(exc.errors()[0], prefix="custom_fields.")
    """
    # A model-level check has no location and its message already names the fields;
    # pydantic's "Value error, " prefix is noise to a user.
    path = ".".join(str(p) for p in err["loc"] if p != "[key]")
    where = f"{prefix}{path}" if path else prefix.rstrip(".")
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    return f"{where}: {msg}" if where else msg
