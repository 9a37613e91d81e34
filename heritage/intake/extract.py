"""Title, author, publisher, date and main text of a saved web page, with trafilatura."""

import trafilatura

from heritage.intake.proposals import Report


class ExtractionError(ValueError):
    pass


def report_from_html(html, url=""):
    """A Report from the HTML of a saved article; raises ExtractionError when no article text is found."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    document = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not (document.text or "").strip():
        raise ExtractionError("No article text was found in this page.")
    text = document.text
    title = (document.title or "").strip()
    # trafilatura repeats the headline as the first line of the text.
    if title and text.startswith(title):
        text = text[len(title):].lstrip()
    return Report(
        text=text,
        title=title,
        publisher=(document.sitename or document.hostname or "").strip(),
        authors=(document.author or "").strip(),
        url=(document.url or url or "").strip(),
        published=(document.date or "")[:10],
        language=(document.language or "en"),
    )
