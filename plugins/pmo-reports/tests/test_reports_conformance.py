"""pmo-reports' reports against the testing kit's conformance suite."""

import pmo_reports

from pmo_core.testing import ReportConformance


class TestReports(ReportConformance):
    plugin = pmo_reports
    reports = (
        "project-status",
        "portfolio-summary",
        "raid-register",
        "evm",
        "roadmap",
        "pmo-review",
    )
