"""Fetch a source file from its official URL or from a mirror (WAREHOUSE_SOURCES).

A mirror is `<WAREHOUSE_SOURCES>/<source>/<file name>`, a folder or a base URL. A mirror may
hold `<file>.gz` instead of `<file>`; it is decompressed when read. HTTP fetches use timeouts,
retries with backoff on connection errors and 5xx, and conditional GET (ETag/Last-Modified).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests

from loaders.errors import SourceUnavailable

CHUNK_BYTES = 1 << 20
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


def source_location(source: str, relative_path: str, official_url: str) -> str:
    """Where to read `relative_path` of `source`: the mirror when WAREHOUSE_SOURCES is set."""
    mirror = os.environ.get("WAREHOUSE_SOURCES")
    if not mirror:
        return official_url
    if mirror.startswith(("http://", "https://")):
        return f"{mirror.rstrip('/')}/{quote(source)}/{quote(relative_path)}"
    return str(Path(mirror).resolve() / source / relative_path)


def fetch(
    location: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: HttpPolicy | None = None,
) -> Fetched:
    if location.startswith(("http://", "https://")):
        return _fetch_http(location, etag, last_modified, policy or HttpPolicy())
    return _fetch_local(Path(location))


def _fetch_local(path: Path) -> Fetched:
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        path = path.with_name(path.name + ".gz")
    if not path.is_file():
        raise SourceUnavailable(f"cannot read {path}: no such file (nor {path.name}.gz)")
    digest, size = _hash_file(path)
    return Fetched(url=str(path), path=path, sha256=digest, bytes=size)


def _fetch_http(url: str, etag, last_modified, policy: HttpPolicy) -> Fetched:
    headers = {}
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
    raise SourceUnavailable(
        f"cannot fetch {url} after {policy.retries + 1} attempts ({last_error}); {REMEDY}"
    )


class _Retryable(Exception):
    pass


def _download(url: str, headers: dict, policy: HttpPolicy) -> Fetched:
    timeout = (policy.connect_timeout, policy.read_timeout)
    try:
        response = requests.get(url, headers=headers, stream=True, timeout=timeout)
    except (requests.ConnectionError, requests.Timeout) as err:
        raise _Retryable(type(err).__name__) from err
    with response:
        if response.status_code == 304:
            return Fetched(
                url=url, path=None, sha256=None, bytes=0, etag=headers.get("If-None-Match")
            )
        if response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code}")
        if response.status_code == 404 and not url.endswith(".gz"):
            try:
                return _download(url + ".gz", headers, policy)
            except SourceUnavailable:
                pass
        if response.status_code != 200:
            raise SourceUnavailable(f"cannot fetch {url}: HTTP {response.status_code}; {REMEDY}")
        suffix = ".gz" if url.endswith(".gz") else ""
        handle = tempfile.NamedTemporaryFile(delete=False, suffix=suffix, prefix="fetch-")  # noqa: SIM115 (closed below, kept on disk)
        path = Path(handle.name)
        digest = hashlib.sha256()
        size = 0
        try:
            with handle:
                for block in response.iter_content(CHUNK_BYTES):
                    handle.write(block)
                    digest.update(block)
                    size += len(block)
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ) as err:
            path.unlink(missing_ok=True)
            raise _Retryable(f"connection lost after {size} bytes: {type(err).__name__}") from err
        expected = response.headers.get("Content-Length")
        encoded = response.headers.get("Content-Encoding")
        if expected and not encoded and int(expected) != size:
            path.unlink(missing_ok=True)
            raise _Retryable(f"truncated body: expected {expected} bytes, received {size}")
        return Fetched(
            url=url,
            path=path,
            sha256=digest.hexdigest(),
            bytes=size,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            temporary=True,
        )


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(CHUNK_BYTES):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size
