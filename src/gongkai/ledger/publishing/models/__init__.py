"""Models of the 主动公开 app (a package: catalogue, publications, registers)."""

from gongkai.ledger.publishing.models.catalogue import (
    DEFAULT_INDEX_TEMPLATE,
    UPDATE_LIMITS,
    Column,
    IndexSequence,
    PublishingSettings,
    TermRule,
    Topic,
)
from gongkai.ledger.publishing.models.publication import (
    PUBLIC,
    Category,
    LinkCheck,
    Publication,
    PublicationAttachment,
    PublicationChannel,
    ReviewStep,
    SearchTextField,
)
from gongkai.ledger.publishing.models.registers import MonthlyFigures, RegisterEntry

__all__ = [
    "DEFAULT_INDEX_TEMPLATE",
    "PUBLIC",
    "UPDATE_LIMITS",
    "Category",
    "Column",
    "IndexSequence",
    "LinkCheck",
    "MonthlyFigures",
    "Publication",
    "PublicationAttachment",
    "PublicationChannel",
    "PublishingSettings",
    "RegisterEntry",
    "ReviewStep",
    "SearchTextField",
    "TermRule",
    "Topic",
]
