"""From exemplar articles to a collection plan, and a relevance score for every document.

terms.py: words and background rarity; relevance.py: the scoring model; exemplars.py:
reading the exemplars; plan.py: the `sources:` entries `scrape discover` proposes;
dating.py: an undated exemplar's own capture in the archive, which dates it.
"""
