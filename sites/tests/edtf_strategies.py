"""Hypothesis strategies for EDTF-like text, shaped on the grammar rather than random characters.

They draw the whole of EDTF levels 0–2 (long and exponential years, significant digits, seasons,
unspecified digits anywhere, qualifiers on any component, open and unknown interval ends, sets
with ranges, times of day), valid or not, so that properties cover the class of inputs.
"""

from hypothesis import strategies as st

qualifiers = st.sampled_from(["", "", "", "?", "~", "%"])

four_digit_years = st.integers(min_value=-9999, max_value=9999).map(lambda year: f"{'-' if year < 0 else ''}{abs(year):04d}")
unspecified_years = st.from_regex(r"-?[0-9X]{4}", fullmatch=True)
long_years = st.one_of(
    st.integers(min_value=-(10**9), max_value=10**9).map(lambda year: f"Y{year}"),
    st.sampled_from(["Y17E7", "Y-17E7", "Y10000", "Y-10000", "1950S2", "Y171010000S3", "Y-170000000"]),
)
# Mostly real months and days, so that enough of what is drawn is valid to test what follows.
months = st.one_of(
    st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=42)
).map("{:02d}".format) | st.sampled_from(["XX", "1X", "0X"])
days = st.one_of(
    st.integers(min_value=1, max_value=28), st.integers(min_value=0, max_value=32)
).map("{:02d}".format) | st.sampled_from(["XX", "1X", "3X"])
times = st.sampled_from(["", "", "", "", "T10:00:00", "T23:20:30Z", "T10:00:00+04:00"])


years = st.one_of(four_digit_years, four_digit_years, unspecified_years, long_years)


@st.composite
def single_dates(draw):
    text = draw(qualifiers) + draw(years) + draw(qualifiers)
    if draw(st.booleans()):
        text += "-" + draw(qualifiers) + draw(months) + draw(qualifiers)
        if draw(st.booleans()):
            text += "-" + draw(qualifiers) + draw(days) + draw(qualifiers) + draw(times)
    return text


interval_ends = st.one_of(single_dates(), single_dates(), st.just(".."), st.just(""))


@st.composite
def intervals(draw):
    return f"{draw(interval_ends)}/{draw(interval_ends)}"


@st.composite
def set_items(draw):
    start, end = draw(single_dates()), draw(single_dates())
    return draw(st.sampled_from([start, start, f"{start}..{end}", f"..{end}", f"{start}.."]))


@st.composite
def sets(draw):
    opening, closing = draw(st.sampled_from(["[]", "{}"]))
    return opening + ",".join(draw(st.lists(set_items(), min_size=1, max_size=3))) + closing


edtf_like = st.one_of(single_dates(), single_dates(), intervals(), sets())
