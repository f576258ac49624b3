"""`truenorth backup` and `truenorth restore` against Django's dumpdata/loaddata, same data.

Two instances, each built into a scratch SQLite data directory: the demo (`truenorth demo`,
its pulses analysed) and the large workspace (`truenorth demo --size large`: 5,000 people,
50,000 work items, 2,000 claims, a 5,000-answer pulse). For each, as separate processes the
way an operator runs them:

- backup: `truenorth backup FILE`, time and size, against `django-admin dumpdata` of the same
  rows (natural keys, content types, permissions, sessions, the task queue, login throttling
  and the embedding cache left out, as a backup leaves them or as loaddata needs) to a .json.gz;
  and, for scale, SQLite's own online backup API (`sqlite3.Connection.backup`), uncompressed;
- restore: `truenorth restore FILE` into a new data directory, against `django-admin migrate`
  then `django-admin loaddata` of the dump into another.

Ratios are truenorth's figure over dumpdata's. Times include starting Python and Django, as
an operator's do.

    .venv/bin/python benchmarks/backup_roundtrip.py                 # demo and large, ~35 min here (mostly the build)
    .venv/bin/python benchmarks/backup_roundtrip.py --scale 0.05    # a quick look

Result, 2026-12-01, 2-core CPU, 24 GiB, no GPU, shared with other work (same command):

    instance         rows            truenorth   dumpdata  ratio  sqlite .backup
    demo            1,050 size MB         0.04       0.04   0.98         2.06 MB
                          backup s         1.8       12.9   0.14          0.05 s
                          restore s        8.2       31.1   0.26
    large ×1       92,827 size MB         3.28       3.81   0.86        20.68 MB
                          backup s         9.5       49.0   0.19          0.05 s
                          restore s       79.8      117.1   0.68
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evaldata import MACHINE

BIN = Path(sys.executable).parent
DUMPDATA_LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "django_tasks_database"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the large workspace")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="backup-bench-"))
    print(f"{MACHINE}; scratch data in {root}", flush=True)
    instances = {
        "demo": ["demo"],
        f"large ×{args.scale:g}": ["demo", "--size", "large", "--scale", str(args.scale)],
    }
    results = []
    try:
        for name, build in instances.items():
            directory = root / name.split()[0]
            print(f"building {name}…", flush=True)
            truenorth(*build, data_dir=directory / "source")
            results.append((name, measure(directory)))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(report(results))


def measure(directory: Path) -> dict:
    source = directory / "source"
    ours = directory / "instance.jsonl.gz"
    dump = directory / "dump.json.gz"
    figures = {}
    figures["backup"] = timed(truenorth, "backup", str(ours), data_dir=source)
    figures["restore"] = timed(truenorth, "restore", str(ours), data_dir=directory / "restored")
    figures["dumpdata"] = timed(dumpdata, dump, data_dir=source)
    figures["loaddata"] = timed(loaddata, dump, data_dir=directory / "loaded")
    copy = directory / "copy.sqlite3"
    figures["sqlite_backup"] = timed(sqlite_backup, source / "truenorth.sqlite3", copy)
    figures["size"] = ours.stat().st_size
    figures["dump_size"] = dump.stat().st_size
    figures["copy_size"] = copy.stat().st_size
    figures["rows"] = rows_in(ours)
    return figures


def truenorth(*args: str, data_dir: Path) -> None:
    run([str(BIN / "truenorth"), *args], data_dir)


def dumpdata(path: Path, data_dir: Path) -> None:
    left_out = [f"--exclude={label}" for label in DUMPDATA_LEFT_OUT + embedding_and_throttling()]
    command = ["dumpdata", "--natural-foreign", "--natural-primary", *left_out, "-o", str(path)]
    run([str(BIN / "django-admin"), *command], data_dir)


def loaddata(path: Path, data_dir: Path) -> None:
    run([str(BIN / "django-admin"), "migrate", "-v0"], data_dir)
    run([str(BIN / "django-admin"), "loaddata", str(path)], data_dir)


def embedding_and_throttling() -> list[str]:
    """The labels of the embedding cache and of login throttling's apps, wherever they live."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truenorth.settings")
    import django
    from django.apps import apps

    from truenorth.backup import EXCLUDED_APPS, is_embedding_cache

    django.setup()
    labels = [m._meta.label for m in apps.get_models() if is_embedding_cache(m)]
    return labels + [app for app in EXCLUDED_APPS if apps.is_installed(app)]


def sqlite_backup(source: Path, copy: Path) -> None:
    with sqlite3.connect(source) as live, sqlite3.connect(copy) as target:
        live.backup(target)


def run(command: list[str], data_dir: Path) -> None:
    env = {**os.environ, "TRUENORTH_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    env.pop("DATABASE_URL", None)
    env.setdefault("DJANGO_SETTINGS_MODULE", "truenorth.settings")
    data_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")


def timed(function, *args, **kwargs) -> float:
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def rows_in(path: Path) -> int:
    import gzip
    import json

    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return sum(table["rows"] for table in json.loads(next(lines))["tables"])


def report(results: list[tuple[str, dict]]) -> str:
    lines = [
        f"{'instance':12} {'rows':>8} {'':9} {'truenorth':>10} {'dumpdata':>10} {'ratio':>6}"
        f" {'sqlite .backup':>15}"
    ]
    for name, f in results:
        mb = 1e6
        lines += [
            f"{name:12} {f['rows']:8,} {'size MB':9} {f['size'] / mb:10.2f} "
            f"{f['dump_size'] / mb:10.2f} {f['size'] / f['dump_size']:6.2f} "
            f"{f['copy_size'] / mb:12.2f} MB",
            f"{'':12} {'':8} {'backup s':9} {f['backup']:10.1f} {f['dumpdata']:10.1f} "
            f"{f['backup'] / f['dumpdata']:6.2f} {f['sqlite_backup']:13.2f} s",
            f"{'':12} {'':8} {'restore s':9} {f['restore']:10.1f} {f['loaddata']:10.1f} "
            f"{f['restore'] / f['loaddata']:6.2f}",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
