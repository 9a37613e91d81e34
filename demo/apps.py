from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic data for benchmarks and demonstrations; no models of its own, only a command."""

    name = "demo"
    verbose_name = "Synthetic demo data"
