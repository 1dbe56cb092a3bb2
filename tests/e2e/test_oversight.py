"""The supervising office in a real browser: upload files, start checking, watch the progress
bar (a small script polling the JSON endpoint) reach the end and the dashboard appear.

The queue is worked by ``oversight_process`` (runner ``command``) from the test while the page
polls: the in-memory SQLite of the test run locks whole tables against concurrent readers, which
the file database of an installation (WAL) does not; the thread runner has its own test."""

from __future__ import annotations

import pytest

from tests.oversight.conftest import text_file

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_upload_check_and_watch_the_progress(live_server, platform, page, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from gongkai.oversight import services, tasks

    settings.GONGKAI_OVERSIGHT_RUNNER = "command"
    user = get_user_model().objects.get(username="zwgkb")
    region = platform["shifanxian"]
    services.register_sync_platform(actor=user, region=region)
    batch = services.batch_create(actor=user, region=region, year=2025)
    files = []
    for i, name in enumerate(("示范县司法局", "示范县自然资源局", "示范县城关镇人民政府")):
        path = tmp_path / f"{name}2025年度报告.txt"
        path.write_bytes(text_file(name, 2025, seed=i, defect="row_total" if i == 1 else None))
        files.append(str(path))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/backoffice/login/")
    page.get_by_label("用户名").fill("zwgkb")
    page.get_by_label("密码").fill("gongkai-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/backoffice/oversight/batches/{batch.pk}/")
    page.set_input_files("input[name=files]", files)
    page.get_by_role("button", name="上传").click()
    assert "已加入 3 份报告" in page.content()
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_selector("#batch-status:text('排队检查')")
    assert page.locator("#progress-bar").get_attribute("value") == "0"
    assert tasks.run_worker(once=True) == 3
    # the script sees the batch finish and reloads the page
    page.wait_for_selector("#batch-status:text('已完成')", timeout=30000)
    page.get_by_role("link", name="示范县自然资源局").wait_for()
    assert page.locator("#progress-bar").get_attribute("value") == "100"
    assert "A-01" in page.content()
    assert not [e for e in errors if "Content Security Policy" in e]
