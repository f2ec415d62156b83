"""Deferred imports: rfc3987_syntax loads only when an `iri` format is checked, and then works."""

from __future__ import annotations

import subprocess
import sys

from contractbook import fastimport

PROBE = """
import sys
{setup}
import jsonschema
print("at import:", "rfc3987_syntax.syntax_helpers" in sys.modules)
checker = jsonschema.FormatChecker()
print("checks:", checker.conforms("http://a/b", "iri"), checker.conforms("not an iri", "iri"))
print("after use:", "rfc3987_syntax.syntax_helpers" in sys.modules)
"""


def _probe(setup: str, *flags: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, *flags, "-c", PROBE.format(setup=setup)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    return out.splitlines()


def test_install_defers_the_module_until_a_format_uses_it():
    lines = _probe(
        f"sys.path[:0] = {sys.path!r}\nimport contractbook.fastimport as f; f.install()", "-S"
    )
    assert lines == ["at import: False", "checks: True False", "after use: True"]


def test_without_it_jsonschema_loads_the_module_at_import():
    # -S: no site, so no .pth either (the venv's packages come in through sys.path)
    setup = f"sys.path[:0] = {sys.path!r}"
    lines = _probe(setup, "-S")
    assert lines[0] == "at import: True" and lines[1] == "checks: True False"


def test_setup_installs_it_in_every_process_of_the_venv():
    # make setup writes the .pth; a plain interpreter start then defers the module
    assert _probe("")[0] == "at import: False"
    assert fastimport.PTH_LINE.startswith("import sys; exec(")


def _script(folder, name: str) -> list[str]:
    """Run the probe below as a script called name (install() looks at sys.argv[0])."""
    script = folder / name
    script.write_text(
        "import sys\n"
        "import ploomber.io.unserialize as u, ploomber_engine.profiling as prof\n"
        "print('pandas at start-up:', 'pandas.core.frame' in sys.modules)\n"
        "print('pyplot at start-up:', 'matplotlib.figure' in sys.modules)\n"
        "frame = u.pd.DataFrame({'a': [1, 2]})\n"
        "print('pandas used:', int(frame['a'].sum()), type(sys.modules['pandas']).__name__)\n"
        "print('pyplot used:', prof.plt.figure().__class__.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={"MPLBACKEND": "Agg", "PATH": ""},
    ).stdout
    return out.splitlines()


def test_the_ploomber_command_defers_pandas_and_pyplot_until_used(tmp_path):
    assert _script(tmp_path, "ploomber") == [
        "pandas at start-up: False",
        "pyplot at start-up: False",
        "pandas used: 3 module",
        "pyplot used: Figure",
    ]
    # any other program imports them as usual
    assert _script(tmp_path, "other")[:2] == [
        "pandas at start-up: True",
        "pyplot at start-up: True",
    ]
