"""Response bodies decoded as they stream in: Content-Encoding undone in bounded slices."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

# We decode bodies ourselves (see BodyDecoder), so we offer only what zlib can decode in
# bounded steps; brotli and zstd would need packages we do not depend on.
ACCEPT_ENCODING = "gzip, deflate"
# Inflate in slices so one small compressed chunk never turns into a huge buffer at once.
_INFLATE_SLICE = 256 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class BodyDecoder:
    """Undoes Content-Encoding in bounded slices, so the size cap sees decoded bytes early."""

    def __init__(self, encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise ValueError(f"unsupported content encoding: {encoding}")
        self.coding = codings[0] if codings else None
        if self.coding in ("gzip", "x-gzip"):
            # 47 = 32 + 15: accept a gzip or zlib header, whichever the server sent.
            self._inflater: zlib._Decompress | None = zlib.decompressobj(47)
        elif self.coding == "deflate":
            self._inflater = zlib.decompressobj(15)
        elif self.coding is None:
            self._inflater = None
        else:
            raise ValueError(f"unsupported content encoding: {self.coding}")
        # "deflate" is often sent raw, without the zlib header the RFC asks for: look at the
        # first byte before choosing.
        self._sniff_deflate = self.coding == "deflate"
        self._held = b""  # bytes after a gzip member, too few yet to tell if another follows
        self._after_last = False  # what follows the last member is padding: ignored

    def feed(self, data: bytes, budget: int) -> Iterator[bytes]:
        """Decoded pieces of `data`; stops once more than `budget` bytes came out."""
        if self._inflater is None:
            yield data
            return
        if self._sniff_deflate and data:
            self._sniff_deflate = False
            if data[0] & 0x0F != 8:  # not a zlib header (CM = 8, deflate)
                self._inflater = zlib.decompressobj(-15)
        pending = self._held + data
        self._held = b""
        produced = 0
        while pending and produced <= budget:
            if self._inflater.eof and not self._next_member(pending):
                return
            piece = self._inflater.decompress(pending, min(budget + 1 - produced, _INFLATE_SLICE))
            # At the end of a member, what follows it is in unused_data (perhaps another).
            eof = self._inflater.eof
            pending = self._inflater.unused_data if eof else self._inflater.unconsumed_tail
            produced += len(piece)
            yield piece

    def _next_member(self, pending: bytes) -> bool:
        """After a complete stream: whether `pending` starts another gzip member (RFC 1952
        allows several, one after another), starting to inflate it if so."""
        if self.coding not in ("gzip", "x-gzip") or self._after_last:
            return False
        if len(pending) < len(_GZIP_MAGIC):
            self._held = pending
            return False
        if not pending.startswith(_GZIP_MAGIC):
            self._after_last = True  # zeros or junk some servers pad with, as browsers allow
            return False
        self._inflater = zlib.decompressobj(31)  # 31 = 16 + 15: a gzip member
        return True

    def finish(self) -> tuple[bytes, bool]:
        """The last decoded bytes, and whether the compressed stream was complete."""
        if self._inflater is None:
            return b"", True
        return self._inflater.flush(), self._inflater.eof
