from django.apps import AppConfig


class MessagesConfig(AppConfig):
    name = "gongkai.ledger.messages"
    label = "public_messages"
    verbose_name = "网民留言"
