"""Content-Encoding decoding with an output cap, so a decompression bomb stops at the cap.

httpx would decode for us, but without a limit on what one compressed chunk expands to. Here
each layer is a pull reader whose ``read(n)`` returns at most about ``n`` bytes, so memory stays
bounded by the chunk size however high the compression ratio, and the caller counts decoded
bytes against its cap. Supported: gzip (multi-member, CRC checked), deflate (zlib-wrapped or
raw, as servers disagree), br (``brotli``), zstd (``zstandard``), identity, and any nesting
(``Content-Encoding: gzip, deflate, gzip`` is undone right to left).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Protocol, cast

import brotli
import zstandard

from sanctionwatch.errors import FetchError, FetchLimitError

READ_SIZE = 64 * 1024


class Reader(Protocol):
    def read(self, size: int) -> bytes: ...


class ChunkSource:
    """Adapts an iterator of byte chunks to ``read(n)``; b"" means end of stream."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending = b""

    def read(self, size: int = READ_SIZE) -> bytes:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return b""
        piece, self._pending = self._pending[:size], self._pending[size:]
        return piece


class ZlibReader:
    """gzip or deflate; checks the gzip CRC and length, and that the stream is complete."""

    def __init__(self, inner: Reader, encoding: str) -> None:
        self._inner = inner
        self._encoding = encoding
        self._decompressor: zlib._Decompress | None = None
        self._tail = b""
        self._finished = False

    def _start(self, data: bytes) -> zlib._Decompress:
        """A decompressor for the stream that ``data`` begins (the header decides deflate's kind)."""
        if self._encoding == "gzip":
            wbits = 16 + zlib.MAX_WBITS
        elif len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] * 256 + data[1]) % 31 == 0:
            wbits = zlib.MAX_WBITS  # RFC 1950 zlib header
        else:
            wbits = -zlib.MAX_WBITS  # raw deflate, as some servers send
        self._decompressor = zlib.decompressobj(wbits)
        return self._decompressor

    def read(self, size: int = READ_SIZE) -> bytes:
        while True:
            if self._finished:
                return b""
            if self._tail:
                data, self._tail = self._tail, b""
            else:
                data = self._inner.read(READ_SIZE)
            if not data:
                if self._decompressor is not None and not self._decompressor.eof:
                    raise ValueError(f"truncated {self._encoding} stream")
                self._finished = True
                return b""
            decompressor = self._decompressor
            if decompressor is None or decompressor.eof:
                if decompressor is not None and self._encoding != "gzip":
                    self._finished = True  # trailing garbage after a deflate stream: ignore
                    return b""
                decompressor = self._start(data)
            output = decompressor.decompress(data, size)
            self._tail = decompressor.unconsumed_tail
            if decompressor.eof:
                self._tail = decompressor.unused_data + self._tail  # next gzip member
            if output:
                return output


class BrotliReader:
    def __init__(self, inner: Reader) -> None:
        self._inner = inner
        self._decompressor = brotli.Decompressor()

    def read(self, size: int = READ_SIZE) -> bytes:
        while True:
            if not self._decompressor.can_accept_more_data():
                output = self._decompressor.process(b"", output_buffer_limit=size)
            else:
                data = self._inner.read(READ_SIZE)
                if not data:
                    if not self._decompressor.is_finished():
                        raise ValueError("truncated br stream")
                    return b""
                output = self._decompressor.process(data, output_buffer_limit=size)
            if output:
                return output


def open_layer(inner: Reader, encoding: str) -> Reader:
    if encoding in {"gzip", "x-gzip", "deflate"}:
        return ZlibReader(inner, "gzip" if encoding == "x-gzip" else encoding)
    if encoding == "br":
        return BrotliReader(inner)
    if encoding == "zstd":
        # max_window_size bounds the decoder's own memory (a frame may ask for 2 GiB).
        decompressor = zstandard.ZstdDecompressor(max_window_size=1 << 24)
        # stream_reader calls only read(); its stubs ask for a whole IO[bytes].
        return decompressor.stream_reader(cast("IO[bytes]", inner), read_size=READ_SIZE, read_across_frames=True)
    raise FetchError(f"unsupported Content-Encoding {encoding!r}")


def parse_content_encoding(header_value: str | None) -> list[str]:
    """The codings of a Content-Encoding header in the order applied; identity dropped."""
    if not header_value:
        return []
    codings = [coding.strip().lower() for coding in header_value.split(",")]
    return [coding for coding in codings if coding and coding != "identity"]


def decoded_chunks(
    raw_chunks: Iterable[bytes], content_encoding: str | None, *, max_bytes: int, url: str | None = None
) -> Iterator[bytes]:
    """Yield the decoded body of ``raw_chunks``; raise once more than ``max_bytes`` decode.

    Raises :class:`FetchLimitError` past the cap (decoded or raw) and :class:`FetchError` for a
    corrupt or truncated stream (bad CRC, bad header) or an unknown coding.
    """
    raw_total = 0

    def counted(chunks: Iterable[bytes]) -> Iterator[bytes]:
        nonlocal raw_total
        for chunk in chunks:
            raw_total += len(chunk)
            if raw_total > max_bytes:
                raise FetchLimitError(f"body exceeds {max_bytes} bytes", url=url)
            yield chunk

    reader: Reader = ChunkSource(counted(raw_chunks))
    codings = parse_content_encoding(content_encoding)
    for coding in reversed(codings):  # the last coding listed was applied last
        reader = open_layer(reader, coding)
    decoded_total = 0
    while True:
        try:
            chunk = reader.read(READ_SIZE)
        except (zlib.error, brotli.error, zstandard.ZstdError, ValueError, EOFError) as error:
            names = ", ".join(codings)
            raise FetchError(f"corrupt {names} content: {error}", url=url) from error
        if not chunk:
            return
        decoded_total += len(chunk)
        if decoded_total > max_bytes:
            raise FetchLimitError(f"body exceeds {max_bytes} bytes after decompression", url=url)
        yield chunk
