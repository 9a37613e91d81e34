from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """Project-wide wiring that belongs to no single app."""

    name = "config"
    verbose_name = "Project"

    def ready(self):
        from config import response_cache

        response_cache.connect_signals()
