"""Ship the schema catalogue inside the wheel, as ``territoria/_schemas``.

Why a build step: the catalogue lives at the repository root (``schemas/``,
data, not code) but ``pip install territoria`` must resolve catalogue names
offline, so the released versions are copied into the package when it is built.
Editable installs read ``schemas/`` in place (see ``territoria.catalogue``).
"""
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogue(build_py):
    def run(self):
        super().run()
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")
        if os.path.isdir(source) and not self.editable_mode:
            target = os.path.join(self.build_lib, "territoria", "_schemas")
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)


setup(cmdclass={"build_py": BuildWithCatalogue})
