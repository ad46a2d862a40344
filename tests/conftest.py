"""Shared fixtures: an app per test on SQLite (and PostgreSQL when PORTAL_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import base64
import io
import os
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

# Importing the feature packages and the shell's table modules registers every table.
import intake as _intake  # noqa: F401
import portal.accounts.models  # noqa: F401
import portal.audit  # noqa: F401
import portal.notices  # noqa: F401
import portal.pagecache  # noqa: F401
import portal.settings  # noqa: F401
import publish as _publish  # noqa: F401
from intake.filing.operations import Receipt, ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.identity.person import ReporterIdentity
from intake.models import Report
from portal import create_app
from portal.accounts.keys import create_recovery_key, make_custodian
from portal.accounts.operations import create_staff_user
from portal.db import Base, db_session, make_engine
from portal.jurisdictions.models import get_region_by_code
from portal.jurisdictions.seed import seed_regions
from portal.security import data_cipher, kdf_params, password_hasher


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the message catalogues, so a Chinese page really renders Chinese in tests."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).parent.parent / "portal" / "translations").glob(
        "*/LC_MESSAGES/messages.po"
    ):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        # Written aside and moved into place: parallel test processes compile it too, and
        # none may read a half-written catalogue.
        partial = po.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as fh:
            write_mo(fh, catalog)
        os.replace(partial, po.with_suffix(".mo"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run tests marked `one_backend` on SQLite only: they check logic, not the database."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.get_closest_marker("one_backend") and params.get("database_url") == "postgresql":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _database_of_this_worker(url: str) -> str:
    """Return the PostgreSQL database of this test process: one per pytest-xdist worker.

    Each worker drops and creates every table of its database at the start, so two
    workers never share one: `test` becomes `test_gw0`, `test_gw1`, … on the same server.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not found:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


PG_URL = _database_of_this_worker(os.environ.get("PORTAL_TEST_DATABASE_URL", ""))
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])

VALID_ID = "11010519491231002X"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database with the current schema, once per backend for the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = PG_URL
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    engine.dispose()


def test_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """Return the configuration of a test app; cheap Argon2 in tests only."""
    config: dict[str, Any] = {
        "ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ARGON2_PROFILE": "cheapest",
        "RATELIMIT_STORAGE_URI": "memory://",
        "WTF_CSRF_ENABLED": False,
        # Cached public pages stay on, but every request asks the database whether
        # published content changed, so each test sees its own changes at once; pages
        # that count reports are not kept at all.
        "PAGE_CACHE_CHECK_SECONDS": 0,
        "STATS_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return config


test_config.__test__ = False  # a helper, not a test, wherever it is imported


def wipe(app: Flask) -> None:
    """Empty every table of the app's database and close its connections."""
    engine = app.extensions["db_engine"]
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Per-test overrides of the app configuration; override this fixture or mutate it."""
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict[str, Any]) -> Iterator[Flask]:
    """A fresh app on an emptied database with the demo jurisdiction tree."""
    application = create_app(test_config(database_url, **app_config))
    with application.app_context():
        seed_regions(db_session())
        db_session().commit()
    yield application
    wipe(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """The session of an app context kept open for the test."""
    with app.app_context():
        yield db_session()


@pytest.fixture
def recovery_private_key(db: Session) -> bytes:
    """Create the deployment recovery key and return its private half."""
    _, private = create_recovery_key(db)
    db.commit()
    return private


@pytest.fixture
def make_custodian_user(db: Session) -> Callable[..., Any]:
    """Factory: a staff user with the custodian right for a region (by division code)."""

    def factory(
        region_code: str = "640000",
        password: str = "correct horse battery staple",
        username: str | None = None,
    ) -> Any:
        region = get_region_by_code(db, region_code)
        assert region is not None
        user = create_staff_user(
            db,
            username=username or f"custodian-{secrets.token_hex(4)}",
            display_name="保管员",
            password=password,
            region=region,
            roles=["approver"],
            hasher=password_hasher(),
        )
        key = make_custodian(db, user, password, kdf_params())
        db.commit()
        return key

    return factory


@pytest.fixture
def make_report(db: Session) -> Callable[..., tuple[Any, Receipt]]:
    """Factory: file a report through the real operation; keyword arguments override the draft."""

    def factory(region_code: str = "640104", **overrides: Any) -> tuple[Any, Receipt]:
        region = get_region_by_code(db, region_code)
        assert region is not None
        fields: dict[str, Any] = {
            "region": region,
            "party_kind": "hospital",
            "party_name": "某某医院",
            "facts": "该院让病人挂床住院，伪造住院记录。",
            "violation_codes": ["nominal_bed"],
            "submission_key": secrets.token_urlsafe(16),
        }
        fields.update(overrides)
        receipt = submit_report(
            db, ReportDraft(**fields), cipher=data_cipher(), hasher=access_code_hasher()
        )
        db.commit()
        report = db.scalar(select(Report).where(Report.case_number == receipt.case_number))
        return report, receipt

    return factory


@pytest.fixture
def identity() -> ReporterIdentity:
    """A valid real-name identity."""
    return ReporterIdentity(
        name="王晓明",
        id_number=VALID_ID,
        phone="13912345678",
        address="银川市金凤区",
        email="w@example.com",
    )


def jpeg_with_gps() -> bytes:
    """Return a small JPEG carrying EXIF camera and GPS data."""
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    exif[0x0110] = "SpyCam 3000"  # Model
    gps = {1: "N", 2: (38.0, 29.0, 0.0), 3: "E", 4: (106.0, 13.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(color: tuple[int, int, int] = (0, 120, 0)) -> bytes:
    """Return a small PNG."""
    out = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(out, format="PNG")
    return out.getvalue()


def report_form(**overrides: Any) -> dict[str, Any]:
    """Return valid anonymous /report form data; keyword arguments override fields."""
    data: dict[str, Any] = {
        "party_kind": "hospital",
        "party_name": "银川某某医院",
        "party_details": "兴庆区某路 1 号",
        "region": "640104",
        "violation_types": ["nominal_bed", "fake_visits"],
        "facts": "该院组织参保人挂床住院，实际不在院，按住院结算医保费用。",
        "how_known": "本人曾在该院就诊。",
        "amount": "12,500.50",
        "identity_mode": "anonymous",
        "declaration": "y",
        "submission_key": secrets.token_urlsafe(16),
    }
    data.update(overrides)
    return data


@pytest.fixture
def fresh(app: Flask) -> Iterator[Callable[[], Session]]:
    """Factory of new sessions that see everything committed so far (closed after the test)."""
    opened: list[Session] = []

    def factory() -> Session:
        session = app.extensions["db_sessionmaker"]()
        opened.append(session)
        return session

    yield factory
    for session in opened:
        session.close()


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    """Factory of extra apps (other hosts, other settings); their connections close afterwards."""
    made: list[Flask] = []

    def factory(config: dict[str, Any]) -> Flask:
        application = create_app(config)
        made.append(application)
        return application

    yield factory
    for application in made:
        application.extensions["db_engine"].dispose()


STAFF_PASSWORD = "violet quartz lantern harbour"


@pytest.fixture
def make_staff(db: Session) -> Callable[..., Any]:
    """Factory: a signed-up staff user with roles, home region, personal key and TOTP secret.

    `custodian=True` also gives the custodian right (a key pair for the home region).
    The TOTP secret is returned on the user as `totp_secret` for tests that sign in.
    """
    from portal.accounts.keys import ensure_keys
    from portal.accounts.totp import new_totp_secret

    def factory(
        *roles: str,
        region_code: str = "640100",
        custodian: bool = False,
        password: str = STAFF_PASSWORD,
        username: str | None = None,
        **fields: Any,
    ) -> Any:
        region = get_region_by_code(db, region_code)
        assert region is not None
        user = create_staff_user(
            db,
            username=username or f"u{secrets.token_hex(4)}",
            display_name=f"测试{'/'.join(roles) or '用户'}",
            password=password,
            region=region,
            roles=list(roles),
            hasher=password_hasher(),
            wants_custodian=custodian,
            **fields,
        )
        ensure_keys(db, user, password, kdf_params())
        secret = new_totp_secret()
        user.totp_secret_enc = data_cipher().encrypt_text(secret, f"staff:{user.id}:totp")
        db.commit()
        user.totp_secret = secret
        return user

    return factory


@pytest.fixture
def login_as(app: Flask, db: Session) -> Callable[..., FlaskClient]:
    """Return a new test client signed in as `user` (a full session, as after TOTP)."""
    from portal.accounts.sessions import STAFF_COOKIE, start_staff_session

    def factory(user: Any) -> FlaskClient:
        token = start_staff_session(db, user, second_factor_done=True)
        db.commit()
        client = app.test_client()
        client.set_cookie(STAFF_COOKIE, token, path="/staff")
        return client

    return factory


def handle_to_feedback(
    session: Session,
    report: Any,
    *,
    intake: Any,
    investigator: Any,
    approver: Any,
    recovered: str = "1000",
    fine: str | None = None,
) -> None:
    """Take a report through acceptance, a case, a handling decision and feedback (not committed)."""
    from decimal import Decimal

    from intake.office import acceptance, handling

    c = data_cipher()
    acceptance.accept_report(session, report, actor=intake, reason="", cipher=c)
    handling.open_case(session, report, actor=investigator, reason="", cipher=c)
    handling.record_handling(
        session,
        report,
        actor=approver,
        recovered=Decimal(recovered),
        fine=None if fine is None else Decimal(fine),
        measures=["recover", "fine"] if fine else ["recover"],
        decision="追回",
        cipher=c,
    )
    handling.send_feedback(session, report, actor=intake, feedback="已追回", cipher=c)
