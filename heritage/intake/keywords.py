"""Threat categories a report suggests, from the keyword rules editors keep in admin."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max

from heritage.intake.phrases import PhraseIndex
from heritage.intake.text import Sentences, name_tokens, tokenize
from heritage.models import CategoryKeywordRule, ThreatCategory


@dataclass
class CategoryHit:
    category: ThreatCategory
    keywords: Counter = field(default_factory=Counter)
    sentence_indexes: set = field(default_factory=set)

    @property
    def score(self):
        return sum(self.keywords.values())


def phrase_words(phrase):
    """Folded words of a keyword phrase, keeping a final * as "any ending"."""
    words = []
    for raw in phrase.split():
        folded = list(name_tokens(raw.rstrip("*")))
        if folded and raw.endswith("*"):
            folded[-1] += "*"
        words.extend(folded)
    return tuple(words)


class KeywordRules:
    def __init__(self, rules):
        self.index = PhraseIndex()
        self.categories = {}
        for rule in rules:
            self.categories[rule.category_id] = rule.category
            for phrase in rule.phrases:
                words = phrase_words(phrase)
                if words:
                    self.index.add(words, (rule.category_id, phrase))

    def categorise(self, text, sentences=None):
        """Categories the text suggests, most keyword hits first, with the sentences they occur in."""
        tokens = tokenize(text)
        sentences = sentences or Sentences(text)
        hits = {}
        for start, _end, payloads in self.index.scan([token.forms for token in tokens]):
            for category_id, phrase in payloads:
                hit = hits.setdefault(category_id, CategoryHit(self.categories[category_id]))
                hit.keywords[phrase] += 1
                hit.sentence_indexes.add(sentences.index_at(tokens[start].start))
        return sorted(hits.values(), key=lambda hit: (-hit.score, hit.category.position, hit.category.label))


def _fingerprint():
    # The newest primary key too: rules reloaded from a fixture come back with new keys (and categories)
    # but the same number and the same "updated".
    rules = CategoryKeywordRule.objects.filter(active=True)
    return tuple(rules.aggregate(n=Count("pk"), at=Max("updated"), newest=Max("pk"), categories=Max("category")).values())


_cache = {}


def keyword_rules():
    """The active rules, compiled; rebuilt when an editor changes one."""
    current = _fingerprint()
    if _cache.get("fingerprint") != current:
        rules = CategoryKeywordRule.objects.filter(active=True).select_related("category__parent")
        _cache["rules"], _cache["fingerprint"] = KeywordRules(rules), current
    return _cache["rules"]
