"""Folding names so that searches and matches ignore case, accents and spelling habits.

"Ba‘al Shamîn", "Baal-Shamin" and "BAALSHAMIN" should all find the same temple;
"تَدْمُر" and "تدمر" the same city. fold() keeps word boundaries (single
spaces); compact() drops them too, for transliteration variants that differ
only in spacing ("Baal Shamin" / "Baalshamin").
"""

import re
import unicodedata

# Arabic: drop short vowels and tatweel, unify alef/hamza/ya/ta marbuta spellings.
ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
# Apostrophe-like marks used for ayin and hamza in transliterations (Ba'al, Ba‘al, Baʿal).
TRANSLITERATION_MARKS = re.compile("['‘’ʿʾ`´ʻʼ]")
NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text):
    """Lower-case, accent-free, punctuation-free form of a name, words kept apart."""
    if not text:
        return ""
    text = ARABIC_DIACRITICS.sub("", text).translate(ARABIC_LETTERS)
    text = TRANSLITERATION_MARKS.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("ß", "ss").replace("ı", "i").replace("ø", "o").replace("æ", "ae")
    return NON_WORD.sub(" ", stripped.casefold()).replace("_", " ").strip()


def compact(text):
    """fold() without spaces: "Baal Shamin" and "Baalshamin" become one key."""
    return fold(text).replace(" ", "")


RTL_SCRIPTS = ("ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO")


def is_rtl(text):
    """True when the first strong letter of the text is from a right-to-left script."""
    for char in text or "":
        if char.isalpha():
            return unicodedata.name(char, "").startswith(RTL_SCRIPTS)
    return False
