"""Ship the schema catalogue inside the wheel, as ``territoria/_schemas``.

Why a build step: the catalogue lives at the repository root (``schemas/``,
data, not code) but ``pip install territoria`` must resolve catalogue names
offline, so the released versions are copied into the package when it is built.
Editable installs read ``schemas/`` in place (see ``territoria.catalogue``).
"""
import os
import shutil

from setuptools import Extension, setup
from setuptools.command.build_py import build_py


class BuildWithCatalogue(build_py):
    def run(self):
        super().run()
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")
        if os.path.isdir(source) and not self.editable_mode:
            target = os.path.join(self.build_lib, "territoria", "_schemas")
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)


# Byte-level fast paths (territoria.kernels). Optional: without a C compiler the
# build goes on and the validator uses its numpy fallbacks, same results, slower.
KERNELS = Extension(
    "territoria.columnar._kernels",
    sources=["validator/territoria/columnar/_kernels.c"],
    extra_compile_args=["-O3"] if os.name != "nt" else [],
    optional=True,
)

setup(cmdclass={"build_py": BuildWithCatalogue}, ext_modules=[KERNELS])
