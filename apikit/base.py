"""What every endpoint of the JSON API shares.

One error shape, page-number and cursor pagination, strong ETags with
If-Match on writes, audited transactional writes, streamed exports. The
record endpoints (heritage/api/) build on these.
"""

import csv
import hashlib
import io
import itertools
import json
import logging
from collections.abc import Mapping

import orjson
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, EmptyResultSet, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import ProtectedError, QuerySet
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django_countries import countries
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback
from simple_history.models import HistoricalRecords

from sites.dates import bounds

logger = logging.getLogger(__name__)

# Rows fetched per query by the streamed exports.
EXPORT_CHUNK = 2000
# Items an export encodes per orjson call: few enough that they are freed young (Python's garbage collector
# would otherwise walk thousands of live dicts again and again), enough to fill the buffer orjson allocates
# per call (some kilobytes, however short the result).
ENCODE_GROUP = 100
# Bytes of PostgreSQL's COPY gathered into one chunk of a streamed export: COPY sends a message per row,
# and a response written a row at a time costs a write (and a system call) per row.
COPY_CHUNK_BYTES = 1 << 16


# Errors ---------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The change conflicts with the current state of the record."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"The request body is larger than the API accepts ({limit:,} bytes). Send less at once.")


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record has changed since you read it (If-Match does not match its ETag). "
        "GET it again with the same credentials, re-apply your change and send the new ETag."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send an If-Match header with the ETag of the record as you last read it, "
        "so that nobody else's change is overwritten."
    )
    default_code = "precondition_required"


def field_errors(error):
    """A Django ValidationError as DRF's {field: [messages]}, record-wide ones under non_field_errors."""
    detail = as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def error_body(status_code, code, message, fields=None):
    """The one shape of every API error: {"error": {"status", "code", "message", "fields"?}}."""
    error = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _first_message(detail):
    if isinstance(detail, dict):
        for name, value in detail.items():
            message = _first_message(value)
            if message:
                return message if name == "non_field_errors" else f"{name}: {message}"
        return ""
    if isinstance(detail, list):
        return next((_first_message(item) for item in detail if _first_message(item)), "")
    return str(detail)


def _code_of(exc):
    codes = exc.get_codes() if hasattr(exc, "get_codes") else None
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "error")


def api_exception_handler(exc, context):
    """DRF's handler, reshaped into error_body(); model and database errors become 400/409, never 500."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    elif isinstance(exc, ProtectedError):
        exc = Conflict("Other records still refer to this one; remove those references first.")
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, IntegrityError):
        exc = Conflict("The change conflicts with another record (a duplicate, or a reference that is in use).")
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in the API", exc_info=exc)
        set_rollback()
        return Response(
            error_body(500, "server_error", "Something went wrong on our side; the change, if any, was not saved."),
            status=500,
        )
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        message = _first_message(detail) or "Invalid input."
        response.data = error_body(response.status_code, "invalid", message, fields=detail)
    else:
        response.data = error_body(response.status_code, _code_of(exc), str(exc.detail))
    return response


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """JSON 404 for any URL under /api/ that no endpoint serves."""
    message = f"There is no API endpoint at {request.path}. The index of endpoints is at /api/v1/."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
            if match.func is not api_not_found:
                message = f"There is no API endpoint at {request.path}. Did you mean {request.path}/ ?"
        except Resolver404:
            pass
    return JsonResponse(error_body(404, "not_found", message), status=404)


# Fields and renderers -------------------------------------------------------


class ListOfLinksField(ManyRelatedField):
    """Many related records; only a JSON list is accepted (DRF would iterate the keys of an object)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class SharedChoices(tuple):
    """Choices that deepcopy() gives back as they are: they never change, and filters and form fields are
    deep-copied for every request (copying 250 countries' pairs took a tenth of a filtered list's time)."""

    def __deepcopy__(self, memo):
        return self


# Plain pairs of strings: fields and filters are deep-copied for every request, and copying
# django-countries' 250 named tuples cost each API request 5 ms.
COUNTRY_CHOICES = SharedChoices((code, str(name)) for code, name in countries)

URL_SLUG_PLACEHOLDER = "record-slug-placeholder"
# The query parameter that picks the language the API words its answers in (config/locale.py): ?lang=ar.
LANGUAGE_PARAMETER = "lang"


def record_url(view_name, slug, request):
    """The API URL of a record by slug: reversed once per view name and request, then filled in.

    A list of 50 incidents links to some 250 records; reversing each costs a list 15 ms.
    """
    if request is None:
        return reverse(view_name, kwargs={"slug": slug})
    templates = request.__dict__.setdefault("_record_url_templates", {})
    if view_name not in templates:
        templates[view_name] = reverse(view_name, kwargs={"slug": URL_SLUG_PLACEHOLDER}, request=request)
    return templates[view_name].replace(URL_SLUG_PLACEHOLDER, slug)


class RecordURLField(serializers.HyperlinkedIdentityField):
    """The record's own API URL, by slug (record_url())."""

    def __init__(self, view_name, **kwargs):
        super().__init__(view_name=view_name, lookup_field="slug", **kwargs)

    def get_url(self, obj, view_name, request, format):
        if format:
            return super().get_url(obj, view_name, request, format)
        return record_url(view_name, obj.slug, request)


class SlugLinkField(serializers.SlugRelatedField):
    """A related record: written as its slug, read as {"slug", <label>, "url"?}.

    ``view_name`` adds the record's API URL; ``label_field`` names the
    attribute shown next to the slug ("name", "title", "label").
    """

    def __init__(self, view_name=None, label_field="name", **kwargs):
        kwargs.setdefault("slug_field", "slug")
        self.view_name = view_name
        self.label_field = label_field
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update((key, value) for key, value in kwargs.items() if key in MANY_RELATION_KWARGS)
        return ListOfLinksField(**list_kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict):  # accept what GET returned, so a record can be PUT back as read
            data = data.get("slug")
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)

    def to_representation(self, obj):
        data = {"slug": obj.slug, self.label_field: self.label_of(obj)}
        if self.view_name:
            data["url"] = record_url(self.view_name, obj.slug, self.context.get("request"))
        return data

    def label_of(self, obj):
        """The label in the language of the answer where the record has one (text_in(): a vocabulary term's
        Arabic label), else as stored."""
        text_in = getattr(obj, "text_in", None)
        return text_in(self.label_field)[0] if text_in else getattr(obj, self.label_field)


class CSVRenderer(BaseRenderer):
    """Names text/csv for content negotiation and the schema; exports stream their own body."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, cls=JSONEncoder).encode() if data is not None else b""


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class FirstRendererNegotiation(BaseContentNegotiation):
    """Exports have one format: serve it whatever the client's Accept header says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def batches(items, size=EXPORT_CHUNK):
    """Lists of up to ``size`` items in turn: the units an export encodes and writes at once."""
    items = iter(items)
    while batch := list(itertools.islice(items, size)):
        yield batch


def stream_csv(filename, header, rows, line_end="\r\n"):
    """A StreamingHttpResponse writing rows a chunk at a time, so memory stays flat however many; lines end in
    CRLF (csv.writer's default) unless ``line_end`` says otherwise."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)

    def lines():
        for batch in batches(itertools.chain([header], rows)):
            writer.writerows(batch)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_items(items):
    """JSON values separated by commas (the inside of an array) as bytes, encoded ENCODE_GROUP at a time."""
    return b",".join(orjson.dumps(group)[1:-1] for group in batches(items, ENCODE_GROUP))


def copies_csv(queryset):
    """Whether stream_csv_copy() can write this queryset: PostgreSQL's COPY is there."""
    return connections[queryset.db].vendor == "postgresql"


def stream_csv_copy(filename, header, rows):
    """stream_csv() of a values_list() queryset whose columns are already the cells as text, written by
    PostgreSQL's COPY of the queryset's own SQL (the compiler's, its parameters quoted by psycopg), so no
    row is built in Python and memory stays flat. Cells are quoted as csv.writer quotes them; lines end in
    LF, as COPY writes them (stream_csv(line_end="\n") writes the same). PostgreSQL only (copies_csv())."""
    connection = connections[rows.db]
    try:
        sql, params = rows.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # a filter that can match nothing (e.g. an empty list of slugs)
        sql = None
    else:
        sql = connection.ops.compose_sql(sql, params)
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(header)

    def lines():
        yield head.getvalue().encode()
        if sql is None:
            return
        with connection.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            chunk = bytearray()
            for row in copy:
                chunk += row
                if len(chunk) >= COPY_CHUNK_BYTES:
                    yield bytes(chunk)
                    chunk.clear()
            yield bytes(chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ETags and preconditions ----------------------------------------------------


def etag_of(data):
    """A strong ETag: the hash of the representation."""
    text = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:40] + '"'


def etag_matches(header, etag, weak):
    """Whether an If-Match / If-None-Match header lists this ETag (RFC 9110 § 8.8.3.2)."""
    for candidate in (tag.strip() for tag in header.split(",")):
        if candidate == "*":
            return True
        if candidate.startswith("W/"):
            if weak and candidate[2:] == etag:
                return True
        elif candidate == etag:
            return True
    return False


# Viewsets -------------------------------------------------------------------


class JSONErrorsMixin:
    """Errors are JSON whatever format the endpoint serves (CSV, GeoJSON, JSON-LD)."""

    def finalize_response(self, request, response, *args, **kwargs):
        is_error = isinstance(response, Response) and response.status_code >= 400
        if is_error and type(getattr(request, "accepted_renderer", None)) is not JSONRenderer:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class RecordViewSet(
    JSONErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create, update and delete one kind of record.

    Reads are open to everyone (published records only, unless the user may
    change them); writes follow Django model permissions, run in one
    transaction, are recorded in the audit trail under the API user, and
    must name the version they change (If-Match) so no update is lost.
    """

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    lookup_example = ""  # for the schema
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "list" or self.detail_serializer_class is None:
            return self.serializer_class
        return self.detail_serializer_class

    def filter_queryset(self, queryset):
        if self.detail:  # list filters don't narrow a lookup by slug or id
            return queryset
        return super().filter_queryset(queryset)

    def records_to_export(self):
        """The records the list's filters select, one by one, a chunk of rows per query however many."""
        records = self.filter_queryset(self.get_queryset())
        # A near= search is a NearbySites sequence, bounded by its radius, not a QuerySet.
        return records.iterator(chunk_size=EXPORT_CHUNK) if isinstance(records, QuerySet) else iter(records)

    def export_csv(self, filename, header, row):
        """The selected records as streamed CSV: row(record) gives the cells, a last "url" column is added."""
        list_url = reverse(f"api:{self.basename}-list", request=self.request)
        records = self.records_to_export()  # now, so that bad filters are a 400 before streaming starts
        rows = (row(record) + [f"{list_url}{record.slug}/"] for record in records)
        return stream_csv(filename, [*header, "url"], rows)

    def representation(self, instance):
        serializer_class = self.detail_serializer_class or self.serializer_class
        return serializer_class(instance, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        data = self.representation(self.get_object())
        etag = etag_of(data)
        if etag_matches(request.headers.get("If-None-Match", ""), etag, weak=True):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def get_locked_object(self):
        """The record, locked until the transaction ends, so that no one changes it between check and write."""
        instance = self.get_object()
        type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()
        return self.get_object()

    def check_version(self, instance):
        """428 without If-Match, 412 unless it names the current version of the record."""
        if_match = self.request.headers.get("If-Match")
        if not if_match:
            raise PreconditionRequired()
        if not etag_matches(if_match, etag_of(self.representation(instance)), weak=False):
            raise PreconditionFailed()

    def audited(self):
        """Make django-simple-history record this request's user (token users included)."""
        self.request._request.user = self.request.user
        HistoricalRecords.context.request = self.request._request

    def record_before_write(self, instance):
        """What record_written() needs to know of a record as it was before a write (None by default)."""
        return None

    def record_written(self, instance, before):
        """Called inside the write's transaction once a record is created, changed or deleted (then its pk is None).

        ``before`` is what record_before_write() returned (None on create).
        Apps end their write path here: derived data, caches. Does nothing by default.
        """

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The response is built inside the transaction: a response that cannot be built never follows a commit.
        with transaction.atomic():
            self.audited()
            instance = serializer.save()
            self.record_written(instance, None)
            data = self.representation(self.get_queryset().get(pk=instance.pk))
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": etag_of(data), "Location": str(data["url"])})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        # The version is checked on the locked row inside the transaction (on SQLite, whose IMMEDIATE
        # transactions serialise writers, the loser of a race reads the winner's version): a stale If-Match
        # is a 412, never a lost update or a "database is locked".
        with transaction.atomic():
            instance = self.get_locked_object()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)  # bad data is a 400 whatever the version
            self.check_version(instance)
            self.audited()
            before = self.record_before_write(instance)
            serializer.save()
            self.record_written(serializer.instance, before)
            data = self.representation(self.get_object())
        return Response(data, headers={"ETag": etag_of(data)})

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_locked_object()
            self.check_version(instance)
            self.audited()
            before = self.record_before_write(instance)
            instance.delete()
            self.record_written(instance, before)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadOnlyRecordViewSet(RecordViewSet):
    http_method_names = ["get", "head", "options"]


# Serializers ----------------------------------------------------------------


class StrictTypesMixin:
    """Text, choices, booleans and numbers must have their JSON types: DRF would turn 0 into "0" or "34" into 34."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name, field in self.fields.items():
                value = data.get(name)
                if field.read_only or value is None:
                    continue
                if isinstance(field, serializers.CharField | serializers.ChoiceField) and not isinstance(value, str):
                    errors[name] = ["Give a string."]
                elif isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
                    errors[name] = ["Give true or false."]
                elif isinstance(field, serializers.FloatField | serializers.IntegerField) and (
                    isinstance(value, bool) or not isinstance(value, int | float)
                ):
                    errors[name] = ["Give a number."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ModelValidationMixin(StrictTypesMixin):
    """Runs the model's own validation (clean(), constraints, EDTF bounds) and reports it field by field."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        concrete = {field.name for field in model._meta.concrete_fields}
        instance = model()
        if self.instance is not None:
            for field in model._meta.concrete_fields:
                setattr(instance, field.attname, getattr(self.instance, field.attname))
            instance._state.adding = False
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        errors = {}
        unchecked = self.unchecked_fields()
        try:
            instance.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
            # Constraints only once the record makes sense, so a message is not repeated as "constraint violated".
            instance.validate_constraints(exclude=unchecked)
        except DjangoValidationError as error:
            errors.update(self.as_serializer_fields(field_errors(error)))
        for name in getattr(instance, "edtf_fields", ()):
            if name in errors:
                continue
            try:
                bounds(getattr(instance, name))
            except DjangoValidationError as error:
                errors[name] = error.messages
        errors.update(self.validate_record(instance, attrs))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def as_serializer_fields(self, errors):
        """The model's errors keyed by the fields clients write: a model field this serializer writes under
        another name (Source.url as "document_url") reports under that name."""
        renamed = {field.source: name for name, field in self.fields.items()
                   if not field.read_only and field.source != name}
        return {renamed.get(name, name): messages for name, messages in errors.items()}

    def unchecked_fields(self):
        """Model fields that this serializer does not write (they are checked elsewhere or derived)."""
        written = {name for name, field in self.fields.items() if not field.read_only}
        sources = {self.fields[name].source for name in written}
        return [field.name for field in self.Meta.model._meta.fields if field.name not in sources]

    def validate_record(self, instance, attrs):
        """Further checks across fields; return {field: [messages]}."""
        return {}
