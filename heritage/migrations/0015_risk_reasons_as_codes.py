"""Risk reasons are stored as codes with their values (heritage/risk.py) and put into words in the reader's
language when shown (RiskProfile.reasons_in_words()), instead of English sentences: this turns the sentences
already stored into codes (and back)."""

import re

from django.db import migrations, models

PATTERNS = [
    (re.compile(r"On the List of World Heritage in Danger\."), lambda m, slug: {"code": "in_danger"}),
    (re.compile(r"Current condition: .+, from the confirmed incident (?P<incident>.+), not from an assessment\."),
     lambda m, slug: {"code": "condition_from_incident", "condition": slug, "incident": m["incident"]}),
    (re.compile(r"Current condition: .+\."), lambda m, slug: {"code": "condition", "condition": slug}),
    (re.compile(r"(?P<count>\d+) standing incidents?(?P<parts> at the site and its parts)? in the last "
                r"(?P<years>\d+) years\."),
     lambda m, slug: {"code": "recent_incidents", "count": int(m["count"]), "years": int(m["years"]),
                      "parts": bool(m["parts"])}),
    (re.compile(r"(?P<count>\d+) standing incidents?(?P<parts> at the site and its parts)? on record, none recent\."),
     lambda m, slug: {"code": "older_incidents", "count": int(m["count"]), "parts": bool(m["parts"])}),
    (re.compile(r"Nothing assessed or reported yet\."), lambda m, slug: {"code": "nothing_known"}),
]


def as_code(sentence, condition_slug):
    for pattern, code in PATTERNS:
        match = pattern.fullmatch(sentence)
        if match:
            return code(match, condition_slug)
    raise ValueError(f"A stored risk reason this migration does not know: {sentence!r}")


def as_sentence(reason, condition_label):
    code = reason["code"]
    where = " at the site and its parts" if reason.get("parts") else ""
    plural = "" if reason.get("count") == 1 else "s"
    return {
        "in_danger": lambda: "On the List of World Heritage in Danger.",
        "condition": lambda: f"Current condition: {condition_label}.",
        "condition_from_incident": lambda: f"Current condition: {condition_label}, from the confirmed incident "
                                           f"{reason.get('incident')}, not from an assessment.",
        "recent_incidents": lambda: f"{reason.get('count')} standing incident{plural}{where} in the last "
                                    f"{reason.get('years')} years.",
        "older_incidents": lambda: f"{reason.get('count')} standing incident{plural}{where} on record, none recent.",
        "nothing_known": lambda: "Nothing assessed or reported yet.",
    }[code]()


def to_codes(apps, schema_editor):
    RiskProfile = apps.get_model("heritage", "RiskProfile")
    changed = []
    for profile in RiskProfile.objects.select_related("condition").iterator(chunk_size=2000):
        if not any(isinstance(reason, str) for reason in profile.risk_reasons):
            continue
        slug = profile.condition.slug if profile.condition else None
        profile.risk_reasons = [
            as_code(reason, slug) if isinstance(reason, str) else reason for reason in profile.risk_reasons
        ]
        changed.append(profile)
    RiskProfile.objects.bulk_update(changed, ["risk_reasons"], batch_size=2000)


def to_sentences(apps, schema_editor):
    RiskProfile = apps.get_model("heritage", "RiskProfile")
    changed = []
    for profile in RiskProfile.objects.select_related("condition").iterator(chunk_size=2000):
        label = profile.condition.label if profile.condition else ""
        profile.risk_reasons = [
            reason if isinstance(reason, str) else as_sentence(reason, label) for reason in profile.risk_reasons
        ]
        changed.append(profile)
    RiskProfile.objects.bulk_update(changed, ["risk_reasons"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("heritage", "0014_stored_site_detail"),
    ]

    operations = [
        migrations.AlterField(
            model_name="riskprofile",
            name="risk_reasons",
            field=models.JSONField(
                blank=True, default=list,
                help_text="Why the risk rule gave this level, as codes and values (heritage/risk.py); "
                          "reasons_in_words() puts them into the reader's language.",
                verbose_name="risk reasons",
            ),
        ),
        migrations.RunPython(to_codes, to_sentences),
    ]
