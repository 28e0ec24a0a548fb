"""Fetching captures politely and keeping them: HTTP client, run state, WARC store."""

from .client import Fetcher, Response
from .state import State
from .store import WarcStore

__all__ = ["Fetcher", "Response", "State", "WarcStore"]
