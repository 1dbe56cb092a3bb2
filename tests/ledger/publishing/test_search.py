"""Chinese search: one- and two-character words (character index + substring test) as well as
longer ones (trigram index), only over what is published, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from gongkai.ledger.publishing import actions
from gongkai.ledger.publishing.selectors import CatalogueFilters, search_public
from gongkai.ledger.publishing.services import search_index_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_draft, publish):
    """Three published items and a draft."""
    items = {
        "调解": publish(
            make_draft(title="人民调解工作安排", body="<p>各司法所要做好矛盾纠纷排查调解工作。</p>")
        ),
        "援助": publish(
            make_draft(
                title="法律援助申请须知", body="<p>经济困难的公民可以申请法律援助。100% 免费。</p>"
            )
        ),
        "公证": publish(
            make_draft(
                title="公证处办公时间调整",
                body="<p>Notary office hours: 8:30-17:30。</p>",
                document_number="示司〔2025〕7号",
            )
        ),
    }
    items["草稿"] = make_draft(title="尚未发布的调解通知", body="<p>草稿里的秘密词语：鹦鹉螺</p>")
    return items


def _titles(query, **filters):
    return sorted(p.title for p in search_public(query, CatalogueFilters(**filters)))


def test_a_one_character_word_is_found(corpus):
    assert _titles("援") == ["法律援助申请须知"]


def test_a_two_character_word_of_the_body_is_found(corpus):
    assert _titles("纠纷") == ["人民调解工作安排"]
    assert _titles("调解") == ["人民调解工作安排"]  # the draft with 调解 in its title is not


def test_longer_words_use_the_trigram_index(corpus):
    assert _titles("矛盾纠纷排查") == ["人民调解工作安排"]
    assert _titles("法律援助") == ["法律援助申请须知"]


def test_words_combine_with_and(corpus):
    assert _titles("申请 援") == ["法律援助申请须知"]
    assert _titles("法律援助 公证") == []


def test_latin_text_is_case_insensitive_and_punctuation_is_literal(corpus):
    assert _titles("notary") == ["公证处办公时间调整"]
    assert _titles("100%") == ["法律援助申请须知"]
    assert _titles("%") == ["法律援助申请须知"]
    assert _titles("_") == []
    assert _titles('"调解') == []


def test_the_document_number_and_index_number_are_searchable(corpus):
    assert _titles("〔2025〕7号") == ["公证处办公时间调整"]
    assert _titles(corpus["援助"].index_number) == ["法律援助申请须知"]


def test_drafts_and_withdrawn_items_are_never_found(corpus, users):
    assert _titles("鹦鹉螺") == [] and _titles("鹦鹉") == []
    actions.WithdrawAction(corpus["调解"], actor=users["sfj_head"], reason="重复发布").execute()
    assert _titles("矛盾纠纷排查") == [] and _titles("纠纷") == []


def test_filters_apply_to_search(corpus, platform):
    assert _titles("法律援助", agency=platform["shifanxian-zrzyj"]) == []
    assert _titles("法律援助", agency=platform["shifanxian-sfj"]) == ["法律援助申请须知"]


def test_rebuilding_the_index_finds_the_same(corpus):
    assert search_index_rebuild() == 3
    assert _titles("法律援助") == ["法律援助申请须知"]
    assert _titles("矛盾纠纷排查") == ["人民调解工作安排"]


def test_an_empty_query_finds_nothing(corpus):
    assert _titles("   ") == []


def test_short_words_are_confirmed_after_the_character_index(corpus):
    # 纠 and 调 are both in the 调解 item, but not side by side: the index finds the row,
    # the substring test turns it down.
    assert _titles("纠调") == []
    assert _titles("NO") == ["公证处办公时间调整"]  # Latin letters, any case
    assert _titles("7号") == ["公证处办公时间调整"]
    assert _titles("〔") == ["公证处办公时间调整"]  # punctuation is not indexed: plain scan


def test_short_words_go_through_the_character_index(corpus):
    from django.db import connection

    sql = str(search_public("援 调").query)
    if connection.vendor == "sqlite":
        assert "publishing_search_chars" in sql
    else:
        assert "string_to_array" in sql
    assert "publishing_search_chars" not in str(search_public("法律援助 援").query)


def test_the_character_index_is_kept_and_rebuilt(corpus, users):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its expression index itself")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO publishing_search_chars(publishing_search_chars) VALUES ('delete-all')"
        )
    assert _titles("援") == []  # the index is what answers
    search_index_rebuild()
    assert _titles("援") == ["法律援助申请须知"]
    actions.WithdrawAction(corpus["援助"], actor=users["sfj_head"], reason="重复发布").execute()
    assert _titles("援") == []


def test_postgresql_looks_up_only_rare_characters_in_the_character_index(corpus, monkeypatch):
    from django.db import connection

    from gongkai.ledger.publishing.services import search

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's character table walks newest first whatever the character")
    monkeypatch.setattr(search, "character_frequencies", lambda: {"调": 0.6, "解": 0.5})
    common = str(search_public("调解").query)
    assert "string_to_array" not in common  # common: walk the newest items instead
    assert _titles("调解") == ["人民调解工作安排"]
    rare = str(search_public("援").query)
    assert "string_to_array" in rare and '"id" + 0' in rare
    assert _titles("援") == ["法律援助申请须知"]


def test_character_statistics_are_read_once_in_a_while(corpus, monkeypatch):
    from django.db import connection

    from gongkai.ledger.publishing.services import search

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publishing_publication")
    monkeypatch.setattr(search, "_frequencies", (0.0, {}))
    first = search.character_frequencies()
    assert isinstance(first, dict)
    assert all(isinstance(v, float) for v in first.values())
    monkeypatch.setattr(search.connection, "cursor", lambda: pytest.fail("read again"))
    assert search.character_frequencies() is first
