"""What part each site plays in a report: where the report's own event happened, or only mentioned.

A news report names many sites besides the one its news is about: the
background box ("Some of the treasures of the city include the Temple of
Bel…"), photo captions, history ("built in AD 129"), and earlier events it
recalls ("Earlier this month ISIS released a video … in a Roman amphitheatre").
Each sentence that names a site is read by these rules, in this order:

1. A caption (a short label and a colon, "At risk: The Triumphal Arch…", a
   sentence printed twice as scraped captions are, or one saying "pictured")
   is background.
2. A sentence without an event word (EVENT_PHRASES: blew up, destroy*,
   seized, looted, executed…) is background.
3. A site named as a landmark for where something happened ("near the city
   of Palmyra", "north of Homs", "outside Aleppo") is not where it happened.
4. An event dated well before publication (its latest day more than
   RECENT_DAYS before the report), or told with an earlier-time word
   ("earlier", "last year", "previously"), is an earlier event the report
   recalls: intake offers the report as a citation of the incident already
   recorded for it, and records no new one.
5. An event dated only by ancient dates ("destroyed by Aurelian in AD 273")
   is history, unless the sentence also speaks of now (a weekday,
   "yesterday", "has", "have": "dedicated in AD 32, was blown up on Sunday").
6. Otherwise the sentence tells the report's own event.

A site is *affected* when one of its sentences tells the report's own event;
otherwise it is *mentioned*. A whole ("Palmyra") whose every event sentence
also names an affected part of it ("the Temple of Baalshamin in Palmyra") is
mentioned: the incident belongs to the part, and the whole's record includes
its parts' incidents.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

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
damag* | loot* | plunder* | pillag* | ransack* | vandalis* | vandaliz* | defac* | toppl* | collaps* | burn* | torched
set fire | set on fire | sacked | shell* | bomb* | air strike* | airstrike* | struck | hit by | mortar* | fighting | clashes
seiz* | captur* | overran | overrun | stormed | took control | taken control | fell to | recaptur* | retook | retaken
executed | execution | executions | executing | behead* | killed | murder* | shot dead | massacre*
stole | stolen | excavat* | dug | occupied | occupying | used as | turned into | looted | taken back | took back
drove out | driven out | regained
فجر* | تفجير | دمر* | تدمير | هدم* | نهب* | قصف* | سيطر* | استعاد* | اعدم* | سرق*
détrui* | destruction | dynamit* | explos* | pillé* | pillag* | bombard* | incendi* | saccag*
"""
# Time words that place an event before the report's own news.
EARLIER_PHRASES = """
earlier | last year | last month | previously | in the past | years ago | months ago | had been | had already
before the war | formerly | used to | last summer | last spring | last winter | last autumn
الماضي | الماضية | سابقا | في وقت سابق | auparavant | l'an dernier | l'année dernière
"""
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
قرب | بالقرب من | près de
"""
SENTENCE_ENDS = tuple(".!?؟\"”’'")
NEAR_WINDOW = 4  # words between a landmark phrase and the site's name ("near the ancient city of Palmyra")
CAPTION = re.compile(r"^[\"“‘']?[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3}:\s+\S")
PICTURED = re.compile(r"\((?:pictured|above|below|left|right|file photo)\)|\bpictured\b", re.IGNORECASE)


def _index(phrases):
    index = PhraseIndex()
    for phrase in re.split(r"[|\n]", phrases):
        words = phrase_words(phrase.strip())
        if words:
            index.add(words, phrase.strip())
    return index


EVENT = _index(EVENT_PHRASES)
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
        return line_start == self.sentences.starts[index] and bool(CAPTION.match(sentence))

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

    def date_kind(self, index):
        """"earlier", "ancient" or "" for the dates in a sentence."""
        kinds = set()
        for date in self.dates_by_sentence.get(index, ()):
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
            return "background", "a caption"
        if not self.has(index, EVENT):
            return "background", "no event is told there"
        if self.is_landmark(index, offset):
            return "landmark", "named as a landmark (“near …”)"
        dated = self.date_kind(index)
        if dated == "earlier" or self.has(index, EARLIER):
            return "earlier", "an earlier event the report recalls"
        if dated == "ancient" and not self.has(index, NOW):
            return "background", "history"
        return "event", "the report's event happened here"

    def recalled_date(self, index):
        dates = [date.edtf for date in self.dates_by_sentence.get(index, ())
                 if re.fullmatch(r"(19|20)\d\d(-\d\d){0,2}", date.edtf)]
        return dates[0] if dates else ""


def assign_roles(mentions, text, sentences, dates, published=None):
    """{site pk: SiteRole} for the linker's SiteMentions of a report."""
    reader = SentenceReader(text, sentences, dates, published)
    readings = {}
    for mention in mentions:
        readings[mention.site.pk] = [
            (item.sentence_index, item.sentence, *reader.read(item.sentence_index, item.start))
            for item in mention.mentions
        ]
    affected = {pk for pk, found in readings.items() if any(kind == "event" for _i, _s, kind, _r in found)}
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
            covered = all(any(index in event_sentences[part] for part in parts) for index in event_sentences[pk])
            if parts and covered:
                names = ", ".join(sorted(m.site.name for m in mentions if m.site.pk in parts))
                roles[pk] = SiteRole(MENTIONED, f"the report's event happened at its part: {names}",
                                     first[1], first[0], recalled)
                continue
            events = [item for item in found if item[2] == "event"]
            # A headline says it shortest; the quote is better a whole sentence of the body.
            index, sentence, _kind, reason = next((item for item in events if item[1].endswith(SENTENCE_ENDS)), events[0])
            roles[pk] = SiteRole(AFFECTED, reason, sentence, index, recalled)
            continue
        index, sentence, _kind, reason = first
        roles[pk] = SiteRole(MENTIONED, reason, sentence, index, recalled)
    return roles
