"""Refresh the window's translations: extract (pyside6-lupdate), fill in ko.py's Korean, compile (pyside6-lrelease).

Run from the checkout after changing a string in ui/:  .venv/bin/python resources/i18n/update.py
It fails, naming them, when a string of the window has no Korean yet or a translation drops a {placeholder}.
The compiled .qm is committed, so neither building nor running the app needs this script.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "private_assistant_ko.ts"
QM = HERE / "private_assistant_ko.qm"
BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def main() -> int:
    sys.path.insert(0, str(HERE))
    from ko import KO

    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py"))
    subprocess.run(
        [BIN / "pyside6-lupdate", *sources, "-ts", str(TS), "-source-language", "en", "-target-language", "ko",
         "-no-obsolete", "-locations", "none"],
        cwd=ROOT, check=True,
    )  # fmt: skip
    tree = ET.parse(TS)
    problems = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        korean = KO.get(source)
        if korean is None:
            problems.append(f"no Korean for {source!r}")
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(korean)):
            problems.append(f"placeholders differ: {source!r} -> {korean!r}")
        translation.text = korean
        translation.attrib.pop("type", None)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    with TS.open("a", encoding="utf-8") as out:
        out.write("\n")
    subprocess.run([BIN / "pyside6-lrelease", str(TS), "-qm", str(QM)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
