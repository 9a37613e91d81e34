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

Each level comes with the reasons that produced it, stored as codes with their values (REASON_* below) and
put into words in the reader's language when shown (reason_words(), through RiskProfile.reasons_in_words()).

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
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy


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


# The reasons, as stored in RiskProfile.risk_reasons: {"code": one of these, and its values}.
REASON_IN_DANGER = "in_danger"  # on the List of World Heritage in Danger
REASON_CONDITION = "condition"  # condition: the ConditionState's slug
REASON_CONDITION_FROM_INCIDENT = "condition_from_incident"  # condition, incident: its title and date, as written
REASON_RECENT_INCIDENTS = "recent_incidents"  # count, years, parts: counted at the site and its parts
REASON_OLDER_INCIDENTS = "older_incidents"  # count, parts
REASON_NOTHING_KNOWN = "nothing_known"


def assess(inputs):
    """Return (RiskLevel, [reasons]) for one site's RiskInputs; each reason is a dict: its code and values."""
    reasons = []
    poor = inputs.condition in POOR_OR_WORSE
    if inputs.in_danger:
        reasons.append({"code": REASON_IN_DANGER})
    if inputs.condition and inputs.condition_from_incident:
        reasons.append({"code": REASON_CONDITION_FROM_INCIDENT, "condition": inputs.condition,
                        "incident": inputs.condition_from_incident})
    elif inputs.condition and inputs.condition != "unknown":
        reasons.append({"code": REASON_CONDITION, "condition": inputs.condition})
    if inputs.recent_incidents:
        reasons.append({"code": REASON_RECENT_INCIDENTS, "count": inputs.recent_incidents,
                        "years": inputs.recent_years, "parts": inputs.has_parts})
    elif inputs.older_incidents:
        reasons.append({"code": REASON_OLDER_INCIDENTS, "count": inputs.older_incidents, "parts": inputs.has_parts})

    if inputs.recent_incidents and (inputs.in_danger or poor):
        return RiskLevel.CRITICAL, reasons
    if inputs.in_danger or poor or inputs.recent_incidents:
        return RiskLevel.HIGH, reasons
    if inputs.condition == "fair" or inputs.older_incidents:
        return RiskLevel.MODERATE, reasons
    if inputs.condition == "good":
        return RiskLevel.LOW, reasons
    return RiskLevel.UNKNOWN, reasons or [{"code": REASON_NOTHING_KNOWN}]


# (code, counted at the site and its parts) → the reason's words, their plural chosen by "count".
INCIDENT_REASON_WORDS = {
    (REASON_RECENT_INCIDENTS, True): ngettext_lazy(
        "%(count)d standing incident at the site and its parts in the last %(years)d years.",
        "%(count)d standing incidents at the site and its parts in the last %(years)d years.", "count"),
    (REASON_RECENT_INCIDENTS, False): ngettext_lazy(
        "%(count)d standing incident in the last %(years)d years.",
        "%(count)d standing incidents in the last %(years)d years.", "count"),
    (REASON_OLDER_INCIDENTS, True): ngettext_lazy(
        "%(count)d standing incident at the site and its parts on record, none recent.",
        "%(count)d standing incidents at the site and its parts on record, none recent.", "count"),
    (REASON_OLDER_INCIDENTS, False): ngettext_lazy(
        "%(count)d standing incident on record, none recent.",
        "%(count)d standing incidents on record, none recent.", "count"),
}


def reason_words(reason, condition_label):
    """One stored reason in words, in the active language. condition_label: the label of the reason's condition
    in that language (a vocabulary term's, which the caller looks up)."""
    code = reason["code"]
    if code == REASON_IN_DANGER:
        return gettext("On the List of World Heritage in Danger.")
    if code == REASON_CONDITION:
        return gettext("Current condition: %(condition)s.") % {"condition": condition_label}
    if code == REASON_CONDITION_FROM_INCIDENT:
        return gettext(
            "Current condition: %(condition)s, from the confirmed incident %(incident)s, not from an assessment."
        ) % {"condition": condition_label, "incident": reason["incident"]}
    if code == REASON_NOTHING_KNOWN:
        return gettext("Nothing assessed or reported yet.")
    try:
        words = INCIDENT_REASON_WORDS[code, reason["parts"]]
    except KeyError:
        raise ValueError(f"Unknown risk reason {code!r}.") from None
    count = reason["count"]
    return words % {"count": count, "years": reason.get("years", 0)}
