"""Helpers for driving the admin through the test client, as an editor's browser would."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def admin_url(model, view, *args):
    """The address of one of the admin's views of a model: "changelist", "add", "change", "history"…"""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_url(record):
    return admin_url(type(record), "change", record.pk)


SITE_CHANGELIST = reverse("admin:sites_site_changelist")


def form_data(response, **changes):
    """The POST data an editor's browser would send back for an admin change form, with changes.

    Covers the main form and every inline formset (management forms included).
    """
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)
    data.update(changes)
    return data


def count_queries(client, url):
    """Number of SQL queries run to render a page (which must render)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def post_action(client, model, action, records):
    """Run an admin action on the records, as the change list's form does, and follow to the page it ends on."""
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [record.pk for record in records]},
        follow=True,
    )
