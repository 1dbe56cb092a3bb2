from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "gongkai.web.backoffice"
    label = "backoffice"
    verbose_name = "工作后台"
