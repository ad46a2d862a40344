"""Web helpers of the shell, shared by every feature's views.

The hard body limit, safe redirect targets (`safe_next`) and absolute URLs
(`external_url` in a request, `absolute_url` without one); the page's language (`is_english`) and region choices in it; CSV and
JSON answers; and the staff links each feature registers for the staff menu, the
landing page after sign-in and the administration page. Features call these instead of
writing their own, so each rule lives in one place.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    has_request_context,
    make_response,
    request,
    url_for,
)
from flask_babel import LazyString, get_locale

from portal.config import ConfigError
from portal.csvfiles import csv_bytes

if TYPE_CHECKING:
    from portal.accounts.models import StaffUser
    from portal.jurisdictions.models import Region


def safe_next(target: str | None, *, within: str = "/", default: str = "/") -> str:
    """Return `target` if it is a plain path on this site under `within`, else `default`."""
    if not target or not target.startswith(within):
        return default
    # No open redirect: "//host" and "/\host" are other sites to a browser, and a control
    # or whitespace character would end up in the Location header (a 500 for CR/LF).
    if target.startswith("//") or "\\" in target:
        return default
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    # "/staff/../report" leaves `within` once the browser resolves the dots (%2e too).
    if any(unquote(segment) in (".", "..") for segment in parts.path.split("/")):
        return default
    return target


def external_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of `endpoint` under PUBLIC_URL (the request's host in development)."""
    base = current_app.config["PUBLIC_URL"]
    if base:
        # The Host header is the client's to choose: absolute URLs in feeds, the API and
        # cached pages never come from it once the public address is configured.
        return str(base) + url_for(endpoint, **values)
    if current_app.config["ENV"] == "production":
        raise ConfigError("PORTAL_PUBLIC_URL must be set in production")
    return url_for(endpoint, _external=True, **values)


def absolute_url(endpoint: str, values: Mapping[str, str] | None = None) -> str:
    """Return the absolute URL of `endpoint` where there is no request (notices, the worker).

    Built on PUBLIC_URL; where that is empty (development and tests) on SERVER_NAME, else on
    http://localhost. A value `_anchor` becomes the fragment.
    """
    config = current_app.config
    base = config["PUBLIC_URL"]
    if not base:
        if config["ENV"] == "production":
            raise ConfigError("PORTAL_PUBLIC_URL must be set in production")
        server = config.get("SERVER_NAME")
        base = f"{config['PREFERRED_URL_SCHEME']}://{server}" if server else "http://localhost"
    parts = urlsplit(str(base))
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    params = dict(values or {})
    anchor = params.pop("_anchor", "")
    url = adapter.build(endpoint, params, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def is_english() -> bool:
    """Return whether the page is being drawn in English (Chinese is the default)."""
    return str(get_locale() or "").startswith("en")


def page_language() -> str:
    """Return "en" or "zh": the language models name things in on this page."""
    return "en" if is_english() else "zh"


def region_options(regions: Iterable[Region]) -> list[tuple[str, str]]:
    """Return (code, name with its ancestors) for a select box, in the page's language."""
    language = page_language()
    return [(r.code, r.label(language)) for r in regions]


def grouped_region_options(regions: Iterable[Region]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Group regions by province for a select box: every level may be chosen."""
    from portal.jurisdictions.models import RegionLevel

    language = page_language()
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for region in regions:
        name = region.name_in(language)
        if region.parent_id is None:
            groups.append((name, [(region.code, name)]))
        elif groups:
            indent = "\u3000" if region.level is RegionLevel.CITY else "\u3000\u3000"
            groups[-1][1].append((region.code, indent + name))
    return groups


def current_user() -> StaffUser:
    """Return the signed-in staff user of a view that `staff_route` guards."""
    from portal.accounts.policies import current_staff

    user = current_staff()
    if user is None:  # staff_route lets no such request reach the view
        abort(401)
    return user


def csv_response(
    filename: str, fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]], status: int = 200
) -> Response:
    """Answer rows as a CSV download whose cells no spreadsheet runs as formulas."""
    response = make_response(csv_bytes(fieldnames, rows), status)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(body: Any, status: int = 200, *, indent: int | None = 2) -> Response:
    """Answer `body` as UTF-8 JSON (Chinese left readable, decimals and dates as strings)."""
    text = json.dumps(body, ensure_ascii=False, indent=indent, default=str)
    response = make_response(text, status)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response


@dataclass(frozen=True)
class StaffLink:
    """A page a feature offers staff: in the menu, as a landing page, or under administration.

    Who reaches it is the page's own route policy (`staff_route(...)`), read from the view
    function, so a menu never offers a page its user would be refused; `when`, if given,
    must also hold (e.g. "is a custodian"). `order` places it in the menu. `landing`
    orders where a user arrives after sign-in (lowest first among the links they reach);
    None never lands there.
    """

    label: LazyString
    endpoint: str
    order: int = 50
    landing: int | None = None
    menu: bool = True
    admin: bool = False
    when: Callable[[StaffUser], bool] | None = None

    def reached_by(self, user: StaffUser) -> bool:
        """Return whether `user` passes the page's route policy (and `when`)."""
        policy = getattr(current_app.view_functions.get(self.endpoint), "policy", None)
        if policy is None or not policy.allows(user):
            return False
        return self.when is None or self.when(user)


def register_staff_links(app: Flask, *links: StaffLink) -> None:
    """Offer a feature's staff pages (called from the feature's `init_app`)."""
    app.extensions.setdefault("portal_staff_links", []).extend(links)


def _links() -> list[StaffLink]:
    return sorted(current_app.extensions.get("portal_staff_links", []), key=lambda link: link.order)


def staff_links(user: StaffUser, *, admin: bool = False) -> list[StaffLink]:
    """Return the menu links (or administration links) `user` may follow, in order."""
    return [
        link for link in _links() if link.reached_by(user) and (link.admin if admin else link.menu)
    ]


def landing_endpoint(user: StaffUser) -> str | None:
    """Return where `user` should arrive after sign-in: the first landing they reach."""
    landings = sorted(
        (link for link in _links() if link.landing is not None and link.reached_by(user)),
        key=lambda link: link.landing or 0,
    )
    return landings[0].endpoint if landings else None


def _refuse_oversized_body() -> None:
    # Hard body limit (docs/security.md, "Abuse"): a body announced larger than
    # MAX_CONTENT_LENGTH is refused before anything reads it, parses it or spools it to
    # disk. Bodies without Content-Length (chunked) meet Werkzeug's streaming limit,
    # which stops reading at MAX_CONTENT_LENGTH and raises the same 413.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    length = request.content_length
    if limit is not None and length is not None and length > limit:
        abort(413)


def _no_host_in_redirects(response: Response) -> Response:
    # Werkzeug's own redirects (a missing trailing slash) name the request's Host header;
    # a path on this site is enough, and a forged host then never reaches a cache.
    location = response.headers.get("Location")
    if location and location.startswith(request.host_url):
        response.headers["Location"] = "/" + location[len(request.host_url) :]
    return response


def template_url_for(endpoint: str, **values: Any) -> str:
    """Return `url_for(endpoint, **values)`; without arguments, built once per script root.

    Every page's menu and footer name a dozen endpoints without arguments, which
    Werkzeug's router built again for every page drawn (bench/README.md); their addresses
    cannot change while the app runs. A relative endpoint (".name") depends on the
    request's blueprint and is always built.
    """
    if values or endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    built: dict[tuple[str, str], str] = current_app.extensions["template_urls"]
    key = (request.script_root, endpoint)
    url = built.get(key)
    if url is None:
        url = built[key] = url_for(endpoint)
    return url


def init_app(app: Flask) -> None:
    """Install the body limit first among the request hooks, host-free redirects and templates' url_for."""
    app.before_request(_refuse_oversized_body)
    app.after_request(_no_host_in_redirects)
    app.extensions["template_urls"] = {}
    app.jinja_env.globals["url_for"] = template_url_for
