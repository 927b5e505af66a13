"""The Temme coefficients and the incomplete gamma route built on them.

The table in queuemath/_kernels/temme.py is regenerated here in exact
rational arithmetic from its definition (DLMF 8.12.9-11): eta(lambda) from
eta**2/2 = lambda - 1 - log(lambda), reverted to mu = lambda - 1 as a power
series in eta; c_0 = 1/mu - 1/eta and c_k = c_{k-1}'/eta + (-1)**k g_k/mu
with Stirling's coefficients g_k.  The 1/eta poles cancel exactly, which
checks the g_k.  Deterministic: no false failures.
"""
from fractions import Fraction as F

import mpmath as mp
import numpy as np
import pytest

from queuemath._kernels import temme

# Stirling's series Gamma*(z) ~ sum g_k z^-k (DLMF 5.11.3-4)
STIRLING = [F(1), F(1, 12), F(1, 288), F(-139, 51840), F(-571, 2488320),
            F(163879, 209018880)]


def _series_coefficients(orders, terms):
    size = orders + 2 * terms + 4

    def mul(p, q):
        r = [F(0)] * size
        for i, x in enumerate(p):
            if x:
                for j in range(size - i):
                    r[i + j] += x * q[j]
        return r

    def inv(p):
        r = [F(0)] * size
        r[0] = 1 / p[0]
        for n in range(1, size):
            r[n] = -sum(p[j] * r[n - j] for j in range(1, n + 1)) / p[0]
        return r

    def compose(p, q):
        r = [F(0)] * size
        power = [F(1)] + [F(0)] * (size - 1)
        for i in range(size):
            if p[i]:
                for j in range(size):
                    r[j] += p[i] * power[j]
            power = mul(power, q)
        return r

    # (eta/mu)^2 = 2 (mu - log(1 + mu))/mu^2 = 1 + s(mu)
    s = [F(2 * (-1) ** n, n + 2) for n in range(size)]
    s[0] -= 1
    root = [F(1)] + [F(0)] * (size - 1)
    for n in range(1, size):
        root[n] = (s[n] - sum(root[j] * root[n - j] for j in range(1, n))) / 2
    # mu = eta w(eta): w = 1/root(eta w), by fixed-point iteration
    w = [F(1)] + [F(0)] * (size - 1)
    for _ in range(size):
        w = inv(compose(root, [F(0)] + w[:size - 1]))
    eta_over_mu = inv(w)
    c = [eta_over_mu[1:] + [F(0)]]
    for k in range(1, terms):
        d = [n * c[-1][n] for n in range(size)]
        g = (-1) ** k * STIRLING[k]
        assert d[1] + g * eta_over_mu[0] == 0      # the pole cancels
        c.append([d[n + 2] + g * eta_over_mu[n + 1] for n in range(size - 2)] + [F(0)] * 2)
    return c


def test_coefficient_table_matches_its_definition():
    terms, orders = temme.TEMME_COEF.shape
    exact = _series_coefficients(orders, terms)
    assert exact[0][:4] == [F(-1, 3), F(1, 12), F(-2, 135), F(1, 864)]     # DLMF 8.12.12
    assert exact[1][:2] == [F(-1, 540), F(-1, 288)]
    for k in range(terms):
        assert np.array_equal(temme.TEMME_COEF[k], [float(x) for x in exact[k][:orders]])


def test_terms_left_out_are_below_their_bound_on_the_band():
    # the sum over the whole table against the truncated one, both in exact
    # rational arithmetic, at the band's corners (|eta| = 0.22, a = 2e4)
    # where the terms left out are largest: within 3e-19 of c_0
    coef = [[F(float(v)) for v in row] for row in temme.TEMME_COEF]
    inv_a = F(1, 20000)
    for eta in (F(22, 100), F(-22, 100)):
        full = sum(sum(c * eta ** n for n, c in enumerate(row)) * inv_a ** k
                   for k, row in enumerate(coef))
        cut = sum(sum(c * eta ** n for n, c in enumerate(row[:terms])) * inv_a ** k
                  for k, (row, terms) in enumerate(zip(coef, temme._TEMME_TERMS)))
        assert abs(full - cut) < F(3, 10 ** 19) * abs(coef[0][0])
        # one term fewer in c_0 would break that bound: the check can fail
        shorter = cut - coef[0][temme._TEMME_TERMS[0] - 1] * eta ** (temme._TEMME_TERMS[0] - 1)
        assert abs(full - shorter) > F(3, 10 ** 19) * abs(coef[0][0])


def _tails(a, x):
    """P(a, x), Q(a, x) for integer a by the Poisson sums, 40 digits."""
    with mp.workdps(40):
        c = int(a) - 1
        x = mp.mpf(x)
        log_pc = c * mp.log(x) - x - mp.loggamma(c + 1)
        up, t, k = mp.mpf(0), mp.mpf(1), c
        while True:
            k += 1
            t = t * x / k
            up += t
            if t < up * mp.mpf(10) ** -35 and k > x:
                break
        down, t, k = mp.mpf(1), mp.mpf(1), c
        while k > 0:
            t = t * k / x
            k -= 1
            down += t
            if t < down * mp.mpf(10) ** -35 and k < x:
                break
        return mp.exp(log_pc) * up, mp.exp(log_pc) * down


@pytest.mark.parametrize("a,z", [(8520457, -4.52), (3041640, -4.52), (1782765, -5.62),
                                 (2e4, -12.0), (1e5, 0.0), (1e6, 3.0), (1e7, -8.0),
                                 (5e4, 12.0), (3211498, -5.6)])
def test_both_tails_to_rounding_where_scipy_is_not(a, z):
    x = a - 1 + z * np.sqrt(a - 1)
    p, q = temme.gamma_pq(np.array([float(a)]), np.array([x]))
    ref_p, ref_q = _tails(a, x)
    assert abs(p[0] - ref_p) / ref_p < 5e-14
    assert abs(q[0] - ref_q) / ref_q < 5e-14


def test_one_tail_alone_is_the_tail_of_the_pair():
    # gamma_p / gamma_q skip the other tail's work; they must give the same
    # bits as gamma_pq, inside the Temme band and off it (scipy)
    rng = np.random.default_rng(7)
    a = np.exp(rng.uniform(0, np.log(1e7), 4000))
    x = a * np.exp(rng.uniform(-0.5, 0.5, a.size))
    p, q = temme.gamma_pq(a, x)
    band = (a >= temme.TEMME_MIN_A) & (np.abs(x - a) <= 0.2 * a)
    assert 0.1 < band.mean() < 0.9
    assert np.array_equal(temme.gamma_p(a, x), p)
    assert np.array_equal(temme.gamma_q(a, x), q)
