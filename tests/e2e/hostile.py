"""A corpus of hostile strings for script-injection tests (docs/security.md)."""

from __future__ import annotations

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
