"""The typed, frozen records that registration hooks yield: one record type per hook, one
module per family.

Every record has a ``name`` (normalised: lower case, ``_`` and spaces become ``-``) and a
one-line ``summary``. The host stamps each record with the plugin that yielded it, rejects
duplicates naming both distributions, and sorts them by name. A record class becomes public
(``pmo_core.<Record>``) by being listed in its module's ``__all__``.
"""

from . import _base, connectors, extensions, governance, methodology, reports, scoring
from ._base import *  # noqa: F403
from .connectors import *  # noqa: F403
from .extensions import *  # noqa: F403
from .governance import *  # noqa: F403
from .methodology import *  # noqa: F403
from .reports import *  # noqa: F403
from .scoring import *  # noqa: F403

__all__: list[str] = []
__all__ += _base.__all__
__all__ += connectors.__all__
__all__ += extensions.__all__
__all__ += governance.__all__
__all__ += methodology.__all__
__all__ += reports.__all__
__all__ += scoring.__all__
