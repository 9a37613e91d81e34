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
   seized, looted, executed…) is background, unless it lists what the event
   of the sentence before struck, referring back to it ("they included the
   Tower of Elahbel"): that sentence's event is then its own.
3. A site named as a landmark for where something happened ("near the city
   of Palmyra", "north of Homs", "outside Aleppo", "the lion which stood in the
   museum's garden") is not where it happened. "Outside" after "the", "its"…
   is an adjective ("the outside wall of the Citadel"), not a landmark.
4. An event dated well before publication (its latest day more than
   RECENT_DAYS before the report), or dated only by a month that ended before
   the month of publication ("in August" in a September report), is an earlier
   event the report recalls: intake offers the report as a citation of the
   incident already recorded for it, and records no new one. So is one told
   in a clause that dates the sentence's own event by another: a later one
   ("it took place ten days ago, before they blew up the Temple of Bel") or an
   earlier one ("two months after blowing up the Temple of Baalshamin, they
   blew up the Arch"; the clause runs from "after" to the next comma); one
   told with an earlier-time word ("earlier", "last week", "days ago",
   "previously"; Arabic "سبق أن", "قبل أيام", and "وكان …", "تجدر الإشارة"
   which open the background of an Arabic report) or in the past perfect
   ("ISIS had destroyed the Temple of Bel"), unless its event verb is in the
   present perfect, the tense of news ("has been beheaded", "have blown up …
   after retaking the city last month"; not "has previously destroyed").
   A sentence that goes on telling an earlier event in the same paragraph
   ("Daesh first captured Palmyra in May 2015. In the ten months that followed
   it levelled the Temple of Bel…"), with no time of its own (a date, a
   weekday, "now", the present perfect), tells that earlier time too: the
   history a recapture report gives of what happened in between.
   An earlier-time word in a clause of its own after every event verb, a
   comma (or Arabic "وكان") away, describes the place, not the event ("troops
   capture Crac des Chevaliers, a site previously held by rebels"). When the
   day of publication is known, a sentence dated by a weekday before the day
   of the lead (the first sentence telling an event on a known day; the day
   something was said or issued does not count) tells an earlier event: "On
   Thursday they attacked Nimrud" in a report of Saturday's news at Hatra.
5. An event dated only by ancient dates ("destroyed by Aurelian in AD 273")
   is history, unless the sentence also speaks of now (a weekday,
   "yesterday", "has", "have": "dedicated in AD 32, was blown up on Sunday").
   A century written before a noun dates the monument, not the event
   ("destroyed the facade of the second-century theater"); so does a date
   after a verb of building ("which dates back to the 12th century", "built
   in AD 32").
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
smash* | dynamit* | detonat* | wired with explosives | planted explosives | planted mines | laid mines | mined
booby-trapped | explosion* | attacked | attacking
crumbl* | charred | gutted | levelled | leveled | levelling | leveling
damag* | loot* | plunder* | pillag* | ransack* | vandalis* | vandaliz* | defac* | toppl* | collaps* | burn* | torched
set fire | set on fire | sacked | shell* | bomb* | air strike* | airstrike* | struck | hit by | mortar* | fighting | clashes
seiz* | captur* | overran | overrun | stormed | took control | taken control | fell to | recaptur* | retook | retaken
falls to | fall to | fallen to | took over | taken over | take over | takes over | took full control | taken full control
executed | execution | executions | executing | behead* | killed | murder* | shot dead | shooting dead | massacre*
surrender* | handed over | hand over | concert | concerts | performed a concert | تسليم | حفل* | يعدم* | الإعدام
إعدام* | طرد* | يطرد*
stole | stolen | excavat* | dug | occupied | occupying | used as | turned into | looted | taken back | took back
drove out | driven out | regained | liberat*
انفجار* | متفجرات | عبوات ناسفة | لغم* | ألغام* | فخخ* | تفخيخ | إعدام | ذبح* |
فجر* | تفجير | دمر* | تدمير | هدم* | نهب* | قصف* | سيطر* | استعاد* | اعدم* | سرق*
يفجر* | تفجر* | نسف* | ينسف* | يدمر* | يهدم* | جرف* | يجرف* | تجريف | ينهب* | يقصف* | يسيطر* | يستعيد*
حطم* | يحطم* | تحطيم | انهار* | انهيار | تضرر* | اضرار | استولى* | يستولي* | اقتحم* | احتل* | تخريب | حرر* | تحرير
détrui* | destruction | dynamit* | explos* | pillé* | pillag* | bombard* | incendi* | saccag*
"""
# Time words that place an event before the report's own news.
EARLIER_PHRASES = """
earlier | last year | last month | last week | last weekend | previously | in the past | years ago | months ago
weeks ago | days ago | a week ago | a month ago | a year ago | the week before | the previous week | recently
had been | had already | before the war | formerly | used to | last summer | last spring | last winter | last autumn
الماضي | الماضية | الفائت | الفائتة | المنصرم | المنصرمة
سابقا | في وقت سابق | سبق أن | سبق له أن | سبق لها أن | كان قد | كانت قد | وكان | وكانت
قبل أيام | قبل أسبوع | قبل أسابيع | قبل شهر | قبل شهرين | قبل أشهر | قبل سنة | قبل عام | قبل عامين | قبل سنتين
قبل سنوات | قبل أكثر من | منذ أيام | مؤخرا
تجدر الإشارة | يذكر أن | ويذكر أن
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
regained | fell to | fallen to | falls to | fall to | took over | taken over | take over | takes over
took full control | taken full control | liberat* | سيطر* | يسيطر* | استعاد* | يستعيد* | استولى* | احتل* | حرر* | تحرير
"""
# A conjunction opening a clause that dates the sentence's event by a later one, or by an earlier one.
BEFORE = frozenset({"before", "قبل"})
AFTER = frozenset({"after", "following", "بعد"})
# What ends an "after …" clause before the sentence's own event is told.
CLAUSE_END = re.compile(r"[,;:،؛—]")
# The past perfect ("had destroyed", "had already blown up"): an event before the time the report tells,
# unless a verb of saying comes first ("officials said it had been blown up": reported speech shifts tenses).
PAST_PERFECT = frozenset({"had"})
SAYING = frozenset({"said", "says", "told", "tells", "reported", "reports", "confirmed", "announced", "stated", "added"})
# "about 10 days ago", "two weeks ago": a counted span dates the event like a date does (RECENT_DAYS decides);
# "days ago", "a few weeks ago", "last week" are earlier-time words.
COUNTED_AGO = re.compile(
    r"\b(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(days?|weeks?)\s+ago\b",
    re.IGNORECASE,
)
COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
# Words that list what the event of the sentence before struck, referring back to it: "Abdulkarim said they
# included the Tower of Elahbel" after "IS has blown up three funerary towers at Palmyra". Without the word
# that refers back, a list is background: "Some of the treasures of the city include the Temple of Bel".
LISTING_PHRASES = """
they included | they include | these included | these include | those included | those include
among them | among which | one of them | one of which | the first of them
"""
# Words that go on telling the time of the sentence before ("then", "in the months that followed").
CONTINUING_PHRASES = """
then | that followed | which followed | afterwards | afterward | later | subsequently | thereafter | after that
ثم | بعد ذلك | لاحقا | فيما بعد
"""
# Earlier-time words that open a clause of their own in Arabic ("and … had"): after the event verb, the
# clause describes the place ("… نمرود وكان مسلحو داعش اجتاحوها قبل عامين").
ARABIC_CLAUSE_OPENERS = frozenset({"وكان", "وكانت"})
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
# "said Thursday", "told AFP on 3 July", "a report issued Thursday": the day of the saying, not of the event.
SAID_ON = re.compile(
    r"\b(?:said|says|told|announced|reported|confirmed|stated|added|warned|issued|published|released)\b"
    r"(?:\s+[\w'’.-]+){0,3}?\s+(?:on\s+)?$",
    re.IGNORECASE,
)
SAID_REACH = 40  # characters before a date searched for a verb of saying
# "The outside wall": a landmark word after a determiner is an adjective.
DETERMINERS = frozenset({"the", "its", "their", "his", "her", "a", "an", "this", "that"})
ADJECTIVE_LANDMARKS = frozenset({"outside", "opposite", "inside"})
# A verb of building before a date: the date is the monument's ("which dates back to the 12th century").
BUILT = re.compile(
    r"\b(?:dat(?:es|ed|ing)\s+(?:back\s+)?(?:to|from)|date\s+(?:back\s+)?(?:to|from)|built|constructed|founded"
    r"|erected|dedicated|completed)\s+(?:[\w-]+\s+){0,4}$",
    re.IGNORECASE,
)
BUILT_REACH = 48  # characters before a date searched for a verb of building
CONTROL_WINDOW = 4  # words between the verb and the whole's name ("recaptured the ancient city of Palmyra")
CONTROL_PASSIVE = frozenset({"was", "is", "has", "had", "been", "being"})  # "Palmyra was recaptured"
# Forms of one event verb, so that a whole and its part told with the same verb are one event
# ("blows up Palmyra arch" … "have blown up another monument in Palmyra").
EVENT_FAMILIES = {
    "blew up": "blow up", "blown up": "blow up", "blowing up": "blow up", "blows up": "blow up",
    "destruction": "destroy*", "razed": "raze", "تفجير": "فجر*", "يفجر*": "فجر*", "تفجر*": "فجر*",
    "ينسف*": "نسف*", "تدمير": "دمر*", "يدمر*": "دمر*", "يهدم*": "هدم*", "يجرف*": "جرف*", "تجريف": "جرف*",
    "إعدام": "إعدام*", "الإعدام": "إعدام*", "يعدم*": "إعدام*", "اعدم*": "إعدام*", "يطرد*": "طرد*",
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
which stood in | which stood at | that stood in | that stood at | which stood outside | that stood outside
قرب | بالقرب من | كان موجودا في | كانت موجودة في | الموجود في | الموجودة في | près de
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
CONTINUING = _index(CONTINUING_PHRASES)
LISTING = _index(LISTING_PHRASES)
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

    def __init__(self, text, sentences, dates, published=None, day_known=False):
        self.text = text
        self.sentences = sentences
        self.published = day_number(published) if published else None
        # Weekdays ("on Thursday") are days before publication only when its day is known.
        self.weekday_published = published.weekday() if published and day_known else None
        # The first day of the month of publication: a date known only to an earlier month is before it.
        self.month_start = day_number(published.replace(day=1)) if published else None
        self.dates_by_sentence = {}
        for date in dates:
            self.dates_by_sentence.setdefault(sentences.index_at(date.start), []).append(date)
        counts = {}
        for index in range(len(sentences)):
            key = " ".join(sentences[index].split())
            counts[key] = counts.get(key, 0) + 1
        self.repeated = {key for key, count in counts.items() if count > 1}
        self._cache = {}
        self._earlier = {}

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
            self._cache[index] = ([with_article_off(token.forms) for token in tokens],
                                  [token.start + start for token in tokens])
        return self._cache[index]

    def has(self, index, phrases):
        forms, _starts = self.tokens(index)
        return bool(phrases.scan(forms))

    def lists_event_before(self, index):
        """Whether a sentence with no event word of its own lists what the sentence before it tells of
        (LISTING_PHRASES): that sentence's event, when it is the report's own."""
        if index == 0 or not self.has(index, LISTING) or self.is_caption(index) or self.date_kind(index) == "earlier":
            return False
        before = index - 1
        return (self.has(before, EVENT) and not self.is_caption(before) and not self.tells_earlier(before)
                and self.date_kind(before) != "ancient")

    def told_in(self, index):
        """The sentence whose event words tell the event of the sentence at ``index``: itself, or the one
        before when it only lists what that one tells of."""
        return index - 1 if not self.has(index, EVENT) and self.lists_event_before(index) else index

    def is_landmark(self, index, offset):
        """Whether the name at ``offset`` follows "near", "north of"… within NEAR_WINDOW words."""
        forms, starts = self.tokens(index)
        position = next((number for number, start in enumerate(starts) if start >= offset), len(starts))
        for start, end, _phrases in NEAR.scan(forms[:position]):
            if ADJECTIVE_LANDMARKS.intersection(forms[start]) and start and DETERMINERS.intersection(forms[start - 1]):
                continue  # "the outside wall of the Citadel"
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
        forms, _starts = self.tokens(self.told_in(index))
        return {EVENT_FAMILIES.get(phrase, phrase) for _s, _e, phrases in EVENT.scan(forms) for phrase in phrases}

    def time_reference(self, index, offset, end=None):
        """"before" or "after" when the name at ``offset`` (to ``end``) is in a clause that dates the
        sentence's own event by another, else "": a later one, "The detonation took place 10 days ago,
        before the IS terrorists blew up the Temple of Bel" (an event word before "before", and one between
        it and the name); or an earlier one, "Two months after blowing up the Temple of Baalshamin, ISIS
        blew up the Arch" (an event word between "after" and the name, no comma between them, and an event
        word outside the clause). Taking a place is no such clause: "After government forces recaptured
        Palmyra, experts said …" tells the recapture as news."""
        forms, starts = self.tokens(index)
        position = next((number for number, start in enumerate(starts) if start >= offset), len(starts))
        for number in range(position - 1, -1, -1):
            if BEFORE.intersection(forms[number]) and number:
                told = EVENT.scan(forms[number + 1:position]) and EVENT.scan(forms[:number])
                return "before" if told else ""
            if AFTER.intersection(forms[number]):
                clause = forms[number + 1:position]
                if CLAUSE_END.search(self.text[starts[number]:offset]) or not EVENT.scan(clause) or CONTROL.scan(clause):
                    return ""
                after = next((n for n, start in enumerate(starts) if start >= (end or offset + 1)), len(starts))
                return "after" if EVENT.scan(forms[:number]) or EVENT.scan(forms[after:]) else ""
        return ""

    def is_perfect(self, index):
        """Whether an event verb of the sentence is in the present perfect ("has been beheaded")."""
        forms, _starts = self.tokens(index)
        for start, _end, _phrases in EVENT.scan(forms):
            before = forms[max(start - PERFECT_WINDOW, 0):start]
            if any(PERFECT_WORDS.intersection(words) for words in before) and not EARLIER.scan(before):
                return True
        return False

    def is_past_perfect(self, index):
        """Whether an event verb of the sentence is in the past perfect ("had destroyed", "had already
        blown up"): told as before the time of the report's news."""
        forms, _starts = self.tokens(index)
        for start, _end, _phrases in EVENT.scan(forms):
            before = forms[max(start - PERFECT_WINDOW, 0):start]
            if any(PAST_PERFECT.intersection(words) for words in before):
                return not any(SAYING.intersection(words) for words in forms[:start])
        return False

    def has_earlier_word(self, index):
        """Whether the sentence has an earlier-time word (EARLIER_PHRASES, "days before"), leaving out a
        counted span of RECENT_DAYS or less ("about 10 days ago": the time of the report's own event)."""
        forms, starts = self.tokens(index)
        sentence, base = self.sentences[index], self.sentences.starts[index]
        recent = [
            (base + match.start(), base + match.end()) for match in COUNTED_AGO.finditer(sentence)
            if int(COUNT_WORDS.get(match[1].lower(), match[1]) if not match[1].isdigit() else match[1])
            * (7 if match[2].lower().startswith("week") else 1) <= RECENT_DAYS
        ]
        events = EVENT.scan(forms)
        for start, _end, _phrases in EARLIER.scan(forms):
            if not any(low <= starts[start] < high for low, high in recent) and not self._describes_after(
                forms, starts, events, start
            ):
                return True
        return bool(SPAN_BEFORE.search(sentence))

    def _describes_after(self, forms, starts, events, position):
        """Whether the earlier-time word at token ``position`` is in a clause of its own after every event
        verb of the sentence, a comma away, with no event word: it dates what that clause describes, not
        the event ("troops capture Crac des Chevaliers, a World Heritage site previously held by rebels")."""
        if not events or any(start >= position for start, _end, _phrases in events):
            return False
        last_event = max(end for _start, end, _phrases in events)
        # A comma, or in Arabic "وكان" ("استعادت القوات نمرود وكان مسلحو داعش اجتاحوها قبل عامين"), opens it.
        return any(CLAUSE_END.search(self.text[starts[number - 1]:starts[number]])
                   or ARABIC_CLAUSE_OPENERS.intersection(forms[number])
                   for number in range(last_event, position + 1))

    def describes_monument(self, date):
        """"the second-century theater": a century written before a noun; "which dates back to the 12th
        century", "built in AD 32": a date after a verb of building."""
        if BUILT.search(self.text[max(date.start - BUILT_REACH, 0):date.start]):
            return True
        following = self.text[date.end:date.end + 12]
        return date.edtf.endswith("XX") and bool(ATTRIBUTIVE_CENTURY.match(following)) and not ERA_WORDS.match(
            following
        )

    def date_kinds(self, index):
        """{"earlier", "ancient", "recent"}: what the dates of a sentence say of its event's time."""
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
            elif re.fullmatch(r"\d{4}-\d\d", date.edtf) and self.month_start is not None and latest < self.month_start:
                kinds.add("earlier")  # "in August" in a September report
            else:
                kinds.add("recent")
        weekdays = self.weekdays(index)
        if weekdays and self.lead is not None and index > self.lead[0] and max(weekdays) < self.lead[1]:
            kinds.add("earlier")  # "On Thursday they attacked Nimrud" after a lead dated Saturday
        elif weekdays:
            kinds.add("recent")
        return kinds

    def weekdays(self, index):
        """The days a sentence's events are dated by weekday ("on Thursday"): the last such day on or before
        publication. The day something was said ("the director said Thursday") dates no event."""
        if self.weekday_published is None:
            return []
        sentence = self.sentences[index]
        return [
            self.published - (self.weekday_published - WEEKDAYS.index(match[1].lower())) % 7
            for match in WEEKDAY.finditer(sentence)
            if not SAID_ON.search(sentence[max(match.start() - SAID_REACH, 0):match.start()])
        ]

    @property
    def lead(self):
        """(index, day) of the report's lead: its first sentence telling an event on a day known to the
        day, within RECENT_DAYS of publication. A later sentence dated only to days before that day
        tells an earlier event the report recalls."""
        if not hasattr(self, "_lead"):
            self._lead = None
            for index in range(len(self.sentences)):
                days = [
                    latest for date in self.dates_by_sentence.get(index, ())
                    if not self.describes_monument(date)
                    and not SAID_ON.search(self.text[max(date.start - SAID_REACH, 0):date.start])
                    for earliest, latest in [_bounds_or_none(date.edtf)]
                    if earliest is not None and earliest == latest and self.published is not None
                    and self.published - RECENT_DAYS <= latest <= self.published
                ]
                days += self.weekdays(index)
                if days and self.has(index, EVENT) and not self.is_caption(index):
                    self._lead = (index, max(days))
                    break
        return self._lead

    def date_kind(self, index):
        """"earlier", "ancient" or "" for the dates in a sentence."""
        kinds = self.date_kinds(index)
        if "recent" in kinds:
            return ""
        return "earlier" if "earlier" in kinds else ("ancient" if "ancient" in kinds else "")

    def has_own_time(self, index):
        """Whether a sentence says when its event happened: a date, a word of now, the present perfect."""
        return bool(self.date_kinds(index)) or self.has(index, NOW) or self.is_perfect(index)

    def same_paragraph(self, index):
        """Whether the sentence at ``index`` goes on the paragraph of the one before it."""
        return index > 0 and "\n" not in self.text[self.sentences.ends[index - 1]:self.sentences.starts[index]]

    def tells_earlier(self, index):
        """Whether the sentence's event is an earlier one the report recalls (rule 4, all but the clauses)."""
        if index not in self._earlier:
            # Read the paragraph up to here in order (no recursion: a paragraph may be very long).
            start = index
            while start > 0 and start - 1 not in self._earlier and self.same_paragraph(start):
                start -= 1
            for number in range(start, index + 1):
                self._earlier[number] = self._reads_earlier(number)
        return self._earlier[index]

    def _reads_earlier(self, index):
        dated = self.date_kind(index)
        earlier_word = self.has_earlier_word(index) or self.is_past_perfect(index)
        if dated == "earlier" or (earlier_word and not self.is_perfect(index)):
            return True
        # "… in May 2015. In the ten months that followed, it levelled …": the sentence goes on the one before.
        return (self.same_paragraph(index) and self._earlier.get(index - 1, False) and not self.is_caption(index - 1)
                and not self.has_own_time(index) and self.has(index, EVENT))

    def read(self, index, offset, end=None):
        """(kind, reason) of the sentence at ``index`` for the name at ``offset`` (to ``end``):
        kind is "event", "earlier", "landmark" or "background"."""
        if self.is_caption(index):
            return "background", _("a caption")
        if not self.has(index, EVENT):
            if self.lists_event_before(index):
                return "event", _("listed among what the report's event struck")
            return "background", _("no event is told there")
        if self.is_landmark(index, offset):
            return "landmark", _("named as a landmark (“near …”)")
        reference = self.time_reference(index, offset, end)
        if reference == "before":
            return "earlier", _("a later event that dates the report's own (“before …”)")
        if reference == "after" or self.tells_earlier(index):
            return "earlier", _("an earlier event the report recalls")
        if self.date_kind(index) == "ancient" and not self.has(index, NOW):
            return "background", _("history")
        return "event", _("the report's event happened here")

    def recalled_date(self, index):
        dates = [date.edtf for date in self.dates_by_sentence.get(index, ())
                 if re.fullmatch(r"(19|20)\d\d(-\d\d){0,2}", date.edtf)]
        return dates[0] if dates else ""


def _bounds_or_none(edtf):
    try:
        return bounds(edtf)
    except ValidationError:
        return None, None


def with_article_off(forms):
    """A token's readings plus, for an Arabic word with the article, the word without it: التفجير is a
    تفجير, الانفجار a انفجار (the event phrases are written without the article)."""
    extra = tuple(form[2:] for form in forms if form.startswith("ال") and len(form) > 4)
    return forms + extra if extra else forms


def assign_roles(mentions, text, sentences, dates, published=None, threats=None, day_known=False):
    """{site pk: SiteRole} for the linker's SiteMentions of a report.

    ``threats``: {sentence index: threat category pks the keyword rules find there}; ``day_known``:
    whether ``published`` is the day of publication, not the last day of a month or year."""
    threats = threats or {}
    reader = SentenceReader(text, sentences, dates, published, day_known)
    readings = {}
    for mention in mentions:
        readings[mention.site.pk] = [
            (item.sentence_index, item.sentence, *reader.read(item.sentence_index, item.start, item.end))
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
            told = set().union(*(
                threats.get(reader.told_in(index), ()) for part in parts for index in event_sentences[part]
            ))
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
