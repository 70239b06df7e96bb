"""Compile the domain's hot modules with mypyc into ``build/native`` (docs/decisions/0013).

Run: ``python tools/build_native.py [--out DIR]`` from the repository root (``make native``).
The source tree stays the pure-Python source of truth: the compiled extension modules are
written outside the package, never next to the ``.py`` files, with a manifest of the source
hashes they were built from. ``app/_native.py`` serves them at import only while those hashes
still match. Needs the dev dependencies (mypy ships mypyc), setuptools and a C compiler.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import sysconfig
from pathlib import Path

# The modules compiled: the fold and its date arithmetic. status.py stays interpreted: its
# values are built through interpreted twins (see _snel there), and compiling it gains little.
MODULES = ("app/domain/tijdlijn.py", "app/domain/datums.py")
GROUP = "thuiszitters_native"  # the shared library: thuiszitters_native__mypyc
ROOT = Path(__file__).resolve().parent.parent


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest() -> dict[str, object]:
    """What the compiled files were built from; the loader compares it with what it finds."""
    import mypy.version

    return {
        "group": GROUP,
        "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "mypy": mypy.version.__version__,
        "modules": {
            bron.removesuffix(".py").replace("/", "."): {
                "bron": bron,
                "sha256": sha256(ROOT / bron),
            }
            for bron in MODULES
        },
    }


def build(out: Path) -> None:
    from mypyc.build import mypycify
    from setuptools import Distribution

    c_dir = out.parent / (out.name + "-c")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(c_dir, ignore_errors=True)
    extensions = mypycify(list(MODULES), opt_level="3", target_dir=str(c_dir), group_name=GROUP)
    # A bare Distribution: setup() would read pyproject.toml, which is not a build of its own here.
    dist = Distribution({"name": GROUP, "ext_modules": extensions})
    build_ext = dist.get_command_obj("build_ext")
    build_ext.build_lib = str(out)
    build_ext.build_temp = str(c_dir / "obj")
    build_ext.inplace = False
    dist.run_command("build_ext")
    (out / "manifest.json").write_text(json.dumps(manifest(), indent=2) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "native")
    parser.add_argument(
        "--if-stale", action="store_true", help="do nothing when the manifest is current"
    )
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    os.chdir(ROOT)  # mypyc names the modules by their paths, and reads pyproject's mypy options
    huidig = out / "manifest.json"
    if args.if_stale and huidig.exists() and json.loads(huidig.read_text("utf-8")) == manifest():
        print(f"native build in {out} is current")
        return 0
    build(out)
    print(f"native build in {out}: {', '.join(MODULES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
