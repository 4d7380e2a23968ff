"""Fetch a source file from a path or a URL (where is `warehouse.settings.Mirror`'s to say).

A local file may be `<file>.gz` instead of `<file>`; it is decompressed when read. HTTP
fetches follow an `HttpPolicy` (timeouts, retries with backoff on timeouts, dropped
connections and 5xx) and use conditional GET (ETag/Last-Modified). A host that cannot be
resolved or that refuses the connection is not retried: offline, or a wrong mirror, retrying
only delays the message (`HostUnreachable`).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests
import urllib3

from loaders.core.errors import HostUnreachable, SourceUnavailable
from warehouse.settings import OFFICIAL_REMEDY, HttpPolicy

CHUNK_BYTES = 1 << 20
USER_AGENT = "covid-warehouse-loaders/0.1 (python-requests)"


@dataclass(frozen=True)
class Fetched:
    url: str
    path: Path | None  # None when the server said 304 Not Modified
    sha256: str | None
    bytes: int
    etag: str | None = None
    last_modified: str | None = None
    temporary: bool = False

    @property
    def not_modified(self) -> bool:
        return self.path is None

    def discard(self) -> None:
        if self.temporary and self.path is not None:
            self.path.unlink(missing_ok=True)


def fetch(
    location: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: HttpPolicy | None = None,
    remedy: str = OFFICIAL_REMEDY,
) -> Fetched:
    """`location` saved to a file (a local one is read in place); `remedy` ends every error
    message: what the user can do when the file cannot be read."""
    if location.startswith(("http://", "https://")):
        return _fetch_http(location, etag, last_modified, policy or HttpPolicy(), remedy)
    return _fetch_local(Path(location), remedy)


def _fetch_local(path: Path, remedy: str) -> Fetched:
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        path = path.with_name(path.name + ".gz")
    if not path.is_file():
        raise SourceUnavailable(f"cannot read {path}: no such file (nor {path.name}.gz); {remedy}")
    digest, size = _hash_file(path)
    return Fetched(url=str(path), path=path, sha256=digest, bytes=size)


def _fetch_http(url: str, etag, last_modified, policy: HttpPolicy, remedy: str) -> Fetched:
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    last_error = ""
    for attempt in range(policy.retries + 1):
        if attempt:
            time.sleep(policy.backoff_seconds * 2 ** (attempt - 1))
        try:
            return _download(url, headers, policy, remedy)
        except _Retryable as err:
            last_error = str(err)
    attempts = f"{policy.retries + 1} attempt{'s' if policy.retries else ''}"
    raise SourceUnavailable(f"cannot fetch {url} after {attempts} ({last_error}); {remedy}")


class _Retryable(Exception):
    pass


def _download(url: str, headers: dict, policy: HttpPolicy, remedy: str) -> Fetched:
    timeout = (policy.connect_timeout, policy.read_timeout)
    try:
        response = requests.get(url, headers=headers, stream=True, timeout=timeout)
    except requests.ConnectTimeout as err:
        raise _Retryable(f"no connection within {policy.connect_timeout:g} s") from err
    except requests.Timeout as err:
        raise _Retryable(f"no response within {policy.read_timeout:g} s") from err
    except requests.ConnectionError as err:
        cause = _root_cause(err)
        if _unreachable(err, cause):
            raise HostUnreachable(
                f"cannot fetch {url}: could not connect ({cause}), not retried; {remedy}"
            ) from err
        raise _Retryable(f"could not connect: {cause}") from err
    with response:
        if response.status_code == 304:
            return Fetched(url=url, path=None, sha256=None, bytes=0)
        if response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code} {response.reason}")
        if response.status_code == 404 and not url.endswith(".gz"):
            try:
                return _download(url + ".gz", headers, policy, remedy)
            except SourceUnavailable:
                pass
        if response.status_code != 200:
            raise SourceUnavailable(
                f"cannot fetch {url}: HTTP {response.status_code} {response.reason}; {remedy}"
            )
        return _save_body(url, response, policy)


def _save_body(url: str, response: requests.Response, policy: HttpPolicy) -> Fetched:
    suffix = ".gz" if url.endswith(".gz") else ""
    handle = tempfile.NamedTemporaryFile(delete=False, suffix=suffix, prefix="fetch-")  # noqa: SIM115 (closed below, kept on disk)
    path = Path(handle.name)
    digest = hashlib.sha256()
    size = 0
    expected = response.headers.get("Content-Length")
    encoded = response.headers.get("Content-Encoding", "identity") != "identity"
    of_expected = f" of {expected}" if expected and not encoded else ""
    try:
        with handle:
            # read1: whatever has arrived, so a stall or a cut is reported with the bytes read
            while block := response.raw.read1(CHUNK_BYTES, decode_content=True):
                handle.write(block)
                digest.update(block)
                size += len(block)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as err:
        path.unlink(missing_ok=True)
        if "timed out" in str(err).lower():
            raise _Retryable(
                f"body stalled after {size:,}{of_expected} bytes: "
                f"nothing received for {policy.read_timeout:g} s"
            ) from err
        partial = re.search(r"IncompleteRead\((\d+) bytes read", str(err))
        size = max(size, int(partial.group(1)) if partial else 0)  # read, not handed over
        raise _Retryable(f"body cut short: received {size}{of_expected} bytes") from err
    if expected and not encoded and int(expected) != size:
        path.unlink(missing_ok=True)
        raise _Retryable(f"body cut short: received {size} of {expected} bytes")
    return Fetched(
        url=url,
        path=path,
        sha256=digest.hexdigest(),
        bytes=size,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        temporary=True,
    )


RESOLUTION_ERRNOS = {"-2", "-3", "-5"}  # EAI_NONAME, EAI_AGAIN, EAI_NODATA


def _unreachable(err: requests.ConnectionError, cause: str) -> bool:
    """A name that does not resolve, or a port that refuses: no retry will change it soon."""
    reason = getattr(err.args[0], "reason", None) if err.args else None
    if isinstance(reason, urllib3.exceptions.NameResolutionError):
        return True
    found = re.match(r"\[Errno (-?\d+)\]", cause)
    return bool(found) and (found.group(1) in RESOLUTION_ERRNOS or found.group(1) == "111")


def _root_cause(err: Exception) -> str:
    """`[Errno 111] Connection refused` out of requests' nested connection errors."""
    text = str(err)
    found = re.search(r"\[Errno -?\d+\][^'\")]*", text)
    if found:
        return found.group(0).strip()
    return text.splitlines()[0][:200] if text else type(err).__name__


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(CHUNK_BYTES):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size
