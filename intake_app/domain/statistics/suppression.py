"""Small-cell suppression: which cells of a published table must be hidden.

Counts from 1 to ``min_count - 1`` are shown as ``<min_count`` (PRIMARY); a second
cell is hidden (``*``, SECONDARY: 0 or at least ``min_count``) wherever a hidden cell
could otherwise be worked out from a sum; a sum whose cells are all hidden and still
pin a small count is withheld whole (``x``, WITHHELD). ``suppress`` marks the cells,
``audit`` is the outsider's interval narrowing over every sum that ``suppress`` checks
itself against, ``exposed`` names the small counts an audit pins exactly (none after
``suppress``). Cells are any hashable keys; a group is a sum whose last cell is the
total of the others.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_MIN_COUNT = 3
SECONDARY_MARK = "*"
SHOWN, PRIMARY, SECONDARY, WITHHELD = "shown", "primary", "secondary", "withheld"
WITHHELD_MARK = "x"

Bounds = tuple[float, float]


def _start_bounds(value: int, mark: str, min_count: int) -> Bounds:
    """What an outsider knows of one published cell."""
    if mark == SHOWN:
        return (value, value)
    if mark == PRIMARY:
        return (1, min_count - 1)
    return (0, math.inf)  # "*" (0 or ≥ min_count, see _snap) and "x" (anything)


def _snap(lo: float, hi: float, min_count: int) -> Bounds:
    """A "*" cell is 0 or at least ``min_count``: cut the interval to that set."""
    if 0 < lo < min_count:
        lo = min_count
    if hi < min_count:
        hi = 0
    return (lo, hi)


@dataclass
class Audit:
    """What an outsider can narrow every cell down to from the published table."""

    bounds: dict[Hashable, Bounds]
    reason: dict[Hashable, int]  # cell → the sum that last narrowed it

    def exact(self, key: Hashable) -> bool:
        lo, hi = self.bounds[key]
        return lo == hi


def audit(
    values: Mapping[Hashable, int],
    groups: Sequence[Sequence[Hashable]],
    marks: Mapping[Hashable, str],
    min_count: int = DEFAULT_MIN_COUNT,
) -> Audit:
    """Interval narrowing over every sum, as an outsider would do it.

    Each group is a sum: its last cell is the total of the others. A shown cell is
    exact, ``<k`` is [1, k−1], ``*`` is {0} ∪ [k, ∞), ``x`` is [0, ∞). Every sum
    narrows each of its hidden cells to [S_lo − Σ_{j≠i} hi_j, S_hi − Σ_{j≠i} lo_j]
    (and the total to the sum of the parts' bounds) until nothing changes."""
    bounds = {k: _start_bounds(v, marks[k], min_count) for k, v in values.items()}
    reason: dict[Hashable, int] = {}
    live = [i for i, g in enumerate(groups) if any(marks[c] != SHOWN for c in g)]
    member: dict[Hashable, list[int]] = {}
    for i in live:
        for c in groups[i]:
            if marks[c] != SHOWN:
                member.setdefault(c, []).append(i)
    queue = deque(live)
    queued = set(live)
    while queue:
        gi = queue.popleft()
        queued.discard(gi)
        group = groups[gi]
        last = len(group) - 1
        # the sum Σ parts − total = 0, as signed terms
        terms: list[Bounds] = []
        for n, c in enumerate(group):
            lo, hi = bounds[c]
            terms.append((lo, hi) if n < last else (-hi, -lo))
        lo_fin = sum(t[0] for t in terms if t[0] != -math.inf)
        lo_inf = sum(1 for t in terms if t[0] == -math.inf)
        hi_fin = sum(t[1] for t in terms if t[1] != math.inf)
        hi_inf = sum(1 for t in terms if t[1] == math.inf)
        for n, c in enumerate(group):
            mark = marks[c]
            if mark == SHOWN:
                continue
            t_lo, t_hi = terms[n]
            if t_lo == -math.inf:
                rest_lo = -math.inf if lo_inf > 1 else lo_fin
            else:
                rest_lo = -math.inf if lo_inf else lo_fin - t_lo
            if t_hi == math.inf:
                rest_hi = math.inf if hi_inf > 1 else hi_fin
            else:
                rest_hi = math.inf if hi_inf else hi_fin - t_hi
            # this term = −(the rest)
            new_lo, new_hi = -rest_hi, -rest_lo
            if n == last:
                new_lo, new_hi = -new_hi, -new_lo
            old = bounds[c]
            lo, hi = max(old[0], new_lo), min(old[1], new_hi)
            if mark == SECONDARY:
                lo, hi = _snap(lo, hi, min_count)
            if (lo, hi) != old and lo <= hi:
                bounds[c] = (lo, hi)
                reason[c] = gi
                for other in member.get(c, ()):
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)
    return Audit(bounds, reason)


def exposed(
    values: Mapping[Hashable, int],
    marks: Mapping[Hashable, str],
    found: Audit,
    min_count: int = DEFAULT_MIN_COUNT,
) -> list[Hashable]:
    """Hidden cells holding 1 … min_count − 1 whose exact value can be worked out."""
    return [
        k for k, v in values.items() if marks[k] != SHOWN and 0 < v < min_count and found.exact(k)
    ]


def _hide_singles(
    values: Mapping[Hashable, int],
    groups: Sequence[Sequence[Hashable]],
    marks: dict[Hashable, str],
    headline: Collection[Hashable] = frozenset(),
) -> None:
    """No sum may have exactly one hidden cell: hide its smallest other cell too (a
    headline cell only when the sum has no other)."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [k for k in group if marks[k] != SHOWN]
            if len(hidden) != 1:
                continue
            candidates = [k for k in group if marks[k] == SHOWN]
            if not candidates:
                continue
            # smallest non-zero first; zeros only when nothing else remains
            choice = min(candidates, key=lambda k: (k in headline, values[k] == 0, values[k]))
            marks[choice] = SECONDARY
            changed = True


def _remedy(
    cell: Hashable,
    values: Mapping[Hashable, int],
    groups: Sequence[Sequence[Hashable]],
    marks: dict[Hashable, str],
    found: Audit,
    margins: set[Hashable],
    member: Mapping[Hashable, Sequence[int]],
) -> bool:
    """Hide one more cell in a sum that pins ``cell`` (following the chain of sums
    that pinned the other hidden cells of it); True when something was hidden.

    The sum's total is hidden if shown, else its smallest shown non-zero cell; the
    ``margins`` (totals of several sums, such as the monthly consultation totals) are
    hidden only when nothing else in the chain can be."""
    seen: set[int] = set()
    first: int | None = found.reason.get(cell)
    fallback: Hashable | None = None
    # the sum that pinned the cell first, then its other sums, then those of the
    # hidden cells that helped pin it
    queue: deque[tuple[Hashable, int]] = deque()
    if first is not None:
        queue.append((cell, first))
    queue.extend((cell, gi) for gi in member.get(cell, ()))
    while queue:
        x, gi = queue.popleft()
        if gi in seen:
            continue
        seen.add(gi)
        group = groups[gi]
        total = group[-1]
        visible = [p for p in group[:-1] if marks[p] == SHOWN and values[p] != 0]
        choices = ([total] if marks[total] == SHOWN else []) + sorted(
            visible, key=lambda k: values[k]
        )
        for choice in choices:
            if choice not in margins:
                marks[choice] = SECONDARY
                return True
            if fallback is None:
                fallback = choice
        for p in group:
            if p != x and marks[p] != SHOWN and found.exact(p):
                if p in found.reason:
                    queue.append((p, found.reason[p]))
                queue.extend((p, other) for other in member.get(p, ()))
    if fallback is not None:
        marks[fallback] = SECONDARY
        return True
    if first is None:
        return False
    # Every cell of the pinning sum is hidden, yet the "<k" marks alone fix it (e.g. a
    # row 1 + 1 = 2, all "<3"): withhold the whole sum as "x", zeros included, so "x"
    # says nothing about the size of a cell.
    changed = False
    for p in groups[first]:
        if (marks[p] == SHOWN and values[p] != 0) or marks[p] == WITHHELD:
            continue
        marks[p] = WITHHELD
        changed = True
    return changed


def suppress(
    values: Mapping[Hashable, int],
    groups: Iterable[Sequence[Hashable]],
    min_count: int = DEFAULT_MIN_COUNT,
    headline: Collection[Hashable] = frozenset(),
) -> dict[Hashable, str]:
    """Mark each cell SHOWN, PRIMARY (1 ≤ n < min_count), SECONDARY or WITHHELD.

    ``groups`` are additive relations, the last cell of each being the sum of the
    others (cells of a row and its total; the rows of an exclusive table and the
    overall total). First no sum may keep a single hidden cell (the smallest other
    cell is hidden too, a non-zero one first). Then the ``audit`` narrows every hidden
    cell as an outsider would, knowing that "<k" is 1 … k−1 and "*" is 0 or ≥ k;
    while a count below ``min_count`` can still be worked out exactly, one more cell
    of a sum that pins it is hidden (its total if shown, else its smallest shown
    non-zero cell); a sum made only of hidden cells is withheld as "x". Hiding only
    grows, so this ends. Cells shared by several tables carry one key, so they are
    hidden alike. ``headline`` cells (the monthly consultation totals) are, like the
    totals of several sums, hidden only when nothing else in the sum can be.
    """
    if min_count < 3:
        raise ValueError("min_count must be at least 3")
    marks = {k: PRIMARY if 0 < v < min_count else SHOWN for k, v in values.items()}
    group_list = [list(g) for g in groups]
    as_total: dict[Hashable, int] = {}
    for g in group_list:
        as_total[g[-1]] = as_total.get(g[-1], 0) + 1
    margins = {k for k, n in as_total.items() if n > 1} | set(headline)
    member: dict[Hashable, list[int]] = {}
    for i, g in enumerate(group_list):
        for k in g:
            member.setdefault(k, []).append(i)
    _hide_singles(values, group_list, marks, headline)
    # a cell changes mark at most twice (shown → * → x, <k → x), so this bound is loose
    for _ in range(2 * len(marks) + 1):
        found = audit(values, group_list, marks, min_count)
        leaks = exposed(values, marks, found, min_count)
        if not leaks:
            return marks
        changed = False
        done: set[int] = set()
        for cell in leaks:
            # one remedy per pinning sum a round: the next audit shows what is left
            reason = found.reason.get(cell)
            if reason is not None and reason in done:
                continue
            if reason is not None:
                done.add(reason)
            changed |= _remedy(cell, values, group_list, marks, found, margins, member)
        _hide_singles(values, group_list, marks, headline)
        if not changed:
            break
    # Not reached on any table seen; should it ever be, nothing is published.
    return dict.fromkeys(marks, WITHHELD)


def display(value: int, mark: str, min_count: int) -> str:
    if mark == PRIMARY:
        return f"<{min_count}"
    if mark == SECONDARY:
        return SECONDARY_MARK
    if mark == WITHHELD:
        return WITHHELD_MARK
    return str(value)
