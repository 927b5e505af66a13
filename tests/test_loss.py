"""Erlang B and Engset against mpmath, exact rationals and invariants."""
from fractions import Fraction
import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, strategies as st
from numpy.testing import assert_equal

import queuemath as qm
from mpref import engset_logs, erlang_b_logs, log_err, rel_err

TOL = 1e-12   # issue 3: relative error <= 1e-12 against mpmath at 50 digits


def _hard_loads(c):
    s = math.sqrt(c)
    loads = [1e-300, 1e-10, 0.5 * c, c * (1 - 1e-9), c * (1 - 1e-12), float(c),
             c * (1 + 1e-12), c * (1 + 1e-9), c + s, c + 3 * s, c + 3.01 * s,
             2.0 * c, 10.0 * c, 1e10, 1e300]
    if c > 1:
        loads.append(c - s)
    return sorted(set(x for x in loads if x > 0))


HARD = [(c, a) for c in (1, 2, 5, 15, 16, 50, 51, 170, 171, 1000, 12345, 10**6, 10**7)
        for a in _hard_loads(c)]


@pytest.mark.parametrize("servers, offered_load", HARD)
def test_erlang_b_matches_mpmath(servers, offered_load):
    ref_log, _ = erlang_b_logs(servers, offered_load)
    got_log = qm.log_erlang_b(servers, offered_load)
    assert log_err(got_log, ref_log) <= TOL
    got = qm.erlang_b(servers, offered_load)
    ref = mp.exp(ref_log)
    if ref >= np.finfo(float).tiny:
        assert rel_err(got, ref) <= TOL
    else:  # subnormal or zero: only the log form keeps every digit there
        assert 0.0 <= got < np.finfo(float).tiny


def test_log_form_finite_where_plain_underflows():
    # B(1000, 1) = 1/(1000! * sum_{k<=1000} 1/k!) ~ 1e-2568: the plain value
    # is 0, the log value is exact.
    ref_log, _ = erlang_b_logs(1000, 1.0)
    assert qm.erlang_b(1000, 1.0) == 0.0
    assert log_err(qm.log_erlang_b(1000, 1.0), ref_log) <= TOL
    assert float(ref_log) < -5000


def test_zero_load_is_exactly_zero():
    assert_equal(qm.erlang_b(3, 0.0), 0.0)
    assert_equal(qm.log_erlang_b(3, 0.0), -np.inf)
    assert_equal(qm.erlang_b([1, 10**7], 0), [0.0, 0.0])


def _erlang_b_fraction(c, a):
    a = Fraction(a)
    terms = [Fraction(1)]
    for k in range(1, c + 1):
        terms.append(terms[-1] * a / k)
    return terms[-1] / sum(terms)


@pytest.mark.parametrize("servers, offered_load", [
    (1, 1), (2, 1), (3, 2), (10, 5), (15, 10), (30, 25.5), (60, 80), (100, 0.25)])
def test_erlang_b_exact_rationals(servers, offered_load):
    # Exact rational arithmetic (Python's fractions), independent of mpmath.
    exact = _erlang_b_fraction(servers, offered_load)
    assert rel_err(qm.erlang_b(servers, offered_load), exact) <= TOL


def test_erlang_b_published_table_values():
    # Erlang B tables, e.g. Iversen (2015), "Teletraffic Engineering and
    # Network Planning", Erlang's B-formula table: 15 circuits offered
    # 10 erlang lose 3.65 %; 10 circuits offered 5 erlang lose 1.84 %.
    assert round(float(qm.erlang_b(15, 10.0)), 4) == 0.0365
    assert round(float(qm.erlang_b(10, 5.0)), 4) == 0.0184
    # A first-principles case: one server, A = 1 loses half.
    assert qm.erlang_b(1, 1.0) == 0.5


def test_scalar_list_array_and_broadcast():
    assert type(qm.erlang_b(3, 2.0)) is float     # a Python number: no np.float64(...) noise
    assert repr(qm.erlang_b(1, 1.0)) == "0.5"
    lst = qm.erlang_b([1, 2, 3], 2.0)
    assert lst.shape == (3,)
    grid = qm.erlang_b(np.arange(1, 4)[:, None], np.array([0.5, 1.0, 2.0, 4.0]))
    assert grid.shape == (3, 4)
    assert_equal(grid[1, 2], qm.erlang_b(2, 2.0))
    # the keyword names are part of the contract
    assert qm.erlang_b(servers=2, offered_load=1.0) == qm.erlang_b(2, 1.0)
    assert qm.log_erlang_b(servers=2, offered_load=1.0) == qm.log_erlang_b(2, 1.0)


@given(st.lists(st.tuples(st.integers(1, 10**7), st.floats(0, 1e12)), min_size=2, max_size=30))
def test_scalar_and_array_paths_agree_bitwise(points):
    # A single point takes a scalar fast path; it must give the very same
    # bits as the same point inside an array.
    c = np.array([p[0] for p in points], dtype=float)
    a = np.array([p[1] for p in points])
    together = qm.log_erlang_b(c, a)
    one_by_one = np.array([qm.log_erlang_b(ci, ai) for ci, ai in zip(c, a)])
    assert_equal(together, one_by_one)


def test_one_minus_blocking_exact_near_one():
    # B(1, 1e300) = 1 - 1e-300: the Engset carried-load style identity
    # 1 - B = Z B only works if log B keeps its relative precision near 0.
    lb = qm.log_erlang_b(1, 1e300)
    assert lb < 0 and rel_err(-lb, 1e-300) <= 1e-14


@given(st.integers(1, 10**6), st.floats(0, 1e7, allow_nan=False))
def test_erlang_b_is_a_probability(servers, load):
    b = qm.erlang_b(servers, load)
    assert 0.0 <= b <= 1.0
    assert qm.log_erlang_b(servers, load) <= 0.0


@given(st.integers(1, 10**5), st.floats(1e-3, 1e6))
def test_erlang_b_falls_with_servers(servers, load):
    assert qm.log_erlang_b(servers + 1, load) < qm.log_erlang_b(servers, load)


@given(st.integers(1, 10**5), st.floats(1e-3, 1e6), st.floats(1.0001, 2.0))
def test_erlang_b_rises_with_load(servers, load, factor):
    assert qm.log_erlang_b(servers, load * factor) > qm.log_erlang_b(servers, load)


@given(st.integers(1, 40), st.integers(0, 60))
def test_erlang_b_agrees_with_fractions(servers, load):
    exact = _erlang_b_fraction(servers, load)
    assert rel_err(qm.erlang_b(servers, load), exact) <= TOL


@given(st.integers(2, 5000), st.floats(0.01, 1e4))
def test_erlang_b_recursion(servers, load):
    # B(c, A) = A B(c-1, A) / (c + A B(c-1, A)): the textbook recursion links
    # neighbouring values computed independently by the kernel.
    prev = qm.erlang_b(servers - 1, load)
    expected = load * prev / (servers + load * prev)
    assert rel_err(qm.erlang_b(servers, load), expected) <= TOL or expected < 1e-290


# -- Engset ---------------------------------------------------------------

ENGSET_POINTS = [
    (n, c, beta)
    for n in (2, 10, 200, 3000, 10**6)
    for c in sorted({1, 2, n // 2, n - 1})
    for beta in (1e-300, 1e-6, 0.01, 0.5, 1.0, c / max(n - c, 1), 10.0, 1e6, 1e300)
    if 1 <= c <= n and not (n == 10**6 and c == n // 2 and beta < 0.5)
]


@pytest.mark.parametrize("sources, servers, beta", ENGSET_POINTS)
def test_engset_matches_mpmath(sources, servers, beta):
    m = qm.Engset(sources, servers, idle_source_load=beta)
    ref_time, _ = engset_logs(sources, servers, beta)
    ref_call, ref_call_z = engset_logs(sources - 1, servers, beta) if sources > 1 else (None, None)
    assert log_err(m.log_time_congestion, ref_time) <= TOL
    ref = mp.exp(ref_time)
    if ref >= np.finfo(float).tiny:
        assert rel_err(m.time_congestion, ref) <= TOL
    if sources > 1 and servers <= sources - 1:
        assert log_err(m.log_blocking, ref_call) <= TOL
    else:
        assert m.blocking == 0.0


@pytest.mark.parametrize("sources, servers, beta", [
    (10, 3, 0.5), (30, 10, 2.0), (200, 20, 0.05), (50, 49, 1e3), (40, 5, 1e300),
    (25, 30, 0.7)])
def test_engset_carried_load_is_the_mean_busy(sources, servers, beta):
    # carried = sum i p_i, p_i ~ C(N, i) beta^i on i <= min(c, N) (mpmath).
    import mpmath as mp
    with mp.workdps(60):
        b = mp.mpf(beta)
        top = min(servers, sources)
        w = [mp.binomial(sources, i) * b ** i for i in range(top + 1)]
        ref = mp.fsum(i * wi for i, wi in enumerate(w)) / mp.fsum(w)
    assert rel_err(qm.Engset(sources, servers, idle_source_load=beta).carried_load, ref) <= TOL


def test_engset_exact_small_cases():
    m = qm.Engset(2, 1, idle_source_load=1.0)
    assert rel_err(m.time_congestion, Fraction(2, 3)) <= 1e-15
    assert m.blocking == 0.5
    one = qm.Engset(1, 1, idle_source_load=3.0)   # one source never meets itself
    assert_equal(one.blocking, 0.0)
    assert_equal(one.log_blocking, -np.inf)
    assert rel_err(one.time_congestion, 0.75) <= 1e-15
    assert_equal(qm.Engset(5, 2, idle_source_load=0.0).blocking, 0.0)


@given(st.integers(2, 200), st.integers(1, 200), st.floats(1e-4, 1e4))
def test_engset_below_erlang_b(sources, servers, beta):
    # Finite sources block less than Poisson arrivals at the same offered
    # intensity N beta (Iversen ch. 8): E(N-1, c, beta) <= B(c, (N-1) beta).
    m = qm.Engset(sources, servers, idle_source_load=beta)
    b = qm.log_erlang_b(servers, (sources - 1) * beta)
    assert m.log_blocking <= b + 1e-12


@given(st.integers(1, 500), st.integers(1, 500), st.floats(0, 1e6))
def test_engset_probabilities_in_range(sources, servers, beta):
    m = qm.Engset(sources, servers, idle_source_load=beta)
    assert 0 <= m.blocking <= m.time_congestion <= 1 or servers >= sources
    assert 0 <= m.carried_load <= min(servers, sources) * (1 + 1e-15)


@pytest.mark.parametrize("sources, servers, total", [
    (10, 3, 2.0), (4, 1, 0.5), (100, 50, 60.0), (1000, 900, 999.9), (20, 25, 10.0)])
def test_engset_total_offered_load_fixed_point(sources, servers, total):
    import mpmath as mp
    m = qm.Engset.from_total_offered_load(sources, servers, total_offered_load=total)
    assert m.total_offered_load == total
    alpha = mp.mpf(total) / sources

    def f(beta):
        if servers > sources - 1:
            b = 0
        else:
            b = mp.exp(engset_logs(sources - 1, servers, beta)[0])
        return beta * (1 - alpha * (1 - b)) - alpha

    with mp.workdps(40):
        root = mp.findroot(f, (alpha, alpha / (1 - alpha)), solver="anderson")
    assert rel_err(m.idle_source_load, root) <= 1e-14


def test_engset_keywords_and_vectors():
    m = qm.Engset(sources=[10, 20], servers=3, idle_source_load=np.array([[0.1], [0.2]]))
    assert m.blocking.shape == (2, 2)
    assert m.carried_load.shape == (2, 2)
    m = qm.Engset.from_total_offered_load(sources=10, servers=3, total_offered_load=[1.0, 2.0])
    assert m.idle_source_load.shape == (2,)


# -- fractional servers (issue 8) ---------------------------------------------

@pytest.mark.parametrize("x, a", [(2.5, 1.0), (2.5, 30.0), (0.3, 0.5), (0.3, 20.0), (0.01, 1e-8),
                                  (100.7, 95.0), (100.7, 200.0), (1e6 + 0.5, 1e6),
                                  (170.5, 1e-300), (7.25, 1e300)])
def test_continuous_erlang_b_matches_mpmath(x, a):
    # 1/B(x, A) = A^-x e^A Gamma(x+1, A), evaluated at 60 digits
    with mp.workdps(60 + int(np.log10(max(a, x, 1.0)))):
        ref_log = x * mp.log(a) - a - mp.log(mp.gammainc(x + 1, a))
    assert log_err(qm.log_erlang_b(x, a, continuous=True), ref_log) <= TOL
    if mp.exp(ref_log) >= np.finfo(float).tiny:
        assert rel_err(qm.erlang_b(x, a, continuous=True), mp.exp(ref_log)) <= TOL


def test_continuous_equals_integer_at_integers():
    c = np.array([1, 2, 17, 500])
    a = np.array([0.5, 3.0, 20.0, 480.0])
    assert_equal(qm.erlang_b(c, a, continuous=True), qm.erlang_b(c, a))
    assert_equal(qm.erlang_c(c, a, continuous=True), qm.erlang_c(c, a))


@given(st.floats(0.05, 500.0), st.floats(0.01, 400.0))
def test_continuous_erlang_b_is_monotone_between_integers(x, a):
    lo, hi = np.floor(x), np.ceil(x)
    b = qm.log_erlang_b(x, a, continuous=True)
    if lo >= 1:
        assert qm.log_erlang_b(lo, a) >= b - 1e-12 * max(1, abs(b))
    assert b >= qm.log_erlang_b(max(hi, 1), a) - 1e-12 * max(1, abs(b))


def test_continuous_bad_input():
    with pytest.raises(ValueError, match="servers must be a finite number > 0"):
        qm.erlang_b(0.0, 1.0, continuous=True)
    with pytest.raises(ValueError, match="servers must be an integer"):
        qm.erlang_b(2.5, 1.0)
