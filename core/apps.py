from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed so that Django finds the template tags (`core/templatetags`) and the deploy
    checks (`core/deploy_checks.py`); no models."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import deploy_checks  # noqa: F401  (registers the checks)
