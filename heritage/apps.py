from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = "Heritage record"

    def ready(self):
        from heritage import status  # noqa: F401  (connects the designation hooks)
