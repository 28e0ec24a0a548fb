"""The public surface is small and deliberate: a test fails when it drifts (as in httpx)."""

import inspect

import scraper


def test_all_lists_exactly_the_public_names_sorted():
    public = sorted(
        name
        for name, value in vars(scraper).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    )
    assert scraper.__all__ == public


def test_clean_and_document_importable():
    from scraper import Document, clean

    doc = clean("A title\n\nSome body text that is long enough to keep.")
    assert isinstance(doc, Document)
    assert doc.title == "A title"
    assert doc.text == "Some body text that is long enough to keep."


def test_error_tree_separates_retryable_from_permanent():
    assert issubclass(scraper.RetryableFetchError, scraper.FetchError)
    assert issubclass(scraper.PermanentFetchError, scraper.FetchError)
    assert issubclass(scraper.RuleError, scraper.ConfigError)
    for name in ("ConfigError", "InputError", "DatasetError", "FetchError"):
        assert issubclass(getattr(scraper, name), scraper.ScraperError)
