"""A corpus of hostile strings for script-injection tests (docs/security.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import Browser, Page
from sqlalchemy.orm import Session

from portal.accounts.models import StaffUser
from portal.accounts.operations import create_staff_user
from portal.accounts.totp import new_totp_secret
from portal.jurisdictions.models import Region, get_region_by_code
from portal.jurisdictions.tree import add_region
from portal.security import data_cipher, password_hasher
from tests.conftest import STAFF_PASSWORD

# Each payload, if it ever reached the page unescaped, would call alert() or set the title.
_ACTIONS = ["alert(1)", "document.title='XSS'"]
_TEMPLATES = [
    "<script>{a}</script>",
    '<img src=x onerror="{a}">',
    '<svg onload="{a}">',
    '<body onload="{a}">',
    '<iframe srcdoc="<script>{a}</script>"></iframe>',
    '"><script>{a}</script>',
    "'><img src=x onerror={a}>",
    "</textarea><script>{a}</script>",
    "</title><script>{a}</script>",
    '<details open ontoggle="{a}">',
    '<input autofocus onfocus="{a}">',
    '<a href="javascript:{a}">x</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror="{a}">',
    '<video><source onerror="{a}"></video>',
    '<object data="javascript:{a}"></object>',
    '<svg><animate onbegin="{a}" attributeName=x dur=1s>',
    '<marquee onstart="{a}">',
    '<div style="background:url(javascript:{a})">',
    '<x onclick="{a}" autofocus tabindex=0>',
    "{{{{7*7}}}}<script>{a}</script>",
    "]]><script>{a}</script><![CDATA[",
    "<!--<script>{a}</script>-->",
    "<scr<script>ipt>{a}</scr</script>ipt>",
    "&lt;script&gt;{a}&lt;/script&gt;",
    '<svg><script xlink:href="data:,{a}"></script></svg>',
    '<form><button formaction="javascript:{a}">x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:{a}">',
]
CORPUS: list[str] = [t.format(a=a) for t in _TEMPLATES for a in _ACTIONS]
assert len(CORPUS) >= 50

# All of them in one field (fields have length limits, so long texts take slices).
ALL = " ".join(CORPUS)


def chunk(limit: int, index: int = 0) -> str:
    """Return as many payloads as fit in `limit` characters, starting at `index`."""
    out, size = [], 0
    for payload in CORPUS[index:] + CORPUS[:index]:
        if size + len(payload) + 1 > limit:
            break
        out.append(payload)
        size += len(payload) + 1
    return " ".join(out)


# What a payload that ran would leave in the page.
INJECTED = "[onerror],[onload],[onfocus],[ontoggle],[onclick],[onstart],[onbegin],iframe[srcdoc],object,meta[http-equiv],script:not([src])"


def assert_inert(page: Page, fired: list[str]) -> None:
    """Fail if a payload ran on the page: a dialog, the title changed, or a live element."""
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    assert fired == [], f"a dialog opened on {page.url}"
    assert page.title() != "XSS", page.url
    assert page.locator(INJECTED).count() == 0, page.url


def hostile_page(browser: Browser) -> tuple[Page, list[str]]:
    """A page whose context ignores the site's CSP, and the dialogs it opens."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    return page, fired


def staff_page(
    browser: Browser, base: str, data: dict[str, Any], username: str
) -> tuple[Page, list[str]]:
    """Sign in as one of the seeded staff (their username is their role) in a watched page."""
    page, fired = hostile_page(browser)
    _, secret = data["people"][username]
    page.goto(f"{base}/staff/login")
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', STAFF_PASSWORD)
    page.get_by_role("button", name="继续").click()
    page.fill('[name="code"]', data["totp"].TOTP(secret).now())
    page.get_by_role("button", name="登录").click()
    return page, fired


def hostile_region(session: Session, code: str, seed: int) -> Region:
    """Add a county under 银川 whose Chinese and English names are payloads."""
    return add_region(
        session,
        code=code,
        name_zh=chunk(80, seed),
        name_en=chunk(120, seed + 2),
        parent=get_region_by_code(session, "640100"),
        actor="cli",
    )


def hostile_staff(
    session: Session, username: str, role: str, region: Region, seed: int
) -> tuple[StaffUser, str]:
    """Add a signed-up account whose shown name is payloads; return it and its TOTP secret.

    A social supervisor gets a term that runs today.
    """
    supervisor = role == "social_supervisor"
    user = create_staff_user(
        session,
        username=username,
        display_name=chunk(120, seed),
        password=STAFF_PASSWORD,
        region=region,
        roles=[role],
        hasher=password_hasher(),
        term_start=date(2020, 1, 1) if supervisor else None,
        term_end=date(2099, 12, 31) if supervisor else None,
    )
    secret = new_totp_secret()
    user.totp_secret_enc = data_cipher().encrypt_text(secret, f"staff:{user.id}:totp")
    return user, secret
