from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "gongkai.ledger.requests"
    label = "requests"
    verbose_name = "依申请公开"
