"""Lines that bend round other actors (explorer/render/routing.py)."""

from __future__ import annotations

import numpy as np

from explorer.render.routing import BENDS, control_point, crossed, curve, route

AT = {"a": (0.0, 0.0), "b": (10.0, 0.0)}


def test_a_line_with_nothing_in_its_way_stays_straight() -> None:
    far = {"c": (4.0, 5.0, 6.0, 6.0)}
    assert route([("a", "b")], AT, far, far) == [None]


def test_a_line_through_a_label_takes_the_least_bend_that_clears_it() -> None:
    shapes = {"c": (4.6, 1.0, 5.4, 1.8)}
    labels = {"c": (3.0, -0.4, 7.0, 0.9)}  # under the shape, across the line
    [bend] = route([("a", "b")], AT, shapes, labels)
    assert bend is not None
    drawn = curve(AT["a"], AT["b"], bend)
    boxes = np.array([shapes["c"], labels["c"]])
    assert not crossed(drawn, boxes).any()
    # No smaller bend of the list would have done.
    smaller = [b for b in BENDS[: BENDS.index(bend)]]
    assert all(crossed(curve(AT["a"], AT["b"], b), boxes).any() for b in smaller)


def test_a_line_never_trades_a_label_for_a_shape() -> None:
    # Shapes above and below, and a label across the line: every bend meets a shape, so the
    # line stays straight through the label rather than through an actor's shape.
    shapes = {"up": (0.5, 0.3, 9.5, 9.0), "down": (0.5, -9.0, 9.5, -0.3)}
    labels = {"mid": (4.0, -0.2, 6.0, 0.2)}
    assert route([("a", "b")], AT, shapes, labels) == [None]


def test_crossing_is_exact_for_a_long_segment_that_clips_a_corner() -> None:
    # No sampled point falls inside the box, yet the segment cuts its corner.
    segment = np.array([(0.0, 0.0), (100.0, 100.0)])
    assert crossed(segment, np.array([(49.0, 50.5, 52.0, 60.0)])).tolist() == [True]
    assert crossed(segment, np.array([(40.0, 52.0, 45.0, 60.0)])).tolist() == [False]


def test_a_bend_fits_the_line_at_any_scale_and_turn() -> None:
    bend = (0.5, 0.3)
    # To the left of the direction of travel, a third of the length out.
    assert control_point((0, 0), (10, 0), bend) == (5.0, 3.0)
    assert control_point((0, 0), (0, 20), bend) == (-6.0, 10.0)
