"""Fixtures: the seed report (Jiyuan justice bureau, 2024) as an AnnualReport."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gongkai.statutory.report import AnnualReport, StatisticsPeriod, make_report

DATA = Path(__file__).resolve().parents[1] / "data"
SEED_JSON = DATA / "seed-report.json"
OUTPUT = Path(__file__).resolve().parents[1] / "output"

_S1 = """2024年，示范区司法局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大和二十届二中、三中全会精神，坚持以人民为中心，深化政府信息公开工作，规范工作机制，提高公开质量，全力做好政府信息公开工作。
（一）主动公开方面。按照“公正、公平、合法、便民”的原则，2024年，示范区司法局通过政务公开云平台、政务新媒体等公开各类政府信息757条，有效增强政府信息公开的透明度。
（二）依申请公开方面。严格按照《条例》规定，依法规范答复文书格式，全面提升政府信息依申请公开办理工作质量。2024年共受理依申请公开6件，其中，网络申请2件、信函申请4件，已全部办结。
（三）政府信息管理方面。严格落实《济源产城融合示范区司法局政府信息公开工作制度》等，坚持做到“三审三校”“一事一审”，持续提升信息发布工作的规范化、制度化。2024年，政府信息公开云平台共发布各类信息257条，其中，政策信息2条，法定主动公开信息224条，基层政务公开信息31条。
（四）平台建设方面。巩固新媒体阵地，提升政务公开的覆盖面和影响力。建立门户网站、政务微信、政务微博之间互动连通机制，相互配合进行信息公开。2024年，“济源市掌上公共法律服务平台”微信公众号、“济源市司法局”累计发布信息300余条，新媒体影响力稳步提升。
（五）监督保障方面。一是做好政府信息管理工作，科学合理确定公开形式，严格信息公开保密审查，规范信息公开行为，及时查纠政府信息公开云平台错字错链以及栏目信息动态更新情况等，确保信息发布准确无误、平台运行安全。二是及时回复咨询。2024年，共接受网民留言4人，回复率为100%，确保群众反映的问题切实得到解决。"""

_S5 = """2024年，我局政务信息公开工作整体水平持续提升，但是仍有工作需要改进，主要体现在：一是政务信息公开工作培训交流仍需进一步加强，工作人员专业化水平有待提升。二是政策解读的形式不够丰富，动画、视频等新媒体形式运用相对较少。
下一步，我局将紧密结合司法行政工作实际和职能要求，进一步加大主动公开力度，按照“五公开”要求，扎实做好重点领域信息公开工作。加强政务公开培训力度，提升政务公开工作能力。创新政策解读模式，探索运用新技术和新媒体，使政策解读传播可视、可读、可感。"""

_S6 = "2024年度未收取信息处理费用。"


def build_seed_report() -> AnnualReport:
    """The seed report typed from tests/data/seed/jiyuan-justice-bureau-2024.txt."""
    z = [0] * 7
    return make_report(
        agency="济源产城融合示范区司法局",
        year=2024,
        table2={"normative_issued": 1, "normative_in_force": 6},
        table3={
            "NEW": [6, 0, 0, 0, 0, 0, 6],
            "CARRY_IN": z,
            "O1": [1, 0, 0, 0, 0, 0, 1],
            "O2": [3, 0, 0, 0, 0, 0, 3],
            "O6_3": [2, 0, 0, 0, 0, 0, 2],
            "OTOT": [6, 0, 0, 0, 0, 0, 6],
            "CARRY_OUT": z,
        },
        table4={"REV": [0, 0, 1, 0, 1]},
        sections={1: _S1, 5: _S5, 6: _S6},
        period=StatisticsPeriod(date(2024, 1, 1), date(2024, 12, 31)),
        published_on=date(2025, 1, 20),
    )


def load_seed_report() -> AnnualReport:
    if SEED_JSON.exists():
        try:
            return AnnualReport.from_json(SEED_JSON.read_text(encoding="utf-8"))
        except (ValueError, KeyError):  # the colleague's file follows a newer schema
            pass
    return build_seed_report()


@pytest.fixture(scope="session")
def seed_report() -> AnnualReport:
    return load_seed_report()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: renders a PDF (about a second each)")
