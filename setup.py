"""The one build step pyproject.toml cannot declare: the catalogs go into the wheel.

The translators' home is `locales/` at the top of the repository (gettext's layout, what
their tools and `make i18n` expect). `bot/i18n.py` reads the catalogs from `bot/locales`
when that exists, so the build copies them there: into the wheel only, never into the
source tree, where an editable install goes on reading `locales/` directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
CATALOGS = ("messages.pot", "*/LC_MESSAGES/messages.po")


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "bot" / "locales"
        sources = [path for pattern in CATALOGS for path in sorted(ROOT.glob(f"locales/{pattern}"))]
        if not any(path.suffix == ".po" for path in sources):
            raise SystemExit(f"{ROOT / 'locales'}: no catalogs to package")
        for source in sources:
            destination = target / source.relative_to(ROOT / "locales")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        # Listed so that `bdist_wheel` records them in the wheel's RECORD.
        outputs = list(super().get_outputs(include_bytecode))
        target = Path(self.build_lib) / "bot" / "locales"
        for pattern in CATALOGS:
            for source in sorted(ROOT.glob(f"locales/{pattern}")):
                outputs.append(str(target / source.relative_to(ROOT / "locales")))
        return outputs


setup(cmdclass={"build_py": BuildPyWithCatalogs})
