"""Finding glossary terms in text: :class:`Matcher` (one regular expression shaped as a
trie, built once per build, so the cost grows with the text, not with the number of terms)
and :func:`in_name` (a use inside a proper name is not a use)."""
from __future__ import annotations

import re

from medsite.glossary.data import TOKEN, Entry, case_sensitive

# Finding terms in text --------------------------------------------------------------------

_WORDCHAR = re.compile(r"[^\W_]")
_SPACE = re.compile(r"\s+")


def _sep(text: str) -> str:
    return _SPACE.sub(" ", text).replace("\u2019", "'")


class Matcher:
    """Finds glossary terms and aliases in text.

    All forms (terms, aliases and their plurals) are compiled once into one regular
    expression shaped as a trie (shared prefixes are written once), so matching runs in
    the regular expression engine at a cost that grows with the length of the text, not
    with the number of terms. A match is a whole-word match of the longest form; the last
    word may take a plural ending (s, es, is/es, y/ies); any run of white space matches a
    space; forms with a capital after the first letter (HRT, mTOR) match only as written.
    """

    def __init__(self, entries: list[Entry]):
        #: lower-cased form -> [(the form as written when its case matters, else None, entry)]
        self.lookup: dict[str, list[tuple[str | None, Entry]]] = {}
        for e in entries:
            for form in e.forms:
                spans = list(TOKEN.finditer(form))
                if not spans:
                    continue
                exact = case_sensitive(form)
                start, last = spans[0].start(), spans[-1]
                body = _sep(form[start:last.start()])
                for word in (last.group(), *_plurals(last.group())):
                    variant = body + word
                    self.lookup.setdefault(variant.lower(), []).append(
                        (variant if exact else None, e))
        self.regex = None
        #: texts shorter than this cannot hold a term (most are the newlines between tags)
        self.shortest = min(map(len, self.lookup), default=0)
        if self.lookup:
            # Matched against the lower-cased text without IGNORECASE and with no
            # look-behind in front, so the engine skips fast to a possible first letter
            # (4x faster); the left word boundary is checked on each match instead.
            pattern = _trie(self.lookup) + r"(?![^\W_])"
            self.regex = re.compile(pattern)
            self._fallback: re.Pattern | None = None  # compiled when first needed (rare)

    def __bool__(self) -> bool:
        return self.regex is not None

    def find(self, text: str) -> list[tuple[int, int, Entry]]:
        """Non-overlapping ``(start, end, entry)`` matches, left to right."""
        return self.find_many([text])[0]

    def find_many(self, texts: list[str]) -> list[list[tuple[int, int, Entry]]]:
        """:meth:`find` for many texts at once: one pass of the engine over them all."""
        out: list[list[tuple[int, int, Entry]]] = [[] for _ in texts]
        if self.regex is None or not texts:
            return out
        joined = "\0".join(texts)  # NUL is no word character: no match crosses it
        low = joined.lower()
        # A few characters change length when lower-cased (e.g. U+0130); then the
        # positions would not line up, so match the text itself, ignoring case.
        if len(low) == len(joined):
            matches = self.regex.finditer(low)
        else:
            if self._fallback is None:
                self._fallback = re.compile(self.regex.pattern, re.IGNORECASE)
            matches = self._fallback.finditer(joined)
        slot, base = 0, 0
        ends = []
        pos = 0
        for t in texts:
            pos += len(t)
            ends.append(pos)
            pos += 1
        lookup, wordchar = self.lookup, _WORDCHAR.match
        keys = low if len(low) == len(joined) else None
        for m in matches:
            start, end = m.span()
            if start and wordchar(joined, start - 1):
                continue  # the match starts inside a word
            found = joined[start:end]
            hits = lookup.get(keys[start:end] if keys is not None else found.lower())
            if hits is None:
                # One space for any run of white space (a match never starts or ends with
                # one), and ' for a typographic apostrophe; the keys are written so.
                found = " ".join(found.split()).replace("\u2019", "'")
                hits = lookup.get(found.lower(), ())
            for exact, entry in hits:
                if exact is None or exact == found:
                    while ends[slot] < start:
                        slot += 1
                    base = ends[slot] - len(texts[slot])
                    out[slot].append((start - base, end - base, entry))
                    break
        return out


def _plurals(word: str) -> tuple[str, ...]:
    """English plural endings: osteoclast(s), (es), analysis/analyses, therapy/therapies."""
    forms = (word + "s", word + "es")
    if word.endswith("is"):
        forms += (word[:-2] + "es",)
    if word.endswith("y"):
        forms += (word[:-1] + "ies",)
    return forms


def _trie(words) -> str:
    """One regular expression matching any of ``words``, longest first, prefixes shared."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def char(ch: str) -> str:
        return r"\s+" if ch == " " else "['’]" if ch == "'" else re.escape(ch)

    def build(node: dict) -> str:
        alts = [char(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


# A proper name: a run of capitalised words ("Testosterone Trials", "Endocrine Society",
# "Study of Osteoporotic Fractures"). A capitalised word is a capital then a small letter:
# an abbreviation or a code after a term ("Lumbar spine BMD", "Ipamorelin and CJC-1295")
# does not make a name. Small linking words may sit inside a name.
_NEXT_CAP = re.compile(r"[ \t\n]+(?:(?:of|for|on|in|the|de|&)[ \t\n]+)?"
                       r"([^\W\d_][^\W\d_])")
_PREV_CAP = re.compile(r"([^\W\d_][\w'\u2019-]*)[ \t\n]+"
                       r"(?:(?:of|and|for|on|in|the|de|&)[ \t\n]+)?\Z")
_SENTENCE_START = re.compile(r"(?:\A|[.!?:;(\"\u201c\u2018\u2014*|]|\s-)\s*\Z")


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1].islower()


def in_name(text: str, start: int, end: int, entry: Entry | None = None) -> bool:
    """Whether ``text[start:end]`` (a match of ``entry``) is a word of a proper name.

    The rule: the match is capitalised although the term is an ordinary word (a form the
    glossary itself writes with a capital, such as HRT or "Women's Health Initiative", is
    a name or an abbreviation, and is what it is), and a capitalised word follows it
    ("Testosterone Trials", "Study of Osteoporotic Fractures": "of", "for", "on", "in",
    "the", "de" or "&" may sit between) or precedes it other than at the start of a
    sentence ("the Endocrine Society", "Health and Retirement"; not "Testosterone falls").
    """
    if not text[start:start + 1].isupper():
        return False
    if entry is not None:
        found = _sep(text[start:end]).lower()
        if any(f[:1].isupper() and found.startswith(_sep(f).lower()) for f in entry.forms):
            return False
    nxt = _NEXT_CAP.match(text, end)
    if nxt is not None and _capitalised(nxt.group(1)):
        return True
    prev = _PREV_CAP.search(text, max(0, start - 80), start)
    if prev is None or not _capitalised(prev.group(1)):
        return False
    before = text[max(0, prev.start(1) - 40):prev.start(1)]
    return _SENTENCE_START.search(before) is None
