"""Web addresses of documents: one spelling per document, and the article number publishers put in it.

News sites serve one article under many addresses: http and https, with and
without "www.", an AMP copy, a trailing slash, tracking parameters added by
whoever shared it. ``normalise_url`` reduces them to one key; ``article_id``
reads the number most news sites give each article ("article-3164999",
"…-34111092", "/58172.htm"), which survives a changed headline in the slug.
SourceQuerySet.same_document() is the rule that uses them.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

# Parameters that say who shared a link or how it was reached, never which document it is.
TRACKING_PARAMETERS = frozenset((
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "ocid", "cmpid", "cmp", "ito",
    "xtor", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "ref", "ref_src", "referrer",
    "share", "smid", "smtyp", "src", "output", "outputtype", "amp", "__twitter_impression",
))
TRACKING_PREFIXES = ("utm_", "at_", "ga_", "pk_", "mkt_")
HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
AMP_SEGMENTS = frozenset({"amp", "amp.html"})
# An article number: five or more digits standing alone in a path segment.
ARTICLE_ID = re.compile(r"(?<![0-9])([0-9]{5,})(?![0-9])")
DATE_LIKE = re.compile(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])([0-2][0-9]|3[01])")


def host_of(url):
    """The host without "www.", "m." or "amp.": bbc.co.uk for https://www.bbc.co.uk/news/…"""
    host = (urlsplit(url.strip()).hostname or "").lower()
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
    return host


def normalise_url(url):
    """One key for the addresses of one document: no scheme, host prefixes, fragment, tracking
    parameters, AMP path or trailing slash; the query's other parameters in a fixed order."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    segments = [segment for segment in parts.path.split("/") if segment]
    segments = [segment for segment in segments if segment.lower() not in AMP_SEGMENTS]
    if segments and segments[-1].lower().endswith(".amp"):
        segments[-1] = segments[-1][:-4]
    if segments and segments[-1].lower() in ("index.html", "index.htm", "index.php"):
        segments.pop()
    query = sorted(
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMETERS and not key.lower().startswith(TRACKING_PREFIXES)
    )
    path = "/".join(segments)
    return f"{host_of(url)}/{path}" + (f"?{urlencode(query)}" if query else "")


def article_id(url):
    """The article number in an address's path (the last run of five or more digits that is not a
    date written 20150831), or "" when it has none."""
    path = urlsplit((url or "").strip()).path
    numbers = [number for number in ARTICLE_ID.findall(path) if not DATE_LIKE.fullmatch(number)]
    return numbers[-1] if numbers else ""
