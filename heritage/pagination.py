"""Page numbers for long lists, counted exactly while that is cheap and estimated beyond.

Counting every match reads every matching row, so an exact count grows with the table: the
Syrian sites at high risk were 80 ms to count at 100,000 demo sites (9,500 matches), where
their first page took 1 ms. Counting stops at EXACT_COUNT_UP_TO; a larger total is
PostgreSQL's planner estimate, rounded and shown as "about" (issue 14 allows it).
"""

import json

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property

from apikit.pagination import in_total_order

# Up to this many matches a list is counted exactly: finding this many rows costs about the same at
# any size of table, since the search stops there.
EXACT_COUNT_UP_TO = 1000


def estimated_rows(queryset):
    """The number of rows PostgreSQL's planner expects the queryset to give (EXPLAIN, no rows read); None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def count_or_estimate(queryset, exact_up_to=None):
    """(the number of rows, whether it is an estimate): exact up to ``exact_up_to``, beyond it the planner's
    estimate rounded by about() (exact where there is no planner to ask). What every list and figure that may
    count many rows shows."""
    exact_up_to = EXACT_COUNT_UP_TO if exact_up_to is None else exact_up_to
    found = queryset.order_by()[: exact_up_to + 1].count()
    if found <= exact_up_to:
        return found, False
    estimate = estimated_rows(queryset)
    if estimate is None:  # no planner to ask: count them all
        return queryset.count(), False
    return max(about(estimate), found), True


def about(number):
    """A large estimate rounded to two significant figures: 11,158 → 11,000."""
    return int(round(number, 2 - len(str(int(number)))))


class EstimatedPage(Page):
    def has_next(self):
        if self.paginator.estimated:  # the estimated last page may not be the last one
            return self.more
        return super().has_next()


class ListPaginator(Paginator):
    """A Paginator whose rows keep one order from page to page (in_total_order()), ties and all."""

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(in_total_order(object_list), per_page, **kwargs)


class EstimatingPaginator(ListPaginator):
    """A ListPaginator whose ``count`` is exact up to EXACT_COUNT_UP_TO and estimated beyond (``estimated`` says which).

    When estimated, any page from the first up may be asked for, and "next" is offered while
    there are more rows, whatever the estimate says.
    """

    def __init__(self, object_list, per_page, exact_up_to=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.exact_up_to = exact_up_to

    @cached_property
    def _counted(self):
        """(count, estimated)."""
        return count_or_estimate(self.object_list, self.exact_up_to)

    @cached_property
    def count(self):
        return self._counted[0]

    @property
    def estimated(self):
        return self._counted[1]

    def validate_number(self, number):
        if not self.estimated:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if not self.estimated:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page + 1])  # one more: is there a next page?
        page = EstimatedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def _get_page(self, *args, **kwargs):
        return EstimatedPage(*args, **kwargs)
