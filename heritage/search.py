"""Full-text search over the record: sources, history events and incidents.

On PostgreSQL each table has a stored, generated ``search_document`` column (a
weighted tsvector: titles count more than prose; migration 0005) with a GIN
index, matched with websearch_to_tsquery and ordered by ts_rank. Ranking reads
the stored vector instead of parsing every matching row's text again, which at
100,000s of rows is the difference between 30 ms and 500 ms. The column is not
a model field, so the models stay the same on SQLite, where every word of the
query must appear, case-insensitively, in one of the fields, and matches in the
title rank first.
"""

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

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


def full_text(queryset, text):
    """The rows of queryset matching text, best first, each annotated with ``rank``."""
    text = (text or "").strip()
    if not text:
        return queryset.none()
    if uses_postgres():
        return _postgres(queryset, text)
    return _fallback(queryset, text)


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
