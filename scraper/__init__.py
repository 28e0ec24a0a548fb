"""scraper: news articles from web archives, cleaned, as a versioned Hugging Face dataset.

from scraper import clean
doc = clean(open("seeds/004_fec17247f6cb0053.txt").read())
doc.title, doc.author, doc.published, doc.text, doc.removed
"""

from .cleaning import clean
from .config import Config, load_config
from .errors import (
    ConfigError,
    DatasetError,
    FetchError,
    InputError,
    PermanentFetchError,
    RetryableFetchError,
    RuleError,
    ScraperError,
)
from .models import Capture, Document, Removed

__all__ = [
    "Capture",
    "Config",
    "ConfigError",
    "DatasetError",
    "Document",
    "FetchError",
    "InputError",
    "PermanentFetchError",
    "Removed",
    "RetryableFetchError",
    "RuleError",
    "ScraperError",
    "clean",
    "load_config",
]
