from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "portal" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def chinese_catalog():
    with CATALOG.open("rb") as fh:
        return read_po(fh)


def test_every_message_in_the_source_is_in_the_chinese_catalogue(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ]
    )
    with pot.open("rb") as fh:
        source_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    catalog_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in chinese_catalog() if m.id}
    assert sorted(source_ids - catalog_ids) == []


def test_every_chinese_translation_is_filled_in_and_not_fuzzy():
    untranslated = [
        m.id
        for m in chinese_catalog()
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert untranslated == []


def test_chinese_translations_keep_every_placeholder():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    broken = []
    for m in chinese_catalog():
        if not m.id:
            continue
        source = m.id if isinstance(m.id, str) else m.id[0]
        target = m.string if isinstance(m.string, str) else m.string[0]
        if set(placeholder.findall(source)) != set(placeholder.findall(target or "")):
            broken.append(source)
    assert broken == []


def test_no_translation_has_a_stray_percent_sign():
    # Gettext formats messages with %, so a bare % in a translation breaks the page.
    import re

    stray = re.compile(r"%(?!\(\w+\)[sd]|%)")
    bad = []
    for message in chinese_catalog():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        bad += [s for s in strings if s and stray.search(s)]
    assert bad == []
