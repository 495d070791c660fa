from __future__ import annotations

import subprocess
import sys


def test_the_supervisor_that_make_run_starts_loads_no_django():
    code = "import sys, sinorus.supervisor; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_the_supervisor_restarts_the_django_worker_command():
    from sinorus import supervisor

    assert supervisor.MANAGE.name == "manage.py" and supervisor.MANAGE.exists()
