"""The docs tests import the modules that build the reference (scripts/griffe_pmo.py and
scripts/docs_reference.py); scripts/ is not a package."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
