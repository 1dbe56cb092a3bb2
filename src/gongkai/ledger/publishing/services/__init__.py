"""Services of proactive disclosure (one module per sub-domain; re-exported here)."""

from gongkai.ledger.publishing.services.attachments import attachment_add, attachment_remove
from gongkai.ledger.publishing.services.checks import (
    blocking_findings,
    publication_check_links,
    publication_findings,
)
from gongkai.ledger.publishing.services.index_numbers import (
    index_number_allocate,
    validate_index_template,
)
from gongkai.ledger.publishing.services.publications import (
    ImportedPublication,
    publication_create,
    publication_set_channels,
    publication_set_validity,
    publication_update,
    publications_import,
)
from gongkai.ledger.publishing.services.reference import (
    TermImportResult,
    term_findings,
    term_rule_create,
    term_rule_set_active,
    term_rule_update,
    term_rules_export_xlsx,
    term_rules_import_xlsx,
    topic_create,
    topic_delete,
    topic_move,
    topic_set_active,
    topic_update,
)
from gongkai.ledger.publishing.services.registers import (
    MonthValues,
    figures_import_xlsx,
    figures_set_month,
    register_entry_create,
    register_entry_repeal,
    register_entry_update,
)
from gongkai.ledger.publishing.services.search import search_index_rebuild
from gongkai.ledger.publishing.services.settings import column_save, publishing_settings_save

__all__ = [
    "ImportedPublication",
    "MonthValues",
    "TermImportResult",
    "attachment_add",
    "attachment_remove",
    "blocking_findings",
    "column_save",
    "figures_import_xlsx",
    "figures_set_month",
    "index_number_allocate",
    "publication_check_links",
    "publication_create",
    "publication_findings",
    "publication_set_channels",
    "publication_set_validity",
    "publication_update",
    "publications_import",
    "publishing_settings_save",
    "register_entry_create",
    "register_entry_repeal",
    "register_entry_update",
    "search_index_rebuild",
    "term_findings",
    "term_rule_create",
    "term_rule_set_active",
    "term_rule_update",
    "term_rules_export_xlsx",
    "term_rules_import_xlsx",
    "topic_create",
    "topic_delete",
    "topic_move",
    "topic_set_active",
    "topic_update",
    "validate_index_template",
]
