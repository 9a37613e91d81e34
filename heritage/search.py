"""Full-text search over the record: sources, history events and incidents.

On PostgreSQL: a weighted tsvector (titles count more than prose) matched with
websearch_to_tsquery and ordered by ts_rank; the expressions below are the ones
the GIN indexes of migration 0003_pages_search_indexes are built on, so the
planner can use them. Elsewhere (SQLite in development) every word of the query
must appear, case-insensitively, in one of the fields, and matches in the title
rank first.
"""

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

# Per model: (weight A fields, weight B fields). Keep in step with the migration.
SEARCH_FIELDS = {
    "source": (("title",), ("publisher", "authors", "summary")),
    "historyevent": (("title",), ("description",)),
    "incident": (("title",), ("description",)),
}
SEARCH_CONFIG = "english"


def uses_postgres():
    return connection.vendor == "postgresql"


def search_vector(model_name):
    from django.contrib.postgres.search import SearchVector

    primary, secondary = SEARCH_FIELDS[model_name]
    return SearchVector(*primary, weight="A", config=SEARCH_CONFIG) + SearchVector(
        *secondary, weight="B", config=SEARCH_CONFIG
    )


def full_text(queryset, text):
    """The rows of queryset matching text, best first, each annotated with ``rank``."""
    text = (text or "").strip()
    if not text:
        return queryset.none()
    if uses_postgres():
        return _postgres(queryset, text)
    return _fallback(queryset, text)


def _postgres(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    vector = search_vector(queryset.model._meta.model_name)
    return (
        queryset.alias(document=vector)
        .filter(document=query)
        .annotate(rank=SearchRank(vector, query))
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


def search_indexes():
    """(model name, GIN index) pairs over the same vectors the searches build: PostgreSQL only."""
    from django.contrib.postgres.indexes import GinIndex

    return [(name, GinIndex(search_vector(name), name=f"{name}_search_idx")) for name in SEARCH_FIELDS]
