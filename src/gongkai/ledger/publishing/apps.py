from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "gongkai.ledger.publishing"
    label = "publishing"
    verbose_name = "主动公开"
