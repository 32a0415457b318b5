"""Assets by id for ``pulumi refresh``, at a cost bounded by the stack, not the environment.

The API reads assets one at a time (``GET /assets/{id}``) or 50 at a time through the listing. A
stack of 200 assets in an environment of 200 is refreshed cheapest through the listing (4 pages); a
stack of 1 asset in an environment of 2,000 through one GET (the listing would take 40 pages). The
provider cannot know which it is in: it sees one read at a time. So it rents before it buys: reads
are single GETs, every ``GETS_PER_PAGE`` of them pay for one more page of the listing, which then
answers every read of an asset on it, and every read a page answered pays for ``PAGES_PER_HIT`` more
pages (answers from the listing mean the stack covers much of it). Neither case can be served at its
own optimum without knowing the other: a small stack costs at most about 1.5 calls per asset (1 for
a 1-asset stack in 2,000), a stack that is the whole environment at most about twice the listing
(8 calls for 200 of 200, 29 for 1,000, 189 for 5,000 in tests/unit/test_asset_index.py; 12, 60 and
300 before reads the listing answered paid for more of it), against the listing alone before that
(41 pages to read 1 asset of 2,000).

The provider's own writes are kept beside the listing and win over it, so a read after a write never
sees an older version, even when the page was read while the write was in flight.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

from kontent_resources.client import KontentClient, KontentNotFoundError
from kontent_resources.models import Asset

# Single reads allowed per listing page read (and before the first one).
GETS_PER_PAGE = 2
# Pages read after a read that the pages read so far answered.
PAGES_PER_HIT = 2
# A page is trusted for this long. Each Pulumi operation starts a fresh provider process, so this
# only bounds staleness for long-lived processes (tests, Automation API hosts).
LISTING_TTL_SECONDS = 60.0


class AssetIndex:
    def __init__(self, client: KontentClient) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._page_lock = threading.Lock()  # pages follow one continuation token: one at a time
        self._written: dict[str, Asset | None] = {}  # None: deleted by this process
        self._restart()

    def _restart(self) -> None:
        self._listed: dict[str, Asset] = {}
        self._pages: Iterator[Sequence[Asset]] | None = None
        self._pages_read = 0
        self._complete = False
        self._single_reads = 0
        self._started = time.monotonic()

    def get(self, asset_id: str) -> Asset | None:
        """The asset, or None when it does not exist (never a guess: a miss is confirmed by id)."""
        with self._lock:
            if asset_id in self._written:
                return self._written[asset_id]
            if time.monotonic() - self._started > LISTING_TTL_SECONDS:
                self._restart()
        while True:
            with self._lock:
                listed = self._listed.get(asset_id)
                complete = self._complete
                single = complete or self._single_reads < GETS_PER_PAGE * (self._pages_read + 1)
                if listed is None and single:
                    self._single_reads += 1
            if listed is not None:
                if not complete:
                    # A read the listing already answered: the stack covers much of what was
                    # listed, so the rest of the listing is likely worth reading too.
                    for _ in range(PAGES_PER_HIT):
                        self._read_next_page()
                return listed
            if single:
                return self._read_one(asset_id)
            self._read_next_page()

    def _read_one(self, asset_id: str) -> Asset | None:
        try:
            return self._client.assets.get(asset_id)
        except KontentNotFoundError:
            return None

    def _read_next_page(self) -> None:
        with self._page_lock:
            with self._lock:
                if self._complete:
                    return
                pages = self._pages = self._pages or self._client.assets.pages()
            page = next(pages, None)
            with self._lock:
                if page is None:
                    self._complete = True
                    return
                self._listed.update((asset.id, asset) for asset in page)
                self._pages_read += 1

    def listed(self) -> list[Asset]:
        """Every asset of the environment: the rest of the listing, read once, with this process's writes."""
        while True:
            with self._lock:
                if self._complete:
                    current = {**self._listed, **self._written}
                    return [asset for asset in current.values() if asset is not None]
            self._read_next_page()

    def remember(self, asset: Asset) -> None:
        with self._lock:
            self._written[asset.id] = asset

    def forget(self, asset_id: str) -> None:
        with self._lock:
            self._written[asset_id] = None

    def invalidate(self) -> None:
        with self._lock:
            self._written.clear()
            self._restart()
