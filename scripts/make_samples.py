"""Rebuild samples/: the practice key, a complete set of returns and a set with planted mistakes.

Run from the repository root: python scripts/make_samples.py
The key is for practice only; the office creates its own with `qe keygen`.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from qe_workbook.forms.generate import generate_forms
from qe_workbook.forms.simulate import simulate
from qe_workbook.keys import read_key
from qe_workbook.rubric import load_rubric

SAMPLES = Path("samples")
SEED = 2022
ISSUED = datetime(2023, 3, 6, 9, 0, 0)
KEY_TEXT = (
    "# 练习用密钥：仅供演示和练习，切勿用于正式考核（正式考核请用 qe keygen 生成并妥善保管）。\n"
    "# Practice key for the samples only. Never use it for a real assessment.\n"
    "5f1c0a7e3b9d2c4f8a6e0b1d3c5f7a9e2b4d6f8a0c1e3f5a7b9d0e2c4f6a8b0d\n"
)


def main() -> None:
    rubric = load_rubric("rubric.json").rubric
    assert rubric is not None
    key_path = SAMPLES / "qe-sample.key"
    key_path.write_text(KEY_TEXT, encoding="utf-8")
    key, _ = read_key(key_path)
    assert key is not None
    with tempfile.TemporaryDirectory() as tmp:
        forms = Path(tmp) / "forms"
        generate_forms(rubric, forms, key, generated_at=ISSUED)
        for name, profile in (("returned", "clean"), ("returned-with-problems", "with-problems")):
            target = SAMPLES / name
            shutil.rmtree(target, ignore_errors=True)
            sim = simulate(rubric, forms, target, seed=SEED, profile=profile, key=key)
            print(f"{target}: {len(sim.files)} files")
            for line in sim.planted:
                print(f"  planted: {line}")


if __name__ == "__main__":
    main()
