"""The services a :class:`~pmo_core.Workspace` composes, one module per concern.

Each service is given the workspace and uses only its public API (``config``, ``host``,
``store``, ``view()``, ``today()``, ``transaction()`` and the other services' public
methods); none reaches into another's privates.
"""
