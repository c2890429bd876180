"""The domain words: sign, status and confidence are defined once, in the model."""

from __future__ import annotations

from typing import get_args

import pytest

from explorer.model import (
    CONFIDENCE_LABELS,
    CONFIDENCES,
    SIGN_LABELS,
    SIGNS,
    STATUS_LABELS,
    STATUSES,
    Confidence,
    Relation,
    Sign,
    SignWord,
    Status,
)


def test_signs_in_display_order_with_their_values() -> None:
    assert list(SIGNS.items()) == [("positive", 1), ("negative", -1), ("neutral", 0)]
    assert [s.word for s in Sign] == list(SIGNS) == list(get_args(SignWord))
    assert [SIGN_LABELS[w] for w in SIGNS] == ["Positive", "Negative", "Neutral"]


def test_a_sign_reads_from_and_back_to_its_word() -> None:
    for word, value in SIGNS.items():
        assert Sign.from_word(word) == value
        assert Sign(value).word == word
    with pytest.raises(ValueError, match="unknown sign 'friendly'"):
        Sign.from_word("friendly")


def test_statuses_and_confidences_in_order() -> None:
    assert STATUSES == get_args(Status) == ("observed", "projected")
    assert list(STATUS_LABELS) == list(STATUSES)
    assert list(CONFIDENCES) == list(get_args(Confidence)) == ["low", "medium", "high"]
    assert CONFIDENCES["low"] < CONFIDENCES["medium"] < CONFIDENCES["high"]
    assert list(CONFIDENCE_LABELS.values()) == ["Low", "Medium", "High"]


def test_the_model_accepts_exactly_the_domain_words() -> None:
    base = {"source": "a", "target": "b", "type": "supports"}
    for word in SIGNS:
        assert Relation.model_validate({**base, "sign": word}).sign == word
    for status in STATUSES:
        assert Relation.model_validate({**base, "status": status}).status == status
    for confidence in CONFIDENCES:
        assert Relation.model_validate({**base, "confidence": confidence}).confidence == confidence
    with pytest.raises(ValueError):
        Relation.model_validate({**base, "status": "forecast"})
