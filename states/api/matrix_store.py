"""Matrix responses kept as files: built once per build, then served as stored bytes.

A matrix answer depends only on its build (the snapshot rows), the parameters and the
format, and on its frame (rows, columns, session, `stale`, `built_at`), which the
ETag and the build's state stand for (read.matrix_fingerprint: one query, no row
read). The first read after a build writes the body to a file named by a digest of
all that; later reads send the file (sendfile under gunicorn) without reading the
frame, and a gzip copy of it to clients that accept gzip. A build changes
`build_count`, hence every name: the next build's first store removes the treaty's
older files.

The files live in MATRIX_STORE_DIR when settings name one, otherwise in a folder of
the system's temporary directory named after the database, so that several databases
on one machine (tests, benchmarks) never share a file. Nothing here is the source of
truth: a missing or unwritable folder only means the answer is built again.
"""

import contextlib
import hashlib
import logging
import os
import tempfile
import zlib
from pathlib import Path

import orjson
from django.conf import settings
from django.db import connection
from django.http import FileResponse, HttpResponse

from states.matrix.read import MatrixFingerprint
from states.models import MatrixState

logger = logging.getLogger(__name__)

# Distinct stored answers per treaty and build; past it, answers are built each time
# (any combination of actors and provisions is a valid query: the disk stays bounded).
MAX_STORED_PER_BUILD = 500
GZIP_LEVEL = 6
CHUNK = 1 << 20


def store_dir():
    configured = getattr(settings, "MATRIX_STORE_DIR", None)
    if configured:
        return Path(configured)
    db = connection.settings_dict
    where = f"{db.get('HOST')}:{db.get('PORT')}/{db['NAME']}"
    digest = hashlib.sha1(where.encode(), usedforsecurity=False).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "treaty-tracker-matrix" / digest


def build_count(treaty):
    try:
        return treaty.matrix_state.build_count
    except MatrixState.DoesNotExist:
        return 0


def frame_fingerprint(view):
    """The MatrixFingerprint of a MatrixView (what matrix_fingerprint gives without
    reading the frame)."""
    return MatrixFingerprint(
        etag=view.etag,
        build_count=build_count(view.treaty),
        built_at=view.built_at,
        stale=view.stale,
    )


def stored_name(params, fingerprint, fmt):
    """The file name of this answer: treaty, build, and a digest of the rest.

    The ETag stands for the rows and columns (their count and latest change, the
    build and the owed changes): the name changes whenever the 304 answer would.
    The session's own fields, which the ETag leaves out, are added.
    """
    session = params.session
    frame = [
        params.cache_key(),
        fmt,
        params.treaty.slug,
        fingerprint.build_count,
        fingerprint.etag,
        fingerprint.built_at.isoformat() if fingerprint.built_at else None,
        fingerprint.stale,
        [session.pk, session.number, session.title, session.status],
    ]
    digest = hashlib.sha1(orjson.dumps(frame), usedforsecurity=False).hexdigest()
    return f"t{params.treaty.pk}-b{fingerprint.build_count}-{digest[:24]}.{fmt}"


def accepts_gzip(request):
    codings = request.headers.get("Accept-Encoding", "")
    for coding in codings.split(","):
        name, _, quality = coding.strip().partition(";")
        if name.strip().lower() == "gzip":
            return quality.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00")
    return False


def existing_response(params, fingerprint, fmt, content_type, request, stream):
    """The answer already stored under `fingerprint`, or None (nothing is built or
    written here: the caller reads the frame and calls stored_response)."""
    path = store_dir() / stored_name(params, fingerprint, fmt)
    try:
        if not path.exists():
            return None
        return _file_response(path, content_type, request, stream)
    except OSError as error:
        logger.warning("matrix store unusable (%s): answering from memory", error)
        return None


def stored_response(view, params, fmt, chunks_of, content_type, request, stream):
    """The stored answer (stored first if missing), or None when it cannot be stored
    (the caller then answers from memory). `stream`: sent from the file (large
    answers; sendfile under gunicorn) rather than read into the response."""
    folder = store_dir()
    name = stored_name(params, frame_fingerprint(view), fmt)
    path = folder / name
    try:
        if not path.exists() and not _store(view, folder, name, chunks_of):
            return None
        return _file_response(path, content_type, request, stream)
    except OSError as error:
        logger.warning("matrix store unusable (%s): answering from memory", error)
        return None


def _file_response(path, content_type, request, stream):
    gzipped = accepts_gzip(request)
    if gzipped:
        path = _gzip_copy(path)
    if stream:
        response = FileResponse(path.open("rb"), content_type=content_type)
        # FileResponse names the file; the answer is no download unless the caller
        # says so.
        del response.headers["Content-Disposition"]
    else:
        response = HttpResponse(path.read_bytes(), content_type=content_type)
    response["Vary"] = "Accept-Encoding"
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return response


def _store(view, folder, name, chunks_of):
    """Write the answer under `name`; False when it is not to be kept."""
    folder.mkdir(parents=True, exist_ok=True)
    treaty_id, build = view.treaty.pk, build_count(view.treaty)
    if len(list(folder.glob(f"t{treaty_id}-b{build}-*"))) >= MAX_STORED_PER_BUILD:
        return False
    # Cells read just as a build commits may be the new build's, under the old name:
    # that name is only ever asked for by readers that saw the old frame in the same
    # moment, and uncached they would read the same cells.
    _write_atomically(folder / name, chunks_of(view))
    _prune(folder, treaty_id, build)
    return True


def _write_atomically(path, chunks):
    """Write `chunks` to a temporary file, then rename it to `path` (readers see a
    whole file or none); the path."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def _gzip_copy(path):
    """The gzip copy beside `path`, made on the first request that accepts gzip."""
    target = path.with_name(path.name + ".gz")
    if not target.exists():
        _write_atomically(target, _gzipped(path))
    return target


def _gzipped(path):
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: gzip format
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            yield compressor.compress(block)
    yield compressor.flush()


def _prune(folder, treaty_id, build):
    """Remove the treaty's files of other builds (none is served again)."""
    for old in folder.glob(f"t{treaty_id}-b*"):
        if not old.name.startswith(f"t{treaty_id}-b{build}-"):
            with contextlib.suppress(OSError):
                old.unlink()
