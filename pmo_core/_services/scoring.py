"""Scoring proposals with the models plugins register: what a model answers is checked, so a
failing model is the plugin's error, never a wrong ranking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from .._errors import PLUGIN_FAILURES, InvalidInputError, NotFoundError, PluginError, describe
from .._gc import collector_paused
from .._records import PmoScoringModel, Score, ScoringRequest

if TYPE_CHECKING:
    from .._view import WorkspaceView
    from .._workspace import Workspace


class ScoringService:
    """Runs the scoring models the workspace's plugins register."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def model(self, name: str) -> PmoScoringModel:
        """The scoring model ``name``; an unknown one is bad input listing the known ones."""
        try:
            return self._ws.host.record(PmoScoringModel, name)
        except NotFoundError:
            known = ", ".join(m.name for m in self._ws.host.records(PmoScoringModel))
            raise InvalidInputError(
                f"no scoring model {name!r}; known: {known or 'none registered'}", where="model"
            ) from None

    def score(self, name: str, keys: Sequence[str], view: WorkspaceView | None) -> dict[str, Score]:
        """See :meth:`Workspace.score <pmo_core.Workspace.score>`."""
        model = self.model(name)
        view = self._ws.view() if view is None else view
        wanted = list(dict.fromkeys(keys))
        proposals = tuple(view.entity(key) for key in wanted)
        settings = self._ws.settings(model.settings) if model.settings else None
        request = ScoringRequest(view=view, proposals=proposals, settings=settings)
        try:
            with collector_paused():
                answer = model.score(request)
        except InvalidInputError as exc:
            raise InvalidInputError(
                f"scoring model {model.name!r}: {exc.message}", where=exc.where
            ) from exc
        except PLUGIN_FAILURES as exc:
            raise PluginError(
                f"scoring model {model.name!r} failed: {describe(exc)}", plugin=model.plugin
            ) from exc
        return _checked(model, answer, wanted)


def _checked(model: PmoScoringModel, answer: object, wanted: list[str]) -> dict[str, Score]:
    def wrong(what: str) -> PluginError:
        return PluginError(f"scoring model {model.name!r} {what}", plugin=model.plugin)

    if not isinstance(answer, Mapping):
        raise wrong(f"returned {type(answer).__name__}, not a mapping of project to Score")
    missing = [k for k in wanted if k not in answer]
    if missing:
        raise wrong(f"gave no score for {', '.join(missing)}")
    extra = sorted(str(k) for k in answer if k not in wanted)
    if extra:
        raise wrong(f"scored projects it was not asked for: {', '.join(extra)}")
    out: dict[str, Score] = {}
    for key in wanted:
        score = answer[key]
        if not isinstance(score, Score):
            raise wrong(f"returned {type(score).__name__} for {key}, not Score")
        if not isinstance(score.value, Decimal) or not score.value.is_finite():
            raise wrong(f"gave {key} the value {score.value!r}, not a finite Decimal")
        out[key] = score
    return out
