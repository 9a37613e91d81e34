"""manage.py ingest_reports: saved news reports → draft sources, draft incidents and citations.

``--json`` prints one JSON document instead of lines of text, in the format
documented in docs/importing-and-intake.md ("ingest_reports --json"); its
``format`` key names the version, changed only when a key changes meaning or
goes away.
"""

import json
from contextlib import nullcontext
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max

from heritage.intake.extract import ExtractionError, read_report
from heritage.intake.proposals import ConfirmedSite, propose, save_drafts
from heritage.models import Story

SUFFIXES = {".html", ".htm", ".txt"}
JSON_FORMAT = "heritage-intake-proposals/1"


class Command(BaseCommand):
    help = (
        "Turn saved news reports (.html pages or .txt files, or folders of them) into draft sources for editors "
        "to review in admin. Each site the report's own event happened at (role \"affected\") gets a draft "
        "incident with the proposed category and date, citing its sentence, or, when an incident already "
        "recorded matches its site, threat and date, a citation of that incident instead. Sites only mentioned "
        "(background, captions, earlier events) get nothing. Reports already recorded (same address once "
        "normalised, same article number, or near-identical text) are skipped. --dry-run --json prints, per "
        "file, the proposed sites with role and sentence, threats, dates, relies_on, story and matched "
        "incidents, in the format documented in docs/importing-and-intake.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--publisher", default="", help="Publisher of .txt reports (HTML pages name their own).")
        parser.add_argument("--published", default="", help="EDTF publication date of .txt reports.")
        parser.add_argument("--dry-run", action="store_true", help="Show the proposals and save nothing.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json",
            help=f"Print one JSON document ({JSON_FORMAT}, see docs/importing-and-intake.md) instead of text.",
        )

    def handle(self, *args, paths, publisher="", published="", dry_run=False, as_json=False, **options):
        files = self.collect(paths)
        # A dry run saves as a run would, then rolls it all back: the stories it reports are those the rule
        # (Story.assign) would choose, with the reports of one run grouped together as they would be.
        with transaction.atomic() if dry_run else nullcontext():
            results, counts = self.ingest(files, publisher, published, dry_run, as_json)
            transaction.set_rollback(dry_run)
        saved, skipped, incidents, citations = counts
        if as_json:
            summary = {"files": len(files), "proposed": saved, "skipped": skipped, "new_incidents": incidents,
                       "citations": citations, "saved": not dry_run}
            document = {"format": JSON_FORMAT, "reports": results, "summary": summary}
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        verb = "would create" if dry_run else "created"
        self.stdout.write(self.style.SUCCESS(
            f"{len(files)} files: {verb} {saved} draft sources with {incidents} draft incidents and {citations} "
            f"citations of incidents already recorded; {skipped} skipped."
        ))

    def ingest(self, files, publisher, published, dry_run, as_json):
        saved = skipped = incidents = citations = 0
        results = []
        stories_before = Story.objects.aggregate(last=Max("pk"))["last"] or 0
        for path in files:
            try:
                report = self.read(path, publisher, published)
                proposal = propose(report)
                confirmed = confirmed_sites(proposal)
                source = save_drafts(report, confirmed, graphic=proposal.graphic, relies_on=relied_on(proposal))
                story = story_data(source, kept=not dry_run or source.story.pk <= stories_before)
                kept_source = None if dry_run else source
                results.append(report_data(path, proposal, confirmed, kept_source, story))
                if not as_json:
                    self.stdout.write(f"{path}: {self.describe(proposal, kept_source, story)}")
                saved += 1
                citations += sum(1 for item in confirmed if item.incident is not None)
                incidents += sum(1 for item in confirmed if item.incident is None)
            except (ExtractionError, ValidationError, UnicodeDecodeError, OSError) as error:
                skipped += 1
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                results.append({"file": str(path), "status": "skipped", "error": message})
                if not as_json:
                    self.stderr.write(f"{path}: skipped — {message}")
        return results, (saved, skipped, incidents, citations)

    @staticmethod
    def describe(proposal, source, story):
        names = ", ".join(f"{item.site.slug} ({item.role})" for item in proposal.sites) or "no site"
        if source is not None:
            names += f" → draft source {source.slug}"
        return f"{names}, {'new ' if story['new'] else ''}story “{story['title']}”"

    def collect(self, paths):
        files = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path} does not exist.")
        if not files:
            raise CommandError("No .html, .htm or .txt files found.")
        return files

    def read(self, path, publisher, published):
        """The file's Report, read and prefilled as the intake form reads a pasted text or saved page."""
        data = path.read_bytes()
        is_page = path.suffix.lower() in (".html", ".htm")
        return read_report(
            html=data if is_page else None, text="" if is_page else data.decode("utf-8-sig"),
            fallback={"publisher": publisher, "published": published, "title": path.stem.replace("-", " ")},
        )


def confirmed_sites(proposal):
    """What a command saves unattended, as the form ticks it: each affected site, citing the closest
    incident already recorded when one matches, else as a new incident when its threat and date are known."""
    return [
        ConfirmedSite(site=item.site, category=item.category, date=item.date, quote=item.sentence,
                      incident=item.match)
        for item in proposal.sites
        if item.is_affected and (item.match is not None or (item.category and item.date))
    ]


def relied_on(proposal):
    """The recorded sources of the claims the report credits (attribution.py); new ones are the editor's call."""
    return [item.source for item in proposal.attributions if item.source is not None]


def incident_data(incident):
    return {"slug": incident.slug, "title": incident.title, "date": incident.date,
            "category": incident.category.slug, "status": incident.status}


def story_data(source, kept):
    """The story a report was filed in (Story.assign), whether the report began it, and its id when the story
    is ``kept`` (not one a dry run began, which is rolled back)."""
    story = source.story
    new = not story.reports.exclude(pk=source.pk).exists()
    return {"id": story.pk if kept else None, "title": story.title, "new": new}


def report_data(path, proposal, confirmed, source, story):
    """One report of the --json document (docs/importing-and-intake.md)."""
    report = proposal.report
    chosen = {item.site.pk: item for item in confirmed}
    sites = []
    for item in proposal.sites:
        action = "none"
        if item.site.pk in chosen:
            action = "cite" if chosen[item.site.pk].incident is not None else "new-incident"
        sites.append({
            "slug": item.site.slug,
            "name": item.site.name,
            "role": item.role,
            "reason": item.reason,
            "sentence": item.sentence,
            "variant": item.variant,
            "category": item.category.slug if item.category else None,
            "date": item.date,
            "recalled": [{"date": event.date, "sentence": event.sentence} for event in item.recalled],
            "matched_incidents": [incident_data(incident) for incident in item.matches],
            "action": action,
        })
    return {
        "file": str(path),
        "status": "saved" if source is not None else "proposed",
        "source": {
            "slug": source.slug if source is not None else None,
            **{name: getattr(report, name) for name in ("title", "publisher", "authors", "url", "published",
                                                         "language", "kind", "reliability")},
            "graphic": proposal.graphic,
        },
        "sites": sites,
        "threats": [
            {"category": hit.category.slug, "label": str(hit.category), "keywords": dict(hit.keywords)}
            for hit in proposal.categories
        ],
        "dates": [{"text": date.text, "edtf": date.edtf} for date in proposal.distinct_dates],
        "relies_on": [
            {"organisation": item.organisation.name, "source": item.source.slug if item.source else None,
             "sentence": item.sentence}
            for item in proposal.attributions
        ],
        "story": story,
    }
