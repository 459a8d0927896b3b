"""Screenshots of the HTML reports for the docs, taken from the demo PMO in headless Chromium.

    python scripts/screenshots.py            # writes sdk_docs/images/*.png

The demo is built with a fixed status date, so the pictures only change when the reports
or the demo do. Needs pmo-core with pmo-demo and pmo-reports installed, Playwright, and a
Chromium (CHROMIUM_PATH, default /usr/bin/chromium; scripts/chromium.sh installs it).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sdk_docs" / "images"
TODAY = date(2026, 11, 30)

#: (file name, report, scope, colour scheme, viewport width)
SHOTS = [
    ("dashboard.png", "portfolio-summary", "DIGITAL", "light", 1280),
    ("dashboard-dark.png", "portfolio-summary", "DIGITAL", "dark", 1280),
    ("project-status.png", "project-status", "STREAMING", "light", 1100),
    ("roadmap.png", "roadmap", "DIGITAL", "light", 1280),
]


def main() -> int:
    from playwright.sync_api import sync_playwright
    from pmo_demo import build_demo

    from pmo_core import Workspace

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PMO_CACHE_DIR"] = str(Path(tmp) / "cache")
        pages: list[tuple[str, Path, str, int]] = []
        with Workspace.init(Path(tmp) / "demo", profile="controlling", today=lambda: TODAY) as ws:
            build_demo(ws)
            for name, report, scope, scheme, width in SHOTS:
                html = ws.report(report, scope, format="html").content
                assert isinstance(html, str)
                path = Path(tmp) / f"{name}.html"
                path.write_text(html, encoding="utf-8")
                pages.append((name, path, scheme, width))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium,
                args=["--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
            )
            for name, path, scheme, width in pages:
                page = browser.new_page(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                page.goto(path.as_uri(), wait_until="load")
                # The top of the page: what a steering committee sees first.
                page.screenshot(path=str(OUT / name), full_page=False)
                page.close()
                print(f"wrote {OUT / name}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
