"""fastimport.jsonschema skips the slow optional format module, and lifts the block afterwards."""

import subprocess
import sys

CODE = """
import sys
from contractbook.fastimport import jsonschema
v = jsonschema().Draft202012Validator({"type": "integer"})
assert not v.is_valid("x") and v.is_valid(3)
assert "rfc3987_syntax" not in sys.modules, "the slow module was imported"
import rfc3987_syntax  # still importable by code that wants it
print("ok")
"""


def test_jsonschema_without_rfc3987_syntax():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_loading_a_contract_skips_the_slow_module(contract_path):
    code = (
        f"import sys; from contractbook.contract import load; load({str(contract_path)!r}); "
        "print('rfc3987_syntax' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
