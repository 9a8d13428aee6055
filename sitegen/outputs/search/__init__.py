"""Full-text search: a Pagefind index of the plan, duty and district theme pages (docs/search.md);
each task is indexed once, on its plan page (the others mark their task lists data-pagefind-ignore).

Pagefind's extended build (from PyPI, offline) indexes a *copy* of each searchable
page made for the index only; the published HTML is not changed.

    cjk.py       each Han character a word of its own (spaced), as queries are spelled (folded)
    facts.py     what a page says about itself: metadata, filters, sort key, sub-result titles
    copy.py      the index copy of a page: spaced, measure headings, facts in the body
    pagefind.py  the Pagefind binary, its run, and its bundle made reproducible (cbor.py)
    shards.py    a big site indexed a few whole districts at a time
    index.py     search_files: the search index of a rendered site
"""

from sitegen.outputs.search.cjk import DECIMAL_POINT, HAN, Spacer, folded, spaced
from sitegen.outputs.search.copy import NOT_INDEXED, index_copy, without_ignored
from sitegen.outputs.search.facts import PLAN_WEIGHT, page_facts
from sitegen.outputs.search.index import search_files
from sitegen.outputs.search.pagefind import (
    BUNDLE,
    SearchError,
    canonical,
    dump_data,
    load_data,
    pagefind_binary,
    run_pagefind,
    writing,
)
from sitegen.outputs.search.shards import SHARD_BYTES, SHARD_LIST, shard_pages

__all__ = ["BUNDLE", "DECIMAL_POINT", "HAN", "NOT_INDEXED", "PLAN_WEIGHT", "SHARD_BYTES", "SHARD_LIST",
           "SearchError", "Spacer", "canonical", "dump_data", "folded", "index_copy", "load_data",
           "page_facts", "pagefind_binary", "run_pagefind", "search_files", "shard_pages", "spaced",
           "without_ignored", "writing"]
