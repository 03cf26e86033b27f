"""What a run may do: read outside a descriptor's folder, reach a non-public address, spend how much.

Why one object: Territoria validates what strangers publish (a fork's pull
request, a portal's listing, an emailed file), so the safe answer is the
default and every opt-in is explicit. A :class:`Policy` is set for the length of
one ``territoria.validate`` call (a context variable, so two calls in two
threads of a portal's server never see each other's opt-ins) and read by the
readers, the downloader and the schema loader. Readers capture the limits when
a table is opened, so the threads that parse ahead use the same numbers.

Defaults (each also a CLI flag and a ``validate(...)`` keyword, see README
"Limits and safety"):

* ``trusted=False``: paths a descriptor names stay inside its folder, after
  symlinks; a descriptor read from a URL names only URLs;
* ``allow_private_network=False`` (``TERRITORIA_ALLOW_PRIVATE_NETWORK=1`` opts in):
  loopback, private, link-local and other non-public addresses are refused;
* ``offline=False``: ``True`` refuses every download (``network-refused``), for
  the local page (``territoria ui``), where nothing may leave the machine, not
  even a request for an address an uploaded package or schema names;
* the :class:`Limits` below.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
from dataclasses import dataclass, field, replace
from typing import Optional


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Limits:
    """Bounds on what one source may cost; each refusal is a one-line error naming where."""

    #: cells in one row (Excel's own maximum is 16,384 columns)
    max_fields: int = 16_384
    #: bytes in one cell
    max_cell_bytes: int = 16 << 20
    #: bytes in one physical line of a text file, or in one JSON row
    max_line_bytes: int = 64 << 20
    #: bytes a compressed source or a spreadsheet archive may expand to
    max_uncompressed_bytes: int = 4 << 30
    #: expansion ratio refused above ``ratio_floor_bytes`` of expanded data
    max_ratio: int = 100
    ratio_floor_bytes: int = 64 << 20
    #: cells of a spreadsheet sheet (rows x padded width)
    max_cells: int = 50_000_000
    #: seconds one cell may spend in a pattern that RE2 cannot run
    pattern_timeout: float = 1.0

    @classmethod
    def names(cls) -> list:
        return list(cls.__dataclass_fields__)


def _default_limits() -> Limits:
    return Limits()


@dataclass(frozen=True)
class Policy:
    trusted: bool = False
    allow_private_network: bool = False
    limits: Limits = field(default_factory=_default_limits)
    #: folders whose descriptors may name any file inside them (the catalogue, the Action's workspace)
    roots: tuple = ()
    #: no download at all (the local page: nothing leaves the machine)
    offline: bool = False


_current: contextvars.ContextVar = contextvars.ContextVar("territoria_policy", default=None)


def current() -> Policy:
    """The policy of the call in progress (outside one: the defaults, and the environment's opt-in)."""
    policy = _current.get()
    if policy is None:
        policy = Policy(allow_private_network=env_flag("TERRITORIA_ALLOW_PRIVATE_NETWORK"))
    return policy


def make(trusted: Optional[bool] = None, allow_private_network: Optional[bool] = None,
         limits: Optional[dict] = None, root: Optional[str] = None, offline: Optional[bool] = None) -> Policy:
    """The current policy with these choices made (None: keep it); ``limits`` by field name;
    ``root`` is added to the policy's ``roots``; ``offline=True`` refuses every download."""
    policy = current()
    changes: dict = {}
    if offline is not None:
        changes["offline"] = bool(offline)
    if root is not None and root not in policy.roots:
        changes["roots"] = policy.roots + (root,)
    if trusted is not None:
        changes["trusted"] = bool(trusted)
    if allow_private_network is not None:
        changes["allow_private_network"] = bool(allow_private_network) or env_flag("TERRITORIA_ALLOW_PRIVATE_NETWORK")
    if limits:
        unknown = set(limits) - set(Limits.names())
        if unknown:
            raise TypeError(f"unknown limit(s): {', '.join(sorted(unknown))}")
        changes["limits"] = replace(policy.limits, **{k: v for k, v in limits.items() if v is not None})
    return replace(policy, **changes) if changes else policy


@contextlib.contextmanager
def applied(policy: Policy):
    token = _current.set(policy)
    try:
        yield policy
    finally:
        _current.reset(token)
