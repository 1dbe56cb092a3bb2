"""Models of the 依申请公开 app: applications and their events, letters, reference tables."""

from gongkai.ledger.requests.models.application import (
    AmendmentRound,
    Application,
    Consultation,
)
from gongkai.ledger.requests.models.documents import Attachment, Letter, LetterTemplate
from gongkai.ledger.requests.models.reference import (
    NumberSequence,
    OrganisationType,
    RequestSettings,
)

__all__ = [
    "AmendmentRound",
    "Application",
    "Attachment",
    "Consultation",
    "Letter",
    "LetterTemplate",
    "NumberSequence",
    "OrganisationType",
    "RequestSettings",
]
