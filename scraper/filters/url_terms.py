"""Before anything is fetched: skip listed urls whose slug names none of the salient terms.

The one decision made on a Listing rather than a Document: it saves the fetch. The terms
come from the exemplars (`scrape discover`) as a wayback source's `url_terms`.
"""

from __future__ import annotations

from ..discover.terms import url_has_terms
from ..models import Listing

__all__ = ["PREFILTERED", "ruled_out"]

PREFILTERED = "url prefilter: no salient term in the url (url_terms)"


def ruled_out(listings: list[Listing], terms: list[str]) -> list[str]:
    """The keys of the listings the prefilter skips (none when there are no terms)."""
    if not terms:
        return []
    return [x.key for x in listings if not url_has_terms(x.url, terms)]
