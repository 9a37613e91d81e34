"""Report intake: from a pasted or saved news report to draft records for editors to confirm.

text.py tokens and sentences; linking.py the gazetteer linker (sites mentioned);
keywords.py threat categories from editors' keyword rules; dates.py dates as
EDTF; extract.py title, publisher, author, date, language and main text of saved
HTML or pasted text, and the grading from the publisher's record; attribution.py
whom a report credits ("according to the Syrian Observatory…") and the sources
that stand for their claims; roles.py which sites the report's own event
happened at (affected) and which it only mentions; proposals.py puts them
together, with the incidents already recorded that the report tells again, and
saves what an editor confirmed.
"""
