from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from heritage.intake.extract import ExtractionError, report_from_html
from heritage.intake.proposals import ConfirmedSite, Report, propose, save_drafts

SUFFIXES = {".html", ".htm", ".txt"}


class Command(BaseCommand):
    help = (
        "Turn saved news reports (.html pages or .txt files, or folders of them) into draft sources and draft "
        "incidents for editors to review in admin: each site the linker finds gets a draft incident with the "
        "proposed category and date, citing the sentence. Reports whose URL is already recorded are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--publisher", default="", help="Publisher of .txt reports (HTML pages name their own).")
        parser.add_argument("--published", default="", help="EDTF publication date of .txt reports.")
        parser.add_argument("--dry-run", action="store_true", help="Show the proposals and save nothing.")

    def handle(self, *args, paths, publisher="", published="", dry_run=False, **options):
        files = self.collect(paths)
        saved = skipped = incidents = 0
        for path in files:
            try:
                report = self.read(path, publisher, published)
                proposal = propose(report)
                confirmed = [
                    ConfirmedSite(site=item.site, category=item.category, date=item.date, quote=item.sentence)
                    for item in proposal.sites
                    if item.category and item.date
                ]
                names = ", ".join(item.site.slug for item in proposal.sites) or "no site"
                if not dry_run:
                    source = save_drafts(report, confirmed, graphic=proposal.graphic)
                    names += f" → draft source {source.slug}, story “{source.story}”"
                self.stdout.write(f"{path}: {names}")
                saved += 1
                incidents += len(confirmed)
            except (ExtractionError, ValidationError, UnicodeDecodeError) as error:
                skipped += 1
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.stderr.write(f"{path}: skipped — {message}")
        verb = "would create" if dry_run else "created"
        self.stdout.write(self.style.SUCCESS(
            f"{len(files)} files: {verb} {saved} draft sources with {incidents} draft incidents; {skipped} skipped."
        ))

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
        data = path.read_bytes()
        if path.suffix.lower() in (".html", ".htm"):
            report = report_from_html(data)
        else:
            text = data.decode("utf-8-sig")
            first_line = text.strip().splitlines()[0] if text.strip() else path.stem
            report = Report(text=text, title=first_line[:500])
        report.publisher = report.publisher or publisher
        report.published = report.published or published
        if not report.title:
            report.title = path.stem.replace("-", " ")
        return report
