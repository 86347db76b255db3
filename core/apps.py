from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed only so that Django finds the template tags (`core/templatetags`); no models."""

    name = "core"
    verbose_name = "Core"
