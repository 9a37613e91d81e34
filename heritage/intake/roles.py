"""What part each site plays in a report: where the report's own event happened, or only mentioned.

A news report names many sites besides the one its news is about: the
background box ("Some of the treasures of the city include the Temple of
Bel…"), photo captions, history ("built in AD 129"), and earlier events it
recalls ("Earlier this month ISIS released a video … in a Roman amphitheatre").
Each sentence that names a site is read by these rules, in this order:

1. A caption (a short label and a colon, "At risk: The Triumphal Arch…", a
   sentence printed twice as scraped captions are, or one saying "pictured")
   is background. The report's first line is its headline, never a caption
   ("Syria: IS destroys part of Roman theater in Palmyra").
2. A sentence without an event word (EVENT_PHRASES: blew up, destroy*,
   seized, looted, executed…) is background.
3. A site named as a landmark for where something happened ("near the city
   of Palmyra", "north of Homs", "outside Aleppo") is not where it happened.
4. An event dated well before publication (its latest day more than
   RECENT_DAYS before the report) is an earlier event the report recalls:
   intake offers the report as a citation of the incident already recorded
   for it, and records no new one. So is one told in a clause that dates the
   sentence's own event by a later one ("it took place ten days ago, before
   they blew up the Temple of Bel"), and one told with an earlier-time word
   ("earlier", "last year", "previously"; Arabic "سبق أن", and "وكان …" which
   opens the background of an Arabic report), unless its event verb is in the
   present perfect, the tense of news ("has been beheaded", "have blown up …
   after retaking the city last month"; not "has previously destroyed").
5. An event dated only by ancient dates ("destroyed by Aurelian in AD 273")
   is history, unless the sentence also speaks of now (a weekday,
   "yesterday", "has", "have": "dedicated in AD 32, was blown up on Sunday").
   A century written before a noun dates the monument, not the event
   ("destroyed the facade of the second-century theater").
6. Otherwise the sentence tells the report's own event.

A site is *affected* when one of its sentences tells the report's own event;
otherwise it is *mentioned*. A whole ("Palmyra") whose every event sentence
also names an affected part of it ("the Temple of Baalshamin in Palmyra"), or
tells the same threat as an affected part's sentence does ("destroyed a
famous statue of a lion … in Palmyra. … destroyed the Lion of al-Lat"), is
mentioned: the incident belongs to the part, and the whole's record includes
its parts' incidents. "Seized Palmyra … blew up the Temple of Baalshamin" are
two threats: both are affected.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from heritage.intake.keywords import phrase_words
from heritage.intake.phrases import PhraseIndex
from heritage.intake.text import tokenize
from sites.dates import bounds, day_number

AFFECTED = "affected"
MENTIONED = "mentioned"

# An event older than this at publication is one the report recalls, not its news.
RECENT_DAYS = 31
# Dates before this year date a monument ("dedicated in AD 32"), not what happened to it.
MODERN_YEAR = 1900

EVENT_PHRASES = """
blew up | blown up | blow up | blowing up | blows up | destroy* | destruction | demolish* | bulldoz* | razed | raze
smash* | dynamit* | detonat* | wired with explosives | planted explosives | mined | booby-trapped | explosion*
crumbl* | charred | gutted
damag* | loot* | plunder* | pillag* | ransack* | vandalis* | vandaliz* | defac* | toppl* | collaps* | burn* | torched
set fire | set on fire | sacked | shell* | bomb* | air strike* | airstrike* | struck | hit by | mortar* | fighting | clashes
seiz* | captur* | overran | overrun | stormed | took control | taken control | fell to | recaptur* | retook | retaken
executed | execution | executions | executing | behead* | killed | murder* | shot dead | massacre*
stole | stolen | excavat* | dug | occupied | occupying | used as | turned into | looted | taken back | took back
drove out | driven out | regained | liberat*
فجر* | تفجير | دمر* | تدمير | هدم* | نهب* | قصف* | سيطر* | استعاد* | اعدم* | سرق*
يفجر* | تفجر* | نسف* | ينسف* | يدمر* | يهدم* | جرف* | يجرف* | تجريف | ينهب* | يقصف* | يسيطر* | يستعيد*
حطم* | يحطم* | تحطيم | انهار* | انهيار | تضرر* | اضرار | استولى* | يستولي* | اقتحم* | احتل* | تخريب | حرر* | تحرير
détrui* | destruction | dynamit* | explos* | pillé* | pillag* | bombard* | incendi* | saccag*
"""
# Time words that place an event before the report's own news.
EARLIER_PHRASES = """
earlier | last year | last month | previously | in the past | years ago | months ago | had been | had already
before the war | formerly | used to | last summer | last spring | last winter | last autumn
الماضي | الماضية | سابقا | في وقت سابق | سبق أن | سبق له أن | سبق لها أن | كان قد | كانت قد | وكان | وكانت
auparavant | l'an dernier | l'année dernière
"""
# "was also destroyed days before, and …": a span of time before, closing its clause, dates an event
# before the report's news ("wired with explosives for days before it was destroyed" does not).
SPAN_BEFORE = re.compile(
    r"\b(?:days|weeks|months|a day|a week|a month|the day|the week|the month)\s+(?:before|earlier)\s*(?:[,.;)]|and\b|$)",
    re.IGNORECASE,
)
# Verbs of taking a place: a whole named as their object ("recaptured Palmyra", "Palmyra fell to …") is
# where an event of its own happened, even when the same sentence tells of damage at a part of it.
CONTROL_PHRASES = """
seiz* | captur* | recaptur* | retook | retaken | retake* | overran | overrun | stormed | took control | taken control
regained | fell to | fallen to | liberat* | سيطر* | يسيطر* | استعاد* | يستعيد* | استولى* | احتل* | حرر* | تحرير
"""
# A conjunction opening a clause that dates the sentence's event by a later one.
BEFORE = frozenset({"before", "قبل"})
CONTROL_WINDOW = 4  # words between the verb and the whole's name ("recaptured the ancient city of Palmyra")
CONTROL_PASSIVE = frozenset({"was", "is", "has", "had", "been", "being"})  # "Palmyra was recaptured"
# Forms of one event verb, so that a whole and its part told with the same verb are one event
# ("blows up Palmyra arch" … "have blown up another monument in Palmyra").
EVENT_FAMILIES = {
    "blew up": "blow up", "blown up": "blow up", "blowing up": "blow up", "blows up": "blow up",
    "destruction": "destroy*", "razed": "raze", "تفجير": "فجر*", "يفجر*": "فجر*", "تفجر*": "فجر*",
    "ينسف*": "نسف*", "تدمير": "دمر*", "يدمر*": "دمر*", "يهدم*": "هدم*", "يجرف*": "جرف*", "تجريف": "جرف*",
}
# Auxiliaries of the present perfect ("has been beheaded", "have blown up"): the tense of a report's news.
PERFECT_WORDS = frozenset({"has", "have", "been"})
PERFECT_WINDOW = 3  # words between the auxiliary and the event verb ("has been partly destroyed")
# Words of the report's present, which an ancient date in the same sentence does not outweigh.
NOW_PHRASES = """
monday | tuesday | wednesday | thursday | friday | saturday | sunday | yesterday | today | this week | tonight
last night | this morning | now | has | have | is being | are being
"""
# Words that make the next site a landmark for where something happened, not the place itself.
NEAR_PHRASES = """
near | nearby | outside | close to | next to | on the outskirts of | on the road to | towards | toward
north of | south of | east of | west of | north-east of | north-west of | south-east of | south-west of
northeast of | northwest of | southeast of | southwest of | km from | miles from | kilometres from
entrance of | entrance to | heart of | edge of | beside | in front of | opposite | overlooking | overlooks
in the middle of | in the centre of | in the center of | leads to | leading to
قرب | بالقرب من | près de
"""
SENTENCE_ENDS = tuple(".!?؟\"”’'")
NEAR_WINDOW = 4  # words between a landmark phrase and the site's name ("near the ancient city of Palmyra")
CAPTION = re.compile(r"^[\"“‘']?[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3}:\s+\S")
# "second-century theater", "2nd century theatre": a century before a noun describes the monument.
ATTRIBUTIVE_CENTURY = re.compile(r"\s*[a-z]", re.IGNORECASE)
ERA_WORDS = re.compile(
    r"\s*(?:AD|BC|BCE|CE|A\.D|B\.C|the|a|an|and|or|to|of|in|on|at|by|as|with|under|during|when|it|its|was|were|is)\b",
    re.IGNORECASE,
)
PICTURED = re.compile(r"\((?:pictured|above|below|left|right|file photo)\)|\bpictured\b", re.IGNORECASE)


def _index(phrases):
    index = PhraseIndex()
    for phrase in re.split(r"[|\n]", phrases):
        words = phrase_words(phrase.strip())
        if words:
            index.add(words, phrase.strip())
    return index


EVENT = _index(EVENT_PHRASES)
CONTROL = _index(CONTROL_PHRASES)
EARLIER = _index(EARLIER_PHRASES)
NOW = _index(NOW_PHRASES)
NEAR = _index(NEAR_PHRASES)
MODERN = day_number(datetime.date(MODERN_YEAR, 1, 1))


@dataclass
class RecalledEvent:
    """An earlier event a report recalls at a site: a citation for the incident already recorded."""

    sentence: str
    date: str = ""  # EDTF, "" when the sentence gives none


@dataclass
class SiteRole:
    role: str
    reason: str
    sentence: str  # the sentence to quote: the event's for an affected site, else the first mention
    sentence_index: int
    recalled: list = field(default_factory=list)

    @property
    def is_affected(self):
        return self.role == AFFECTED


class SentenceReader:
    """Reads the sentences of one report (see the module's rules)."""

    def __init__(self, text, sentences, dates, published=None):
        self.text = text
        self.sentences = sentences
        self.published = day_number(published) if published else None
        self.dates_by_sentence = {}
        for date in dates:
            self.dates_by_sentence.setdefault(sentences.index_at(date.start), []).append(date)
        counts = {}
        for index in range(len(sentences)):
            key = " ".join(sentences[index].split())
            counts[key] = counts.get(key, 0) + 1
        self.repeated = {key for key, count in counts.items() if count > 1}
        self._cache = {}

    def is_caption(self, index):
        sentence = " ".join(self.sentences[index].split())
        if sentence in self.repeated or PICTURED.search(sentence):
            return True
        line_start = self.text.rfind("\n", 0, self.sentences.starts[index]) + 1
        return index > 0 and line_start == self.sentences.starts[index] and bool(CAPTION.match(sentence))

    def tokens(self, index):
        if index not in self._cache:
            start = self.sentences.starts[index]
            tokens = tokenize(self.sentences[index])
            self._cache[index] = ([token.forms for token in tokens], [token.start + start for token in tokens])
        return self._cache[index]

    def has(self, index, phrases):
        forms, _starts = self.tokens(index)
        return bool(phrases.scan(forms))

    def is_landmark(self, index, offset):
        """Whether the name at ``offset`` follows "near", "north of"… within NEAR_WINDOW words."""
        forms, starts = self.tokens(index)
        position = next((number for number, start in enumerate(starts) if start >= offset), len(starts))
        for _start, end, _phrases in NEAR.scan(forms[:position]):
            if position - end <= NEAR_WINDOW and not EVENT.scan(forms[end:position]):
                return True
        return False

    def is_controlled(self, index, offset, end):
        """Whether the name at ``offset``-``end`` is the object of a verb of taking a place
        (CONTROL_PHRASES within CONTROL_WINDOW words before it), or its subject ("Palmyra fell to",
        "Palmyra was recaptured", "Palmyra recaptured from …")."""
        forms, starts = self.tokens(index)
        position = next((number for number, start in enumerate(starts) if start >= offset), len(starts))
        after = next((number for number, start in enumerate(starts) if start >= end), len(starts))
        for _start, stop, _phrases in CONTROL.scan(forms[:position]):
            if position - stop <= CONTROL_WINDOW:
                return True
        following = forms[after:after + 4]
        while following and CONTROL_PASSIVE.intersection(following[0]):
            following = following[1:]
        found = CONTROL.longest_at(following, 0) if following else None
        return bool(found)

    def families(self, index):
        """The event verbs a sentence tells, one form each (EVENT_FAMILIES)."""
        forms, _starts = self.tokens(index)
        return {EVENT_FAMILIES.get(phrase, phrase) for _s, _e, phrases in EVENT.scan(forms) for phrase in phrases}

    def is_time_reference(self, index, offset):
        """Whether the name at ``offset`` is in a clause that dates the sentence's own event by a later
        one: "The detonation took place 10 days ago, before the IS terrorists blew up the Temple of Bel"
        (an event word before "before", and one between it and the name)."""
        forms, starts = self.tokens(index)
        position = next((number for number, start in enumerate(starts) if start >= offset), len(starts))
        for number in range(position - 1, 0, -1):
            if BEFORE.intersection(forms[number]):
                return bool(EVENT.scan(forms[number + 1:position])) and bool(EVENT.scan(forms[:number]))
        return False

    def is_perfect(self, index):
        """Whether an event verb of the sentence is in the present perfect ("has been beheaded")."""
        forms, _starts = self.tokens(index)
        for start, _end, _phrases in EVENT.scan(forms):
            before = forms[max(start - PERFECT_WINDOW, 0):start]
            if any(PERFECT_WORDS.intersection(words) for words in before) and not EARLIER.scan(before):
                return True
        return False

    def describes_monument(self, date):
        """"the second-century theater": a century written before a noun."""
        following = self.text[date.end:date.end + 12]
        return date.edtf.endswith("XX") and bool(ATTRIBUTIVE_CENTURY.match(following)) and not ERA_WORDS.match(
            following
        )

    def date_kind(self, index):
        """"earlier", "ancient" or "" for the dates in a sentence."""
        kinds = set()
        for date in self.dates_by_sentence.get(index, ()):
            if self.describes_monument(date):
                continue
            try:
                earliest, latest = bounds(date.edtf)
            except ValidationError:
                continue
            if latest is not None and latest < MODERN:
                kinds.add("ancient")
            elif self.published is not None and latest is not None and latest < self.published - RECENT_DAYS:
                kinds.add("earlier")
            else:
                kinds.add("recent")
        if "recent" in kinds:
            return ""
        return "earlier" if "earlier" in kinds else ("ancient" if "ancient" in kinds else "")

    def read(self, index, offset):
        """(kind, reason) of the sentence at ``index`` for the name at ``offset``:
        kind is "event", "earlier", "landmark" or "background"."""
        if self.is_caption(index):
            return "background", _("a caption")
        if not self.has(index, EVENT):
            return "background", _("no event is told there")
        if self.is_landmark(index, offset):
            return "landmark", _("named as a landmark (“near …”)")
        if self.is_time_reference(index, offset):
            return "earlier", _("a later event that dates the report's own (“before …”)")
        dated = self.date_kind(index)
        earlier_word = self.has(index, EARLIER) or bool(SPAN_BEFORE.search(self.sentences[index]))
        if dated == "earlier" or (earlier_word and not self.is_perfect(index)):
            return "earlier", _("an earlier event the report recalls")
        if dated == "ancient" and not self.has(index, NOW):
            return "background", _("history")
        return "event", _("the report's event happened here")

    def recalled_date(self, index):
        dates = [date.edtf for date in self.dates_by_sentence.get(index, ())
                 if re.fullmatch(r"(19|20)\d\d(-\d\d){0,2}", date.edtf)]
        return dates[0] if dates else ""


def assign_roles(mentions, text, sentences, dates, published=None, threats=None):
    """{site pk: SiteRole} for the linker's SiteMentions of a report.

    ``threats``: {sentence index: threat category pks the keyword rules find there}."""
    threats = threats or {}
    reader = SentenceReader(text, sentences, dates, published)
    readings = {}
    for mention in mentions:
        readings[mention.site.pk] = [
            (item.sentence_index, item.sentence, *reader.read(item.sentence_index, item.start))
            for item in mention.mentions
        ]
    affected = {pk for pk, found in readings.items() if any(kind == "event" for _i, _s, kind, _r in found)}
    # Sentences where a site is taken (seized, recaptured): an event of its own, whatever its parts suffer.
    taken = {
        mention.site.pk: {
            item.sentence_index for item in mention.mentions
            if reader.is_controlled(item.sentence_index, item.start, item.end)
        }
        for mention in mentions
    }
    parents = {mention.site.pk: mention.site.parent_id for mention in mentions}
    event_sentences = {
        pk: {index for index, _s, kind, _r in found if kind == "event"} for pk, found in readings.items()
    }

    def ancestors(pk):
        seen = set()
        while parents.get(pk) and parents[pk] not in seen:
            pk = parents[pk]
            seen.add(pk)
        return seen

    roles = {}
    for mention in mentions:
        pk = mention.site.pk
        found = readings[pk]
        recalled = [RecalledEvent(sentence, reader.recalled_date(index))
                    for index, sentence, kind, _r in found if kind == "earlier"]
        first = next((item for item in found if item[2] == "earlier"), found[0])
        if pk in affected:
            parts = [other for other in affected if pk in ancestors(other)]
            told = set().union(*(threats.get(index, ()) for part in parts for index in event_sentences[part]))
            verbs = set().union(*(reader.families(index) for part in parts for index in event_sentences[part]))
            covered = all(
                index not in taken[pk] and (
                    any(index in event_sentences[part] for part in parts) or set(threats.get(index, ())) & told
                    or reader.families(index) & verbs
                )
                for index in event_sentences[pk]
            )
            if parts and covered:
                names = ", ".join(sorted(m.site.name for m in mentions if m.site.pk in parts))
                reason = _("the report's event happened at its part: %(parts)s") % {"parts": names}
                roles[pk] = SiteRole(MENTIONED, reason, first[1], first[0], recalled)
                continue
            events = [item for item in found if item[2] == "event"]
            # A headline says it shortest; the quote is better a whole sentence of the body.
            index, sentence, _kind, reason = next((item for item in events if item[1].endswith(SENTENCE_ENDS)), events[0])
            roles[pk] = SiteRole(AFFECTED, reason, sentence, index, recalled)
            continue
        index, sentence, _kind, reason = first
        roles[pk] = SiteRole(MENTIONED, reason, sentence, index, recalled)
    return roles
