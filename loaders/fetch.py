"""Fetch a source file from its official URL or from a mirror (WAREHOUSE_SOURCES).

A mirror is `<WAREHOUSE_SOURCES>/<source>/<file name>`, a folder or a base URL. A mirror may
hold `<file>.gz` instead of `<file>`; it is decompressed when read. HTTP fetches use timeouts,
retries with backoff on connection errors and 5xx, and conditional GET (ETag/Last-Modified).
The HTTP policy comes from the environment: WAREHOUSE_HTTP_TIMEOUT (seconds to connect and
between received bytes), WAREHOUSE_HTTP_RETRIES (attempts after the first) and
WAREHOUSE_HTTP_BACKOFF (seconds before the first retry, doubling after each).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests

from loaders.errors import LoadError, SourceUnavailable

CHUNK_BYTES = 1 << 20
USER_AGENT = "covid-warehouse-loaders/0.1 (python-requests)"
REMEDY = "set WAREHOUSE_SOURCES=<dir or base URL> to read a local mirror instead"


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


@dataclass(frozen=True)
class HttpPolicy:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 3
    backoff_seconds: float = 1.0

    @classmethod
    def from_env(cls) -> HttpPolicy:
        """The defaults, overridden by WAREHOUSE_HTTP_TIMEOUT/_RETRIES/_BACKOFF when set."""
        default = cls()
        timeout = _env_number("WAREHOUSE_HTTP_TIMEOUT", float, None)
        return cls(
            connect_timeout=min(default.connect_timeout, timeout or default.connect_timeout),
            read_timeout=timeout or default.read_timeout,
            retries=_env_number("WAREHOUSE_HTTP_RETRIES", int, default.retries),
            backoff_seconds=_env_number("WAREHOUSE_HTTP_BACKOFF", float, default.backoff_seconds),
        )


def _env_number(name: str, kind: type, default):
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = -1
    if value < 0:
        raise LoadError(f"{name} must be a non-negative {kind.__name__}, found {text!r}")
    return value


def source_location(source: str, relative_path: str, official_url: str) -> str:
    """Where to read `relative_path` of `source`: the mirror when WAREHOUSE_SOURCES is set."""
    mirror = os.environ.get("WAREHOUSE_SOURCES")
    if not mirror:
        return official_url
    if mirror.startswith(("http://", "https://")):
        return f"{mirror.rstrip('/')}/{quote(source)}/{quote(relative_path)}"
    return str(Path(mirror).resolve() / source / relative_path)


def remedy(location: str) -> str:
    """What a user can do when `location` cannot be read."""
    mirror = os.environ.get("WAREHOUSE_SOURCES")
    if mirror and (location.startswith(mirror.rstrip("/")) or not location.startswith("http")):
        return f"check the mirror WAREHOUSE_SOURCES={mirror}, or unset it to use the official URL"
    return REMEDY


def fetch(
    location: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: HttpPolicy | None = None,
) -> Fetched:
    if location.startswith(("http://", "https://")):
        return _fetch_http(location, etag, last_modified, policy or HttpPolicy.from_env())
    return _fetch_local(Path(location))


def _fetch_local(path: Path) -> Fetched:
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        path = path.with_name(path.name + ".gz")
    if not path.is_file():
        raise SourceUnavailable(
            f"cannot read {path}: no such file (nor {path.name}.gz); {remedy(str(path))}"
        )
    digest, size = _hash_file(path)
    return Fetched(url=str(path), path=path, sha256=digest, bytes=size)


def _fetch_http(url: str, etag, last_modified, policy: HttpPolicy) -> Fetched:
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
            return _download(url, headers, policy)
        except _Retryable as err:
            last_error = str(err)
    attempts = f"{policy.retries + 1} attempt{'s' if policy.retries else ''}"
    raise SourceUnavailable(f"cannot fetch {url} after {attempts} ({last_error}); {remedy(url)}")


class _Retryable(Exception):
    pass


def _download(url: str, headers: dict, policy: HttpPolicy) -> Fetched:
    timeout = (policy.connect_timeout, policy.read_timeout)
    try:
        response = requests.get(url, headers=headers, stream=True, timeout=timeout)
    except requests.ConnectTimeout as err:
        raise _Retryable(f"no connection within {policy.connect_timeout:g} s") from err
    except requests.Timeout as err:
        raise _Retryable(f"no response within {policy.read_timeout:g} s") from err
    except requests.ConnectionError as err:
        raise _Retryable(f"could not connect: {_root_cause(err)}") from err
    with response:
        if response.status_code == 304:
            return Fetched(url=url, path=None, sha256=None, bytes=0)
        if response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code} {response.reason}")
        if response.status_code == 404 and not url.endswith(".gz"):
            try:
                return _download(url + ".gz", headers, policy)
            except SourceUnavailable:
                pass
        if response.status_code != 200:
            raise SourceUnavailable(
                f"cannot fetch {url}: HTTP {response.status_code} {response.reason}; {remedy(url)}"
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
            for block in response.iter_content(CHUNK_BYTES):
                handle.write(block)
                digest.update(block)
                size += len(block)
    except (requests.ConnectionError, requests.Timeout, requests.RequestException) as err:
        path.unlink(missing_ok=True)
        if "timed out" in str(err).lower():
            raise _Retryable(
                f"body stalled after {size}{of_expected} bytes: "
                f"nothing received for {policy.read_timeout:g} s"
            ) from err
        partial = re.search(r"IncompleteRead\((\d+) bytes read", str(err))
        size += int(partial.group(1)) if partial else 0  # read, but not handed over
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
