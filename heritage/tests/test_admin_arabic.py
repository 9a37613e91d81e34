"""The admin in Arabic: every label an editor reads can be translated, the language switch, and our own
headings, forms and messages in Arabic (locale/ar/LC_MESSAGES/django.po)."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils.functional import Promise

from heritage.models import Incident, Source, Status
from heritage.tests.factories import make_incident, make_source
from sites.models import Certainty
from sites.tests.admin_forms import admin_url, messages_of, post_action

ARABIC = {"HTTP_ACCEPT_LANGUAGE": "ar"}


def _untranslatable_labels(app_label):
    """Model names, field names, help texts and choice labels of an app that are plain strings."""
    found = []
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical"):  # django-simple-history's copies of the models
            continue
        options = model._meta
        for name in ("verbose_name", "verbose_name_plural"):
            if not isinstance(options.original_attrs.get(name), Promise):
                found.append(f"{model.__name__}.Meta.{name}")
        for field in options.get_fields():
            if field.auto_created or not (field.concrete or field.many_to_many):
                continue
            if not isinstance(field.verbose_name, Promise):
                found.append(f"{model.__name__}.{field.name}")
            if field.help_text and not isinstance(field.help_text, Promise):
                found.append(f"{model.__name__}.{field.name} help text")
            found += [
                f"{model.__name__}.{field.name} choice {value!r}"
                for value, label in (field.flatchoices or []) if not isinstance(label, Promise)
            ]
    return found


@pytest.mark.parametrize("app_label", ["sites", "heritage"])
def test_every_model_field_help_text_and_choice_label_can_be_translated(app_label):
    assert _untranslatable_labels(app_label) == []


def test_the_admin_language_switch_sets_the_cookie_the_admin_then_follows(editor):
    english = editor.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    switched = editor.post("/i18n/setlang/", {"language": "ar", "next": reverse("admin:index")}, follow=True)
    back = editor.post("/i18n/setlang/", {"language": "en", "next": reverse("admin:index")}, follow=True)

    assert 'id="language-form"' in english.text and '<button type="submit" name="language" value="ar"' in english.text
    assert switched.redirect_chain == [(reverse("admin:index"), 302)]
    assert '<html lang="ar" dir="rtl">' in switched.text
    assert "سجل التراث" in switched.text and "معجم المواقع" in switched.text  # Heritage record, Gazetteer
    assert '<html lang="en" dir="ltr">' in back.text


def test_the_incident_form_gives_its_fields_fieldsets_and_help_in_arabic(editor, db):
    incident = make_incident(title="Temple of Bel destroyed")

    page = editor.get(admin_url(Incident, "change", incident.pk), **ARABIC)

    assert page.context["title"] == "تعديل حادثة"
    for label in ("العنوان", "الادعاء", "درجة التيقن", "مدى الضرر", "الجهة الفاعلة", "الوضع", "المصادر الأولية المستقلة"):
        assert label in page.text, label
    assert "ما الذي يُدَّعى، وما مدى اليقين" in page.text  # the fieldset
    assert "درجة التيقن من صحة السبب وفق مقياس EAMENA." in page.text  # certainty's help text


def test_action_messages_count_in_arabic_plural_forms(editor, db):
    drafts = [make_source(f"Draft report {n}", status=Status.DRAFT) for n in range(2)]
    already = [make_source(f"Published report {n}") for n in range(3)]

    editor.cookies["django_language"] = "ar"
    response = post_action(editor, Source, "publish_selected", [*drafts, *already])

    assert messages_of(response) == ["نُشر: مصدران.", "منشور من قبل: 3 مصادر."]


def test_the_intake_form_reads_in_arabic(editor, db):
    page = editor.get(reverse("admin:heritage_source_intake"), **ARABIC)

    assert page.context["title"] == "إضافة تقرير من نص أو صفحة HTML"
    assert "الصق تقريرًا أو ارفع الصفحة المحفوظة." in page.text
    assert 'value="اقترح المواقع والتهديدات والتواريخ"' in page.text
    assert "الصق نص المقال." in page.text  # the text field's help


def test_vocabulary_selects_give_eamenas_arabic_labels_and_english_where_there_is_none(editor, db):
    call_command("loaddata", "vocabularies", verbosity=0)
    incident = make_incident(title="Temple of Bel destroyed")
    high = Certainty.objects.get(slug="high")

    form = editor.get(admin_url(Incident, "change", incident.pk), **ARABIC).context["adminform"].form
    certainty_labels = dict(form.fields["certainty"].choices)
    category_labels = [label for _, label in form.fields["category"].choices]

    assert high.label_ar and certainty_labels[high.pk] == high.label_ar  # EAMENA's own Arabic label
    assert str(incident.category) in category_labels  # UNESCO's factors: English only, as "primary › secondary"


def test_vocabulary_list_filters_and_columns_give_eamenas_arabic_labels(editor, db):
    call_command("loaddata", "vocabularies", verbosity=0)
    high = Certainty.objects.get(slug="high")
    make_incident(title="Temple of Bel destroyed", certainty=high)

    english = editor.get(admin_url(Incident, "changelist"))
    arabic = editor.get(admin_url(Incident, "changelist"), **ARABIC)

    filters = arabic.context["cl"].filter_specs
    certainty_filter = next(spec for spec in filters if getattr(spec, "field_path", None) == "certainty")
    assert (str(high.pk), high.label_ar) in [(str(pk), label) for pk, label in certainty_filter.lookup_choices]
    assert f'<td class="field-certainty">{high.label_ar}</td>' in arabic.text
    assert f'<td class="field-certainty">{high.label}</td>' in english.text
