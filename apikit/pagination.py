"""Page numbers with a total count by default; cursors for harvesters that walk everything.

Its own module: DRF imports the pagination class while its viewsets load.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, OrderBy, QuerySet
from rest_framework import exceptions
from rest_framework.pagination import BasePagination, CursorPagination, PageNumberPagination

from sites.nearby import NearbySites


def _page_size_from(request, default, maximum):
    text = request.query_params.get("page_size")
    if text is None:
        return default
    try:
        size = int(text)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise exceptions.ValidationError({"page_size": [f"Give a whole number from 1 to {maximum}."]})
    return size


def _sorts_by_unique_field(queryset, term):
    if isinstance(term, OrderBy):
        term = term.expression
    name = term.name if isinstance(term, F) else term.lstrip("-") if isinstance(term, str) else None
    if name is None or name == "pk":
        return name == "pk"
    try:
        field = queryset.model._meta.get_field(name)
    except FieldDoesNotExist:  # an annotation (a search's rank) or a related field's path
        return False
    return getattr(field, "unique", False)


def in_total_order(queryset):
    """The queryset with the primary key as its last sort key, unless a unique field is one already.

    Rows that tie on every sort key (two sites of one name, two incidents of one date and title) come in
    any order PostgreSQL likes, and may come in another for the next page's query: an offset then
    repeats some and skips others. Django's admin changelist adds "-pk" for the same reason. Anything
    but a plain QuerySet (a NearbySites sequence, sorted by distance then id) is given back as it is.
    """
    if not isinstance(queryset, QuerySet) or queryset.query.combinator:
        return queryset
    query = queryset.query
    ordering = list(query.order_by or (queryset.model._meta.ordering if query.default_ordering else ()))
    if "?" in ordering or any(_sorts_by_unique_field(queryset, term) for term in ordering):
        return queryset
    return queryset.order_by(*ordering, "pk")


class PageNumbers(PageNumberPagination):
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        return super().paginate_queryset(in_total_order(queryset), request, view)

    def get_page_size(self, request):
        return _page_size_from(request, self.page_size, self.max_page_size)

    def get_page_number(self, request, paginator):
        number = request.query_params.get(self.page_query_param, "1")
        if number != "last" and not (number.isascii() and number.isdigit() and int(number) >= 1):
            raise exceptions.ValidationError({"page": ["Give a page number from 1 up, or “last”."]})
        # DRF's own get_page_number() turns "last" into a number; replacing it must do so too.
        return paginator.num_pages if number == "last" else number


class Cursors(CursorPagination):
    """Walks everything in id order, stable while records are added: for harvesters."""

    ordering = "pk"
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        return _page_size_from(request, self.page_size, self.max_page_size)

    def get_ordering(self, request, queryset, view):
        return (self.ordering,)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {"cursor": ["This cursor is not valid: follow the “next” links of a previous response."]}
            ) from None


class ApiPagination(BasePagination):
    """Page numbers with a total count by default; `?pagination=cursor` (or a `cursor`) walks by cursor."""

    modes = ("page", "cursor")

    def paginate_queryset(self, queryset, request, view=None):
        mode = request.query_params.get("pagination", "cursor" if "cursor" in request.query_params else "page")
        if mode not in self.modes:
            raise exceptions.ValidationError({"pagination": ["Give “page” (the default) or “cursor”."]})
        if mode == "cursor" and isinstance(queryset, NearbySites):
            raise exceptions.ValidationError(
                {"pagination": ["Cursor pagination cannot be combined with near=; use page numbers."]}
            )
        self.mode = Cursors() if mode == "cursor" else PageNumbers()
        return self.mode.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = self.mode.get_paginated_response(data)
        if "count" not in response.data:
            response.data = {"count": None, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer", "nullable": True, "example": 14,
                    "description": "How many records match in all; null in cursor mode.",
                },
                "next": {
                    **link, "description": "The next page, or null on the last one.",
                    "example": "http://127.0.0.1:8000/api/v1/sites/?page=3",
                },
                "previous": {
                    **link, "description": "The previous page, or null on the first one.",
                    "example": "http://127.0.0.1:8000/api/v1/sites/?page=1",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        def parameter(name, schema, description, example):
            return {
                "name": name, "required": False, "in": "query",
                "description": description, "schema": schema, "example": example,
            }

        return [
            parameter("page", {"type": "string", "pattern": r"^([1-9][0-9]*|last)$"},
                      "Page number, from 1 (or “last”). Page-number mode only.", "2"),
            parameter("page_size", {"type": "integer", "minimum": 1, "maximum": PageNumbers.max_page_size},
                      "Records per page (default 50).", 100),
            parameter("pagination", {"type": "string", "enum": list(self.modes)},
                      "“page” (default) gives page numbers and a total `count`; “cursor” walks all records "
                      "in id order with opaque `next` links, stable while records are added: use it, with "
                      "`updated_since`, to harvest.", "cursor"),
            parameter("cursor", {"type": "string"},
                      "Opaque position from a `next`/`previous` link in cursor mode.", "cD0xMjM%3D"),
        ]
