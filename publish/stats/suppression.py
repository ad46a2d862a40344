"""Small-count suppression (docs/domain.md §5), shared by every published table of counts.

A count below the threshold is hidden, and so is any count that, with the counts shown
beside it, would give a hidden one back. What can be given back follows from the sums a
reader knows: the members of a `Sum` add up to its margin (a region's total and the parts
it is made of). One hidden member beside a shown margin (or beside none: the provinces,
whose total is published elsewhere) is worked out by subtraction, so a second one is
hidden; a hidden margin whose members are all shown is their sum, so one member is hidden. Both are applied until nothing changes, over every sum at once, so that
two tables sharing a cell hide it alike.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Sum(Generic[K]):
    """Cells that add up to a margin cell (None: their sum is published nowhere)."""

    members: Sequence[K]
    margin: K | None = None
    # A total over the provinces is published only when no province hides that count.
    margin_needs_all: bool = False


def is_small(value: int, threshold: int) -> bool:
    """Return whether a count is hidden for being small: above zero, below the threshold."""
    return 0 < value < threshold


def suppress_sums(
    values: Mapping[K, int],
    sums: Iterable[Sum[K]],
    threshold: int,
    order: Callable[[K], Any],
    hidden: Iterable[K] = (),
) -> set[K]:
    """Return the cells to hide: small ones, then more until no sum gives a hidden one back.

    `hidden` are cells already hidden elsewhere (a margin from another table); `order`
    breaks ties between equal counts, so the same data always hides the same cells.
    """
    out = set(hidden) | {key for key, value in values.items() if is_small(value, threshold)}
    groups = list(sums)
    changed = True
    while changed:
        changed = False
        for group in groups:
            shown = sorted(
                (k for k in group.members if k not in out), key=lambda k: (values[k], order(k))
            )
            n_hidden = len(group.members) - len(shown)
            margin = group.margin
            if margin is not None and group.margin_needs_all and n_hidden and margin not in out:
                out.add(margin)
                changed = True
            # Over the provinces a second one is hidden even so, as the statistics always did.
            if n_hidden == 1 and (margin not in out or group.margin_needs_all):
                if shown:
                    out.add(shown[0])
                    changed = True
                elif margin is not None and margin not in out:
                    out.add(margin)
                    changed = True
            elif n_hidden == 0 and margin is not None and margin in out and shown:
                # Hide a member that counts something; if none does, a zero, or the hidden
                # margin would read as the sum of zeros shown beside it.
                out.add(next((k for k in shown if values[k] > 0), shown[0]))
                changed = True
    return out


OWN = "own:"


def own_key(code: str) -> str:
    """Return the cell of a region's own office (本级): its own node's count, not its subtree's."""
    return OWN + code


def tree_sums(
    children: Mapping[str | None, Sequence[str]], total: str | None = None
) -> list[Sum[str]]:
    """Return the sums of the jurisdiction tree, cells named by region code (docs/domain.md §15).

    A region's count is its own office's (`own_key`) plus its children's, exactly; the
    provinces add up to `total` when a total over them is published (only when no province
    hides the count), and to nothing otherwise.
    """
    sums: list[Sum[str]] = [
        Sum((own_key(parent), *kids), parent) for parent, kids in children.items() if parent
    ]
    provinces = tuple(children.get(None, ()))
    sums.append(Sum(provinces, total, margin_needs_all=total is not None))
    return sums


def hides_derived(basis_value: int, basis_hidden: bool, threshold: int) -> bool:
    """Return whether a share, median or amount resting on a count is hidden with it (§5)."""
    return basis_hidden or is_small(basis_value, threshold)


def exact(value: Any) -> Any:
    """Return a value as downloads write it: amounts as exact decimal strings, others as they are."""
    return str(value) if isinstance(value, Decimal) else value
