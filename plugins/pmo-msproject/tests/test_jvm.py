"""The JVM inside the Python process: started once, when the first MPXJ file is read, with
Python's fault handler out of its way."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from msproject_samples import DATA

SCRIPT = textwrap.dedent(
    """
    import faulthandler, sys
    import jpype
    from pmo_core import ConnectorRequest
    from pmo_msproject import read_mpxj, read_mspdi

    faulthandler.enable()  # as pytest does in every test process
    list(read_mspdi(ConnectorRequest(location=sys.argv[1])))
    print("after MSPDI:", jpype.isJVMStarted(), faulthandler.is_enabled())
    list(read_mpxj(ConnectorRequest(location=sys.argv[1])))
    print("after MPXJ:", jpype.isJVMStarted(), faulthandler.is_enabled())
    """
)


def test_the_jvm_starts_at_the_first_mpxj_read_with_the_fault_handler_off() -> None:
    # The JVM takes SIGSEGV for itself. Python's fault handler, enabled before it started,
    # would put back the handler it had saved when next disabled (a nested pytest session
    # does that), and the next read crashed the process: the handler is switched off first.
    # A fresh process: in this one the JVM may have started already.
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(DATA / "sample.xml")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["after MSPDI: False True", "after MPXJ: True False"]
