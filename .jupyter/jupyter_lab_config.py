"""JupyterLab settings of the project: .py files (py:percent) open as notebooks (jupytext)."""

from pathlib import Path

# overrides.json there makes "Jupytext Notebook" the default viewer of Python files.
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "lab" / "settings")  # noqa: F821
