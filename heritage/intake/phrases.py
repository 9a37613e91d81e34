"""A word trie: many phrases matched at once, leftmost-longest, in one pass over a text's tokens.

Built once per gazetteer (or rule set) and reused: looking up a position
costs a few dictionary probes however many phrases there are, which is what
keeps a 2,000-word article against 10,000 names in milliseconds.
"""

_PAYLOADS = None  # key of the payload list at the node where a phrase ends
_WILDCARDS = 1  # key of [(prefix, node)] for words written "destroy*"


class PhraseIndex:
    def __init__(self):
        self.root = {}
        self.size = 0

    def __bool__(self):
        return self.size > 0

    def add(self, words, payload):
        node = self.root
        for word in words:
            if word.endswith("*") and len(word) > 1:
                wildcards = node.setdefault(_WILDCARDS, [])
                child = next((child for prefix, child in wildcards if prefix == word[:-1]), None)
                if child is None:
                    child = {}
                    wildcards.append((word[:-1], child))
                node = child
            else:
                node = node.setdefault(word, {})
        node.setdefault(_PAYLOADS, []).append(payload)
        self.size += 1

    def longest_at(self, forms, start):
        """(end, payloads) of the longest phrase starting at token ``start``, or None.

        ``forms`` lists, per token, the words it may be read as.
        """
        best = None
        frontier = [self.root]
        position = start
        while frontier and position < len(forms):
            following = []
            for node in frontier:
                for form in forms[position]:
                    child = node.get(form)
                    if child is not None:
                        following.append(child)
                for prefix, child in node.get(_WILDCARDS, ()):
                    if any(form.startswith(prefix) for form in forms[position]):
                        following.append(child)
            position += 1
            for node in following:
                if _PAYLOADS in node:
                    best = (position, node[_PAYLOADS])
            frontier = following
        return best

    def scan(self, forms):
        """Every leftmost-longest match: [(start, end, payloads)], never overlapping."""
        matches, position = [], 0
        while position < len(forms):
            found = self.longest_at(forms, position)
            if found:
                matches.append((position, found[0], found[1]))
                position = found[0]
            else:
                position += 1
        return matches
