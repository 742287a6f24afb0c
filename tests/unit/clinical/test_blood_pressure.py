from companion.clinical.blood_pressure import is_hypertensive_crisis


def test_either_number_at_the_line_is_a_crisis() -> None:
    assert is_hypertensive_crisis(180, 90)
    assert is_hypertensive_crisis(150, 120)
    assert is_hypertensive_crisis(200, 130)


def test_just_below_the_line_or_unanswered_is_not() -> None:
    assert not is_hypertensive_crisis(179, 119)
    assert not is_hypertensive_crisis(120, 80)
    assert not is_hypertensive_crisis(None, None)
    assert is_hypertensive_crisis(None, 125)
