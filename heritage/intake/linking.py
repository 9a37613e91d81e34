"""The gazetteer linker: which heritage sites a report mentions, and in which sentences.

Rules (tested in heritage/tests/test_linking.py, measured by ``manage.py bench_linking``):

- Every site's preferred name and every recorded SiteName, in any script, is
  matched on folded words (case, accents, Arabic vowels and ayin/hamza marks
  ignored; "Baal Shamin" = "Baalshamin"; theater = theatre).
- Longest match first, on word boundaries: "Temple of Bel" is the temple, and
  its "Bel" is not looked up again.
- Transliterations of Arabic names ("Qasr al-Hayr al-Gharbi", "Kasr el-Heir
  el-Gharbi") also match by consonant skeleton, and are flagged as variants.
- A part's generic names ("the theatre", "Triumphal Arch", "Roman
  amphitheatre") count only near a mention of the site it is part of, and not
  inside another proper name ("the National Museum"). So does their head noun
  alone ("the theater", "the colonnade road", "the arch"; Arabic "المسرح"),
  when no other part of the same site has that head and the head is no word
  every town has (street, square, gate, wall…). A part's Arabic generic alias
  also counts with the article: "المتحف" near تدمر is the Palmyra Museum
  (متحف تدمر), but not when a name of its own follows ("متحف اللوفر", the
  Louvre) unless the site's name comes next ("المتحف الوطني بتدمر"). A part of an old city named after the city ("Citadel of
  Aleppo", part of the Ancient City of Aleppo) counts by its generic words
  ("the citadel") near the bare city name too ("Aleppo", which is itself
  never proposed). An old city is also named city first: "Aleppo old city",
  "Aleppo's Old City" (Old City of Aleppo), with up to DESCRIBING_WORDS words
  after the possessive ("Aleppo's UNESCO-listed Old City", "Aleppo's walled Old City"), and
  "old" before the city's name ("parts of old Damascus").
- A part's name that contains its site's name ("Roman Theatre of Palmyra")
  mentions the site too.
- A part's bare distinctive name counts near its site too: "Baalshamin"
  (Temple of Baalshamin), "Elahbel" (Tower of Elahbel), "بعل شمين". Only for
  names headed by a temple, sanctuary, tower, tomb or hypogeum, whose bare
  remainder is a god's or a family's name, and of BARE_NAME_MIN letters or more.
- Descriptions recorded as names ("Colonnaded Street") are generic words, so
  they count only near their site ("the main colonnaded street" of Palmyra,
  not of Apamea).
- A generic name after its site's name and descriptive words is the part:
  "Palmyra Archaeological Museum" is the Palmyra Museum.
- Misspellings: a capitalised word that is no word of any name, one edit away
  from exactly one such word ("Bell" → Bel, "Palmyraa" → Palmyra; swapping two
  neighbouring letters is one edit), is read as that word; a match through it
  is flagged as a variant for the editor to check. A misspelt name of one word
  needs FUZZY_SINGLE_MIN letters or more ("Basra" is not "Bosra"). Arabic has
  no capitals: an Arabic word of FUZZY_ARABIC_MIN letters or more is read so
  ("التترابليون", "الترابيلون" → التترابيلون).
- Places that are not heritage sites are never proposed: a city recorded only
  as a landmark (kind "city", with no designation, part, event or incident)
  swallows its name. So does the bare city name of a site named "Ancient
  City of Damascus" / "Old City of X" / "دمشق القديمة": "Damascus" in news is
  the capital, not the World Heritage property. Places absent from the
  gazetteer (Rome, Jerusalem) cannot match.

The compiled gazetteer is cached per process and rebuilt when the names
change (a fingerprint of a few aggregate queries is checked on each use).
"""

import functools
import gc
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef
from rapidfuzz.distance import OSA

from heritage.intake.phrases import PhraseIndex
from heritage.intake.text import ARABIC_LETTER, Sentences, name_tokens, tokenize
from sites.models import Site, SiteKind, SiteName
from sites.text import compact

# Words that name what a monument is rather than which one: a part named only
# with these ("Great Colonnade", "Monumental Arch") needs its whole site nearby.
_GENERIC_EN = """
    the of a an and in at on great grand monumental triumphal roman ancient old new main central western eastern
    northern southern upper lower inner outer temple temples theatre amphitheatre arch arches gate gates colonnade
    street tower towers tomb tombs museum agora camp citadel castle fort fortress palace mosque church cathedral bath
    baths necropolis valley oasis tetrapylon city site sanctuary market square wall walls bridge library
    archaeological national public house village funerary cemetery hall court courtyard statue lion colonnaded
"""
# Folded Arabic words of the same sort: المسرح الروماني is any Roman theatre.
_GENERIC_AR = "المسرح الروماني قوس النصر الشارع المعمد الاغورا متحف معبد برج قلعه المدينه الاثريه"
GENERIC_WORDS = frozenset(_GENERIC_EN.split()) | frozenset(_GENERIC_AR.split())
# Folded Arabic adjectives that describe a monument without naming another: المتحف الأثري is still the museum.
ARABIC_DESCRIPTIONS = frozenset(
    ["الاثري", "الاثريه", "القديم", "القديمه", "الشهير", "الشهيره", "الكبير", "الكبيره", "التاريخي", "التاريخيه"]
)
# A site named "Ancient City of Damascus" that also records "Damascus": the bare name is the living city.
CITY_PREFIXES = (("ancient", "city", "of"), ("old", "city", "of"), ("historic", "centre", "of"), ("old", "town", "of"),
                 ("medina", "of"))
CITY_SUFFIXES = (("القديمه",),)
ARABIC_ARTICLES = frozenset("al el ad ed ar er as es ash esh at et an en az".split())  # noqa: SIM905
# Heads of generic part names that any town has: "the street", "the gate" alone name no monument.
_ORDINARY_HEADS = """
    street streets square gate gates wall walls house hall court courtyard market bridge city site village town
    temple temples tower towers tomb tombs church mosque bath baths statue lion
    الشارع الساحه المدينه الموقع السور البوابه المعبد البرج
"""
ORDINARY_HEADS = frozenset(_ORDINARY_HEADS.split())
LANDMARK_KINDS = ("city", "town", "village")
DESCRIBING_WORDS = 3  # words between a city's possessive and "Old City" ("Aleppo's UNESCO-listed Old City")
POSSESSIVE_END = re.compile(r"['’]s$", re.IGNORECASE)
CONTEXT_SENTENCES = 2  # a generic name counts within this many sentences of its site's mention
# Heads of names whose remainder alone names the monument: "Temple of Baalshamin" → "Baalshamin".
BARE_NAME_HEADS = frozenset({"temple", "sanctuary", "tower", "tomb", "hypogeum", "معبد", "برج", "مدفن"})
BARE_NAME_MIN = 6  # letters: "Bel" alone is a god, a word, a surname
FUZZY_MIN = 4  # letters of a word that may be misspelt (it may stand for a name word one shorter: Bell → Bel)
FUZZY_SINGLE_MIN = 7  # letters of a one-word name matched through a misspelling
FUZZY_ARABIC_MIN = 8  # letters of an Arabic word that may be misspelt: short ones differ by a letter too often

SKELETON_DROP = re.compile(r"[aeiouyhw']")
SKELETON_DOUBLES = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=50_000)
def skeleton(word):
    """Consonants of a transliterated word: Hayr, Heir and Hir are all "r"; Qasr and Kasr "ksr"."""
    if not word.isascii():
        return word
    key = SKELETON_DOUBLES.sub(r"\1", SKELETON_DROP.sub("", word.replace("q", "k").replace("j", "g")))
    return key or word[:1]


@dataclass(frozen=True)
class Entry:
    site_id: int
    name: str
    contextual: bool = False
    blocking: bool = False
    variant: bool = False


@dataclass
class Mention:
    text: str
    start: int
    end: int
    sentence: str
    sentence_index: int
    variant: bool = False


@dataclass
class SiteMention:
    """A site the report mentions, with every place it does."""

    site: Site
    mentions: list = field(default_factory=list)

    @property
    def sentence(self):
        """The first sentence that mentions the site: the quote a citation gets."""
        return self.mentions[0].sentence

    @property
    def sentences(self):
        return list(dict.fromkeys(mention.sentence for mention in self.mentions))

    @property
    def is_variant(self):
        return all(mention.variant for mention in self.mentions)


class Gazetteer:
    """Every name of every site, compiled into word tries."""

    def __init__(self, sites, names):
        """``sites``: {pk: Site} with ``parent_id``, ``is_landmark``, ``name_words`` and ``city_words``;
        ``names``: [(site pk, name, language, name kind slug)]."""
        self.sites = sites
        self.exact = PhraseIndex()
        self.skeletons = PhraseIndex()
        self.compacts = {}
        self.compact_prefixes = set()
        self.max_words = 1
        self.vocabulary = set()  # every word of every name: a word outside it may be misspelt
        self.name_words = {}  # name → its words, for telling a misspelt match from an exact one
        self.heads = {}  # (whole pk, head noun) → {(part pk, name)}: generic part names by their head
        self.city_wholes = {}  # bare city name ("aleppo",) → the old cities it names: context for their parts
        self.city_suffixes = {}  # bare city name → [(("old", "city"), entry)]: "Aleppo's walled Old City"
        for site in sites.values():
            for words in getattr(site, "city_words", ()):
                self.city_wholes.setdefault(words, set()).add(site.pk)
        for site in sites.values():
            self._add(site, site.name, "", "")
        for site_pk, name, language, kind in names:
            if site_pk in sites:
                self._add(sites[site_pk], name, language, kind)
        for (_whole, head), parts in self.heads.items():
            if len({part for part, _name in parts}) == 1:
                part, name = min(parts)
                self.exact.add((head,), Entry(part, name, contextual=True))
        self.spellings = {}  # (first letter, length) → name words a misspelling may mean
        for word in self.vocabulary:
            if word.isalpha() and word not in GENERIC_WORDS and (
                (word.isascii() and len(word) >= FUZZY_MIN - 1) or (not word.isascii() and len(word) >= FUZZY_ARABIC_MIN - 1)
            ):
                self.spellings.setdefault((word[0], len(word)), []).append(word)
        self._corrections = {}
        self._skeleton_forms = {}  # a token's forms → their consonant skeletons
        # The first word of every name (folded names never end a word with the index's wildcard "*").
        self.first_words = frozenset(self.exact.root)
        self.first_skeletons = frozenset(self.skeletons.root)

    def _add(self, site, name, language, kind):
        words = name_tokens(name)
        if not words:
            return
        blocking = site.is_landmark or words in site.city_words
        contextual = bool(site.parent_id) and all(word in GENERIC_WORDS for word in words)
        entry = Entry(site.pk, name, contextual=contextual, blocking=blocking)
        self.exact.add(words, entry)
        self.vocabulary.update(words)
        self.name_words[name] = words
        for city, suffix in self._city_and_suffix(words):
            self.exact.add((*city, *suffix), entry)
            self.city_suffixes.setdefault(city, []).append((suffix, entry))
            if suffix[-1] == "city":
                self.exact.add(("old", *city), entry)  # "parts of old Damascus"
        bare = self._bare_name(site, words)
        if bare:
            self.exact.add(bare, Entry(site.pk, name, contextual=True, blocking=blocking))
        self.max_words = max(self.max_words, len(words))
        if len(words) > 1 and len(compact(name)) >= 8:
            key = "".join(words)
            self.compacts.setdefault(key, []).append(entry)
            self.compact_prefixes.update(key[:length] for length in range(1, len(key)))
        if self._is_transliteration(words, language, kind):
            variant = Entry(site.pk, name, contextual, blocking, variant=True)
            self.skeletons.add(tuple(skeleton(word) for word in words), variant)
        for alias in self._aliases_within_parent(site, words):
            self.exact.add(alias, Entry(site.pk, name, contextual=True, blocking=blocking))
            if ARABIC_LETTER.match(alias[0]) and not alias[0].startswith("ال"):
                self.exact.add(("ال" + alias[0], *alias[1:]), Entry(site.pk, name, contextual=True, blocking=blocking))
        head = self._head(words) if contextual and not blocking else None
        if head and (head,) != words:
            self.heads.setdefault((site.parent_id, head), set()).add((site.pk, name))
        parent = self.sites.get(site.parent_id)
        if parent is not None and any(_contains(words, parent_words) for parent_words in parent.name_words):
            # "Roman Theatre of Palmyra" names Palmyra too.
            self.exact.add(words, Entry(parent.pk, name))

    @staticmethod
    def _city_and_suffix(words):
        """"Aleppo old city", "Aleppo's Old City" for "Old City of Aleppo": the city's name and the words
        that follow it when English writes the city first ([] for a name that is no old city's)."""
        for prefix in CITY_PREFIXES:
            size = len(prefix)
            if words[:size] == prefix and len(words) > size and prefix[-1] == "of":
                return [(tuple(words[size:]), prefix[:-1])]
        return []

    @staticmethod
    def _bare_name(site, words):
        """"Baalshamin" of a part named "Temple of Baalshamin", or None."""
        if not site.parent_id or len(words) < 2 or words[0] not in BARE_NAME_HEADS:
            return None
        rest = words[1:]
        while rest and rest[0] in ("of", "the"):
            rest = rest[1:]
        if not rest or len(rest) > 2 or any(word in GENERIC_WORDS for word in rest):
            return None
        return tuple(rest) if len("".join(rest)) >= BARE_NAME_MIN else None

    @staticmethod
    def _head(words):
        """The noun a generic name is about: "theatre" of "Roman Theatre", "arch" of "Arch of Triumph",
        "المسرح" of "المسرح الروماني" (Arabic puts the noun first); None for an ordinary one."""
        content = [word for word in words if word not in ("the", "of", "a", "an")]
        if not content:
            return None
        head = words[0] if ARABIC_LETTER.match(words[0]) or "of" in words else content[-1]
        return None if head in ORDINARY_HEADS or head in ("the", "of") else head

    @staticmethod
    def _is_transliteration(words, language, kind):
        if len(words) < 2 or not all(word.isascii() for word in words):
            return False
        return language.endswith("-Latn") or kind == "transliteration" or any(w in ARABIC_ARTICLES for w in words)

    def _aliases_within_parent(self, site, words):
        """"Palmyra Museum" → "museum", "Roman Theatre of Palmyra" → "roman theatre": said of a part near its site."""
        parent = self.sites.get(site.parent_id)
        if parent is None:
            return []
        aliases = []
        for parent_words in [*parent.name_words, *getattr(parent, "city_words", ())]:
            size = len(parent_words)
            for index in range(len(words) - size + 1 if size else 0):
                if words[index:index + size] == parent_words:
                    rest = list(words[:index]) + list(words[index + size:])
                    while rest and rest[-1] in ("of", "at", "in", "s"):
                        rest.pop()
                    while rest and rest[0] in ("of", "at", "in"):
                        rest.pop(0)
                    if rest and all(word in GENERIC_WORDS for word in rest):
                        aliases.append(tuple(rest))
        return aliases

    # Matching ------------------------------------------------------------

    def _longest_at(self, forms, skeleton_forms, position):
        # Most words start no name: one set probe spares the trie walk (names have no wildcards).
        best = self.exact.longest_at(forms, position) if not self.first_words.isdisjoint(forms[position]) else None
        if self.skeletons and not self.first_skeletons.isdisjoint(skeleton_forms[position]):
            variant = self.skeletons.longest_at(skeleton_forms, position)
            if variant and (best is None or variant[0] > best[0]):
                best = variant
        # "Baal Shamin" against "Baalshamin": join the next few words and look the whole up.
        joined = ""
        for end in range(position, min(position + self.max_words + 2, len(forms))):
            joined += forms[end][0]
            if end > position and joined in self.compacts and (best is None or end + 1 > best[0]):
                best = (end + 1, self.compacts[joined])
            if joined not in self.compact_prefixes:
                break
        return best

    def link(self, text):
        """The sites a text mentions, in order of first mention, each with its mentions."""
        with _without_cyclic_gc():
            return self._link(text)

    def _link(self, text):
        tokens = tokenize(text)
        corrected = {}  # token index → the name word a misspelt word is read as
        forms = []
        for index, token in enumerate(tokens):
            correction = self._correction(token)
            if correction:
                corrected[index] = correction
                forms.append((*token.forms, correction))
            else:
                forms.append(token.forms)
        skeleton_forms = [self._skeletons_of(token.forms) for token in tokens] if self.skeletons else []
        sentences = Sentences(text)
        found = []  # (entry, start token, end token)
        cities = []  # (start token, end token) of bare city names, which proposed nothing
        position = 0
        while position < len(tokens):
            match = self._longest_at(forms, skeleton_forms, position)
            if match is None:
                position += 1
                continue
            end, entries = match
            misspelt = [index for index in range(position, end) if index in corrected]
            if misspelt:
                entries = self._through_misspelling(entries, tokens, misspelt, end - position)
                if not entries:
                    position += 1
                    continue
            # A landmark city's name is the city, even if a site records it too.
            if not any(entry.blocking for entry in entries):
                found.extend((entry, position, end) for entry in entries)
            else:
                described = self._described_old_city(tokens, forms, text, position, end)
                if described:
                    found.extend(described)
                    position = described[0][2]
                    continue
                cities.append((position, end))
            position = end

        mentions = {}
        plain = {}  # site pk → sentence indexes of non-contextual mentions, for the context rule
        for entry, start, end in found:
            sentence_index = sentences.index_at(tokens[start].start)
            mention = Mention(
                text=text[tokens[start].start:tokens[end - 1].end],
                start=tokens[start].start,
                end=tokens[end - 1].end,
                sentence=sentences[sentence_index],
                sentence_index=sentence_index,
                variant=entry.variant,
            )
            if entry.contextual and (
                self._inside_other_name(tokens, start, text, self.sites[entry.site_id], forms)
                or self._arabic_construct(tokens, end, text, self.sites[entry.site_id], forms)
            ):
                continue
            mentions.setdefault(entry.site_id, []).append((entry, mention))
            if not entry.contextual:
                plain.setdefault(entry.site_id, set()).add(sentence_index)
        for start, end in cities:
            words = tuple(form[0] for form in forms[start:end])
            for whole in self.city_wholes.get(words, ()):
                plain.setdefault(whole, set()).add(sentences.index_at(tokens[start].start))

        results = []
        for site_pk, site_mentions in mentions.items():
            kept = [mention for entry, mention in site_mentions if not entry.contextual or self._in_context(
                site_pk, mention.sentence_index, plain
            )]
            if kept:
                kept.sort(key=lambda mention: mention.start)
                results.append(SiteMention(site=self.sites[site_pk], mentions=kept))
        results.sort(key=lambda result: result.mentions[0].start)
        return results

    def _described_old_city(self, tokens, forms, text, start, end):
        """"Aleppo's UNESCO-listed Old City", "Aleppo's walled Old City": a city's name in the possessive,
        up to DESCRIBING_WORDS words (joined by spaces or hyphens), then the words that make it an old
        city's name ("Old City"); [(entry, start, end)] of the old city, or []."""
        city = tuple(forms[index][-1] for index in range(start, end))
        if city not in self.city_suffixes or not POSSESSIVE_END.search(text[tokens[end - 1].start:tokens[end - 1].end]):
            return []
        for skipped in range(1, DESCRIBING_WORDS + 1):
            for suffix, entry in self.city_suffixes[city]:
                stop = end + skipped + len(suffix)
                if stop > len(tokens) or not all(
                    word in forms[end + skipped + offset] for offset, word in enumerate(suffix)
                ):
                    continue
                if all(re.fullmatch(r"[\s-]+", text[tokens[index - 1].end:tokens[index].start])
                       for index in range(end, stop)):
                    return [(entry, start, stop)]
        return []

    def _skeletons_of(self, forms):
        found = self._skeleton_forms.get(forms)
        if found is None:
            found = self._skeleton_forms[forms] = tuple({skeleton(form) for form in forms})
        return found

    def _correction(self, token):
        """The one name word a word outside every name is one edit away from, or None: a capitalised
        word of FUZZY_MIN letters or more, or an Arabic word (with or without the letter joined
        before it) of FUZZY_ARABIC_MIN or more."""
        word = token.forms[0]
        if word.isascii():
            if not token.capitalised or len(word) < FUZZY_MIN or word in self.vocabulary:
                return None
            return self._closest(word)
        if not ARABIC_LETTER.match(word) or any(form in self.vocabulary for form in token.forms):
            return None
        for form in token.forms:
            if len(form) >= FUZZY_ARABIC_MIN and self._closest(form):
                return self._closest(form)
        return None

    def _closest(self, word):
        if word not in self._corrections:
            close = [
                known
                for size in (len(word) - 1, len(word), len(word) + 1)
                for known in self.spellings.get((word[0], size), ())
                if OSA.distance(word, known, score_cutoff=1) <= 1
            ]
            self._corrections[word] = close[0] if len(close) == 1 else None
        return self._corrections[word]

    def _through_misspelling(self, entries, tokens, misspelt, size):
        """The entries a match through misspelt words may stand for, flagged as variants."""
        kept = []
        for entry in entries:
            words = self.name_words.get(entry.name, ())
            if all(tokens[index].forms[0] in words for index in misspelt):
                kept.append(entry)  # the word is in this name as written: no misspelling
            elif size > 1 or len(tokens[misspelt[0]].forms[0]) >= FUZZY_SINGLE_MIN:
                kept.append(Entry(entry.site_id, entry.name, entry.contextual, entry.blocking, variant=True))
        return kept

    def _inside_other_name(self, tokens, start, text, site, forms):
        """"National Museum": a capitalised word just before a generic name makes it another proper name,
        unless the words before it are the name of the site it is part of ("Palmyra Archaeological Museum")."""
        if start == 0 or not tokens[start - 1].capitalised:
            return False
        previous = tokens[start - 1]
        between = text[previous.end:tokens[start].start]
        if any(mark in between for mark in ".!?:;\n"):
            return False
        if previous.forms[0] in ("the", "its", "their", "a", "an"):
            return False
        before = start
        while before > 0 and tokens[before - 1].capitalised and tokens[before - 1].forms[0] in GENERIC_WORDS:
            before -= 1
        whole = self.sites.get(site.parent_id)
        for words in (whole.name_words if whole is not None else ()):
            size = len(words)
            if size and before >= size and all(
                words[offset] in forms[before - size + offset] for offset in range(size)
            ):
                return False
        return True

    def _arabic_construct(self, tokens, end, text, site, forms):
        """"متحف اللوفر" (the Louvre museum): an Arabic generic name followed by a definite noun or
        adjective of its own is another place's name, unless that word only describes ("المتحف
        الأثري") or the whole's name follows within two words ("المتحف الوطني بتدمر")."""
        if end >= len(tokens) or not ARABIC_LETTER.match(tokens[end - 1].forms[0]):
            return False
        following = tokens[end]
        if any(mark in text[tokens[end - 1].end:following.start] for mark in ".!?:;,،\n()\"«»"):
            return False
        word = following.forms[0]
        if not word.startswith("ال") or word in GENERIC_WORDS or word in ARABIC_DESCRIPTIONS:
            return False
        whole = self.sites.get(site.parent_id)
        return not any(
            words and words[0] in forms[index]
            for words in (whole.name_words if whole else ()) for index in range(end, min(end + 2, len(forms)))
        )

    def _in_context(self, site_pk, sentence_index, plain):
        """Whether the site's whole (an ancestor) or the site itself is named near this sentence."""
        node = self.sites[site_pk]
        candidates = {site_pk}
        while node.parent_id in self.sites:
            candidates.add(node.parent_id)
            node = self.sites[node.parent_id]
        for candidate in candidates:
            for index in plain.get(candidate, ()):
                if abs(index - sentence_index) <= CONTEXT_SENTENCES:
                    return True
        return False


@contextmanager
def _without_cyclic_gc():
    """Linking allocates thousands of short-lived, acyclic objects; left on, the cyclic garbage
    collector now and then walks the whole compiled gazetteer in the middle of a link and turns
    15 ms into 250. Reference counting still frees everything; collection resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _contains(words, part):
    size = len(part)
    return size > 0 and any(words[index:index + size] == part for index in range(len(words) - size + 1))


# Building and caching ----------------------------------------------------------


def build_gazetteer():
    from heritage.models import HistoryEvent, Incident
    from sites.models import Designation

    landmark_kinds = SiteKind.objects.filter(slug__in=LANDMARK_KINDS)
    sites = Site.objects.only("pk", "name", "parent_id", "kind_id").annotate(
        has_designation=Exists(Designation.objects.filter(site=OuterRef("pk"))),
        has_parts=Exists(Site.objects.filter(parent=OuterRef("pk"))),
        has_incident=Exists(Incident.sites.through.objects.filter(site=OuterRef("pk"))),
        has_event=Exists(HistoryEvent.sites.through.objects.filter(site=OuterRef("pk"))),
    )
    landmark_kind_ids = set(landmark_kinds.values_list("pk", flat=True))
    by_pk = {}
    for site in sites:
        site.is_landmark = (
            site.kind_id in landmark_kind_ids
            and site.parent_id is None
            and not (site.has_designation or site.has_parts or site.has_incident or site.has_event)
        )
        site.name_words = [name_tokens(site.name)]
        by_pk[site.pk] = site
    names = list(SiteName.objects.values_list("site_id", "name", "language", "kind__slug"))
    for site_pk, name, _language, _kind in names:
        if site_pk in by_pk:
            by_pk[site_pk].name_words.append(name_tokens(name))
    for site in by_pk.values():
        site.city_words = city_names(site.name_words)
    return Gazetteer(by_pk, names)


def city_names(name_words):
    """The bare city names inside "Ancient City of X" / "X القديمة" among a site's names."""
    found = set()
    for words in name_words:
        for prefix in CITY_PREFIXES:
            if words[:len(prefix)] == prefix and len(words) > len(prefix):
                found.add(words[len(prefix):])
        for suffix in CITY_SUFFIXES:
            if words[-len(suffix):] == suffix and len(words) > len(suffix):
                found.add(words[:-len(suffix)])
    return found


def fingerprint():
    """Changes whenever a site or name is added, renamed or removed (three cheap aggregate queries)."""
    sites = Site.objects.aggregate(count=Count("pk"), updated=Max("updated"))
    names = SiteName.objects.aggregate(count=Count("pk"), last=Max("pk"))
    renamed = SiteName.history.aggregate(last=Max("history_id"))
    return (sites["count"], sites["updated"], names["count"], names["last"], renamed["last"])


_cache = threading.local()


def gazetteer():
    """The compiled gazetteer, rebuilt only when names changed since it was built."""
    current = fingerprint()
    if getattr(_cache, "fingerprint", None) != current:
        _cache.gazetteer = build_gazetteer()
        _cache.fingerprint = current
    return _cache.gazetteer


def link_sites(text):
    return gazetteer().link(text)
