"""Text that editors write in English and, where they can, also in Arabic.

A model's translatable text field ``title`` has its Arabic version in ``title_ar`` beside it (vocabularies:
``label`` and ``label_ar``). Readers of the Arabic interface get the Arabic version where there is one; where
there is none they get the English text, which says it is English (see heritage's ``translated`` tag), never
a machine translation.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy

ARABIC_VERSION_HELP = gettext_lazy(
    "Arabic version, where an editor provides one; readers of the Arabic pages see the English text without it."
)


def reader_language(language=None):
    """The language a reader reads in: language if given, else the active one ("ar" or "en")."""
    return (language or translation.get_language() or "en").split("-")[0]


class ArabicTextMixin:
    """For models with ``<field>_ar`` columns beside English text fields."""

    def text_in(self, field, language=None):
        """(text, the language it is in): the Arabic version for Arabic readers where given, else the English."""
        if reader_language(language) == "ar":
            arabic = getattr(self, f"{field}_ar", "")
            if arabic:
                return arabic, "ar"
        return getattr(self, field), "en"
