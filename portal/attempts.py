"""Limits on guessing secrets (passwords, TOTP codes, access codes) that count before checking.

Every attempt reserves its place in each limit *before* the secret is checked and gives
it back when the attempt turned out not to be a wrong guess (a success, or a form that
was not filled in). So no number of parallel requests can have more secrets checked than
the limits allow: a limit counted after the check lets every request already in flight
through.

Two kinds of limit guard each secret:

- `PerClient`: strict, at most N wrong guesses per window from one client (keyed by a
  daily HMAC of the address, never the address itself).
- `PerSubject`: per account or case number, a few quick tries, then one try per growing
  delay (doubling from `GUESS_DELAY_FIRST_SECONDS` up to `GUESS_DELAY_MAX_SECONDS`).
  Anyone can make wrong guesses against a known username or case number, so a hard
  lock-out would let them lock the rightful owner out; a growing delay keeps guessing
  hopeless while the owner waits minutes at most (docs/security.md, "Guessing").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import current_app, g
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import Storage
from werkzeug.exceptions import TooManyRequests

from portal.errors import OperationError
from portal.security import limit_storage_failed, limit_strategy

# Refusal codes that mean the secret typed was wrong (portal/errors.py).
WRONG_SECRET = frozenset({"password"})


def attempt_failed() -> None:
    """Mark this request's attempt as a wrong guess: its reservations stay counted."""
    g.attempt_failed = True


def guess_delay(step: int, first: float, maximum: float) -> float:
    """Return the wait after the `step`-th try beyond the quick ones (1, 2, …): doubling, capped."""
    return float(min(maximum, first * 2.0 ** min(step - 1, 40)))


@dataclass
class _Reservation:
    """A place taken in one limit, to give back if the attempt was not a wrong guess."""

    storage: Storage
    key: str
    expiry: int

    def give_back(self) -> None:
        try:
            self.storage.incr(self.key, self.expiry, amount=-1)
        except StorageError as error:
            # The shared storage went away after the place was taken: the place stays
            # taken there, which errs on the side of counting one try too many.
            limit_storage_failed(error)


def _on_shared_or_local(reserve: Callable[[], _Reservation]) -> _Reservation:
    """Reserve in the limits' storage; if it fails now, again in this worker's memory."""
    try:
        return reserve()
    except StorageError as error:
        limit_storage_failed(error)
        return reserve()


@dataclass(frozen=True)
class PerClient:
    """At most `setting` (e.g. "30 per hour") wrong guesses from one client."""

    name: str
    setting: str
    key: Callable[[], str]

    def reserve(self) -> _Reservation:
        """Take a place or raise TooManyRequests with the time until the window ends."""
        return _on_shared_or_local(self._reserve)

    def _reserve(self) -> _Reservation:
        item: RateLimitItem = parse(str(current_app.config[self.setting]))
        strategy = limit_strategy()
        identifiers = (_prefix(), "guess", self.name, self.key())
        if not strategy.hit(item, *identifiers):
            reset, _remaining = strategy.get_window_stats(item, *identifiers)
            raise TooManyRequests(retry_after=_seconds_until(reset))
        return _Reservation(strategy.storage, item.key_for(*identifiers), item.get_expiry())


@dataclass(frozen=True)
class PerSubject:
    """`tries_setting` quick tries per account or case number, then one per growing delay."""

    name: str
    tries_setting: str
    key: Callable[[], str]

    def reserve(self) -> _Reservation:
        """Take a place or raise TooManyRequests with the time until the next try."""
        return _on_shared_or_local(self._reserve)

    def _reserve(self) -> _Reservation:
        config = current_app.config
        quick = max(1, int(config[self.tries_setting]))
        storage = limit_strategy().storage
        base = f"{_prefix()}/guess/{self.name}/{self.key()}"
        count_key, gate_key = f"{base}/count", f"{base}/gate"
        window = int(config["GUESS_FORGET_SECONDS"])
        tries = storage.incr(count_key, window)
        reservation = _Reservation(storage, count_key, window)
        if tries < quick:
            return reservation
        # Beyond the quick tries, one attempt at a time opens a gate that stays shut for
        # the next delay; whoever finds it shut is refused unchecked, and gives its place
        # back so that waiting, not hammering, is what the delay rewards.
        step = tries - quick + 1
        delay = guess_delay(
            step,
            float(config["GUESS_DELAY_FIRST_SECONDS"]),
            float(config["GUESS_DELAY_MAX_SECONDS"]),
        )
        if storage.incr(gate_key, max(1, round(delay))) == 1:
            return reservation
        reservation.give_back()
        raise TooManyRequests(retry_after=_seconds_until(storage.get_expiry(gate_key)))


def _prefix() -> str:
    return str(current_app.config.get("RATELIMIT_KEY_PREFIX", "") or "portal")


def _seconds_until(moment: float) -> int:
    return max(1, int(moment - time.time() + 0.999))


Guard = PerClient | PerSubject


def guard_guesses(*guards: Guard) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Reserve a place in every guard before the view checks a secret; refund non-guesses.

    The view calls `attempt_failed()` when the secret was wrong, or an operation refuses
    with a wrong-secret code. Any other outcome — success, an incomplete form, another
    error — gives every place back.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            taken: list[_Reservation] = []
            try:
                for guard in guards:
                    taken.append(guard.reserve())
            except TooManyRequests:
                for reservation in taken:
                    reservation.give_back()
                raise
            g.attempt_failed = False
            try:
                response = view(*args, **kwargs)
            except OperationError as refusal:
                # A refusal for a wrong secret is a guess; any other refusal is not.
                if refusal.code not in WRONG_SECRET:
                    for reservation in taken:
                        reservation.give_back()
                raise
            except BaseException:
                for reservation in taken:
                    reservation.give_back()
                raise
            if not g.attempt_failed:
                for reservation in taken:
                    reservation.give_back()
            return response

        # Declared on the view, so a test can check that every POST has some limit.
        wrapper.guess_guards = guards  # type: ignore[attr-defined]
        return wrapper

    return decorate
