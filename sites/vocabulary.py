from django.db import models
from django.utils.translation import gettext_lazy as _

from sites.languages import ArabicTextMixin


class TermManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Term(ArabicTextMixin, models.Model):
    """An entry of a controlled vocabulary owned by a standard or by editors, loaded from fixtures.

    ``position`` orders a scale as the standard does (Definite before High before Medium), not alphabetically;
    ``source`` says whose list it is.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    label = models.CharField(_("label"), max_length=200, help_text=_("English label, as the standard prints it."))
    label_ar = models.CharField(_("Arabic label"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order within the vocabulary."))
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Whose vocabulary this is, e.g. EAMENA."))

    objects = TermManager()

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.slug,)

    def label_in(self, language=None):
        """(label, language it is in) for language, the active one by default.

        Arabic readers get ``label_ar`` where the vocabulary's owner gives one (``source`` says whose it is);
        a term without one is English-only, and its English label comes back marked "en", never a made-up
        translation.
        """
        return self.text_in("label", language)

    @property
    def localized_label(self):
        return self.label_in()[0]
