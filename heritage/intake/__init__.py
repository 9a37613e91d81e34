"""Report intake: from a pasted or saved news report to draft records for editors to confirm.

text.py tokens and sentences; linking.py the gazetteer linker (sites mentioned);
keywords.py threat categories from editors' keyword rules; dates.py dates as
EDTF; extract.py title, author, date and main text of saved HTML; proposals.py
puts them together and saves what an editor confirmed.
"""
