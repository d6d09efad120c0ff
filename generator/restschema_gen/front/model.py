"""The validated model of a set of restschema files.

Everything a back end (C++ headers, Markdown docs, OpenAPI) needs is here,
already checked: names resolved, versions known, error rows merged, examples
type-checked. Back ends never look at YAML; the front end (this package) is
the only code that knows the schema's keys.

Conventions:
* The model is language-neutral: `name` / `wire_name` / `id` are the names as
  written in the schema (JSON keys, type names, ids). Back ends derive their
  own identifiers (the C++ back end in back/cpp/naming.py). `cpp_name` and
  `cpp_namespace` are the schema's optional hints for the C++ back end, kept
  as written ('' when absent).
* `positions` maps schema keys of an element ('name', 'id', 'cpp_name', ...)
  to where they are written, so that a back end can report its own problems
  (a name that does not map to its language) as file:line:col.
* Optional text is '' rather than None; optional bounds are None.
* Example values are plain JSON data (dict / list / str / int / float / bool /
  None); `has_example` tells "no example" apart from an example of `null`.
* Lists are in schema order unless documented otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

from .. import formats

SCALAR_KINDS = ("string", "integer", "number", "boolean")
BUILTIN_KINDS = SCALAR_KINDS + ("json",)
LOCATIONS = ("body", "path", "query", "header")
FORMATS = formats.NAMES  # the one table: restschema_gen/formats.py
ACCEPT_KINDS = ("string", "integer", "number", "boolean")
AUTH_TYPES = ("http_basic_token", "http_basic", "bearer", "api_key")
METHODS = ("GET", "PUT", "POST", "PATCH", "DELETE")


@dataclass
class TypeRef:
    """A type expression: a builtin kind, `list<item>`, `map<string, item>`, or a named type of the service.

    kind is one of 'string', 'integer', 'number', 'boolean', 'json', 'list', 'map', 'named'.
    A map is a JSON object whose keys are arbitrary strings (the only key
    type) and whose values are all of type `item`.
    """

    kind: str
    item: Optional["TypeRef"] = None  # kind == 'list': the items; kind == 'map': the values
    target: Optional[Union["StructType", "EnumType"]] = None  # kind == 'named'

    @property
    def is_scalar(self) -> bool:
        return self.kind in SCALAR_KINDS

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    @property
    def is_named(self) -> bool:
        return self.kind == "named"

    @property
    def is_enum(self) -> bool:
        return self.kind == "named" and isinstance(self.target, EnumType)

    @property
    def is_struct(self) -> bool:
        return self.kind == "named" and isinstance(self.target, StructType)

    def named_types(self):
        """Named types this expression refers to (through lists and maps)."""
        if self.kind in ("list", "map"):
            return self.item.named_types()
        if self.kind == "named":
            return [self.target]
        return []

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list<{self.item}>"
        if self.kind == "map":
            return f"map<string, {self.item}>"
        if self.kind == "named":
            return self.target.name
        return self.kind


@dataclass
class Field:
    """A member of a named type, of the error envelope, or an endpoint parameter.

    Three states: `required` and not `nullable` -> always present with a value;
    not `required` -> may be absent; `nullable` -> may also be JSON null.
    """

    wire_name: str
    type: TypeRef
    required: bool = False
    nullable: bool = False
    sensitive: bool = False
    format: str = ""  # '' or one of FORMATS
    accept: tuple = ()  # subset of ACCEPT_KINDS, schema order
    description: str = ""
    min_version: Optional[str] = None
    max_version: Optional[str] = None
    has_example: bool = False
    example: Any = None
    location: str = "body"  # parameters: one of LOCATIONS; fields of types: 'body'
    const: Optional[str] = None  # parameters only: fixed value, not a request member
    is_parameter: bool = False
    cpp_name: str = ""  # the schema's C++ member name, '' when derived
    positions: dict = field(default_factory=dict, repr=False, compare=False)  # 'name', 'cpp_name'

    @property
    def is_const(self) -> bool:
        return self.const is not None


@dataclass
class StructType:
    """A named object type (`fields:`)."""

    name: str  # CamelCase schema name
    description: str = ""
    fields: list = field(default_factory=list)  # list[Field]
    exactly_one_of: list = field(default_factory=list)  # wire names
    positions: dict = field(default_factory=dict, repr=False, compare=False)  # 'name'

    kind = "struct"


@dataclass
class EnumValue:
    wire_name: str
    positions: dict = field(default_factory=dict, repr=False, compare=False)  # 'value'


@dataclass
class EnumType:
    """A named string enumeration (`enum:`)."""

    name: str
    description: str = ""
    values: list = field(default_factory=list)  # list[EnumValue], schema order, no duplicates
    positions: dict = field(default_factory=dict, repr=False, compare=False)  # 'name'

    kind = "enum"


@dataclass
class AuthScheme:
    id: str
    type: str  # one of AUTH_TYPES
    location: str  # 'header' for the HTTP schemes
    param_name: str  # 'Authorization' for the HTTP schemes
    description: str = ""


@dataclass
class ErrorEnvelope:
    """The JSON object an API returns on errors, and which of its fields hold what."""

    type: StructType  # named 'error_body'
    code: str = ""  # wire names, '' when absent
    message: str = ""
    details: str = ""


JSON_MEDIA_TYPE = "application/json"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
XML_MEDIA_TYPE = "application/xml"
# The response formats an endpoint may speak (media_types.formats) and how
# a client picks one (media_types.format_in).
RESPONSE_FORMATS = ("json", "xml")
FORMAT_SELECTIONS = ("accept", "path")


def body_format(media_type: str) -> str:
    """How a body of this media type is written: 'json', 'form', or '' (not supported).

    The one place that maps media types to body formats: JSON is
    application/json and every structured-syntax `+json` type (RFC 6839:
    application/vnd.acme+json, application/problem+json); form is
    application/x-www-form-urlencoded (request bodies only).
    """
    t = media_type.strip().lower()
    if t == JSON_MEDIA_TYPE or (t.startswith("application/") and t.endswith("+json")):
        return "json"
    if t == FORM_MEDIA_TYPE:
        return "form"
    return ""


@dataclass
class MediaTypes:
    """The media types of an endpoint's bodies (a service's are the defaults of its endpoints)."""

    request: str = JSON_MEDIA_TYPE  # Content-Type of the request body
    response: str = JSON_MEDIA_TYPE  # the success body's; sent in Accept
    error: str = JSON_MEDIA_TYPE  # error bodies'
    # The response formats it speaks, the first the default ('json', 'xml';
    # XML as Rails' to_xml writes it), how the client picks one ('accept':
    # the Accept header; 'path': the placeholder format_param takes the
    # format's name, Rails' `(.:format)`), and that placeholder.
    formats: list = field(default_factory=lambda: ["json"])
    format_in: str = "accept"
    format_param: str = "format"

    @property
    def speaks_xml(self) -> bool:
        return "xml" in self.formats

    @property
    def request_format(self) -> str:
        return body_format(self.request)

    @property
    def accept(self) -> str:
        """The one Accept header the client sends: the response's type, then the errors' when it differs."""
        if self.error.lower() == self.response.lower():
            return self.response
        return f"{self.response}, {self.error}"


def has_no_body(status: int) -> bool:
    """Statuses that HTTP says carry no body (RFC 9110): 1xx, 204, 205, 304."""
    return status < 200 or status in (204, 205, 304)


@dataclass
class ErrorRow:
    name: str
    status: int
    code: Optional[int]
    message: str
    retryable: bool
    origin: str = "service"  # 'service' or 'endpoint'
    has_example: bool = False
    example: Any = None  # the row's error body, shown under its own status

    def content(self):
        return (self.name, self.status, self.code, self.message, self.retryable, repr(self.example))


@dataclass
class UpdateSemantics:
    absent: str = "ignore"
    blank_string: str = "ignore"  # 'truncate' or 'ignore'
    lists: str = "replace"  # 'append' or 'replace'
    item_key: str = ""
    item_destroy: str = ""
    description: str = ""


@dataclass
class Response:
    status: int
    envelope: str = ""  # wrapper key, '' when the body is the value itself
    type: Optional[TypeRef] = None  # None: no documented body
    description: str = ""
    headers: list = field(default_factory=list)  # list[Field]: typed response headers, members of one object keyed by header name
    has_example: bool = False
    example: Any = None  # including the envelope


@dataclass
class Pagination:
    """How an endpoint pages (`pagination:`), with every name resolved.

    A response path is a list of (StructType, Field) steps from the response
    type to a value; [] is the response itself. Request parameters are Fields
    of the endpoint (query, header or body members).
    """

    style: str  # 'link', 'cursor' or 'page'
    items: list = field(default_factory=list)  # response path to the page's list; [] when the response is the list
    item_type: Optional[TypeRef] = None  # the items' type
    next: list = field(default_factory=list)  # cursor: response path to the next cursor
    cursor: Optional[Field] = None  # cursor: the parameter that sends it back
    page: Optional[Field] = None  # page: the page number parameter
    per_page: Optional[Field] = None  # page (and link, for the mock): the page size parameter
    first: int = 1  # page: the number of the first page
    total_pages: list = field(default_factory=list)  # page: response path to the number of pages
    total_items: list = field(default_factory=list)  # page: response path to the number of items
    page_size: int = 0  # the mock's page size when the request names none (0: its default)
    description: str = ""

    @staticmethod
    def wire_path(steps) -> str:
        """'meta.next_cursor': the path as written in the schema."""
        return ".".join(f.wire_name for _, f in steps)


@dataclass
class Mock:
    collection: str
    key: str  # wire name of a path parameter
    not_found: Optional[ErrorRow] = None
    invalid: Optional[ErrorRow] = None  # answered for a request that fails validation
    unauthorized: Optional[ErrorRow] = None  # answered for missing or wrong credentials
    owner_secret_param: str = ""  # wire name of a body parameter
    owner_secret_error: Optional[ErrorRow] = None
    seed: list = field(default_factory=list)


@dataclass
class PathPart:
    """One piece of a path template: literal text, a {placeholder}, or an [optional] group."""

    kind: str  # 'text', 'placeholder', 'optional'
    text: str = ""  # text, or the placeholder name
    parts: list = field(default_factory=list)  # kind == 'optional'


@dataclass
class PathTemplate:
    text: str
    parts: list = field(default_factory=list)

    def placeholders(self):
        out = []

        def walk(parts, optional):
            for p in parts:
                if p.kind == "placeholder":
                    out.append((p.text, optional))
                elif p.kind == "optional":
                    walk(p.parts, True)

        walk(self.parts, False)
        return out


@dataclass
class Endpoint:
    id: str
    title: str
    summary: str
    description: str
    method: str
    path: PathTemplate
    auth: list  # list[AuthScheme]
    min_version: Optional[str]
    max_version: Optional[str]
    parameters: list  # list[Field], schema order
    response: Response
    errors: list  # list[ErrorRow]: service rows, then the endpoint's own, duplicates collapsed
    update: Optional[UpdateSemantics] = None
    pagination: Optional[Pagination] = None
    media_types: MediaTypes = field(default_factory=MediaTypes)  # the service's, overridden by the endpoint's
    idempotent: bool = False  # safe to retry: GET, HEAD, PUT, DELETE, OPTIONS, or declared so
    idempotency_key: str = ""  # header that carries one key per call, '' when none
    has_error_example: bool = False
    error_example: Any = None
    request_example: Any = None  # dict: explicit, or composed from body parameters' examples
    request_example_explicit: bool = False
    path_example: dict = field(default_factory=dict)  # path/query/header examples by wire name
    mock: Optional[Mock] = None
    source: str = ""  # schema path as named in generated files
    service: Optional["Service"] = None
    positions: dict = field(default_factory=dict, repr=False, compare=False)  # 'id'

    @property
    def members(self):
        """Parameters that are members of the request struct (all but const ones)."""
        return [p for p in self.parameters if not p.is_const]

    @property
    def constants(self):
        return [p for p in self.parameters if p.is_const]

    @property
    def sent_constants(self):
        """Constants the client sends as written: all but the Content-Type and Accept
        headers, which the media types declare (the client sends each once)."""
        return [p for p in self.constants if not (p.location == "header" and p.wire_name.lower() in ("content-type", "accept"))]


@dataclass
class Service:
    name: str
    title: str
    description: str
    base_url: str
    versions: list
    cpp_namespace: str = ""  # the schema's C++ namespace, '' when it is the name
    version_in: str = "path"  # where the API version travels: path ({version}), header, query or none
    version_name: str = ""  # the header or query parameter that carries it
    auth: list = field(default_factory=list)  # list[AuthScheme], schema order
    media_types: MediaTypes = field(default_factory=MediaTypes)  # defaults of its endpoints
    envelope: Optional[ErrorEnvelope] = None
    errors: list = field(default_factory=list)  # list[ErrorRow]
    types: list = field(default_factory=list)  # StructType / EnumType; dependencies first, else schema order
    endpoints: list = field(default_factory=list)  # sorted by id
    source: str = ""
    positions: dict = field(default_factory=dict, repr=False, compare=False)  # 'name', 'cpp_namespace'

    @property
    def default_version(self) -> str:
        return self.versions[-1]

    def auth_by_id(self, auth_id):
        return next((a for a in self.auth if a.id == auth_id), None)


@dataclass
class Model:
    services: list = field(default_factory=list)  # sorted by name

    @property
    def endpoints(self):
        return [e for s in self.services for e in s.endpoints]
