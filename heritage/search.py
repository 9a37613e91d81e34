"""Full-text search over the record: sources, history events and incidents.

On PostgreSQL each table has a stored, generated ``search_document`` column (a
weighted tsvector: titles count more than prose; migration 0005) with a GIN
index, matched with websearch_to_tsquery and ordered by ts_rank. Ranking reads
the stored vector instead of parsing every matching row's text again, which at
100,000s of rows is the difference between 30 ms and 500 ms. The column is not
a model field, so the models stay the same on SQLite, where every word of the
query must appear, case-insensitively, in one of the fields, and matches in the
title rank first.

A page that shows only the best few matches passes ``candidates``: then only the
first that many matches the index finds are ranked, so the cost is bounded by
that number however common the words are (ranking every one of 40,000 matches
of "temple" read 40,000 rows to keep 20). Each row then also carries
``matches``, the number of candidates ranked: when it reaches the bound, the
page says its best are "of the first N matches found". The API, which pages
through and counts every match, passes none. Which matches come first is up to
the database, but the same each time (sites.models.first_found).
"""

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When, Window
from django.db.models.expressions import RawSQL

from sites.models import first_found

# Per model: (weight A fields, weight B fields). On PostgreSQL the stored documents are built from
# these by migration 0005: changing them needs a migration that rebuilds the column.
SEARCH_FIELDS = {
    "source": (("title",), ("publisher", "authors", "summary")),
    "historyevent": (("title",), ("description",)),
    "incident": (("title",), ("description",)),
}
SEARCH_CONFIG = "english"
DOCUMENT_COLUMN = "search_document"


def uses_postgres():
    return connection.vendor == "postgresql"


def full_text(queryset, text, candidates=None):
    """The rows of queryset matching text, best first, each annotated with ``rank``.

    With ``candidates``, only the first that many matches found are ranked, each also annotated with
    ``matches`` (how many were ranked).
    """
    text = (text or "").strip()
    if not text:
        return queryset.none()
    ranked = _postgres if uses_postgres() else _fallback
    if candidates is None:
        return ranked(queryset, text)
    first = RawSQL(*first_found(ranked(queryset, text).order_by().values("pk"), candidates))  # noqa: S611  # nosec B611
    return ranked(queryset.filter(pk__in=first), text).annotate(matches=Window(Count("pk")))


def _postgres(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    # A column name from the model's own table, never from the request.
    document = RawSQL(f"{table}.{DOCUMENT_COLUMN}", [], output_field=SearchVectorField())  # noqa: S611  # nosec B611
    return (
        queryset.alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(document, query))
        .order_by("-rank", "-pk")
    )


def _fallback(queryset, text):
    primary, secondary = SEARCH_FIELDS[queryset.model._meta.model_name]
    words = text.split()
    for word in words:
        condition = Q()
        for field in primary + secondary:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    in_title = Q()
    for field in primary:
        in_title |= Q(**{f"{field}__icontains": text})
    return queryset.annotate(
        rank=Case(When(in_title, then=Value(2)), default=Value(1), output_field=IntegerField())
    ).order_by("-rank", "-pk")
