import time

from django.core.management.base import BaseCommand, CommandError

from demo import data


class Command(BaseCommand):
    help = (
        "Create synthetic demo data for benchmarks (slugs start with demo-, sources are published by "
        f"\"{data.PUBLISHER}\"). Defaults are the benchmark scale: "
        + ", ".join(f"{number:,} {name}" for name, number in data.DEFAULT_COUNTS.items())
        + ". --purge deletes exactly the demo rows."
    )

    def add_arguments(self, parser):
        for name, number in data.DEFAULT_COUNTS.items():
            parser.add_argument(f"--{name}", type=int, default=None, help=f"How many {name} (default {number:,}).")
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="Multiply every default count, e.g. 0.01 for 1,000 sites; explicit counts win.",
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed, for repeatable data.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--purge", action="store_true", help="Delete every demo row instead of creating any.")
        parser.add_argument(
            "--no-copy", dest="copy", action="store_false", default=None,
            help="On PostgreSQL, write with bulk_create instead of COPY (slower; the same rows).",
        )

    def handle(self, *args, scale, seed, batch_size, purge, copy, **options):
        started = time.monotonic()
        if purge:
            try:
                deleted = data.purge()
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.report("Deleted", deleted, started)
            return
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        counts = data.scaled_counts(scale, **{name: options[name] for name in data.DEFAULT_COUNTS})
        negative = [name for name, number in counts.items() if number < 0]
        if negative:
            raise CommandError(f"Counts cannot be negative: {', '.join(negative)}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        log = (lambda message: self.stderr.write(f"  {message}")) if options["verbosity"] > 1 else None
        written = data.generate(counts, seed=seed, batch_size=batch_size, log=log, copy=copy)
        self.report("Created", written, started)

    def report(self, verb, rows, started):
        elapsed = time.monotonic() - started
        total = sum(rows.values())
        for name, number in rows.items():
            self.stdout.write(f"  {name:<28} {number:>10,}")
        rate = total / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {total:,} demo rows in {elapsed:.1f} s ({rate:,.0f} rows/s).")
        )
