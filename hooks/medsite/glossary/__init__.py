"""The glossary: one YAML file of terms, marked in chapter text and listed on one page.

``data/glossary.yml`` is a list of entries::

    - term: sarcopenia
      definition: One or two plain sentences.
      aliases: [sarcopenic]        # optional: other spellings, plurals, abbreviations
      related: [osteoporosis]      # optional: other terms of this file

:func:`load` reads and checks it (problems name ``data/glossary.yml:LINE``). :class:`Matcher`
finds terms with one regular expression shaped as a trie, built once per build, so the
cost grows with the length of the text, not with the number of terms. :func:`mark_tree`
marks the first use of each term per depth of a chapter (each tab panel), never inside a
proper name and at most :data:`MAX_PER_BLOCK` per paragraph, as a link to its Glossary
entry that carries the definition as its accessible description and, for readers without
JavaScript, as its ``title``; the definitions sit once per page in a hidden block marked
``data-search-exclude`` (Material's search skips it).
:func:`entries_markdown` writes the Glossary page. Nothing here imports MkDocs.

Data and checks: :mod:`.data`; finding terms: :mod:`.match`; the Markdown extension:
:mod:`.extension`; the Glossary page: :mod:`.page`.
"""
from __future__ import annotations

from medsite.glossary.data import (DUPLICATE, EMPTY, INVALID, KEYS, MARKER, PAGE, RELATED,  # noqa: F401
                                   SOURCE, UNREADABLE, UNUSED, Entry, fold, load, slug, unused)
from medsite.glossary.extension import (BLOCKS, CLASS, MAX_PER_BLOCK, SKIP_CLASSES,  # noqa: F401
                                        SKIP_TAGS, GlossaryExtension, definitions,
                                        glossary_href, mark_tree)
from medsite.glossary.match import Matcher, in_name  # noqa: F401
from medsite.glossary.page import (USED_PLACEHOLDER, entries_markdown, fill_lists,  # noqa: F401
                                   page_markdown, sort_key, used_html, used_placeholder)
