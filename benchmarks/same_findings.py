"""Do two versions of the checker report the same? A guard for changes that should only make it faster.

    python benchmarks/same_findings.py main            # this tree against branch main
    python benchmarks/same_findings.py HEAD~3 seeds/   # against a commit, on chosen inputs

Exports REF into a temporary directory (``git archive``), runs ``checker check … --format json``
with each version on the same inputs (default: seeds/, tests/data/corpus, tests/data/hard) and
compares the JSON documents field by field (generator line excluded). Prints the first
differences and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUTS = ["seeds", "tests/data/corpus", "tests/data/hard"]


def report(tree: Path, inputs: list[str]) -> dict:
    # Run from inside `tree`: the current directory comes first on sys.path, before the
    # editable install of this checkout.
    env = dict(os.environ, PYTHONPATH=str(tree))
    paths = [str((ROOT / path).resolve()) for path in inputs]
    used = subprocess.run([sys.executable, "-c", "import checker; print(checker.__file__)"], cwd=tree, env=env,
                          capture_output=True, text=True).stdout.strip()
    packs = subprocess.run([sys.executable, "-c", "from importlib import resources; "
                            "print(resources.files('checker.rulepacks') / 'national.yaml')"],
                           cwd=tree, env=env, capture_output=True, text=True).stdout.strip()
    for what, where in (("checker", used), ("rules", packs)):
        if not Path(where).resolve().is_relative_to(tree.resolve()):
            raise SystemExit(f"would test {where}, not the {what} in {tree}")
    done = subprocess.run([sys.executable, "-m", "checker", "check", *paths, "--format", "json", "--no-progress",
                           "-j", "1", "--fail-on", "never"], cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: checker exited {done.returncode}: {done.stderr[-500:]}")
    data = json.loads(done.stdout)
    data.pop("generator", None)
    return data


def differences(old, new, path: str = "") -> list[str]:
    if type(old) is not type(new):
        return [f"{path}: {old!r} -> {new!r}"]
    if isinstance(old, dict):
        out = []
        for key in sorted(set(old) | set(new), key=str):
            out += differences(old.get(key), new.get(key), f"{path}.{key}")
        return out
    if isinstance(old, list):
        out = [f"{path}: {len(old)} items -> {len(new)}"] if len(old) != len(new) else []
        for index, (a, b) in enumerate(zip(old, new)):
            out += differences(a, b, f"{path}[{index}]")
        return out
    return [] if old == new else [f"{path}: {old!r} -> {new!r}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ref", help="git commit or branch to compare with")
    parser.add_argument("inputs", nargs="*", default=DEFAULT_INPUTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "ref.tar"
        subprocess.run(["git", "archive", "-o", str(archive), args.ref, "checker", "rules"], cwd=ROOT, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(Path(tmp) / "ref", filter="data")
        # the installed package maps checker.rulepacks to this checkout's rules/; give REF its own
        shutil.copytree(Path(tmp) / "ref" / "rules", Path(tmp) / "ref" / "checker" / "rulepacks")
        old = report(Path(tmp) / "ref", args.inputs)
    new = report(ROOT, args.inputs)
    found = differences(old, new)
    documents = len(new.get("documents", []))
    findings = sum(len(d.get("findings", [])) for d in new.get("documents", []))
    if found:
        print(f"{len(found)} differences against {args.ref} ({documents} documents):")
        print("\n".join(found[:40]))
        return 1
    print(f"same report as {args.ref}: {documents} documents, {findings} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
