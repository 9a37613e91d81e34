import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from heritage.models import ClaimStanding

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


@register.inclusion_tag("includes/name.html")
def site_name(name):
    """A name in its language and writing direction."""
    return {"name": name}
