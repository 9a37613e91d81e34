"""Incidents over time as an SVG bar chart, drawn on the server (no script, no external assets)."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from sites.dates import date_from_day_number

# A date spanning more than this many days cannot be put in one month.
MONTH_PRECISION_DAYS = 31
# Beyond this many months, bars per year read better than a comb of thin bars.
MAX_MONTH_BARS = 120
# Up to this many months, the start of each quarter is labelled as well as each year.
MAX_QUARTER_LABELLED_MONTHS = 48

WIDTH, HEIGHT = 640, 240
# Room on the left for the counts and the vertical axis's title, below for the years and the horizontal one's.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 52, 8, 12, 52


@dataclass
class Bar:
    label: str
    count: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    tick: str = ""


@dataclass
class Chart:
    """Counts of incidents per month (or per year over long spans) with their SVG geometry."""

    title: str
    unit: str = "month"
    bars: list = field(default_factory=list)
    vague: int = 0
    total: int = 0
    ticks: list = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - MARGIN_BOTTOM
    left: int = MARGIN_LEFT
    peak: int = 0
    quarters_labelled: bool = False

    @property
    def described(self):
        dated = self.total - self.vague
        parts = [ngettext("%(count)s incident", "%(count)s incidents", self.total) % {"count": self.total}]
        if self.vague:
            vague = (
                ngettext("%(count)s dated too vaguely for a year is not drawn",
                         "%(count)s dated too vaguely for a year are not drawn", self.vague)
                if self.unit == "year" else
                ngettext("%(count)s dated too vaguely for a month is not drawn",
                         "%(count)s dated too vaguely for a month are not drawn", self.vague)
            )
            parts.append(vague % {"count": self.vague})
        drawn = [bar for bar in self.bars if bar.count]
        if dated and drawn:
            span = {"first": drawn[0].label, "last": drawn[-1].label, "peak": self.peak}
            parts.append(
                (gettext("from %(first)s to %(last)s, at most %(peak)s in one year") if self.unit == "year"
                 else gettext("from %(first)s to %(last)s, at most %(peak)s in one month")) % span
            )
        return gettext("; ").join(parts) + "."

    @property
    def x_axis_title(self):
        """What the horizontal axis counts in, and which of its bars carry a label."""
        if self.unit == "year":
            return gettext("Year (labelled every fifth year)")
        if self.quarters_labelled:
            return gettext("Month (labelled each quarter)")
        return gettext("Month (labelled each January)")

    @property
    def y_axis_title(self):
        if self.unit == "year":
            return gettext("Incidents in the year")
        return gettext("Incidents in the month")

    @property
    def heading(self):
        """The chart's title with its unit: "Incidents at Palmyra per month"."""
        if self.unit == "year":
            return gettext("%(title)s per year") % {"title": self.title}
        return gettext("%(title)s per month") % {"title": self.title}


def _month_start(day):
    date = date_from_day_number(day)
    return None if date is None else date.replace(day=1)


def _months(first, last):
    month = first
    while True:
        yield month
        if month >= last:  # before stepping on: the month after December 9999 is not a date
            return
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def incidents_per_month(bounds, title):
    """A Chart from (date_earliest, date_latest) pairs of incidents."""
    chart = Chart(title=title)
    counts = {}
    for earliest, latest in bounds:
        chart.total += 1
        month = _month_start(earliest) if earliest is not None and latest is not None else None
        if month is None or latest - earliest > MONTH_PRECISION_DAYS or _month_start(latest) != month:
            chart.vague += 1
            continue
        counts[month] = counts.get(month, 0) + 1
    if not counts:
        return chart
    # Whole calendar years, so that a lone month is seen against the rest of its year.
    months = list(_months(min(counts).replace(month=1), max(counts).replace(month=12)))
    if len(months) > MAX_MONTH_BARS:
        chart.unit = "year"
        per_year = {}
        for month, count in counts.items():
            per_year[month.year] = per_year.get(month.year, 0) + count
        years = range(min(per_year), max(per_year) + 1)
        chart.bars = [Bar(str(year), per_year.get(year, 0), tick=str(year) if year % 5 == 0 else "") for year in years]
    else:
        chart.quarters_labelled = len(months) <= MAX_QUARTER_LABELLED_MONTHS
        chart.bars = [Bar(date_format(month, "YEAR_MONTH_FORMAT"), counts.get(month, 0), tick=_month_tick(chart, month))
                      for month in months]
    _lay_out(chart)
    return chart


def _month_tick(chart, month):
    """A January bar carries its year; over short spans April, July and October carry their names too."""
    if month.month == 1:
        return str(month.year)
    return date_format(month, "M") if chart.quarters_labelled and month.month in (4, 7, 10) else ""


def _lay_out(chart):
    chart.peak = max(bar.count for bar in chart.bars)
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_width / len(chart.bars)
    for index, bar in enumerate(chart.bars):
        bar.width = round(max(step * 0.8, 1), 2)
        bar.x = round(MARGIN_LEFT + index * step + (step - bar.width) / 2, 2)
        bar.height = round(plot_height * bar.count / chart.peak, 2)
        bar.y = round(chart.baseline - bar.height, 2)
    chart.ticks = [(round(MARGIN_TOP + plot_height * (1 - value / chart.peak), 2), value)
                   for value in sorted({0, chart.peak, chart.peak // 2})]
