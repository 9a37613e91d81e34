import json
import re
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config import response_cache
from heritage.risk import RISK_RANK, RiskInputs, RiskLevel, assess, reason_words
from heritage.search import full_text
from sites.dates import EDTF_HELP_TEXT, EDTFBoundsMixin, day_number, is_uncertain, validate_edtf
from sites.languages import ARABIC_VERSION_HELP, ArabicTextMixin
from sites.models import Certainty, Designation, Identifier, NameKind, Site, SiteKind, SiteName
from sites.text import fold
from sites.vocabulary import Term, TermManager

# Vocabularies ---------------------------------------------------------------


class ThreatCategoryQuerySet(models.QuerySet):
    def primary(self):
        return self.filter(parent__isnull=True)

    def secondary(self):
        return self.filter(parent__isnull=False)

    def in_tree_order(self):
        """Each primary factor followed by its secondary ones, as UNESCO lists them."""
        return self.order_by(
            Coalesce("parent__position", "position"), Coalesce("parent__label", "label"),
            F("parent").asc(nulls_first=True), "position", "label",
        )

    def within(self, category):
        """The category and the categories below it: a primary factor with its secondary ones."""
        return self.filter(Q(pk=category.pk) | Q(parent=category.pk))

    def with_incident_counts(self):
        """Each category with ``incident_count``: its own published incidents (not its children's)."""
        published = Q(incidents__status=Status.PUBLISHED)
        return self.annotate(incident_count=models.Count("incidents", filter=published, distinct=True))


class ThreatCategoryManager(TermManager.from_queryset(ThreatCategoryQuerySet)):
    pass


class ThreatCategory(Term):
    """UNESCO's "factors affecting the properties": 14 primary factors, each with secondary ones."""

    code = models.CharField(_("code"), max_length=10, blank=True, help_text=_("UNESCO's number of a primary factor (1–14)."))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        help_text=_("The primary factor a secondary factor belongs to."),
    )
    verified = models.CharField(
        _("verified"), max_length=200, blank=True, help_text=_("How the label was checked against UNESCO's list."),
    )

    objects = ThreatCategoryManager()

    class Meta(Term.Meta):
        verbose_name = _("threat category")
        verbose_name_plural = _("threat categories")

    def __str__(self):
        return f"{self.parent.label} › {self.label}" if self.parent_id else self.label

    def get_absolute_url(self):
        return reverse("heritage:category", args=[self.slug])

    def site_pks(self):
        """Ids of the sites with a published incident in this category or below it (for ``pk__in``).

        The one answer to "sites threatened by X" for the site list's filter and the API's.
        """
        return Incident.objects.published().in_category(self).site_pks()

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({
                "parent": _("UNESCO's factors have two levels: a secondary factor's parent must be primary."),
            })


class ConditionState(Term):
    """EAMENA overall condition, ordered from Good to Destroyed (Unknown last)."""

    class Meta(Term.Meta):
        verbose_name = _("condition state")
        verbose_name_plural = _("condition states")


class DamageExtent(Term):
    """EAMENA damage extent (1–10 % … 91–100 %)."""

    class Meta(Term.Meta):
        verbose_name = _("damage extent")
        verbose_name_plural = _("damage extents")


class DamageTrend(Term):
    """EAMENA damage trend (New, Increasing, Stable…)."""

    class Meta(Term.Meta):
        verbose_name = _("damage trend")
        verbose_name_plural = _("damage trends")


class Effect(Term):
    """EAMENA effect type: what the disturbance did to the fabric."""

    class Meta(Term.Meta):
        verbose_name = _("effect")
        verbose_name_plural = _("effects")


class Actor(Term):
    """Who did it, as the sources name them: Islamic State, Syrian Arab Army…"""

    class Meta(Term.Meta):
        verbose_name = _("actor")
        verbose_name_plural = _("actors")


# Editorial state and citations ---------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What anonymous readers may see."""
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Published records, plus drafts for editors who can change them."""
        if user.is_authenticated and user.has_perm(f"{self.model._meta.app_label}.change_{self.model._meta.model_name}"):
            return self
        return self.published()

    def search(self, text, candidates=None):
        """Rows matching the words of text, best first (full-text on PostgreSQL); with ``candidates``, the best
        of the first that many matches found, each with ``matches``. See heritage/search.py."""
        return full_text(self, text, candidates)

    def publish(self):
        """Publish the drafts among these records that may be published, in one transaction.

        Returns (published, refused): the records published, and (record, ValidationError) for each one
        refused, with the reason an editor can read. Each goes through its own publish(), so a selection
        obeys the same rule and leaves the same audit trail as one record; the write path ends once, for all.
        """
        published, refused = [], []
        with transaction.atomic():
            for record in self.exclude(status=Status.PUBLISHED):
                try:
                    record.publish_without_refresh()
                except ValidationError as error:
                    refused.append((record, error))
                else:
                    published.append(record)
            RiskProfile.objects.record_changed({pk for record in published for pk in profiled_site_pks(record)})
        return published, refused


class Publishable(models.Model):
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False, db_index=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def check_publishable(self):
        """Raise ValidationError if this record may not be published as it stands."""

    @transaction.atomic
    def publish(self):
        """Publish this record if the rule allows (check_publishable()), then end the write path."""
        self.publish_without_refresh()
        RiskProfile.objects.record_changed(profiled_site_pks(self))

    def publish_without_refresh(self):
        """publish() without its write path's end, for a writer that publishes many and ends it once."""
        self.status = Status.PUBLISHED
        try:
            self.check_publishable()
        except ValidationError:
            self.status = Status.DRAFT
            raise
        self.save()


class CitedQuerySet(PublishableQuerySet):
    def citing(self, source):
        """Facts with a citation of the source."""
        return self.filter(models.Exists(Citation.objects.filter(source=source, **{self._citing_fact: OuterRef("pk")})))

    def publishable(self):
        """Facts citing at least one published source: those that may be published."""
        cites_published = Citation.objects.filter(source__status=Status.PUBLISHED, **{self._citing_fact: OuterRef("pk")})
        return self.filter(models.Exists(cites_published))

    def update(self, **kwargs):
        # A bulk UPDATE cannot check what each fact cites; publishing goes through publish(), which does.
        if "status" in kwargs and kwargs["status"] != Status.DRAFT:
            raise ValueError(
                f"{self.model._meta.verbose_name_plural.capitalize()} are published with .publish(), which checks "
                "that each cites a published source; .update(status=...) would skip that rule."
            )
        return super().update(**kwargs)

    @property
    def _citing_fact(self):
        """The name of Citation's foreign key to this kind of fact ("event", "incident", "assessment")."""
        return self.model._meta.get_field("citations").field.name


class Cited(Publishable):
    """A fact the record states on the authority of its sources: published only while it cites a published one.

    The rule is check_publishable(), which every path that publishes a fact or changes what it cites asks
    with the sources the write will leave it citing: the admin form with its citation inline, the API, the
    spreadsheet import, the publish actions. It is not part of clean(): a fact and its first citations
    arrive in one form or request, and the citations can only be saved after the fact.
    """

    class Meta:
        abstract = True

    def cited_sources(self):
        """The sources this fact cites as stored."""
        return list(Source.objects.filter(pk__in=self.citations.values("source"))) if self.pk else []

    def check_publishable(self, sources=None):
        """Raise ValidationError if this fact is to be published without citing a published source.

        ``sources``: what it will cite once the write in hand is saved (a form's citation inline, an API
        request's citations); by default what it cites now.
        """
        if self.status != Status.PUBLISHED:
            return
        sources = self.cited_sources() if sources is None else list(sources)
        if any(source.status == Status.PUBLISHED for source in sources):
            return
        noun = self._meta.verbose_name
        if not sources:
            raise ValidationError(
                _("A published %(noun)s must cite at least one source. Add a citation, or keep it as a draft.")
                % {"noun": noun}
            )
        drafts = list(dict.fromkeys(_("“%(source)s”") % {"source": source} for source in sources))
        if len(drafts) == 1:
            message = _(
                "A published %(noun)s must cite at least one published source; %(draft)s is still a draft. "
                "Publish the source first, or keep the %(noun)s as a draft."
            )
            raise ValidationError(message % {"noun": noun, "draft": drafts[0]})
        message = _(
            "A published %(noun)s must cite at least one published source; %(drafts)s and %(last)s are still "
            "drafts. Publish one of them first, or keep the %(noun)s as a draft."
        )
        raise ValidationError(message % {"noun": noun, "drafts": _(", ").join(drafts[:-1]), "last": drafts[-1]})

    def check_publishable_without(self, citation, instead=None):
        """Raise ValidationError if removing the citation, or citing the source ``instead`` in its place,
        would leave this fact published without a published source."""
        others = list(Source.objects.filter(pk__in=self.citations.exclude(pk=citation.pk).values("source")))
        self.check_publishable(sources=[*others, instead] if instead else others)

# Sources ------------------------------------------------------------------

# Intake quotes at most this many characters of a sentence (proposals.save_drafts).
QUOTE_LIMIT = 500
# Titles of one article copied to another address differ at most by a site name or punctuation.
SAME_TITLE_RATIO = 90


def unique_slug(model, text, limit=160):
    """A slug for a new ``model`` row made from ``text``, numbered (-2, -3…) when one is taken."""
    base = slugify(text)[: limit - 12].strip("-") or model._meta.model_name
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class SourceQuerySet(PublishableQuerySet):
    def with_links_visible_to(self, user, *links):
        """Prefetch links to other sources ("relies_on", "relied_on_by") as far as the user may see them.

        A published source must not name a draft to readers: the page, the API and its CSV all read
        ``source.relies_on.all()`` through this.
        """
        visible = Source.objects.visible_to(user)
        return self.prefetch_related(*(models.Prefetch(link, queryset=visible) for link in links))

    def same_document(self, urls=(), title="", sentences=()):
        """Sources already recorded that are this document under another address or copy.

        A source is the same document when one of ``urls`` (the address given, the page's
        canonical link and og:url) has its normalised address (web_addresses.normalise_url:
        no scheme, "www.", AMP, trailing slash or tracking parameters), or the same host and
        article number; or when its text is near-identical: every sentence it quotes (one at
        least) is among ``sentences`` of the new text, and its title reads the same (fuzzy
        ratio of at least SAME_TITLE_RATIO) or it quotes three sentences or more. The intake
        form, the import command and the API ask this before recording a report.
        """
        from rapidfuzz import fuzz

        from heritage.web_addresses import article_id, host_of, normalise_url

        found = set()
        urls = [url for url in dict.fromkeys(urls) if url]
        keys = {normalise_url(url) for url in urls}
        articles = {(host_of(url), article_id(url)) for url in urls if article_id(url)}
        for host in {host_of(url) for url in urls} - {""}:
            for pk, url in self.filter(url__icontains=host).values_list("pk", "url"):
                if normalise_url(url) in keys or (host_of(url), article_id(url)) in articles:
                    found.add(pk)
        quoted = {" ".join(sentence.split())[:QUOTE_LIMIT] for sentence in sentences if sentence.strip()}
        if quoted:
            candidates = self.filter(citations__quote__in=quoted).distinct().prefetch_related("citations")
            for source in candidates:
                quotes = {" ".join(citation.quote.split()) for citation in source.citations.all()}
                if not quotes <= quoted:
                    continue
                if len(quotes) >= 3 or (title and fuzz.token_sort_ratio(title, source.title) >= SAME_TITLE_RATIO):
                    found.add(source.pk)
        return self.filter(pk__in=found)

    def withdraw(self):
        """Take the published ones among these sources back to draft, in one transaction.

        Returns the facts withdrawn with them (see Source.withdraw()).
        """
        withdrawn = []
        with transaction.atomic():
            for source in self.published():
                withdrawn.extend(source.withdraw())
        return withdrawn

    def update(self, **kwargs):
        # A bulk UPDATE would leave the facts citing these sources published on drafts.
        if "status" in kwargs and kwargs["status"] != Status.PUBLISHED:
            raise ValueError(
                "Sources are taken back to draft with .withdraw(), which withdraws the facts left without a "
                "published source; .update(status=...) would skip that."
            )
        return super().update(**kwargs)

    def primary_sources(self, visible):
        """The independent primary sources behind these sources: the roots of their "relies on" chains.

        Chains are followed only through ``visible`` sources (what the reader may see): a source relying
        on nothing visible is its own primary source, so a reader is never counted a draft. Copies
        collapse: two reports relying on the same observatory statement have one primary source.
        A lazy QuerySet: the chains are followed in one recursive query, however deep they go.
        """
        sql, params = self._chains(visible, "node")
        return Source.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611  # nosec B611

    def primary_sources_of_each(self, visible):
        """{pk of each of these sources: its primary sources}, by the rule of primary_sources(), in two
        queries however many sources and however deep their chains: the pairs, then the primary sources."""
        sql, params = self._chains(visible, "start, node")
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            pairs = cursor.fetchall()
        primaries = Source.objects.in_bulk({node for _, node in pairs})
        found = {}
        for start, node in sorted(pairs):
            found.setdefault(start, []).append(primaries[node])
        return found

    def _chains(self, visible, columns):
        """SQL selecting ``columns`` (start: one of these sources; node: a primary source behind it) of the
        walk up the "relies on" links between ``visible`` sources."""
        connection = connections[self.db]
        starts, start_params = self.order_by().values("pk").query.get_compiler(connection=connection).as_sql()
        links = Source.relies_on.through.objects.filter(to_source__in=visible).values("from_source", "to_source")
        links_sql, links_params = links.order_by().query.get_compiler(connection=connection).as_sql()
        # Built from the compiled SQL of the two querysets; values stay parameters (as Site.objects._walk()).
        # A node is a root when it relies on nothing visible; a cycle of sources relying on each other has none.
        chain = (
            f"WITH RECURSIVE chain (start, node) AS (SELECT starts.pk, starts.pk FROM ({starts}) starts "  # noqa: S608  # nosec B608
            f"UNION SELECT chain.start, links.to_source FROM chain JOIN ({links_sql}) links "
            f"ON links.from_source = chain.node) "
            f"SELECT {columns} FROM chain WHERE node NOT IN (SELECT upstream.from_source FROM ({links_sql}) upstream)"
        )
        return chain, (*start_params, *links_params, *links_params)


class SourceManager(models.Manager.from_queryset(SourceQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Source(ArabicTextMixin, EDTFBoundsMixin, Publishable):
    """A document that reports something: a news article, a monitoring report, imagery analysis…"""

    class Kind(models.TextChoices):
        NEWS = "news", _("News article")
        PRESS_RELEASE = "press-release", _("Press release")
        MONITORING = "monitoring", _("Monitoring-group report")
        UNESCO = "unesco", _("UNESCO document")
        IMAGERY = "imagery", _("Satellite imagery analysis")
        ACADEMIC = "academic", _("Academic publication")
        SOCIAL = "social", _("Social media or video")
        REFERENCE = "reference", _("Reference work or database")

    class Reliability(models.TextChoices):
        """Admiralty (NATO) source reliability: how far the publisher has proved right before."""

        A = "A", _("A – Completely reliable")
        B = "B", _("B – Usually reliable")
        C = "C", _("C – Fairly reliable")
        D = "D", _("D – Not usually reliable")
        E = "E", _("E – Unreliable")
        F = "F", _("F – Reliability cannot be judged")

    class Credibility(models.TextChoices):
        """Admiralty (NATO) information credibility: how far this report is borne out."""

        CONFIRMED = "1", _("1 – Confirmed by other sources")
        PROBABLY_TRUE = "2", _("2 – Probably true")
        POSSIBLY_TRUE = "3", _("3 – Possibly true")
        DOUBTFUL = "4", _("4 – Doubtful")
        IMPROBABLE = "5", _("5 – Improbable")
        UNKNOWN = "6", _("6 – Truth cannot be judged")

    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True, help_text=_("As credited, separated by semicolons."))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    archived_url = models.URLField(
        _("archived copy"), max_length=1000, blank=True, help_text=_("A Wayback Machine or other archive copy.")
    )
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    published = models.CharField(
        _("publication date"), max_length=64, blank=True, validators=[validate_edtf], help_text=_(EDTF_HELP_TEXT)
    )
    published_earliest = models.IntegerField(_("published earliest"), null=True, blank=True, editable=False, db_index=True)
    published_latest = models.IntegerField(_("published latest"), null=True, blank=True, editable=False)
    # The date in words, stored by save() so that pages do not parse it on every request.
    published_words = models.TextField(_("published in words"), blank=True, default="", db_default="", editable=False)
    published_words_ar = models.TextField(_("published in words (Arabic)"), blank=True, default="", db_default="", editable=False)
    language = models.CharField(_("language"), max_length=35, default="en", help_text=_("BCP 47 tag of the document's language."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the document says, in our own words."))
    summary_ar = models.TextField(_("summary in Arabic"), blank=True, help_text=ARABIC_VERSION_HELP)
    reliability = models.CharField(_("reliability"), max_length=1, choices=Reliability.choices, default=Reliability.F)
    credibility = models.CharField(_("credibility"), max_length=1, choices=Credibility.choices, default=Credibility.UNKNOWN)
    graphic = models.BooleanField(
        _("graphic content"), default=False, help_text=_("Describes or shows violence; pages hide it behind a warning.")
    )
    relies_on = models.ManyToManyField(
        "self", verbose_name=_("relies on"), symmetrical=False, blank=True, related_name="relied_on_by",
        help_text=_("Sources this one repeats (a news story relying on a monitoring group's report)."),
    )
    story = models.ForeignKey(
        "Story", verbose_name=_("story"), on_delete=models.SET_NULL, null=True, blank=True, related_name="reports",
        help_text=_("The story this report belongs to: reports of the same event grouped together."),
    )

    history = HistoricalRecords(m2m_fields=[relies_on])
    objects = SourceManager()

    edtf_fields = ("published",)
    # Set by save(): the facts that went back to draft because this save withdrew the source.
    withdrawn_facts = ()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_earliest", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_set",
                violation_error_message="Another source already has this web address: cite that source instead.",
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

    def save(self, *args, **kwargs):
        # Read from the database, not remembered from load: every path that takes a source back to
        # draft (admin form, API, spreadsheet, shell) ends here, whatever instance it holds.
        update_fields = kwargs.get("update_fields")
        withdrawing = (
            self.pk is not None
            and self.status == Status.DRAFT
            and (update_fields is None or "status" in update_fields)
            and Source.objects.filter(pk=self.pk, status=Status.PUBLISHED).exists()
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.withdrawn_facts = self._withdraw_dependent_facts() if withdrawing else []

    def get_absolute_url(self):
        return reverse("heritage:source", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.url:
            recorded = Source.objects.same_document(urls=[self.url]).exclude(pk=self.pk).first()
            if recorded is not None:
                raise ValidationError({"url": _(
                    "This address is the document already recorded as the source “%(source)s” (%(slug)s): "
                    "cite that source instead."
                ) % {"source": recorded, "slug": recorded.slug}})

    @property
    def grading(self):
        """The Admiralty code analysts write, e.g. "B2"."""
        return f"{self.reliability}{self.credibility}"

    @property
    def title_is_supplied(self):
        """True for a title we wrote, in [square brackets], where the document's own title is not known."""
        return self.title.startswith("[") and self.title.endswith("]")

    @property
    def published_display(self):
        return self.in_words_of("published")

    def withdraw(self):
        """Take the source back to draft; returns the facts withdrawn with it (see save())."""
        self.status = Status.DRAFT
        self.save()
        return self.withdrawn_facts

    def _withdraw_dependent_facts(self):
        """Facts that cited this source and no other published one go back to draft with it.

        Called by save() once the source is stored as a draft, inside its transaction.
        """
        withdrawn = []
        for model in (HistoryEvent, Incident, ConditionAssessment):
            orphaned = model.objects.published().citing(self).exclude(pk__in=model.objects.publishable())
            for fact in orphaned:
                fact.status = Status.DRAFT
                fact.save()
                withdrawn.append(fact)
        RiskProfile.objects.record_changed({pk for fact in withdrawn for pk in profiled_site_pks(fact)})
        return withdrawn


class Quotation(models.Model):
    """A short quotation from a source, tied to the claim it supports."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="quotations")
    text = models.TextField(_("text"), help_text=_("Quoted word for word; keep it short."))
    supports = models.CharField(_("supports"), max_length=500, help_text=_("The claim this quotation supports, in our words."))
    locator = models.CharField(_("locator"), max_length=120, blank=True, help_text=_("Page, paragraph or timestamp."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["source", "id"]

    def __str__(self):
        return f"“{self.text[:60]}…”" if len(self.text) > 60 else f"“{self.text}”"


# Organisations: who publishes and who is relied on --------------------------


class OrganisationQuerySet(models.QuerySet):
    def named(self, text):
        """Organisations one of whose names is ``text``, folded (case, accents, Arabic spellings; see
        sites.text.fold), also without a leading "The" or a bracketed part: "Daily Mail (MailOnline)"
        and "the daily mail" name the Daily Mail."""
        return self.filter(names__folded__in=OrganisationName.keys_of(text)).distinct()

    def for_url(self, url):
        """Organisations whose site is the host of ``url`` or a domain above it (news.bbc.co.uk → bbc.co.uk)."""
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").removeprefix("www.")
        if not host:
            return self.none()
        parts = host.split(".")
        domains = {".".join(parts[index:]) for index in range(len(parts) - 1)}
        return self.filter(pk__in=[
            organisation.pk for organisation in self.exclude(domains="")
            if domains & set(organisation.domains.split())
        ])


class OrganisationManager(models.Manager.from_queryset(OrganisationQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Organisation(models.Model):
    """A publisher or a body that reports: a news agency, a monitoring group, a UN programme.

    Intake credits reports to organisations by their names in any script ("according to
    the Syrian Observatory for Human Rights", "وفقا للمرصد السوري لحقوق الإنسان") and grades a
    report from its publisher's default reliability, which editors may change on each source.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"),
        max_length=255, help_text=_("The name the record uses, in English. Intake finds an organisation by its "
                                  "names below: list this one there too, with every other name and acronym."),
    )
    source_kind = models.CharField(
        _("kind of its documents"), max_length=20, choices=Source.Kind.choices, default=Source.Kind.NEWS,
        help_text=_("What a source it publishes usually is; a new draft source for its claim gets this kind."),
    )
    url = models.URLField(_("web site"), max_length=500, blank=True)
    domains = models.CharField(_("domains"),
        max_length=255, blank=True,
        help_text=_("The web domains it publishes under, separated by spaces (bbc.co.uk bbc.com): a report at one "
                  "of them is from this organisation."),
    )
    reliability = models.CharField(
        _("default reliability"), max_length=1, choices=Source.Reliability.choices, default=Source.Reliability.F,
        help_text=_("Admiralty reliability given to its reports at intake; editors may change it on each source."),
    )
    reliability_reason = models.TextField(_("reliability reason"),
        blank=True, help_text=_("Why this default: the record it has, as the editors judge it."),
    )
    source_url = models.URLField(
        _("where this comes from"), max_length=500, blank=True,
        help_text=_("Where the name, site and names in other scripts were taken from (its own site, Wikidata…)."),
    )
    source_note = models.CharField(_("source note"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = OrganisationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def is_named(self, text):
        """Whether ``text`` is one of this organisation's names (the names prefetched or read once)."""
        return bool(OrganisationName.keys_of(text) & {name.folded for name in self.names.all()})

    def claim_cited_by(self, report):
        """A new draft source standing for this organisation's claim as the saved ``report`` tells it.

        For a claim known only through a report (no copy of the organisation's own statement at
        hand): titled in square brackets as supplied by us, graded with this organisation's default
        reliability, and dated on or just before the report, uncertain ("2015-07-17?").
        """
        published = report.published
        if published and not published.endswith(("?", "~", "%")):
            try:
                validate_edtf(f"{published}?")
            except ValidationError:  # an interval or set: keep it as the report gives it
                pass
            else:
                published = f"{published}?"
        slug = unique_slug(Source, f"{self.slug} claim {report.published or report.slug}")
        cited_by = report.publisher or "a report"
        claim = Source(
            slug=slug,
            kind=self.source_kind,
            title=f"[Report by {self.name}, as cited by {cited_by}]"[:500],
            publisher=self.name,
            published=published,
            reliability=self.reliability,
            summary=f"Known through {cited_by}'s report “{report.title}”, which credits it; dated on or just "
                    "before that report.",
            graphic=report.graphic,
            status=Status.DRAFT,
        )
        claim.full_clean(exclude=["story"])
        claim.save()
        return claim


class OrganisationName(models.Model):
    """One of the names an organisation goes by, in one language and script (SOHR, المرصد السوري لحقوق الإنسان)."""

    class Script(models.TextChoices):
        """ISO 15924 codes of the scripts names are written in."""

        LATIN = "Latn", _("Latin")
        ARABIC = "Arab", _("Arabic")

    # The Unicode character names that begin the letters of each script.
    SCRIPT_LETTERS = {Script.LATIN: "LATIN", Script.ARABIC: "ARABIC"}

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=255)
    language = models.CharField(_("language"), max_length=35, help_text=_("BCP 47 language tag: en, ar, fr…"))
    script = models.CharField(_("script"), max_length=4, choices=Script.choices, default=Script.LATIN)
    source_url = models.URLField(
        _("where this name comes from"), max_length=500, blank=True,
        help_text=_("The page where the organisation, or a reference work, writes this name."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    folded = models.CharField(_("folded"), max_length=255, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation name")
        verbose_name_plural = _("organisation names")
        ordering = ["organisation", "language", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "language"], name="organisation_name_unique_per_language",
                violation_error_message="This organisation already has this name in this language.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def save(self, *args, **kwargs):
        self.folded = OrganisationName.fold(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        prefix = self.SCRIPT_LETTERS.get(self.script)
        if prefix and not self.is_written_in(self.name, prefix):
            raise ValidationError({"script": _("“%(name)s” is not written only in the %(script)s script.") % {
                "name": self.name, "script": self.get_script_display(),
            }})

    @staticmethod
    def is_written_in(name, prefix):
        """Whether every letter of the name is of the script whose Unicode letters' names begin with prefix."""
        return all(unicodedata.name(char, "").startswith(prefix) for char in name if char.isalpha())

    @staticmethod
    def fold(name):
        return fold(name)[:255]

    @classmethod
    def keys_of(cls, text):
        """The folded forms under which a publisher's name, as written on a source, may be recorded."""
        keys = {cls.fold(text), cls.fold(re.sub(r"\([^)]*\)", " ", text or ""))}
        keys |= {key.removeprefix("the ") for key in keys}
        return keys - {""}


# Dated facts ---------------------------------------------------------------


class DatedQuerySet(CitedQuerySet):
    def chronological(self):
        return self.order_by("date_earliest", "date_latest")

    def between(self, start=None, end=None):
        """Facts that may fall within [start, end], given as Julian Day Numbers."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(date_latest__gte=start)
        if end is not None:
            queryset = queryset.filter(date_earliest__lte=end)
        return queryset

    def of_site(self, site):
        """The record of a site: facts about the site or any of its parts, at any depth, each once.

        Palmyra's record includes what happened to the Temple of Bel and to the Lion of al-Lat
        in the Temple of al-Lat. Every surface that shows a site's record (its page, chart and
        feed, the API's site detail and ``?site=`` filter) asks this, so they cannot disagree.
        """
        places = Site.objects.filter(pk=site.pk).with_parts()
        if not hasattr(self.model, "sites"):  # a condition assessment is about one site
            return self.filter(site__in=places)
        # Picked by id through the link table: no DISTINCT over wide rows, and its (site_id)
        # index serves it (a JOIN with DISTINCT took a second at 100,000 sites).
        links = self.model.sites.through.objects.filter(site__in=places)
        ids = links.values(self.model.sites.field.m2m_field_name())
        if connections[self.db].vendor == "postgresql":
            # PostgreSQL guesses a hundred places where a site has a few, and then reads every incident
            # (0.5 s at 100,000 sites); an array it guesses small, so it looks each id up by its key.
            sql, params = ids.query.get_compiler(using=self.db).as_sql()
            ids = RawSQL(f"SELECT unnest(ARRAY({sql}))", params)  # noqa: S611  # nosec B611
        return self.filter(pk__in=ids)

    def of_sites(self, sites):
        """{site pk: [facts]}: of_site() for each of these sites (pks), in three queries however many.

        The places within the sites, the links of those places, and the facts, in this
        queryset's order with ties by pk, as ``of_site(site).with_ties_by_pk()`` gives
        them one site at a time. The write path stores many sites' API details at once
        (heritage/api/stored.py) and would otherwise ask of_site() twice per site.
        """
        requested = set(sites)
        places = Site.objects.filter(pk__in=requested).with_parts()
        parents = dict(places.values_list("pk", "parent_id"))
        # Each place's record belongs to the requested sites it lies within (itself included).
        within = {}
        for place in parents:
            node, seen = place, set()
            while node in parents and node not in seen:
                seen.add(node)
                if node in requested:
                    within.setdefault(place, []).append(node)
                node = parents[node]
        field = self.model.sites.field.m2m_field_name()
        # Subqueries, not lists of ids: SQLite caps the parameters of one statement.
        links = self.model.sites.through.objects.filter(site__in=places.values("pk"))
        owners = {}
        for place, fact in links.values_list("site_id", f"{field}_id"):
            owners.setdefault(fact, set()).update(within.get(place, ()))
        facts = {pk: [] for pk in requested}
        for fact in self.filter(pk__in=links.values(f"{field}_id")).with_ties_by_pk():
            for site in owners[fact.pk]:
                facts[site].append(fact)
        return facts

    def with_ties_by_pk(self):
        """This queryset in its order, rows that tie on every sort key by pk: one order whether a record is
        read alone or among many."""
        ordering = self.query.order_by or (self.model._meta.ordering if self.query.default_ordering else ())
        return self.order_by(*ordering, "pk")


class Dated(EDTFBoundsMixin, Cited):
    date = models.CharField(_("date"), max_length=64, validators=[validate_edtf], help_text=_(EDTF_HELP_TEXT))
    date_earliest = models.IntegerField(_("date earliest"), null=True, editable=False, db_index=True)
    date_latest = models.IntegerField(_("date latest"), null=True, editable=False)
    # The date in words, stored by save() so that pages do not parse it on every request. "" in the
    # database too, so that code older than these columns can still insert while a deploy migrates
    # (such rows read in words through humanize() until saved; sites.dates.store_date_words() fills them).
    date_words = models.TextField(_("date in words"), blank=True, default="", db_default="", editable=False)
    date_words_ar = models.TextField(_("date in words (Arabic)"), blank=True, default="", db_default="", editable=False)

    edtf_fields = ("date",)

    class Meta:
        abstract = True

    @property
    def date_display(self):
        return self.in_words_of("date")

    @property
    def date_is_uncertain(self):
        return is_uncertain(self.date)


class SluggedManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class HistoryEventManager(SluggedManager.from_queryset(DatedQuerySet)):
    pass


class Confidence(models.TextChoices):
    """How sure the research behind a fact is, kept as the researcher gave it."""

    HIGH = "high", _("High")
    MEDIUM_HIGH = "medium-high", _("Medium to high")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNKNOWN = "unknown", _("Unknown")


class HistoryEvent(ArabicTextMixin, Dated):
    """A dated event in the history of one or more sites: founding, dedication, conquest, excavation…"""

    class Kind(models.TextChoices):
        FOUNDING = "founding", _("Founding")
        CONSTRUCTION = "construction", _("Construction")
        DEDICATION = "dedication", _("Dedication")
        VISIT = "visit", _("Visit")
        CONQUEST = "conquest", _("Conquest")
        POLITICAL = "political", _("Political change")
        MENTION = "mention", _("Documentary mention")
        INSCRIPTION = "inscription", _("Inscription")
        EXCAVATION = "excavation", _("Excavation or survey")
        PUBLICATION = "publication", _("Publication")
        DESIGNATION = "designation", _("Designation")
        DAMAGE = "damage", _("Damage")
        DESTRUCTION = "destruction", _("Destruction")
        RESTORATION = "restoration", _("Restoration")
        CAPTURE = "capture", _("Capture")
        RECAPTURE = "recapture", _("Recapture")
        CONFLICT = "conflict", _("Conflict")
        MISSION = "mission", _("Assessment mission")
        EVENT = "event", _("Other event")

    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    sites = models.ManyToManyField(Site, verbose_name=_("sites"), related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    title_ar = models.CharField(_("title in Arabic"), max_length=300, blank=True, help_text=ARABIC_VERSION_HELP)
    description = models.TextField(_("description"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices, default=Confidence.UNKNOWN)

    history = HistoricalRecords(m2m_fields=[sites])
    objects = HistoryEventManager()

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        ordering = ["date_earliest", "date_latest", "title"]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    def natural_key(self):
        return (self.slug,)


class ClaimStanding(models.TextChoices):
    """How far a reported incident is established."""

    ALLEGED = "alleged", _("Alleged")
    CORROBORATED = "corroborated", _("Corroborated by independent sources")
    CONFIRMED = "confirmed", _("Confirmed by direct evidence")
    DISPUTED = "disputed", _("Disputed")
    RETRACTED = "retracted", _("Retracted")


UNRESOLVED_CLAIMS = [ClaimStanding.ALLEGED, ClaimStanding.CORROBORATED, ClaimStanding.CONFIRMED]
# How long after an event a report of it may come out and still be dated by its own publication.
REPORT_DELAY_DAYS = 7


class IncidentQuerySet(DatedQuerySet):
    def confirm(self):
        """Mark these incidents' claims confirmed by direct evidence; returns those that were not yet.

        Each is saved on its own (its history records the change), and the write path ends once.
        """
        with transaction.atomic():
            changed = list(self.exclude(claim=ClaimStanding.CONFIRMED))
            for incident in changed:
                incident.claim = ClaimStanding.CONFIRMED
                incident.save()
            RiskProfile.objects.record_changed({pk for incident in changed for pk in profiled_site_pks(incident)})
        return changed

    def accept_suggested_claims(self):
        """Give these incidents the claim standing their sources suggest (Incident.suggested_claim());
        returns those changed. Each is saved on its own (its history records it); the write path ends once.
        """
        with transaction.atomic():
            changed = []
            for incident in self:
                suggested = incident.suggested_claim()
                if suggested:
                    incident.claim = suggested
                    incident.save()
                    changed.append(incident)
            RiskProfile.objects.record_changed({pk for incident in changed for pk in profiled_site_pks(incident)})
        return changed

    def standing(self):
        """Incidents whose claim still stands: not disputed or retracted."""
        return self.filter(claim__in=UNRESOLVED_CLAIMS)

    def in_category(self, category):
        """Incidents of a threat category, or of any secondary category under a primary one."""
        # category_id IN (…) is what the (category, status, date_latest) index serves.
        return self.filter(category__in=ThreatCategory.objects.within(category).values("pk"))

    def matching(self, site, category, earliest, latest):
        """Incidents a report of something at ``site`` in ``category`` between ``earliest`` and
        ``latest`` (Julian Day Numbers, None for an open end) may be telling again (``category``
        None: in any category).

        They are at the site, at one of its parts or at a whole it belongs to; in the category,
        one under it, or the primary factor above it; and dated so that the two may overlap,
        the report being allowed to tell the event up to REPORT_DELAY_DAYS after it ("on
        Sunday" in Monday's paper, dated by its publication). Intake offers to cite the report
        for these rather than record the event again.

        Those at the site itself come first (``at_site`` True), then those at its parts and
        wholes; within each, the closest in time. A part's or a whole's incident is another
        event as often as the same one (the Temple of Bel's destruction and the fall of
        Palmyra a few months before), so it is offered after the site's own, never before.
        """
        places = Site.objects.filter(pk=site.pk)
        links = Incident.sites.through.objects.filter(
            Q(site__in=places.with_parts()) | Q(site__in=places.with_wholes())
        )
        at_site = models.Exists(Incident.sites.through.objects.filter(incident=OuterRef("pk"), site=site.pk))
        found = self.filter(pk__in=links.values("incident_id")).annotate(at_site=at_site)
        if category is not None:  # None: a recalled event whose sentence names no threat
            categories = Q(category__in=ThreatCategory.objects.within(category).values("pk"))
            if category.parent_id:
                categories |= Q(category=category.parent_id)
            found = found.filter(categories)
        found = found.between(None if earliest is None else earliest - REPORT_DELAY_DAYS, latest)
        if earliest is not None:
            distance = models.Func(F("date_earliest") - earliest, function="ABS")
            return found.order_by(F("at_site").desc(), distance.asc(nulls_last=True), "pk")
        return found.order_by(F("at_site").desc(), "-date_earliest", "pk")

    def in_country(self, code):
        """Incidents at a site in a country (ISO 3166-1 alpha-2), transboundary sites included."""
        links = Incident.sites.through.objects.filter(site__in=Site.objects.in_country(code))
        return self.filter(pk__in=links.values("incident_id"))

    def site_pks(self):
        """Ids of the sites these incidents are about, for ``Site.objects.filter(pk__in=…)``."""
        return Incident.sites.through.objects.filter(incident__in=self.order_by().values("pk")).values("site_id")

    def for_listing(self):
        """With what incident lists show: category, actor and the sites (prefetched)."""
        return self.select_related("category__parent", "actor").prefetch_related(
            models.Prefetch("sites", queryset=Site.objects.only("pk", "slug", "name").with_display_name().alphabetical())
        )


class IncidentManager(SluggedManager.from_queryset(IncidentQuerySet)):
    pass


class Incident(ArabicTextMixin, Dated):
    """Something that happened to, or threatens, one or more sites, as reported."""

    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    sites = models.ManyToManyField(Site, verbose_name=_("sites"), related_name="incidents")
    title = models.CharField(_("title"), max_length=300)
    title_ar = models.CharField(_("title in Arabic"), max_length=300, blank=True, help_text=ARABIC_VERSION_HELP)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(ThreatCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="incidents")
    claim = models.CharField(
        _("claim"), max_length=15, choices=ClaimStanding.choices, default=ClaimStanding.ALLEGED, db_index=True,
    )
    certainty = models.ForeignKey(
        Certainty, verbose_name=_("certainty"), on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
        help_text=_("EAMENA certainty that the cause is right."),
    )
    effect = models.ForeignKey(
        Effect, verbose_name=_("effect"), on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
    )
    damage_extent = models.ForeignKey(
        DamageExtent, verbose_name=_("damage extent"), on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
    )

    history = HistoricalRecords(m2m_fields=[sites])
    objects = IncidentManager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-date_earliest", "title"]
        indexes = [
            # Incident lists filtered by category and ordered by date.
            models.Index(fields=["category", "date_earliest"], name="incident_category_date_idx"),
            # Their count (/api/v1/incidents/?category=war&date_from=2015-01-01: WHERE category_id IN (…) AND
            # status = 'published' AND date_latest >= …) from the index alone: 21 → 2.5 ms for 32,000 of 200,000.
            models.Index(fields=["category", "status", "date_latest"], name="incident_category_status_idx"),
            # The latest published incidents (home page, feeds): the first rows of this index, where published_at
            # alone leaves PostgreSQL sorting every incident published in one moment (an import, a release).
            models.Index(
                F("published_at").desc(), F("date_earliest").desc(), name="incident_latest_published_idx",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    def get_absolute_url(self):
        return reverse("heritage:incident", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def confirm(self):
        """Mark the claim confirmed by direct evidence (IncidentQuerySet.confirm())."""
        Incident.objects.filter(pk=self.pk).confirm()
        self.refresh_from_db(fields=["claim", "updated"])

    def independent_primary_sources(self, user=None):
        """The distinct primary sources behind the sources citing this incident, as far as ``user`` may
        see them (without a user, or for anonymous readers: published sources only).

        Reports repeating one claim count once: two reports relying on the same observatory statement
        give one primary source (SourceQuerySet.primary_sources()). The incident page, its admin page
        and the API's incident detail all count these.
        """
        visible = Source.objects.published() if user is None else Source.objects.visible_to(user)
        return visible.filter(citations__incident=self).primary_sources(visible)

    def suggested_claim(self):
        """The claim standing the published sources support, when it is not the one recorded; else None.

        One independent primary source: alleged; two or more: corroborated. The citing sources counted
        are the published ones, since the standing is shown to readers who can check only those; what
        they rely on is followed whatever its status, so that two published reports of one claim not yet
        published still count once. Confirmed, disputed and retracted are editors' judgements of other
        evidence and are never suggested away. Never applied on its own: editors accept it
        (IncidentQuerySet.accept_suggested_claims()).
        """
        if self.claim not in (ClaimStanding.ALLEGED, ClaimStanding.CORROBORATED):
            return None
        citing = Source.objects.published().filter(citations__incident=self)
        primaries = citing.primary_sources(visible=Source.objects.all()).count()
        if not primaries:
            return None
        suggested = ClaimStanding.CORROBORATED if primaries >= 2 else ClaimStanding.ALLEGED
        return None if suggested == self.claim else suggested


class ConditionAssessmentQuerySet(DatedQuerySet):
    def latest_first(self):
        return self.order_by("-date_latest", "-date_earliest", "-pk")


class ConditionAssessmentManager(models.Manager.from_queryset(ConditionAssessmentQuerySet)):
    def get_by_natural_key(self, site_slug, date, assessor):
        return self.get(site__slug=site_slug, date=date, assessor=assessor)


class ConditionAssessment(Dated):
    """What state a site was in on a date, and who judged so."""

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="condition_assessments")
    state = models.ForeignKey(ConditionState, verbose_name=_("state"), on_delete=models.PROTECT, related_name="assessments")
    damage_extent = models.ForeignKey(
        DamageExtent, verbose_name=_("damage extent"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="assessments",
    )
    trend = models.ForeignKey(
        DamageTrend, verbose_name=_("trend"), on_delete=models.PROTECT, null=True, blank=True, related_name="assessments",
    )
    assessor = models.CharField(_("assessor"), max_length=255, help_text=_("Who made the assessment (UNOSAT, ASOR CHI, DGAM…)."))
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = ConditionAssessmentManager()

    class Meta:
        verbose_name = _("condition assessment")
        verbose_name_plural = _("condition assessments")
        ordering = ["site", "-date_latest"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "date", "assessor"], name="assessment_unique_per_site_date_assessor",
                violation_error_message="This assessor already assessed this site on this date.",
            ),
        ]
        indexes = [
            # RiskProfile.refresh(): the latest published assessment of a site.
            models.Index(fields=["site", "status", "date_latest"], name="assessment_site_latest_idx"),
        ]

    def __str__(self):
        return f"{self.site}: {self.state} ({self.date_display})"

    def natural_key(self):
        return (self.site.slug, self.date, self.assessor)

    natural_key.dependencies = ["sites.site"]


class CitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Citations whose source the user may see: a published fact never names a draft source to readers."""
        return self.filter(source__in=Source.objects.visible_to(user))


class Citation(models.Model):
    """A source given for one history event, incident or condition assessment."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations")
    event = models.ForeignKey(
        HistoryEvent, verbose_name=_("event"), on_delete=models.CASCADE, null=True, blank=True, related_name="citations",
    )
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, null=True, blank=True, related_name="citations",
    )
    assessment = models.ForeignKey(
        ConditionAssessment, verbose_name=_("assessment"),
        on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    locator = models.CharField(_("locator"), max_length=120, blank=True, help_text=_("Page, paragraph, timestamp."))
    quote = models.TextField(_("quote"), blank=True, help_text=_("A short quotation that supports the fact."))

    history = HistoricalRecords()
    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["source__published_earliest", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(event__isnull=False, incident__isnull=True, assessment__isnull=True)
                    | Q(event__isnull=True, incident__isnull=False, assessment__isnull=True)
                    | Q(event__isnull=True, incident__isnull=True, assessment__isnull=False)
                ),
                name="citation_cites_exactly_one_fact",
                violation_error_message=(
                    "A citation supports exactly one fact: choose a history event, an incident or a condition assessment."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.locator}".strip()

    @property
    def fact(self):
        return self.event or self.incident or self.assessment


# Risk profiles (derived condition and risk) and the write path ------------

# How much of a site the derived condition may hold lost when a confirmed incident reports a damage
# extent (EAMENA's extent mapped onto its overall condition scale); heritage/risk.py states the rule.
CONDITION_BY_DAMAGE_EXTENT = {"1-10": "fair", "11-30": "fair", "31-60": "poor", "61-90": "very-bad", "91-100": "destroyed"}
CONDITION_SEVERITY = ["good", "fair", "poor", "very-bad", "destroyed"]
# Above this many sites a refresh reads each input for every site rather than naming the sites in SQL
# (SQLite caps the parameters of one statement), and still stores only the profiles of the sites asked for.
NAMED_SITES_LIMIT = 500
# A write touching more sites than this drops their stored API details rather than building them in its request.
STORED_IN_A_WRITE_AT_MOST = 2000


def as_site_pks(sites):
    """The pks of sites given as a Site queryset, a site, a pk, or an iterable of sites or pks."""
    if isinstance(sites, models.QuerySet):
        return set(sites.values_list("pk", flat=True))
    if isinstance(sites, Site | int):
        sites = [sites]
    return {getattr(site, "pk", site) for site in sites}


def profiled_site_pks(records):
    """The sites whose risk profile or stored API detail these records feed, as they are stored now.

    ``records`` is one record or a queryset of one model. Writers ask before
    and after they write: an incident moved from one site to another, or an
    assessment given to another site, changes both profiles. A history event,
    a name and an identifier feed their sites' details; a term of a vocabulary that the detail labels
    (a site's kind, its location's certainty, a name's kind, a condition), the
    sites labelled with it.
    """
    if isinstance(records, models.QuerySet):
        model, pks = records.model, records.values("pk")
    elif records is None or records.pk is None:
        return set()
    else:
        model, pks = type(records), [records.pk]
        if issubclass(model, Site):
            return {records.pk}
    if issubclass(model, Site):
        return set(Site.objects.filter(pk__in=pks).values_list("pk", flat=True))
    if issubclass(model, Incident | HistoryEvent):
        links = model.sites.through.objects.filter(**{f"{model.sites.field.m2m_field_name()}__in": pks})
        return set(links.values_list("site_id", flat=True))
    if issubclass(model, ConditionAssessment | Designation | SiteName | Identifier):
        return set(model._default_manager.filter(pk__in=pks).values_list("site_id", flat=True))
    labelled = {
        SiteKind: Site.objects.filter(kind__in=pks),
        Certainty: Site.objects.filter(location_certainty__in=pks),
        NameKind: Site.objects.filter(names__kind__in=pks),
        ConditionState: Site.objects.filter(risk_profile__condition__in=pks),
    }
    for term, sites in labelled.items():
        if issubclass(model, term):
            return set(sites.values_list("pk", flat=True))
    return set()


class RiskProfileQuerySet(models.QuerySet):
    def refresh(self, sites=None, at=None, batch_size=5000):
        """Recompute and store the risk profiles of sites and of the trees they belong to; returns how many were stored.

        ``sites`` is a Site queryset, sites or pks (every site when None). The
        rule's inputs are read with one query each whatever the number of sites
        (heritage.risk.assess() applies the rule), and the profiles are written
        with one upsert per ``batch_size``. Then the stored API details of the
        same sites are rebuilt (StoredSiteDetail) and cached responses are
        retired: this is the write path's end (record_changed() calls it).
        """
        at = at or timezone.now()
        count = 0
        chosen = None if sites is None else as_site_pks(sites)
        # {site: its parent} for every site in the chosen sites' trees, locked (every site when None).
        trees = None if chosen is None else self._lock_trees(chosen)
        if chosen is None or chosen:
            count = self._store(trees, at, batch_size)
            # After the profiles, which the details show.
            StoredSiteDetail.objects.refresh(None if chosen is None else set(trees))
        self._retire_responses(chosen, trees)
        return count

    @staticmethod
    def _retire_responses(chosen, trees):
        """Retires the cached responses that may show the chosen sites, and every list.

        Those of their trees too: a part's incident changes its whole's profile, and a
        whole's In Danger listing its parts'. A write that names no sites (a source's
        title, a label, which any page may show), or too many to name, retires them all.
        """
        if not chosen or len(chosen) + len(trees) > response_cache.RETIRE_ALL_ABOVE:
            response_cache.invalidate()
        else:
            response_cache.retire({*chosen, *trees})  # the chosen too: a deleted site is in no tree now

    def record_changed(self, sites=()):
        """The end of every write to the record: call it inside the write's transaction, once the rows are saved.

        ``sites`` are those whose profile the write may have changed, read
        before and after it (profiled_site_pks()); their profiles and those of
        the sites they are part of and contain are recomputed, and the cached
        pages and API responses that show them, and every list, are retired (now,
        and again on commit; config/response_cache.py). A write that changes no
        profile (a source's title) calls it without sites, which retires every
        cached response. The admin, the API, report intake, the spreadsheet and UNESCO
        imports, the curated and demo data and the model methods that write
        (publish(), confirm()) all end here; nothing listens to model signals.
        """
        return self.refresh(as_site_pks(sites))

    def _store(self, trees, at, batch_size):
        recent_years = settings.RISK_RECENT_YEARS
        recent_start = day_number(at.date()) - round(365.25 * recent_years)
        # A site's profile counts its parts' incidents and its parts inherit its In Danger listing, so
        # the profiles of every site in the trees the chosen sites belong to are refreshed together.
        parents = dict(Site.objects.values_list("pk", "parent_id")) if trees is None else trees
        targets = set(parents)
        named = len(targets) <= NAMED_SITES_LIMIT

        def of_targets(queryset):
            return queryset.filter(site__in=targets) if named else queryset

        states = {state.slug: state for state in ConditionState.objects.all()}
        states_by_pk = {state.pk: state for state in states.values()}
        assessments = {}
        rows = of_targets(ConditionAssessment.objects.published()).order_by(
            "site_id", "-date_latest", "-date_earliest", "-pk"
        ).values_list("site_id", "pk", "state_id", "date_latest")
        for site_id, pk, state_id, date_latest in rows.iterator(chunk_size=10_000):
            assessments.setdefault(site_id, (pk, states_by_pk.get(state_id), date_latest))
        in_danger_sites = set(
            Site.objects.filter(pk__in=Designation.objects.in_danger().current().values("site_id"))
            .with_parts()
            .values_list("pk", flat=True)
        )
        standing = of_targets(
            Incident.sites.through.objects.filter(incident__in=Incident.objects.published().standing())
        ).values_list("site_id", "incident_id", "incident__date_latest")
        # {site: {incident: its latest day}}: a site's record is the site and its parts (Incident.objects.of_site()).
        incidents_of = {}
        for site_id, incident_id, date_latest in standing.iterator(chunk_size=10_000):
            node, seen = site_id, set()
            while node in parents and node not in seen:
                incidents_of.setdefault(node, {})[incident_id] = date_latest
                seen.add(node)
                node = parents[node]
        damage = {}
        damaging = of_targets(Incident.sites.through.objects.filter(
            incident__in=Incident.objects.published().filter(
                claim=ClaimStanding.CONFIRMED, damage_extent__slug__in=list(CONDITION_BY_DAMAGE_EXTENT)
            )
        )).values_list("site_id", "incident__title", "incident__date", "incident__date_earliest",
                       "incident__damage_extent__slug")
        for row in damaging:
            damage.setdefault(row[0], []).append(row[1:])

        wholes = set(parents.values())
        profiles = []
        for site_id in targets:
            assessment_id, state, assessed_until = assessments.get(site_id, (None, None, None))
            state, from_incident = self._worst_confirmed(state, assessed_until, damage.get(site_id, ()), states)
            in_danger = site_id in in_danger_sites
            days = incidents_of.get(site_id, {}).values()
            row = {
                "total": len(days),
                "recent": sum(1 for day in days if day is not None and day >= recent_start),
                "latest": max((day for day in days if day is not None), default=None),
            }
            level, reasons = assess(RiskInputs(
                condition=state.slug if state else None,
                condition_label=state.label if state else "",
                condition_from_incident=from_incident,
                in_danger=in_danger,
                recent_incidents=row["recent"],
                older_incidents=row["total"] - row["recent"],
                recent_years=recent_years,
                has_parts=site_id in wholes,
            ))
            profiles.append(RiskProfile(
                site_id=site_id,
                condition=state,
                condition_assessment_id=None if from_incident else assessment_id,
                in_danger=in_danger,
                standing_incidents=row["total"],
                latest_incident=row["latest"],
                risk_level=level,
                risk_rank=RISK_RANK[level],
                risk_reasons=reasons,
                refreshed=timezone.now(),
            ))
        RiskProfile.objects.bulk_create(
            profiles, batch_size=batch_size, update_conflicts=True, unique_fields=["site"],
            update_fields=[
                "condition", "condition_assessment", "in_danger", "standing_incidents", "latest_incident",
                "risk_level", "risk_rank", "risk_reasons", "refreshed",
            ],
        )
        return len(profiles)

    @staticmethod
    def _lock_trees(chosen):
        """{site: its parent} for every site in the trees of the chosen sites (their wholes, and all
        that is within those), locked.

        The lock (PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers) makes two
        writes to one site's record refresh its profile one after the other, the second reading
        what the first committed, so neither overwrites the other's profile with a stale one.
        Named in slices: SQLite caps the parameters of one statement.
        """
        chosen, found = sorted(chosen), {}
        for start in range(0, len(chosen), NAMED_SITES_LIMIT):
            wholes = Site.objects.filter(pk__in=chosen[start:start + NAMED_SITES_LIMIT]).with_wholes()
            trees = Site.objects.filter(pk__in=wholes.filter(parent__isnull=True).values("pk")).with_parts()
            trees = trees.order_by("pk")
            if transaction.get_connection().in_atomic_block:
                trees = trees.select_for_update()
            found.update(trees.values_list("pk", "parent_id"))
        return found

    @staticmethod
    def _worst_confirmed(state, assessed_until, damage, states):
        """(condition, the incident it comes from or "") given the latest assessment and confirmed damage.

        Damage confirmed after the latest assessment (or with none) may only
        make the condition worse: a later assessment supersedes it.
        """
        worst, source = state, ""
        for title, date, date_earliest, extent in damage:
            if assessed_until is not None and date_earliest <= assessed_until:
                continue
            supported = states.get(CONDITION_BY_DAMAGE_EXTENT[extent])
            if supported is None:
                continue
            if worst is None or worst.slug not in CONDITION_SEVERITY or (
                CONDITION_SEVERITY.index(supported.slug) > CONDITION_SEVERITY.index(worst.slug)
            ):
                worst, source = supported, f"“{title}” ({date})"
        return worst, source


class RiskProfile(models.Model):
    """A site's current condition and risk, derived from the record and kept in step with it.

    Stored so that lists can filter and sort by condition and risk in SQL.
    Every writer ends, inside its transaction, in
    ``RiskProfile.objects.record_changed(sites)``, which recomputes the
    summaries of the sites it touched (RiskProfileQuerySet.refresh(), the one
    implementation of the rule's inputs for one site or many) and retires
    cached responses; no signal receiver does it behind the writer's back. A
    bare ``save()`` in the shell or a raw ``loaddata`` goes around that path:
    ``manage.py refresh_risk_profiles`` repairs anything so written, and
    runs daily anyway because "recent" moves with the calendar.
    """

    site = models.OneToOneField(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, primary_key=True, related_name="risk_profile",
    )
    condition = models.ForeignKey(
        ConditionState, verbose_name=_("condition"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    condition_assessment = models.ForeignKey(
        ConditionAssessment, verbose_name=_("condition assessment"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_danger = models.BooleanField(_("in danger"), default=False, db_index=True)
    standing_incidents = models.PositiveIntegerField(_("standing incidents"), default=0)
    latest_incident = models.IntegerField(
        _("latest incident"), null=True, blank=True, help_text=_("Julian day of the latest incident."),
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.UNKNOWN, db_index=True,
    )
    risk_rank = models.PositiveSmallIntegerField(_("risk rank"), default=0, db_index=True)
    risk_reasons = models.JSONField(
        _("risk reasons"), default=list, blank=True,
        help_text=_("Why the risk rule gave this level, as codes and values (heritage/risk.py); "
                    "reasons_in_words() puts them into the reader's language."),
    )
    refreshed = models.DateTimeField(_("refreshed"), auto_now=True)

    objects = RiskProfileQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("risk profiles")
        verbose_name = _("risk profile")
        # Two more indexes, made by migration 0016 for each database as it spells "DESC NULLS LAST", serve the
        # orders of the "at risk" lists (the home page, its map, the site list sorted by risk or by latest incident).

    def __str__(self):
        return f"{self.site}: {self.risk_level}"

    def reasons_in_words(self):
        """Why the risk rule gave this level, in words in the active language: what every page, the API and the
        admin show of risk_reasons."""
        words = []
        for reason in self.risk_reasons:
            slug = reason.get("condition")
            state = self.condition if self.condition is not None and self.condition.slug == slug else None
            if slug and state is None:
                state = ConditionState.objects.filter(slug=slug).first()
            words.append(reason_words(reason, state.label_in()[0] if state else slug or ""))
        return words

    @staticmethod
    def of(site):
        """The site's risk profile, or None before it has first been computed."""
        return getattr(site, "risk_profile", None)  # the missing related row is an AttributeError too


# {database alias: (the SQL of StoredSiteDetailQuerySet.for_reader(), the names of its parameters in order)}
READER_SQL = {}


class StoredSiteDetailQuerySet(models.QuerySet):
    def refresh(self, sites=None, batch_size=500):
        """Rebuild and store the API detail of sites (every site when None) as an anonymous reader gets it;
        returns how many were stored.

        RiskProfileQuerySet.refresh() calls it, after the profiles the detail shows, with the trees of the
        sites a write touched: a site's detail names its whole and its parts and lists its parts' events
        and incidents. The detail is made by the API's own view and serializer (heritage/api/stored.py).
        """
        from heritage.api.stored import anonymous_details, code_version  # the API imports this module

        pks = sorted(Site.objects.values_list("pk", flat=True) if sites is None else as_site_pks(sites))
        if sites is not None and len(pks) > STORED_IN_A_WRITE_AT_MOST:
            # Relabelling a common site kind names every site of that kind: building them all would hold the
            # editor's request for minutes at EAMENA's scale. Their stored details go instead (the API builds
            # them per request meanwhile, correctly), and the daily refresh_risk_profiles stores them again.
            for start in range(0, len(pks), NAMED_SITES_LIMIT):
                self.filter(site__in=pks[start:start + NAMED_SITES_LIMIT]).delete()
            return 0
        count = 0
        for start in range(0, len(pks), batch_size):
            rows = [
                StoredSiteDetail(site_id=pk, body=body, list_item=list_item, lpf_feature=feature, origin=origin,
                                 sites_shown=shown, built_by=code_version(), refreshed=timezone.now())
                for pk, (body, list_item, feature, origin, shown)
                in anonymous_details(pks[start:start + batch_size]).items()
            ]
            self.bulk_create(
                rows, update_conflicts=True, unique_fields=["site"],
                update_fields=["body", "list_item", "lpf_feature", "origin", "sites_shown", "built_by", "refreshed"],
            )
            count += len(rows)
        return count

    def current(self):
        """Those stored by this version of the code (heritage.api.stored.code_version())."""
        from heritage.api.stored import code_version

        return self.filter(built_by=code_version())

    def for_reader(self, slug):
        """(body, origin, sites shown) of the site with this slug, or None when none is stored (current())."""
        from heritage.api.stored import code_version

        # Compiled once per database connection's settings: Django's compiler took half the time of a
        # stored detail's lookup (0.5 of 0.8 ms), which runs for every anonymous read.
        connection = connections[self.db]
        if connection.alias not in READER_SQL:
            query = self.filter(site__slug="slug", built_by="version").values_list("body", "origin", "sites_shown")
            READER_SQL[connection.alias] = query.query.sql_with_params()  # the names stand for the values
        sql, names = READER_SQL[connection.alias]
        values = {"slug": slug, "version": code_version()}
        with connection.cursor() as cursor:
            cursor.execute(sql, [values[name] for name in names])
            row = cursor.fetchone()
        if row is None:
            return None
        body, origin, shown = row
        return body, origin, json.loads(shown) if isinstance(shown, str) else shown

    def list_items_of(self, sites):
        """The sites (a Site queryset, in its order) as {"pk", "list_item", "origin"}, the item None where none
        is stored. Subqueries, not a join: the paginator's count leaves them out."""
        stored = self.current().filter(site=OuterRef("pk"))
        return sites.annotate(
            list_item=Subquery(stored.values("list_item")), origin=Subquery(stored.values("origin")),
        ).values("pk", "list_item", "origin")


class StoredSiteDetail(models.Model):
    """A site's API detail (GET /api/v1/sites/<slug>/), its item in the API's lists and its feature in the Linked
    Places dump (GET /api/v1/sites/lpf/), as an anonymous reader gets them, stored by the write path.

    They change only when the record does, and every writer ends in
    ``RiskProfile.objects.record_changed(sites)``, which rebuilds the stored details of
    the trees those sites belong to; the API then answers anonymous readers from
    here instead of building the same JSON again for each request. Both are the
    serializers' JSON, byte for byte, with each absolute URL's scheme and host
    replaced by ``origin``, a random marker no editor's text can contain, which
    the view replaces with the request's own.
    """

    site = models.OneToOneField(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, primary_key=True, related_name="stored_detail",
    )
    body = models.TextField(_("body"), help_text=_("The detail as JSON, its URLs starting with the origin marker."))
    list_item = models.TextField(_("list item"), help_text=_("The site as the API's lists show it, as JSON."))
    lpf_feature = models.TextField(
        _("Linked Places feature"), blank=True, default="",
        help_text=_("The site as the Linked Places dump shows it, as JSON."),
    )
    origin = models.CharField(_("origin marker"), max_length=64)
    built_by = models.CharField(_("built by"), max_length=64, help_text=_("The version of the code that built it."))
    sites_shown = models.JSONField(_("sites shown"), default=list, help_text=_("The sites the detail names."))
    refreshed = models.DateTimeField(_("refreshed"))

    objects = StoredSiteDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored site detail")
        verbose_name_plural = _("stored site details")

    def __str__(self):
        return str(self.site)


# Report intake ---------------------------------------------------------------


class CategoryKeywordRuleManager(models.Manager):
    def get_by_natural_key(self, category_slug, language):
        return self.get(category__slug=category_slug, language=language)


class CategoryKeywordRule(models.Model):
    """Words in a report that suggest a threat category; editors keep the list in admin."""

    category = models.ForeignKey(
        ThreatCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="keyword_rules",
    )
    language = models.CharField(_("language"), max_length=35, default="en", help_text=_("BCP 47 tag of the keywords' language."))
    keywords = models.TextField(_("keywords"),
        help_text=_("One word or phrase per line, matched whole and ignoring case and accents. "
        "End a word with * for any ending: destroy* finds destroyed and destroying.")
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True, null=True)  # null: fixtures load raw, without auto_now

    objects = CategoryKeywordRuleManager()

    class Meta:
        verbose_name = _("category keyword rule")
        verbose_name_plural = _("category keyword rules")
        ordering = ["category__parent__position", "category__position", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "language"], name="keyword_rule_one_per_category_language",
                violation_error_message="This threat category already has keyword rules in this language.",
            ),
        ]

    def __str__(self):
        return f"{self.category} ({self.language})"

    def clean(self):
        if not self.phrases:
            raise ValidationError({"keywords": _("Give at least one word or phrase, one per line.")})

    def natural_key(self):
        return (self.category.slug, self.language)

    natural_key.dependencies = ["heritage.threatcategory"]

    @property
    def phrases(self):
        return [line.strip() for line in self.keywords.splitlines() if line.strip() and not line.startswith("#")]


_STORY_STOPWORDS = (
    "that this with from have been were which their there they said says after into about over more than also "
    "will would could other some what when where while these those under near since report reports"
)
STORY_STOPWORDS = frozenset(_STORY_STOPWORDS.split())


class StoryQuerySet(models.QuerySet):
    def for_site(self, site, reports=None):
        """Stories with a report about the site or its parts, as a list, latest first; each with
        ``site_reports`` (its visible reports) and ``site_primary_sources`` (the primary sources behind
        them, by SourceQuerySet.primary_sources(): chains followed through visible sources only, so a
        draft is neither named nor counted to readers).

        ``reports`` is the Source QuerySet readers may see (published ones by default). Four queries
        whatever the number of stories and however long the chains of repetition: the stories, their
        reports, the (report, primary source) pairs, and the primary sources.
        """
        reports = Source.objects.published() if reports is None else reports
        # About the site's record: the site and its parts, as its timeline is.
        about_site = (
            Q(reports__citations__incident__in=Incident.objects.of_site(site))
            | Q(reports__citations__event__in=HistoryEvent.objects.of_site(site))
            | Q(reports__citations__assessment__in=ConditionAssessment.objects.of_site(site))
        )
        stories = list(
            self.filter(about_site, reports__in=reports)
            .annotate(first_reported=models.Min("reports__published_earliest"))
            .order_by("-first_reported", "-pk")
            .distinct()
            .prefetch_related(
                models.Prefetch(
                    "reports", queryset=reports.order_by("published_earliest", "pk"), to_attr="site_reports",
                )
            )
        )
        shown = [report.pk for story in stories for report in story.site_reports]
        primaries = Source.objects.filter(pk__in=shown).primary_sources_of_each(reports) if shown else {}
        for story in stories:
            found = {}
            for report in story.site_reports:
                for primary in primaries.get(report.pk, []):
                    found.setdefault(primary.pk, primary)
            story.site_primary_sources = list(found.values())
        return stories


class Story(models.Model):
    """Reports of one event: the same news told by several publishers, often from one primary source."""

    # Reports of the same event are published within days of each other.
    WINDOW_DAYS = 4
    # A report of a whole (Palmyra) and one of its part (the Tower of Elahbel) tell of one threat within
    # fewer days: the news of one event, told at both levels, comes out together; days later a report
    # of the whole may be of another of its parts.
    WHOLE_AND_PART_WINDOW_DAYS = 2
    # Share of content words two reports must have in common (Jaccard) to be one story.
    MIN_SIMILARITY = 0.2

    title = models.CharField(_("title"), max_length=300)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("stories")
        verbose_name = _("story")
        ordering = ["-created"]

    def __str__(self):
        return self.title

    @property
    def reports_shown(self):
        """The reports a page shows: those prefetched by for_site(), else all of them."""
        if not hasattr(self, "site_reports"):
            self.site_reports = list(self.reports.all())
        return self.site_reports

    @property
    def primary_sources(self):
        """The distinct sources at the root of the reports' "relies on" chains: those for_site() found
        through the visible sources, else those behind all the story's reports."""
        if not hasattr(self, "site_primary_sources"):
            shown = Source.objects.filter(pk__in=[report.pk for report in self.reports_shown])
            self.site_primary_sources = list(shown.primary_sources(Source.objects.all()).order_by("pk"))
        return self.site_primary_sources

    @staticmethod
    def primary_sources_of(source):
        """Where a report's information comes from (SourceQuerySet.primary_sources(), through all sources, as
        editors group reports): the sources at the end of its "relies on" chains, or itself."""
        return list(Source.objects.filter(pk=source.pk).primary_sources(Source.objects.all()))

    @staticmethod
    def site_pks_of(source):
        """The sites a report's citations are about."""
        return set(
            Site.objects.filter(
                Q(incidents__citations__source=source)
                | Q(events__citations__source=source)
                | Q(condition_assessments__citations__source=source)
            ).values_list("pk", flat=True)
        )

    @staticmethod
    def threats_of(source):
        """(site, threat category) of each incident the report's citations are about."""
        return set(
            Incident.sites.through.objects.filter(incident__citations__source=source).values_list(
                "site_id", "incident__category_id"
            )
        )

    @staticmethod
    def words_of(source):
        """Content words of what we keep of a report: its title, summary and quoted sentences."""
        quotes = " ".join(source.citations.values_list("quote", flat=True)) if source.pk else ""
        text = fold(f"{source.title} {source.summary} {quotes}")
        return {word for word in text.split() if len(word) > 3 and word not in STORY_STOPWORDS}

    # How strongly two reports are shown to tell one event (evidence()): a shared primary source,
    # the same threat at the same site within days, or at a site and its whole, a common site and
    # similar words within days.
    SHARED_PRIMARY, SAME_THREAT, SAME_THREAT_IN_WHOLE_AND_PART, SIMILAR_WORDS = 4, 3, 2, 1

    @classmethod
    def evidence(cls, source, other):
        """The grouping rule, as the strongest of its grounds (0: none): two reports tell the same
        story when they share a primary source; or, published within WINDOW_DAYS of each other,
        when they report the same threat at the same site (an incident of one category at one site
        each; at a site and a whole it is part of, within WHOLE_AND_PART_WINDOW_DAYS), or are about a
        common site and share at least MIN_SIMILARITY of their content words."""
        if {p.pk for p in cls.primary_sources_of(source)} & {p.pk for p in cls.primary_sources_of(other)}:
            return cls.SHARED_PRIMARY
        if source.published_earliest is None or other.published_earliest is None:
            return 0
        gap = max(source.published_earliest, other.published_earliest) - min(
            source.published_latest or source.published_earliest, other.published_latest or other.published_earliest
        )
        if gap > cls.WINDOW_DAYS:
            return 0
        threats = cls._where_they_meet(cls.threats_of(source), cls.threats_of(other))
        if threats == cls.AT_ONE_SITE:
            return cls.SAME_THREAT
        if threats == cls.AT_WHOLE_AND_PART:
            # Surely within the days, not possibly: a report dated only "2015-09" is not near one of 09-04.
            furthest = max(source.published_latest or source.published_earliest,
                           other.published_latest or other.published_earliest) - min(
                source.published_earliest, other.published_earliest)
            if furthest <= cls.WHOLE_AND_PART_WINDOW_DAYS:
                return cls.SAME_THREAT_IN_WHOLE_AND_PART
        if not cls.site_pks_of(source) & cls.site_pks_of(other):
            return 0
        words, other_words = cls.words_of(source), cls.words_of(other)
        if not words or not other_words:
            return 0
        return cls.SIMILAR_WORDS if len(words & other_words) / len(words | other_words) >= cls.MIN_SIMILARITY else 0

    # How two sets of (site pk, what) meet (_where_they_meet()).
    AT_ONE_SITE, AT_WHOLE_AND_PART = 2, 1

    @classmethod
    def _where_they_meet(cls, pairs, other_pairs):
        """AT_ONE_SITE when two sets of (site pk, what) share a what at one site; AT_WHOLE_AND_PART when
        at a site and a whole it is part of (one report tells of Palmyra, another of its theatre); else 0.
        Two parts of one whole (its theatre, its Temple of Bel) are not one place."""
        if set(pairs) & set(other_pairs):
            return cls.AT_ONE_SITE
        chains = Site.objects.wholes_of({pk for pk, _ in pairs} | {pk for pk, _ in other_pairs})
        for pk, what in pairs:
            for other_pk, other_what in other_pairs:
                if what == other_what and (pk in chains[other_pk] or other_pk in chains[pk]):
                    return cls.AT_WHOLE_AND_PART
        return 0

    @classmethod
    def _tells_of_another_part(cls, source, story):
        """Whether the story's reports tell of a threat at a part of a whole where the report tells of the
        same threat at another part of it (the Temple of Bel, the Tower of Elahbel: both Palmyra's)."""
        mine = cls.threats_of(source)
        told = set(
            Incident.sites.through.objects.filter(incident__citations__source__story=story).values_list(
                "site_id", "incident__category_id"
            )
        )
        chains = Site.objects.wholes_of({pk for pk, _ in mine} | {pk for pk, _ in told})
        return any(
            what == other_what and pk not in chains[other_pk] and other_pk not in chains[pk]
            and set(chains[pk]) & set(chains[other_pk])
            for pk, what in mine for other_pk, other_what in told
        )

    @classmethod
    def same_event(cls, source, other):
        """Whether two reports tell the same story (evidence())."""
        return cls.evidence(source, other) > 0

    @property
    def counts_display(self):
        reports, primaries = len(self.reports_shown), len(self.primary_sources)
        return (
            f"{reports} report{'s' if reports != 1 else ''}, "
            f"{primaries} primary source{'s' if primaries != 1 else ''}"
        )

    @classmethod
    def assign(cls, source):
        """Put a source in the story of the report it matches most strongly (evidence(); the earliest
        of equals), or in a new story: a report that shares its primary source with one report and
        only a site with another belongs with the first. Met only at a whole and its part, a story is
        not joined if it tells of the same threat at another part of that whole."""
        candidates = Source.objects.exclude(pk=source.pk).filter(story__isnull=False)
        if source.published_earliest is not None:
            window = cls.WINDOW_DAYS
            # Dates overlapping within the window, as same_event() measures the gap: a report dated
            # only "2017-01" is near one of 2017-01-20 whichever of them is filed first.
            earliest = source.published_earliest - window
            near = Q(published_earliest__lte=(source.published_latest or source.published_earliest) + window) & (
                Q(published_latest__gte=earliest) | Q(published_latest__isnull=True, published_earliest__gte=earliest)
            )
            primaries = [primary.pk for primary in cls.primary_sources_of(source)]
            candidates = candidates.filter(near | Q(pk__in=primaries) | Q(relies_on__in=primaries)).distinct()
        story, strongest = None, 0
        for candidate in candidates.select_related("story").order_by("published_earliest", "pk"):
            found = cls.evidence(source, candidate)
            if found == cls.SAME_THREAT_IN_WHOLE_AND_PART and cls._tells_of_another_part(source, candidate.story):
                # A report of Palmyra joined the Temple of Bel's story: a report of the Tower of Elahbel
                # meeting it there through Palmyra tells of another part.
                continue
            if found > strongest:
                story, strongest = candidate.story, found
            if strongest == cls.SHARED_PRIMARY:
                break
        if story is None:
            story = cls.objects.create(title=source.title[:300])
        if source.story_id != story.pk:
            source.story = story
            source.save(update_fields=["story"])
        return story


# Releases -------------------------------------------------------------------


class ReleaseQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-record_as_of", "-version")

    def before(self, moment):
        """Releases whose record was taken before a moment: the previous ones of a release made then."""
        return self.filter(record_as_of__lt=moment).latest_first()


class Release(models.Model):
    """A versioned, citable dump of the published record, written by ``manage.py release``.

    The files live wherever the release was published; this row is what the releases page lists
    and what ``/api/v1/changes/?since=<version>`` starts from: the moment the record was read.
    """

    version = models.CharField(
        _("version"), max_length=40, unique=True, help_text=_("As cited: 2026.12.01, or as the editors chose."),
    )
    released = models.DateField(_("released"), help_text=_("The release's date, the only date written into its files."))
    record_as_of = models.DateTimeField(
        _("record as of"), help_text=_("When the published record was read; changes since are after it."),
    )
    counts = models.JSONField(_("counts"), default=dict, help_text=_("How many records of each kind it holds."))
    checksums = models.JSONField(_("checksums"), default=dict, help_text=_("SHA-256 of each file, by file name."))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-record_as_of", "-version"]

    def __str__(self):
        return f"Release {self.version} ({self.released.isoformat()})"

    def get_absolute_url(self):
        return reverse("heritage:releases") + f"#release-{self.version}"

    @property
    def title(self):
        return f"Heritage at Risk open data, release {self.version}"

    def counts_in_words(self):
        """[(kind of record, how many)], the kind in the reader's language: counts are stored by English key
        ("site names", as release.record_counts() writes them), named here by the model's own plural name."""
        names = {
            "sites": Site._meta.verbose_name_plural, "site names": SiteName._meta.verbose_name_plural,
            "sources": Source._meta.verbose_name_plural, "history events": HistoryEvent._meta.verbose_name_plural,
            "incidents": Incident._meta.verbose_name_plural,
            "condition assessments": ConditionAssessment._meta.verbose_name_plural,
        }
        return [(str(names.get(key, key)), number) for key, number in self.counts.items()]

    def uri(self, request=None):
        """The release's permanent address, its entry on the releases page (on the canonical host, as site_uri())."""
        with translation.override(settings.LANGUAGE_CODE):
            path = self.get_absolute_url()
        return f"{settings.CANONICAL_URL}{path}" if settings.CANONICAL_URL else request.build_absolute_uri(path)

    def citation(self, request=None):
        """How to cite the release: the same words in its README and on the releases page."""
        return f"Heritage at Risk ({self.released.year}). {self.title} ({self.released.isoformat()}). {self.uri(request)}"
