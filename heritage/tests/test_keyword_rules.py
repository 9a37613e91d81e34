import pytest

from heritage.intake.keywords import keyword_rules
from heritage.models import CategoryKeywordRule
from heritage.tests.factories import make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    destruction = make_category("Deliberate destruction of heritage")
    war = make_category("War", code="9.4")
    CategoryKeywordRule.objects.create(category=destruction, keywords="blew up\nblown up\ndestroy*\nexplosives")
    CategoryKeywordRule.objects.create(category=war, keywords="shelling\nair strike*")
    return destruction, war


def test_keywords_suggest_categories_most_hits_first(rules):
    destruction, war = rules

    hits = keyword_rules().categorise("Militants blew up the temple with explosives. Shelling continued.")

    assert [hit.category for hit in hits] == [destruction, war]
    assert hits[0].keywords == {"blew up": 1, "explosives": 1}


def test_a_star_matches_any_ending_and_accents_and_case_are_ignored(rules):
    destruction, _ = rules

    [hit] = keyword_rules().categorise("The arch was DESTROYED; they are destroying more.")

    assert hit.category == destruction
    assert hit.keywords == {"destroy*": 2}


def test_edited_rules_take_effect_at_once(rules):
    destruction, _ = rules
    assert keyword_rules().categorise("The site was looted.") == []

    CategoryKeywordRule.objects.create(category=make_category("Illegal activities", code="9.1"), keywords="loot*")

    assert [hit.category.label for hit in keyword_rules().categorise("The site was looted.")] == ["Illegal activities"]


def test_inactive_rules_are_ignored(rules):
    CategoryKeywordRule.objects.update(active=False)

    assert keyword_rules().categorise("They blew up the temple.") == []


def test_the_starter_rules_load_with_the_curated_data_and_categorise_the_seed_story():
    from django.core.management import call_command

    call_command("load_curated", verbosity=0)

    hits = keyword_rules().categorise("ISIS militants blew up the Temple of Bel, and air strikes hit the city.")
    assert [hit.category.slug for hit in hits][:3] == ["deliberate-destruction-of-heritage", "war", "terrorism"]
    assert CategoryKeywordRule.objects.filter(language="ar").exists()


def test_rules_loaded_again_with_new_keys_are_read_again(rules):
    destruction, _ = rules
    keyword_rules().categorise("They blew up the temple.")
    updated = {rule.pk: rule.updated for rule in CategoryKeywordRule.objects.all()}
    # As loaddata of the same fixture into a fresh database: the same rules and times, other keys.
    moved = make_category("Deliberate destruction (reloaded)", code="9.9")
    rule = CategoryKeywordRule.objects.get(category=destruction)
    CategoryKeywordRule.objects.filter(pk=rule.pk).delete()
    reloaded = CategoryKeywordRule.objects.create(pk=max(updated) + 10, category=moved, keywords=rule.keywords)
    CategoryKeywordRule.objects.filter(pk=reloaded.pk).update(updated=updated[rule.pk])  # update() keeps the time

    [hit] = keyword_rules().categorise("They blew up the temple.")

    assert hit.category == moved


@pytest.mark.parametrize("text", [
    "يفجر التنظيم المعبد.",  # present tense
    "نسف المسلحون البرج.",
    "جرفت الآليات الموقع.",
    "أدى التدمير إلى انهيار الأعمدة.",  # verbal noun with the article
    "قاموا بهدم السور.",  # with a proclitic
])
def test_the_starter_rules_read_arabic_destruction_in_its_verb_forms(text):
    from django.core.management import call_command

    call_command("loaddata", "threat_categories", "intake_rules", verbosity=0)

    hits = keyword_rules().categorise(text)

    assert "deliberate-destruction-of-heritage" in [hit.category.slug for hit in hits]


def test_the_starter_rules_have_arabic_forms_of_every_english_rules_meaning():
    from django.core.management import call_command

    call_command("loaddata", "threat_categories", "intake_rules", verbosity=0)
    rules = CategoryKeywordRule.objects.all()

    assert set(rules.filter(language="ar").values_list("category", flat=True)) == set(
        rules.filter(language="en").values_list("category", flat=True)
    )


def test_a_sites_threat_is_what_the_event_word_tells_not_what_the_actors_are():
    from heritage.intake.proposals import Report, propose
    from heritage.tests.gazetteer import build_gazetteer

    build_gazetteer()
    destruction = make_category("Deliberate destruction of heritage")
    terrorism = make_category("Terrorism", code="9.5")
    CategoryKeywordRule.objects.create(category=destruction, keywords="bulldoz*")
    CategoryKeywordRule.objects.create(category=terrorism, keywords="militant*\nterror*")
    text = "Militants bulldozed Nimrud on Thursday, the ministry said. The militants spread terror in the region."

    [nimrud] = propose(Report(text=text, published="2015-03-06")).sites

    assert [category.slug for category in nimrud.categories] == [destruction.slug, terrorism.slug]
