"""The risk rule: how endangered a site is, from what the record says about it.

Inputs, all about one site:
- its current condition: the state of its latest published condition assessment
  (EAMENA scale: Good, Fair, Poor, Very bad, Destroyed, Unknown);
- whether it is on the List of World Heritage in Danger now (its own designation
  or that of the site it is part of);
- recent standing incidents: published incidents within the last
  settings.RISK_RECENT_YEARS years whose claim is not disputed or retracted.

The rule, first match wins:
1. critical – a recent standing incident and the site is in danger or in Poor
   condition or worse: harm is ongoing where there is little left to lose.
2. high     – in danger, or in Poor condition or worse, or a recent standing
   incident.
3. moderate – in Fair condition, or standing incidents that are not recent.
4. low      – in Good condition, and none of the above.
5. unknown  – nothing assessed and nothing reported.

Each level comes with the reasons that produced it, in words for the pages.
"""

from dataclasses import dataclass, field

from django.db import models


class RiskLevel(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    UNKNOWN = "unknown", "Unknown"


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
    in_danger: bool = False
    recent_incidents: int = 0
    older_incidents: int = 0
    recent_years: int = 3
    reasons: list = field(default_factory=list)


def assess(inputs):
    """Return (RiskLevel, [reasons]) for one site's RiskInputs."""
    reasons = []
    poor = inputs.condition in POOR_OR_WORSE
    if inputs.in_danger:
        reasons.append("On the List of World Heritage in Danger.")
    if inputs.condition and inputs.condition != "unknown":
        reasons.append(f"Current condition: {inputs.condition_label}.")
    if inputs.recent_incidents:
        plural = "s" if inputs.recent_incidents != 1 else ""
        reasons.append(
            f"{inputs.recent_incidents} standing incident{plural} in the last {inputs.recent_years} years."
        )
    elif inputs.older_incidents:
        plural = "s" if inputs.older_incidents != 1 else ""
        reasons.append(f"{inputs.older_incidents} standing incident{plural} on record, none recent.")

    if inputs.recent_incidents and (inputs.in_danger or poor):
        return RiskLevel.CRITICAL, reasons
    if inputs.in_danger or poor or inputs.recent_incidents:
        return RiskLevel.HIGH, reasons
    if inputs.condition == "fair" or inputs.older_incidents:
        return RiskLevel.MODERATE, reasons
    if inputs.condition == "good":
        return RiskLevel.LOW, reasons
    return RiskLevel.UNKNOWN, reasons or ["Nothing assessed or reported yet."]
