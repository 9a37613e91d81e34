"""Tokens and sentences of a report, with their places in the original text.

Matching happens on folded tokens (sites.text.fold: no case, accents, Arabic
short vowels or ayin/hamza marks) so that "TEMPLE OF BA‘AL", "Temple of Baal"
and "temple of baal" are one phrase; each token keeps its character span so
that proposals can quote the sentence exactly as the report wrote it.
"""

import bisect
import functools
import re
from dataclasses import dataclass

from sites.text import fold

# Letters plus the combining marks \w leaves out (decomposed accents, Arabic vowel signs, tatweel).
WORD_CHARS = r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640])+"
TOKEN = re.compile(rf"{WORD_CHARS}(?:['‘’ʿʾ`´ʻʼ]{WORD_CHARS})*")
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
# Arabic attaches "and", "in", "to", "so", "like" to the next word: بتدمر is "in Tadmur".
ARABIC_PROCLITICS = "وبلفك"
# One spelling per word, so that a US or UK text finds a name recorded in the other.
SPELLINGS = {"theater": "theatre", "amphitheater": "amphitheatre", "center": "centre"}

# Abbreviations a sentence goes on after ("between Aug. 27 and Wednesday", "Gen. Saad Ibrahim").
ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
                 "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Prof")
SENTENCE_END = re.compile(
    "".join(rf"(?<!\b{word}\.)" for word in ABBREVIATIONS)
    + r"(?<=[.!?؟])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[^\W_a-z])|\n\s*"
)


@dataclass(frozen=True)
class Token:
    forms: tuple  # the folded word first, then other readings (possessive or proclitic removed)
    start: int
    end: int
    capitalised: bool


def normalise_word(word):
    return SPELLINGS.get(word, word)


def name_tokens(name):
    """The folded words of a name, as the matcher compares them."""
    name = re.sub(r"\s*\([^)]*\)", " ", name)  # "Temple of Bel (Ba'al)": the bracket is another name
    words = [normalise_word(word) for word in fold(name).split()]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return tuple(words)


@functools.lru_cache(maxsize=50_000)
def word_forms(raw):
    """The readings of one written word: [(forms of each folded word it gives)]. Cached: articles repeat words."""
    folded = fold(raw).split()
    readings = []
    for index, word in enumerate(folded):
        forms = [normalise_word(word)]
        if index == len(folded) - 1 and POSSESSIVE.search(raw) and word.endswith("s"):
            forms.append(normalise_word(word[:-1]))
        if index == 0 and ARABIC_LETTER.match(word) and word[0] in ARABIC_PROCLITICS and len(word) > 3:
            forms.append(word[1:])
        readings.append(tuple(forms))
    return readings


def tokenize(text):
    tokens = []
    for match in TOKEN.finditer(text):
        raw = match.group()
        capitalised = raw[:1].isupper()
        for forms in word_forms(raw):
            tokens.append(Token(forms, match.start(), match.end(), capitalised))
    return tokens


class Sentences:
    """Sentence boundaries of a text, to find the sentence around any offset."""

    def __init__(self, text):
        self.text = text
        self.starts, self.ends = [], []
        position = 0
        for boundary in SENTENCE_END.finditer(text):
            self._add(position, boundary.start())
            position = boundary.end()
        self._add(position, len(text))

    def _add(self, start, end):
        chunk = self.text[start:end]
        stripped = chunk.strip()
        if stripped:
            offset = start + len(chunk) - len(chunk.lstrip())
            self.starts.append(offset)
            self.ends.append(offset + len(stripped))

    def __len__(self):
        return len(self.starts)

    def index_at(self, offset):
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)

    def __getitem__(self, index):
        return self.text[self.starts[index]:self.ends[index]]
