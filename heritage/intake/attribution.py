"""Who a report relies on: the organisations it credits, and the sources that stand for their claims.

find_attributions() looks for the names of recorded organisations (heritage.models.Organisation,
any of their names in any script, matched on folded words as the site linker matches site names)
next to a phrase that credits them: "according to X", "X said", "X, who say", "seen by X",
"images acquired by X", "as cited by X"; in Arabic "وفقا لـ X", "بحسب X", "نقلا عن X", "قال X",
"أفاد X", "ذكر X", and a speaker telling X ("قال مدير الآثار … لرويترز": told Reuters). A wire's
name alone in brackets after a dateline or at the end of a paragraph credits it ("DAMASCUS, Syria
(AP) --", "… on Thursday. (Reuters)", an Arabic dateline "بيروت (أ ف ب)"), and so does a wire's name
alone on the line above the dispatch ("رويترز"). "X is reporting", "X quoted officials", "confirmed
this to the AFP", "speaking to Reuters", "X believes", "“…,” said X" credit X too, as does a wire
between dashes after a dateline ("BEIRUT – AFP –") or in brackets before the date ("Geneva (AFP) June 8,
2016"). A name without such a phrase ("Reuters
photographers entered the city") is not an attribution: the report may only be mentioning the
organisation. Acronyms of CASELESS_ACRONYM letters or more are read in any case ("Unosat"); a long
name still matches with one preposition swapped or a plural dropped ("Syrian Observatory of Human
Rights").
A name recorded as "Parent, Unit" ("American Schools of Oriental Research, Cultural Heritage
Initiatives") also answers to the parent's name of three words or more.

attribute() then proposes, for each credited organisation, the source that stands for its claim:
an existing source it published near the report's date (and not about other sites, its own or, for a
claim known only through other reports, theirs), else a new draft source for the claim, made when the
editor saves (Organisation.claim_cited_by()).
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from heritage.intake.text import ARABIC_LETTER, POSSESSIVE, Sentences, tokenize
from heritage.models import Organisation, Source, Story
from sites.dates import bounds
from sites.text import fold

# Phrases that credit the organisation named right after them; up to three words may come between
# ("according to the UK-based …", "images acquired by the UN's …").
CREDIT_BEFORE = re.compile(
    r"\b(?P<cue>according to|as cited by|cited by|quoted by|seen by|obtained by|acquired by|captured by|"
    r"provided by|released by|published by|reported by|verified by|confirmed by|analy[sz]ed by|told|citing|"
    r"a statement (?:from|by)|a report (?:from|by)|data from|imagery from|images from)"
    r"(?:\s+[\w'’-]+){0,3}?\s*$",
    re.IGNORECASE,
)
# Verbs that credit the organisation named right before them, after at most a bracket or an
# apposition ("SOHR, a UK-based monitoring group, said"; "the Observatory, who say"; "SANA news agency reported").
CREDIT_AFTER = re.compile(
    r"^(?:['’]s?)?\s*(?:\([^)]{0,60}\)\s*)?(?:,[^,.;:]{0,80},\s*|,\s*)?(?:(?:news\s+)?agency\s+|monitor\s+)?"
    r"(?:(?:which|who|that)\s+)?"
    r"(?:(?:has|have|had|is|are|was|were|also|later|then|previously|earlier)\s+)*"
    r"(?P<cue>said|says|say|reported|reports|report|reporting|confirmed|confirms|announced|announces|stated|states|"
    r"told|obtained|acquired|released|published|documented|warned|added|estimated|claimed|claims|showed|shows|"
    r"quoted|quotes|quoting|believes)\b",
    re.IGNORECASE,
)
# The verb before the organisation right after a quotation: "“… explosives,” said the Syrian Observatory".
SAID_AFTER_QUOTE = re.compile(r",?[”\"]\s*(?P<cue>said|says|added|reported|confirmed)\s+(?:the\s+)?$", re.IGNORECASE)
# Told to the organisation, the object after a few words: "an official confirmed this information to the
# AFP", "speaking to Reuters"; no other "to" between ("said to be close to Reuters" credits nobody).
TOLD_TO = re.compile(
    r"\b(?P<cue>(?:said|confirmed|told|explained|stated|declared|revealed|described|speaking|spoke)"
    r"(?:\s+(?!to\b)[\w'’-]+){0,3}?\s+to)(?:\s+the)?\s*$",
    re.IGNORECASE,
)
# The same in Arabic, matched on folded text (no hamza or vowel marks); Arabic sentences usually
# put the verb first ("وقال المرصد"), and "وفقا لـ" may be written joined to the name ("وفقا للمرصد").
ARABIC_CREDIT_BEFORE = re.compile(
    r"(?:^|[\s.،؛:«\"])[وف]?(?P<cue>وفقا\s*ل|وفق|بحسب|حسب|نقلا عن|نقل عن|نقلت|قال|قالت|افاد|افادت|ذكر|ذكرت|اعلن|اعلنت|"
    r"اكد|اكدت|اوضح|اوضحت|صرح|اشار|اشارت)\S*(?:\s+\S+){0,2}?\s*$"
)
ARABIC_CREDIT_AFTER = re.compile(r"^\s*(?:\S+\s+){0,1}?(?P<cue>قال|قالت|افاد|افادت|ذكر|ذكرت|اعلن|اعلنت|اكد|اكدت)")
# A speaker telling the organisation: "قال مدير الآثار السورية مأمون عبد الكريم لرويترز" (the
# name written with ل joined to it, after a verb of saying within eight words), or its
# correspondent: "قال مصدر عسكري لمراسل وكالة فرانس برس".
ARABIC_TOLD = re.compile(
    r"(?:^|\s)[وف]?(?P<cue>قال|قالت|صرح|صرحت|اكد|اكدت|اوضح|اوضحت|اضاف|اضافت|اشار|اشارت)(?:\s+\S+){0,8}?"
    r"\s+(?:ل|لمراسل|لمراسله|لموفد)$"
)
# A speaker for the organisation: "said Allison Cuneo, project manager for the American Schools of
# Oriental Research" (a capitalised name, a comma, at most five words of title, then for/of/at/with).
SPEAKER_FOR = re.compile(
    r"\b(?P<cue>said|says|told)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},\s+(?:[\w'’-]+\s+){0,5}?"
    r"(?:for|of|at|with|from)\s+(?:the\s+)?$"
)
# A line that credits the text to the organisation: "By Reuters", "Source: AFP", or the name, a
# section and a bar, as a copied page keeps its original's heading ("BBC NEWS Middle East | August 25").
BYLINE_BEFORE = re.compile(r"^\s*(?:(?P<cue>by|source|via|from)\s*:?\s*)?$", re.IGNORECASE)
BYLINE_AFTER = re.compile(r"^\s*(?:$|[|–—]|,\s*\w+\s*$)|^[ \w]{0,30}\|")
BRACKET_WORDS = 8  # words of a description an acronym in brackets may follow: "وكالة الأمم المتحدة … (Unitar)"
# A wire credited in brackets: after a dateline ("DAMASCUS, Syria (AP) --") or closing a paragraph.
BRACKET_BEFORE = re.compile(r"(?:^\s*|[.!?”\"]\s*|^[A-Z][\w’'-]*(?:,? [\w’'-]+){0,4}\s*)\($")
# The bracket closes the dateline, or a date does: "Geneva (AFP) June 8, 2016".
BRACKET_AFTER = re.compile(r"^\)[ \t]*(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}[ \t]*)?(?:$|\n|[-–—]|:)")
# A wire between dashes after a dateline in capitals, a date after it: "BEIRUT – AFP – 1.10.2012 –" (not a
# heading's list, "ICOMOS – UNESCO – ICCROM meeting").
DASHED_BEFORE = re.compile(r"^\s*[A-Z][A-Z’'-]+(?:,? [A-Z][\w’'-]*){0,2}\s+[-–—]\s*$")
DASHED_AFTER = re.compile(r"^\s+[-–—]\s*\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
# An Arabic dateline: a city (or two words) opening the line, before the wire in brackets ("بيروت (أ ف ب)",
# "بغداد – (رويترز)"); Arabic copies often go straight on after the bracket, without a dash.
ARABIC_DATELINE = re.compile(r"^\s*[\u0600-\u06ff]+(?:[\s،,]+[\u0600-\u06ff]+)?\s*[-–—]?\s*\($")
# A name alone on its line is a byline when a paragraph of at least this many characters comes next and
# none comes before ("رويترز" above the dispatch it credits), not a heading, a tag or a photo credit.
BYLINE_PARAGRAPH = 80
# Acronyms of this many letters or more are read in any case ("Unosat", "Unesco"); shorter ones only in
# capitals ("SANA", not the name Sana; "AP", not "ap").
CASELESS_ACRONYM = 5
# Long names are written loosely: "Syrian Observatory of Human Rights", "… for Human Right". A name of this
# many words or more still matches with one preposition swapped (INTERCHANGEABLE) or one plural dropped.
LOOSE_NAME_WORDS = 4
INTERCHANGEABLE = frozenset({"of", "for"})
PARENT_MIN_WORDS = 3  # "American Schools of Oriental Research", not "United Nations" of "United Nations X, Y"


@dataclass
class Attribution:
    """An organisation a report credits: where, with which phrase, and the source proposed for its claim."""

    organisation: Organisation
    sentences: list = field(default_factory=list)
    cues: list = field(default_factory=list)
    written: str = ""  # the name as the report first writes it
    source: Source = None  # an existing source of the claim; None: a new draft source is proposed

    @property
    def sentence(self):
        return self.sentences[0] if self.sentences else ""


@dataclass(frozen=True)
class _Name:
    words: tuple
    organisation: Organisation
    acronyms: tuple  # for each word, whether the report must write it in capitals (SANA, not Sana)


def _names(organisations):
    names = []
    for organisation in organisations:
        for recorded in organisation.names.all():
            parent = recorded.name.split(",")[0] if "," in recorded.name else ""
            spellings = [recorded.name]
            if len(parent.split()) >= PARENT_MIN_WORDS:
                spellings.append(parent)
            for spelling in spellings:
                words = tuple(fold(spelling).split())
                written = re.findall(r"[^\W_]+", spelling)
                acronyms = tuple(1 < len(word) < CASELESS_ACRONYM and word.isupper() for word in written)
                if words and len(acronyms) == len(words):
                    names.append(_Name(words, organisation, acronyms))
                elif words:
                    names.append(_Name(words, organisation, (False,) * len(words)))
    # Longest first: "Syrian Arab News Agency" before "SANA", "UNESCO World Heritage Centre" before "UNESCO".
    return sorted(names, key=lambda name: -len(name.words))


def _readings(token, raw):
    """The folded forms a text token may stand for, with the Arabic letters joined before it
    ("للمرصد" is "ل" + "المرصد")."""
    readings = dict.fromkeys(token.forms, "")
    if ARABIC_LETTER.match(raw):
        for form in token.forms[1:]:
            readings[form] = raw[:1]
        if token.forms[0].startswith("لل"):
            readings["ا" + token.forms[0][1:]] = "ل"
    return readings


def find_attributions(text, organisations=None, *, exclude=()):
    """The organisations a report credits, each once, in the order the report first credits them.

    ``organisations``: those to look for (all recorded ones by default, names prefetched);
    ``exclude``: organisations never credited (the report's own publisher).
    """
    if organisations is None:
        organisations = Organisation.objects.prefetch_related("names")
    names = _names([organisation for organisation in organisations if organisation not in exclude])
    if not names or not text:
        return []
    tokens = tokenize(text)
    raws = [POSSESSIVE.sub("", text[token.start:token.end]) for token in tokens]
    readings = [_readings(token, raw) for token, raw in zip(tokens, raws, strict=True)]
    sentences = Sentences(text)
    found, used = {}, set()
    for index in range(len(tokens)):
        if index in used:
            continue
        for name in names:
            end = index + len(name.words)
            if end > len(tokens) or any(index + offset in used for offset in range(len(name.words))):
                continue
            if not _written(name, readings, raws, index):
                continue
            start, stop = tokens[index].start, tokens[end - 1].end
            sentence_index = sentences.index_at(start)
            sentence_start, sentence_end = sentences.starts[sentence_index], sentences.ends[sentence_index]
            joined = readings[index][name.words[0]]
            cue = (_credit(text[sentence_start:start], joined, text[stop:sentence_end]) or _bracketed(text, start, stop)
                   or _byline(text, start, stop))
            used.update(range(index, end))
            if cue is None:
                break
            attribution = found.setdefault(
                name.organisation.pk, Attribution(name.organisation, written=text[start:stop])
            )
            sentence = sentences[sentence_index]
            if sentence not in attribution.sentences:
                attribution.sentences.append(sentence)
            attribution.cues.append(cue)
            break
    return list(found.values())


def _written(name, readings, raws, index):
    """Whether the report writes ``name`` at token ``index``: each word among the token's readings, an
    acronym in capitals; a long name (LOOSE_NAME_WORDS) may differ in one word after its first, by a
    swapped preposition or a dropped plural."""
    loose = 0
    for offset, (word, acronym) in enumerate(zip(name.words, name.acronyms, strict=True)):
        found = readings[index + offset]
        if word in found:
            if acronym and raws[index + offset].upper() != raws[index + offset]:
                return False
            continue
        if offset == 0 or len(name.words) < LOOSE_NAME_WORDS or loose:
            return False
        if not ((word in INTERCHANGEABLE and INTERCHANGEABLE & found.keys())
                or (len(word) > 4 and word.endswith("s") and word[:-1] in found)):
            return False
        loose += 1
    return True


def _bracketed(text, start, stop):
    """"(Reuters)" after a dateline or at the end of a paragraph, "بيروت (أ ف ب)", "BEIRUT – AFP –": the wire
    the text comes from."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if BRACKET_BEFORE.search(before) and BRACKET_AFTER.match(text[stop:stop + 40]):
        return "(…)"
    if ARABIC_DATELINE.match(before) and text[stop:stop + 1] == ")":
        return "(…)"
    if DASHED_BEFORE.match(before) and DASHED_AFTER.match(text[stop:stop + 20]):
        return "– … –"
    return None


def _byline(text, start, stop):
    """A line of its own naming the organisation as the text's author: "By Reuters", "BBC NEWS Middle East | …"."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", stop)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:start], text[stop:line_end]
    if not before.strip() and not after.strip() and line_start > 0:
        # Above the body: no paragraph before it, one right after it.
        body_before = any(len(line.strip()) >= BYLINE_PARAGRAPH for line in text[:line_start].split("\n"))
        following = text[line_end:].lstrip().split("\n", 1)[0]
        return "byline" if len(following) >= BYLINE_PARAGRAPH and not body_before else None
    match = BYLINE_BEFORE.match(before)
    if not match or not BYLINE_AFTER.match(after):
        return None
    # The name alone on its line is a heading only with a bar after it; "By" or "Source:" says so itself.
    if match.group("cue") is None and "|" not in after:
        return None
    return match.group("cue") or "byline"


def _credit(before, joined, after):
    """The phrase crediting a name, given the sentence's text before and after it; None if there is none.

    A name in brackets after a description ("وكالة الأمم المتحدة للبحوث والتدريب (Unitar)", "the
    United Nations agency (UNOSAT)") is credited as the description is: the phrase before it counts."""
    cue = _credit_at(before, joined, after)
    if cue is None and before.rstrip().endswith("("):
        words = before.rstrip()[:-1].split()
        for count in range(1, min(BRACKET_WORDS, len(words)) + 1):
            cue = _credit_at(" ".join(words[:-count]), "", "")
            if cue is not None:
                break
    return cue


def _credit_at(before, joined, after):
    # Word-joined Arabic letters ("ل" in "للمرصد") belong to the phrase before the name.
    folded_before = f"{fold(before)} {joined}".strip() if joined else fold(before)
    for pattern, context in (
        (CREDIT_BEFORE, before),
        (CREDIT_AFTER, after),
        (ARABIC_CREDIT_BEFORE, folded_before),
        (ARABIC_CREDIT_AFTER, fold(after)),
        (ARABIC_TOLD, folded_before),
        (SPEAKER_FOR, before),
        (TOLD_TO, before),
        (SAID_AFTER_QUOTE, before),
    ):
        match = pattern.search(context)
        if match:
            return " ".join(match.group("cue").split())
    return None


def attribute(report, site_pks=(), organisations=None):
    """The organisations ``report`` (an intake Report) credits, each with the source proposed for its claim.

    The report's publisher (Organisation.objects.named()) is not credited by its own report. The
    source proposed is the one the organisation published closest to the report's date, within
    Story.WINDOW_DAYS of it, and not only about sites other than ``site_pks`` (the report's);
    when there is none, or the report is undated, a new draft source is proposed (source None).
    """
    publishers = list(Organisation.objects.named(report.publisher)) if report.publisher else []
    attributions = find_attributions(report.text, organisations, exclude=publishers)
    earliest, latest = _bounds(report.published)
    for attribution in attributions:
        if earliest is not None:
            attribution.source = _claim_source(attribution.organisation, earliest, latest, set(site_pks))
    return attributions


def _bounds(published):
    try:
        return bounds(published) if published else (None, None)
    except ValidationError:  # an unreadable date is no date: nothing is near it
        return None, None


def _claim_source(organisation, earliest, latest, site_pks):
    window = Story.WINDOW_DAYS
    candidates = Source.objects.filter(
        published_earliest__lte=(latest or earliest) + window, published_latest__gte=earliest - window
    ).exclude(publisher="")
    ranked = sorted(
        (source for source in candidates if organisation.is_named(source.publisher)),
        key=lambda source: (abs(source.published_earliest - earliest), -source.pk),
    )
    for source in ranked:
        cited = _claim_sites(source)
        if not cited or not site_pks or cited & site_pks:
            return source
    return None


def _claim_sites(source):
    """The sites a source's claim is about: those its citations are about; for a claim known only
    through the reports that credit it (a draft with no citation of its own), theirs. A monitoring
    group reports many events in a week: its claim about one site is not the source of a report
    about another."""
    cited = Story.site_pks_of(source)
    if cited:
        return cited
    return set().union(set(), *(Story.site_pks_of(report) for report in source.relied_on_by.all()))
