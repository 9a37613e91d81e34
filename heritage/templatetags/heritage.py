import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

from heritage.models import ClaimStanding
from sites.languages import reader_language

register = template.Library()

# The characters that could end a <script> element or open a comment inside it.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(document):
    """A schema.org document as <script type="application/ld+json">: data, never run, so CSP allows it."""
    text = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).translate(SCRIPT_ESCAPES)
    # Safe: JSON with <, > and & escaped, as Django's json_script does, so no text can leave the element.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308  # nosec B308 B703


@register.filter
def claim_class(status):
    """A CSS class for a claim badge: established claims look different from contested ones."""
    if status in (ClaimStanding.DISPUTED, ClaimStanding.RETRACTED):
        return "claim claim-contested"
    if status == ClaimStanding.CONFIRMED:
        return "claim claim-confirmed"
    return "claim"


@register.filter
def term(vocabulary_term):
    """A vocabulary term's label in the reader's language; an English-only label says it is English."""
    if vocabulary_term is None:
        return ""
    label, language = vocabulary_term.label_in()
    if language == reader_language():
        return label
    return format_html('<span lang="{}" dir="ltr">{}</span>', language, label)


@register.simple_tag
def translated(record, field, paragraphs=False):
    """A record's text field in the reader's language: its Arabic version where an editor gave one; else the
    English text, marked as English so that screen readers pronounce it right and readers know.
    paragraphs: the text is several paragraphs (as the linebreaks filter makes them)."""
    text, language = record.text_in(field)
    fallback = language != reader_language()
    if paragraphs:
        # Safe: linebreaks escapes the text (autoescape) before adding its <p> and <br>.
        text = mark_safe(linebreaks(text, autoescape=True))  # noqa: S308  # nosec B308 B703
        return format_html('<div lang="{}" dir="ltr">{}</div>', language, text) if fallback else text
    return format_html('<span lang="{}" dir="ltr">{}</span>', language, text) if fallback else text


@register.simple_tag
def english_attrs():
    """lang and dir attributes for text that exists only in English (risk reasons, descriptions), on a page in
    another language; nothing on an English page."""
    return "" if reader_language() == "en" else mark_safe(' lang="en" dir="ltr"')  # noqa: S308  # nosec B308 B703


@register.filter
def language_label(code):
    """A language code as the name of the language in the reader's language ("ar" → "Arabic", "العربية")."""
    try:
        return translation.gettext(translation.get_language_info(code)["name"])
    except KeyError:  # a code Django does not know: show it as stored
        return code


@register.inclusion_tag("heritage/includes/reading_notes.html")
def reading_notes():
    """What a source's grading (B2) and a [bracketed title] mean, for the pages that cite sources."""
    from heritage.models import Source

    return {"reliability_scale": Source.Reliability.choices, "credibility_scale": Source.Credibility.choices}


@register.inclusion_tag("includes/name.html")
def site_name(name):
    """A name in its language and writing direction."""
    return {"name": name}
