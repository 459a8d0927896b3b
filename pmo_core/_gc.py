"""The cyclic garbage collector kept out of bulk work (a report over a whole PMO, an
import): such work makes millions of objects that live until it ends, and each collection
would walk all of them again (a quarter of a whole-PMO report's time)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection while the block runs; what it made is then handed to the oldest
    generation unwalked (``freeze`` then ``unfreeze``), so the next young collection does not
    walk it all at once. Garbage cycles among it are collected by the next full collection,
    as usual. Nested uses leave the collector to the outermost."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()
