"""The stage-gate methodology against the testing kit's conformance suite."""

import pmo_stage_gate

from pmo_core.testing import MethodologyConformance


class TestStageGate(MethodologyConformance):
    plugin = pmo_stage_gate
    methodologies = ("stage-gate",)
