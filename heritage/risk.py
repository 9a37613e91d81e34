"""The risk rule: how endangered a site is, from what the record says about it.

Inputs, all about one site:
- its current condition: the state of its latest published condition assessment
  (EAMENA scale: Good, Fair, Poor, Very bad, Destroyed, Unknown), made worse by
  confirmed damage reported since (see below);
- whether it is on the List of World Heritage in Danger now (its own designation
  or that of the site it is part of);
- recent standing incidents: published incidents within the last
  settings.RISK_RECENT_YEARS years whose claim is not disputed or retracted,
  at the site or any of its parts (its record, as its page lists it: a whole
  site is harmed when its temple is blown up), each counted once.

The rule, first match wins:
1. critical – a recent standing incident and the site is in danger or in Poor
   condition or worse: harm is ongoing where there is little left to lose.
2. high     – in danger, or in Poor condition or worse, or a recent standing
   incident.
3. moderate – in Fair condition, or standing incidents that are not recent.
4. low      – in Good condition, and none of the above.
5. unknown  – nothing assessed and nothing reported.

Each level comes with the reasons that produced it, in words for the pages.

Confirmed damage and the condition. An assessment is the condition's first
source, but a site blown up and never assessed since is not "not assessed".
A published incident whose claim is confirmed by direct evidence and which
gives an EAMENA damage extent supports a condition on the same scale: 91–100 %
Destroyed, 61–90 % Very bad, 31–60 % Poor, 1–30 % Fair (an extent of "No
visible/known" or "Unknown", or none, supports nothing: "blown up" may be a
façade). When such an incident began after the latest published assessment
ended (or there is none), the condition is the worse of the two, and its
reason names the incident, not an assessment. Alleged, corroborated, disputed
and retracted claims never set a condition; a later assessment supersedes the
incident. (heritage.models.CONDITION_BY_DAMAGE_EXTENT holds the mapping.)
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import pgettext_lazy


class RiskLevel(models.TextChoices):
    CRITICAL = "critical", pgettext_lazy("risk level", "Critical")
    HIGH = "high", pgettext_lazy("risk level", "High")
    MODERATE = "moderate", pgettext_lazy("risk level", "Moderate")
    LOW = "low", pgettext_lazy("risk level", "Low")
    UNKNOWN = "unknown", pgettext_lazy("risk level", "Unknown")


# Sort order for "highest risk first".
RISK_RANK = {
    RiskLevel.CRITICAL: 4,
    RiskLevel.HIGH: 3,
    RiskLevel.MODERATE: 2,
    RiskLevel.LOW: 1,
    RiskLevel.UNKNOWN: 0,
}

POOR_OR_WORSE = {"poor", "very-bad", "destroyed"}


@dataclass
class RiskInputs:
    condition: str | None = None  # slug of the ConditionState, or None when never assessed
    condition_label: str = ""
    condition_from_incident: str = ""  # the confirmed incident the condition comes from, when not an assessment
    in_danger: bool = False
    recent_incidents: int = 0
    older_incidents: int = 0
    recent_years: int = 3
    has_parts: bool = False  # the incidents counted are those of the site and its parts


def assess(inputs):
    """Return (RiskLevel, [reasons]) for one site's RiskInputs."""
    reasons = []
    poor = inputs.condition in POOR_OR_WORSE
    if inputs.in_danger:
        reasons.append("On the List of World Heritage in Danger.")
    if inputs.condition and inputs.condition_from_incident:
        reasons.append(
            f"Current condition: {inputs.condition_label}, from the confirmed incident "
            f"{inputs.condition_from_incident}, not from an assessment."
        )
    elif inputs.condition and inputs.condition != "unknown":
        reasons.append(f"Current condition: {inputs.condition_label}.")
    where = " at the site and its parts" if inputs.has_parts else ""
    if inputs.recent_incidents:
        plural = "s" if inputs.recent_incidents != 1 else ""
        reasons.append(
            f"{inputs.recent_incidents} standing incident{plural}{where} in the last {inputs.recent_years} years."
        )
    elif inputs.older_incidents:
        plural = "s" if inputs.older_incidents != 1 else ""
        reasons.append(f"{inputs.older_incidents} standing incident{plural}{where} on record, none recent.")

    if inputs.recent_incidents and (inputs.in_danger or poor):
        return RiskLevel.CRITICAL, reasons
    if inputs.in_danger or poor or inputs.recent_incidents:
        return RiskLevel.HIGH, reasons
    if inputs.condition == "fair" or inputs.older_incidents:
        return RiskLevel.MODERATE, reasons
    if inputs.condition == "good":
        return RiskLevel.LOW, reasons
    return RiskLevel.UNKNOWN, reasons or ["Nothing assessed or reported yet."]
