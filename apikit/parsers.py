"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

Its own module: DRF imports the parser classes while its views load.
"""

import json

from django.conf import settings
from rest_framework import exceptions, parsers

# No record nests more than a few levels (a citation inside an incident); the limit only has to
# stop bodies that would exhaust Python's recursion long before a serializer sees them.
MAX_DEPTH = 32
TOO_DEEP = f"The JSON body is nested too deeply: at most {MAX_DEPTH} levels of lists and objects."


def _depth(value):
    """How deeply lists and objects nest in parsed JSON, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


def _reject_constant(name):
    # NaN and Infinity are not JSON, though Python's json module would take them (DRF's STRICT_JSON).
    raise ValueError(f"{name} is not a JSON value")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(stream.read().decode(encoding), parse_constant=_reject_constant)
        except RecursionError:
            raise exceptions.ParseError(TOO_DEEP) from None
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        if _depth(data) > MAX_DEPTH:
            raise exceptions.ParseError(TOO_DEEP)
        return data
