"""Shared paths and helpers of the Python tests (run by test/python/run.sh, `npx projen test:python`)."""
import pathlib
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"


def outdir(prefix: str) -> str:
    """A fresh cloud assembly directory under TMPDIR (run.sh points it into .ci-work/python/tmp)."""
    return tempfile.mkdtemp(prefix=prefix)
