"""Errors a user can act on: each says what was expected, what was found, and where."""


class LoadError(Exception):
    """A load that cannot go on; nothing of it is written to the raw table."""


class SourceUnavailable(LoadError):
    """The file could not be fetched (network, HTTP status, missing mirror file)."""


class HostUnreachable(SourceUnavailable):
    """The host of the file's URL does not resolve or refuses connections: not retried."""


class DatabaseUnavailable(LoadError):
    """The warehouse database cannot be reached, or its connection was lost during a load."""


class StructuralError(LoadError):
    """The file is not what its contract expects: missing column, empty, HTML, bad bytes."""


class RejectThresholdExceeded(LoadError):
    """Too many rows broke the contract for the load to be trusted.

    `rejects` holds the (line_number, raw_line, reason) of every rejected row, so they can
    still be recorded for diagnosis although nothing else of the load is written.
    """

    def __init__(self, message: str, rejects: list[tuple[int, str, str]], rows_read: int):
        super().__init__(message)
        self.rejects = rejects
        self.rows_read = rows_read

    def __str__(self) -> str:
        return str(self.args[0])
