"""Export a sentence-transformers model to ONNX once, so run time needs neither torch nor it.

Run as its own process (`python -m truenorth.analysis.onnx_export FOLDER OUT`): torch is
imported here and only here, so the web server and the workers that start the export never
load it. OUT receives, all or nothing:

  model.onnx        the transformer, fp32: token ids in, token embeddings out
  model.int8.onnx   the same with its matrix products quantised to int8 (dynamic quantisation)
  tokenizer.json    the model's fast tokenizer
  engine.json       what the run time needs: input names, maximum length, pooling

Pooling and normalising are not exported: they are a few lines of numpy at run time.
"""

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

OPSET = 17


class NotExportable(RuntimeError):
    """The model is not one the ONNX engine can run (say why, so the user can switch engine)."""


def read_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def check_pipeline(folder: Path) -> dict:
    """The run-time settings of a Transformer → mean Pooling → Normalize model, or why not."""
    kinds = [
        m["type"].rsplit(".", 1)[-1] for m in json.loads((folder / "modules.json").read_text())
    ]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        raise NotExportable(f"its modules are {kinds}, not Transformer, Pooling[, Normalize]")
    pooling = read_json(folder / "1_Pooling" / "config.json")
    if not pooling.get("pooling_mode_mean_tokens"):
        raise NotExportable("it does not pool by the mean of its tokens")
    if not (folder / "tokenizer.json").exists():
        raise NotExportable("it has no fast tokenizer (tokenizer.json)")
    return {
        "max_length": read_json(folder / "sentence_bert_config.json").get("max_seq_length", 256)
    }


def export_fp32(folder: Path, target: Path) -> dict:
    """Trace the transformer to ONNX with batch and sequence axes left free; what its inputs are."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()
    names = [
        n
        for n in tokenizer.model_input_names
        if n in ("input_ids", "attention_mask", "token_type_ids")
    ]
    sample = tokenizer(
        ["an example", "a longer example sentence"], padding=True, return_tensors="pt"
    )

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs):
            return self.model(**dict(zip(names, inputs, strict=True))).last_hidden_state

    axes = {name: {0: "batch", 1: "tokens"} for name in names}
    axes["token_embeddings"] = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            TokenEmbeddings(),
            tuple(sample[name] for name in names),
            str(target),
            input_names=names,
            output_names=["token_embeddings"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,  # the TorchScript exporter: no onnxscript needed, free axes kept
        )
    return {"inputs": names, "pad_id": tokenizer.pad_token_id}


def quantise(source: Path, target: Path) -> None:
    """int8 weights for every MatMul, scaled per output channel (closer to fp32 than per tensor)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(source),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
    )


def export(folder: Path, out: Path) -> None:
    """Write the files above into `out` (replacing nothing that is already there)."""
    settings = check_pipeline(folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    try:
        settings |= export_fp32(folder, work / "model.onnx")
        quantise(work / "model.onnx", work / "model.int8.onnx")
        shutil.copy(folder / "tokenizer.json", work / "tokenizer.json")
        (work / "engine.json").write_text(json.dumps(settings, indent=2))
        work.chmod(0o755)  # mkdtemp makes it private; every worker's user must read it
        # A rename is atomic: another process sees the whole export or none of it.
        os.rename(work, out)
    except OSError:
        if not out.exists():
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(
            "usage: python -m truenorth.analysis.onnx_export MODEL_FOLDER OUT_FOLDER",
            file=sys.stderr,
        )
        return 2
    try:
        export(Path(argv[0]), Path(argv[1]))
    except NotExportable as error:
        print(f"cannot export this model: {error}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
