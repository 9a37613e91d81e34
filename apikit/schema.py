"""The OpenAPI description of the API: error responses, ETag headers and examples on every operation."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

from apikit.base import LANGUAGE_PARAMETER


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code again.")
    code = serializers.CharField(help_text="A stable machine-readable code: invalid, not_found, precondition_failed…")
    message = serializers.CharField(help_text="What went wrong, in words.")
    fields = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text="For 400: the messages of each field in error, as a list; a list or nested record gives an "
        "object of messages by position or sub-field. non_field_errors holds those about the record as a whole.",
    )


def _error(status, code, message, fields=None):
    value = {"error": {"status": status, "code": code, "message": message}}
    if fields:
        value["error"]["fields"] = fields
    return OpenApiExample(f"{status} {code}", value=value, status_codes=[str(status)], response_only=True)


@extend_schema_serializer(examples=[
    _error(400, "invalid", "date: “2015-13-45” is not a valid EDTF date.",
           {"date": ["“2015-13-45” is not a valid EDTF date."], "sites": ["Object with slug=atlantis does not exist."]}),
    _error(401, "not_authenticated", "Authentication credentials were not provided."),
    _error(403, "permission_denied", "You do not have permission to perform this action."),
    _error(404, "not_found", "No Site matches the given query."),
    _error(406, "not_acceptable", "Could not satisfy the request Accept header."),
    _error(409, "conflict", "Other records still refer to this one; remove those references first."),
    _error(412, "precondition_failed", "The record has changed since you read it (If-Match does not match its ETag)."),
    _error(415, "unsupported_media_type", "Unsupported media type \"text/plain\" in request."),
    _error(428, "precondition_required", "Send an If-Match header with the ETag of the record as you last read it."),
    _error(429, "throttled", "Request was throttled. Expected available in 42 seconds."),
])
class ErrorSerializer(serializers.Serializer):
    """The one shape of every error the API returns."""

    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    "400": "Invalid parameters or data; `fields` gives the messages of each field.",
    "401": "The token given is not valid, or this needs an editor's token or session.",
    "403": "Your account may not do this (Django model permissions), or the session's CSRF token is missing.",
    "404": "No such record (or it is a draft you may not see), page or endpoint.",
    "406": "The Accept header asks for a format this endpoint does not serve.",
    "409": "The change conflicts with other records (a duplicate, or a record still referred to).",
    "412": "If-Match does not match the current ETag: someone changed the record since you read it.",
    "415": "The request body is not JSON.",
    "428": "If-Match is missing: send the ETag of the version you read.",
    "429": "Too many requests; retry after the number of seconds in Retry-After.",
}

ETAG_HEADER = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response=True,
    description="A strong validator of this representation: send it back in If-Match (writes) or "
    "If-None-Match (reads).",
)


def language_parameters():
    """How a client picks the language the API words its answers in (config/locale.py): ?lang=, else
    Accept-Language, else English."""
    codes = [code for code, _name in settings.LANGUAGES]
    words = ("Vocabulary labels (the `label` of each {slug, label}), dates in words (`date_display`) and the "
             "names of choices come in this language where the record has them in it, else in English; records' "
             "own text (titles, descriptions, summaries) comes as written, with its Arabic version in the `_ar` "
             "fields. The answer's Content-Language header says which language was used.")
    return [
        OpenApiParameter(
            LANGUAGE_PARAMETER, str, OpenApiParameter.QUERY, enum=codes,
            description=f"The language of the answer: {', '.join(codes)}. Takes precedence over Accept-Language. "
            + words,
            examples=[OpenApiExample("Arabic", value="ar")],
        ),
        OpenApiParameter(
            "Accept-Language", str, OpenApiParameter.HEADER,
            description="The language of the answer when `lang` is not given, as browsers send it (`ar`, "
            "`ar-SY,ar;q=0.9,en;q=0.8`): the first the API speaks, else English.",
            examples=[OpenApiExample("Arabic", value="ar")],
        ),
    ]


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema plus what every operation of ours can answer."""

    def _is_write(self):
        return self.method in ("POST", "PUT", "PATCH", "DELETE")

    def _needs_precondition(self):
        return self.method in ("PUT", "PATCH", "DELETE")

    def _is_record_detail(self):
        return self.method == "GET" and not self._is_list_view() and self.view.action == "retrieve"

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        parameters.extend(language_parameters())
        if self._needs_precondition():
            parameters.append(OpenApiParameter(
                "If-Match", str, OpenApiParameter.HEADER, required=True,
                description="The ETag of the record as you last read it; the change is refused (412) if the "
                "record has changed since.",
                examples=[OpenApiExample("An ETag", value='"5d41402abc4b2a76b9719d911017c592a1b2c3d4"')],
            ))
        if self.view.detail:
            lookup = self.view.lookup_url_kwarg or self.view.lookup_field
            by_id = lookup == "pk"
            parameters.append(OpenApiParameter(
                "id" if by_id else lookup, int if by_id else str, OpenApiParameter.PATH,
                description="The record's id." if by_id else "The record's slug, its permanent identifier.",
                examples=[OpenApiExample("Example", value=7 if by_id else self.view.lookup_example)],
            ))
        if self._is_record_detail():
            parameters.append(OpenApiParameter(
                "If-None-Match", str, OpenApiParameter.HEADER,
                description="The ETag you have; the answer is 304 with no body if the record has not changed.",
                examples=[OpenApiExample("An ETag", value='"5d41402abc4b2a76b9719d911017c592a1b2c3d4"')],
            ))
        return parameters

    def get_auth(self):
        auth = super().get_auth()
        if self.method in ("GET", "HEAD") and {} not in auth:
            auth.append({})  # reading needs no account
        return auth

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        for parameter in parameters:
            name = parameter["name"]
            if name in getattr(filterset, "examples", {}):
                parameter["example"] = filterset.examples[name]
            if not parameter.get("description") and name in getattr(filterset, "base_filters", {}):
                parameter["description"] = filterset.base_filters[name].extra.get("help_text", "")
        return parameters

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code in ("200", "201", "304") and (self._is_record_detail() or self._needs_precondition()
                                                     or (self.method == "POST" and status_code == "201")):
            headers["ETag"] = {"schema": build_basic_type(OpenApiTypes.STR), "description": ETAG_HEADER.description}
        return headers

    def _error_codes(self):
        codes = ["400", "401", "403", "406", "429"]  # 400: every operation takes ?lang=, which may name no language
        if not self._is_list_view() or self.method != "GET" or self.view.action == "list":
            codes.append("404")
        if self._is_write():
            codes += ["409", "415"]
        if self._needs_precondition():
            codes += ["412", "428"]
        return sorted(set(codes))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in responses.items():
            if not response.get("description"):
                response["description"] = self._success_description(code)
        if self._is_record_detail():
            responses["304"] = self._get_response_for_code(
                OpenApiResponse(description="Not modified: your copy (If-None-Match) is current."), "304"
            )
        for code in self._error_codes():
            responses[code] = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]), code,
                media_types=["application/json"],
            )
        return responses

    def _success_description(self, code):
        if code == "201":
            return "Created: the new record, with its ETag and a Location header."
        if self._is_list_view() and self.view.action == "list":
            return "A page of records with the total count (cursor mode: count is null) and links to the next and previous pages."
        if self.view.action in ("update", "partial_update"):
            return "Saved: the record as it is now, with its new ETag."
        if self.view.action == "retrieve":
            return "The record, with its ETag."
        return "The export."

    def get_examples(self):
        return []


class SlugLinkFieldExtension(OpenApiSerializerFieldExtension):
    """A related record is written as its slug and read as {slug, label, url}."""

    target_class = "apikit.base.SlugLinkField"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if direction == "request":
            # The object form is what GET returns, so a record read can be PUT back as it is.
            return {
                "oneOf": [
                    {"type": "string", "description": "Slug of the related record.", "example": "palmyra"},
                    {
                        "type": "object",
                        "description": "The related record as GET returns it; only its slug is read.",
                        "properties": {"slug": {"type": "string", "example": "palmyra"}},
                        "required": ["slug"],
                    },
                ]
            }
        properties = {
            "slug": {"type": "string", "example": "palmyra"},
            field.label_field: {"type": "string", "example": "Site of Palmyra"},
        }
        if field.view_name:
            properties["url"] = {"type": "string", "format": "uri"}
        return {"type": "object", "properties": properties, "required": list(properties)}
