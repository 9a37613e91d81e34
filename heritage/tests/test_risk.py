import pytest
from django.utils import translation

from heritage.risk import RiskInputs, RiskLevel, assess, reason_words


@pytest.mark.parametrize(
    "inputs, level",
    [
        (RiskInputs(condition="destroyed", recent_incidents=1), RiskLevel.CRITICAL),
        (RiskInputs(condition="good", in_danger=True, recent_incidents=2), RiskLevel.CRITICAL),
        (RiskInputs(condition="very-bad"), RiskLevel.HIGH),
        (RiskInputs(condition="good", in_danger=True), RiskLevel.HIGH),
        (RiskInputs(condition="good", recent_incidents=1), RiskLevel.HIGH),
        (RiskInputs(condition="fair"), RiskLevel.MODERATE),
        (RiskInputs(condition="good", older_incidents=3), RiskLevel.MODERATE),
        (RiskInputs(older_incidents=1), RiskLevel.MODERATE),
        (RiskInputs(condition="good"), RiskLevel.LOW),
        (RiskInputs(condition="unknown"), RiskLevel.UNKNOWN),
        (RiskInputs(), RiskLevel.UNKNOWN),
    ],
)
def test_the_risk_rule(inputs, level):
    assert assess(inputs)[0] == level


def test_each_level_comes_with_its_reasons():
    level, reasons = assess(
        RiskInputs(condition="poor", condition_label="Poor", in_danger=True, recent_incidents=2, recent_years=3)
    )
    assert level == RiskLevel.CRITICAL
    # Stored as codes and values, put into words in the reader's language when shown.
    assert reasons == [
        {"code": "in_danger"},
        {"code": "condition", "condition": "poor"},
        {"code": "recent_incidents", "count": 2, "years": 3, "parts": False},
    ]
    assert [reason_words(reason, "Poor") for reason in reasons] == [
        "On the List of World Heritage in Danger.",
        "Current condition: Poor.",
        "2 standing incidents in the last 3 years.",
    ]
    with translation.override("ar"):
        assert [reason_words(reason, "ضعيف") for reason in reasons] == [
            "مُدرج على قائمة التراث العالمي المعرّض للخطر.",
            "الحالة الراهنة: ضعيف.",
            "حادثتان قائمتان في السنوات الـ3 الأخيرة.",
        ]


def test_an_unknown_site_says_nothing_is_known():
    assert assess(RiskInputs()) == (RiskLevel.UNKNOWN, [{"code": "nothing_known"}])
    assert reason_words({"code": "nothing_known"}, "") == "Nothing assessed or reported yet."
