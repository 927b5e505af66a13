"""Every bad input raises a ValueError that names the parameter and the value."""
import numpy as np
import pytest

import queuemath as qm

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("call, match", [
    # rates and loads: negative, NaN, infinite
    (lambda: qm.erlang_b(3, -1.0), r"offered_load must be a finite number >= 0, got -1"),
    (lambda: qm.erlang_b(3, NAN), r"offered_load .* got nan"),
    (lambda: qm.erlang_b(3, INF), r"offered_load .* got inf"),
    (lambda: qm.log_erlang_b(3, [1.0, -2.0]), r"offered_load .* got -2 \(at index \(1,\)\)"),
    (lambda: qm.erlang_c(3, -0.5), r"offered_load .* got -0.5"),
    (lambda: qm.log_erlang_c(3, NAN), r"offered_load"),
    (lambda: qm.MMcK(-1.0, 1.0, 1, 2), r"arrival_rate .* got -1"),
    (lambda: qm.MMcK(NAN, 1.0, 1, 2), r"arrival_rate .* got nan"),
    (lambda: qm.MMcK(1.0, 0.0, 1, 2), r"service_rate must be a finite number > 0, got 0"),
    (lambda: qm.MMcK(1.0, INF, 1, 2), r"service_rate .* got inf"),
    (lambda: qm.MM1K(1.0, -3.0, 2), r"service_rate .* got -3"),
    (lambda: qm.MMc(INF, 1.0, 2), r"arrival_rate .* got inf"),
    (lambda: qm.MMc(1.0, NAN, 2), r"service_rate .* got nan"),
    (lambda: qm.Engset(5, 2, idle_source_load=-0.1), r"idle_source_load .* got -0.1"),
    (lambda: qm.Engset(5, 2, idle_source_load=NAN), r"idle_source_load .* got nan"),
    # counts: below 1, non-integer, NaN, boolean, string
    (lambda: qm.erlang_b(0, 1.0), r"servers must be an integer >= 1 \(and <= 2\*\*53\), got 0"),
    (lambda: qm.erlang_b(2.5, 1.0), r"servers must be an integer >= 1, got 2.5"),
    (lambda: qm.erlang_b(NAN, 1.0), r"servers must be an integer >= 1, got nan"),
    (lambda: qm.erlang_b(True, 1.0), r"servers must be a number, got a boolean"),
    (lambda: qm.erlang_b("3", 1.0), r"servers must be a number or an array of numbers, got '3'"),
    (lambda: qm.erlang_c(-2, 1.0), r"servers .* got -2"),
    (lambda: qm.MMc(1.0, 1.0, 1.5), r"servers .* got 1.5"),
    (lambda: qm.MMcK(1.0, 1.0, 0, 2), r"servers .* got 0"),
    (lambda: qm.MMcK(1.0, 1.0, 1, 2.2), r"capacity must be an integer >= 1, got 2.2"),
    (lambda: qm.MM1K(1.0, 1.0, 0), r"capacity .* got 0"),
    (lambda: qm.Engset(0, 1, idle_source_load=1.0), r"sources .* got 0"),
    (lambda: qm.Engset(3.5, 1, idle_source_load=1.0), r"sources .* got 3.5"),
    (lambda: qm.Engset(3, 0, idle_source_load=1.0), r"servers .* got 0"),
    (lambda: qm.erlang_b(2.0**60, 1.0), r"servers .*2\*\*53"),
    # cross-parameter rules
    (lambda: qm.MMcK(1.0, 1.0, 5, 3), r"capacity must be >= servers, got capacity=3 with servers=5"),
    (lambda: qm.MMcK(1.0, 1.0, [1, 5], [2, 4]), r"capacity=4 with servers=5 \(at index \(1,\)\)"),
    (lambda: qm.MMcK(1e300, 1e-300, 1, 2), r"arrival_rate / service_rate overflows"),
    (lambda: qm.Engset.from_total_offered_load(5, 2, total_offered_load=5.0),
     r"total_offered_load must be < sources"),
    (lambda: qm.Engset.from_total_offered_load(5, 2, total_offered_load=-1.0),
     r"total_offered_load .* got -1"),
    # targets outside (0, 1)
    (lambda: qm.erlang_b_servers(5.0, target_blocking=0.0),
     r"target_blocking must be strictly between 0 and 1, got 0"),
    (lambda: qm.erlang_b_servers(5.0, target_blocking=1.0), r"target_blocking .* got 1"),
    (lambda: qm.erlang_b_servers(5.0, target_blocking=NAN), r"target_blocking .* got nan"),
    (lambda: qm.erlang_b_load(5, target_blocking=1.5), r"target_blocking .* got 1.5"),
    (lambda: qm.erlang_c_servers(5.0, target_p_wait=-0.1), r"target_p_wait .* got -0.1"),
    (lambda: qm.min_capacity(1.0, 1.0, target_blocking=0.0), r"target_blocking .* got 0"),
    (lambda: qm.min_capacity(1.0, 1.0, 0, target_blocking=0.1), r"servers .* got 0"),
    (lambda: qm.erlang_b_servers(-1.0, target_blocking=0.1), r"offered_load .* got -1"),
    (lambda: qm.erlang_b_load(0, target_blocking=0.1), r"servers .* got 0"),
    (lambda: qm.MMc(1.0, 1.0, 2).service_level(-1.0), r"target_time .* got -1"),
    # shapes
    (lambda: qm.erlang_b([1, 2, 3], [1.0, 2.0]),
     r"servers with shape \(3,\) and offered_load with shape \(2,\) do not broadcast"),
    (lambda: qm.MMcK([1.0, 2.0], 1.0, [1, 2, 3], 4), r"arrival_rate with shape \(2,\) and servers"),
    (lambda: qm.Engset([5, 6], [1, 2, 3], idle_source_load=1.0), r"sources with shape \(2,\) and servers"),
    (lambda: qm.erlang_b_servers([1.0, 2.0], target_blocking=[0.1, 0.2, 0.3]),
     r"offered_load .* target_blocking"),
    (lambda: qm.erlang_b([], 1.0), r"servers must not be empty"),
    (lambda: qm.erlang_b(3, 1 + 2j), r"offered_load must be a real number"),
])
def test_bad_input_raises_named_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_zero_load_is_valid_everywhere():
    assert qm.erlang_b(2, 0.0) == 0.0
    assert qm.erlang_c(2, 0.0) == 0.0
    assert qm.MMcK(0.0, 1.0, 2, 4).blocking == 0.0
    assert qm.Engset(4, 2, idle_source_load=0.0).blocking == 0.0
    assert qm.erlang_b_servers(0.0, target_blocking=0.01) == 1


def test_integral_floats_and_numpy_ints_are_accepted():
    assert qm.erlang_b(3.0, 1.0) == qm.erlang_b(np.int32(3), 1.0) == qm.erlang_b(3, 1.0)
