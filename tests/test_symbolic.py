"""Symbolic derivations against the textbook forms and the numeric core."""
import random
import subprocess
import sys

import mpmath as mp
import pytest

sp = pytest.importorskip("sympy")

import queuemath as qm  # noqa: E402
import queuemath.symbolic as qs  # noqa: E402
from mpref import rel_err  # noqa: E402

RNG = random.Random(20261125)


def _mp_value(expr, values):
    """Evaluate a sympy expression at 50 digits (mpmath under the hood)."""
    subs = {sp.Symbol(str(k), **k.assumptions0) if isinstance(k, sp.Symbol) else k: v
            for k, v in values.items()}
    return mp.mpf(str(sp.N(expr.subs(subs), 50)))


def test_mm1k_blocking_is_the_textbook_form():
    m = qs.MM1K()
    rho, k = m.load, m.capacity
    textbook = (1 - rho) * rho**k / (1 - rho ** (k + 1))
    assert sp.simplify(m.in_load(m.generic(m.blocking)) - textbook) == 0
    assert sp.simplify(m.blocking_at_unit_load() - 1 / (k + 1)) == 0
    # and the piecewise result itself holds 1/(K+1) at lambda = mu
    at_one = m.blocking.subs(m.arrival_rate, m.service_rate)
    assert sp.simplify(at_one - 1 / (k + 1)) == 0


def test_mm1k_large_capacity_tends_to_mm1():
    m = qs.MM1K()
    rho = sp.Symbol("rho", positive=True)
    assert sp.simplify(m.large_capacity_limit("mean_in_system") - rho / (1 - rho)) == 0
    assert sp.simplify(m.large_capacity_limit("p_empty") - (1 - rho)) == 0
    assert m.large_capacity_limit("blocking") == 0


def test_erlang_b_derivative_identity():
    # dB/dA = B (c/A - 1 + B): Erlang B's known derivative, from the symbolic
    # derivative of the chain-derived formula.
    for c in (1, 2, 5):
        m = qs.ErlangB(servers=c)
        a = m.offered_load
        b = m.in_offered_load(m.blocking)
        assert sp.simplify(sp.diff(b, a) - b * (c / a - 1 + b)) == 0
    s = qs.ErlangB(3).sensitivity("blocking", "arrival_rate")
    assert s.subs({qs.symbols()["arrival_rate"]: 2, qs.symbols()["service_rate"]: 1}) > 0


def test_symbolic_quantities_are_the_numeric_models_quantities():
    # one vocabulary: every quantity the chain derives is one the numeric model
    # declares (and checks against below)
    assert set(qs.MMcK(2, 4).quantities) <= set(qm.MMcK.quantities)
    assert set(qs.ErlangB(2).quantities) <= set(qm.MMcK.quantities)
    assert set(qs.Engset(4, 2).quantities) <= set(qm.Engset.quantities)
    assert set(qs.MM1K().quantities) <= set(qm.MM1K.quantities)


@pytest.mark.parametrize("servers, capacity", [(1, 4), (2, 2), (3, 6), (4, 9)])
def test_mmck_chain_reproduces_numeric_core(servers, capacity):
    m = qs.MMcK(servers=servers, capacity=capacity)
    lam_s, mu_s = m.arrival_rate, m.service_rate
    for _ in range(5):
        lam = RNG.uniform(0.05, 3 * servers)
        mu = RNG.uniform(0.2, 2.0)
        num = qm.MMcK(lam, mu, servers, capacity)
        for name in m.quantities:
            ref = _mp_value(getattr(m, name), {lam_s: sp.Float(lam, 30), mu_s: sp.Float(mu, 30)})
            assert rel_err(getattr(num, name), ref) <= 1e-12, name


@pytest.mark.parametrize("sources, servers", [(2, 1), (5, 2), (10, 4), (6, 6), (4, 7)])
def test_engset_chain_reproduces_numeric_core(sources, servers):
    m = qs.Engset(sources=sources, servers=servers)
    beta_s = m.idle_source_load
    for _ in range(5):
        beta = RNG.uniform(0.01, 3.0)
        num = qm.Engset(sources, servers, idle_source_load=beta)
        for name in m.quantities:
            ref = _mp_value(getattr(m, name), {beta_s: sp.Float(beta, 30)})
            assert rel_err(getattr(num, name), ref) <= 1e-12, name


def test_mm1k_symbolic_capacity_against_numeric_core():
    m = qs.MM1K()
    for _ in range(5):
        lam, mu, k = RNG.uniform(0.1, 3.0), RNG.uniform(0.5, 2.0), RNG.randint(1, 40)
        values = {m.arrival_rate: sp.Float(lam, 30), m.service_rate: sp.Float(mu, 30),
                  m.capacity: k}
        num = qm.MM1K(lam, mu, k)
        for name in m.quantities:
            ref = _mp_value(getattr(m, name), values)
            assert rel_err(getattr(num, name), ref) <= 1e-12, name


def test_lambdify_to_numpy():
    f = qs.MMcK(2, 5).lambdify("mean_queue")
    assert rel_err(f(1.5, 1.0), qm.MMcK(1.5, 1.0, 2, 5).mean_queue) <= 1e-12
    g = qs.Engset(8, 3).lambdify("blocking")
    assert rel_err(g(0.4), qm.Engset(8, 3, idle_source_load=0.4).blocking) <= 1e-12


def test_latex_parses_back():
    from sympy.parsing.latex import parse_latex
    lam, mu = sp.symbols("lambda mu")
    cases = [(qs.MMcK(3, 6), "blocking"), (qs.MMcK(2, 4), "mean_wait"),
             (qs.Engset(5, 2), "blocking")]
    for model, name in cases:
        text = model.latex(name)
        assert r"\cdot" in text or "frac" in text
        parsed = parse_latex(text)
        expr = getattr(model, name)
        point = {"lambda": 1.3, "mu": 0.7, "beta": 0.45}
        a = float(parsed.subs({s: point[str(s)] for s in parsed.free_symbols}))
        b = float(expr.subs({s: point[str(s)] for s in expr.free_symbols}))
        assert abs(a - b) <= 1e-12 * abs(b)
    # piecewise results print as cases; their generic branch parses
    m = qs.MM1K()
    parsed = parse_latex(qs.latex(m.generic(m.blocking)))
    assert parsed.free_symbols == {lam, mu, sp.Symbol("K")}
    assert r"\lambda" in m.latex("blocking") and r"\begin{cases}" in m.latex("blocking")


def test_symbols_print_as_textbook_letters():
    m = qs.MMcK(2, 3)
    assert sp.latex(m.arrival_rate) == r"\lambda" and sp.latex(m.service_rate) == r"\mu"
    assert str(qs.symbols()["capacity"]) == "K"
    assert sp.latex(qs.Engset(3, 1).idle_source_load) == r"\beta"


def test_birth_death_rate_functions_and_sequences_agree():
    lam, mu = qs.symbols()["arrival_rate"], qs.symbols()["service_rate"]
    seq = qs.birth_death([lam] * 3, [mu] * 3, states=4)
    n = sp.Symbol("n", integer=True, nonnegative=True)
    fun = qs.birth_death(lambda i: lam, lambda i: mu, states=3)
    for j in range(4):
        assert sp.simplify(sp.piecewise_fold(fun.subs(n, j)).args[-1][0] - seq[j]) == 0 \
            if isinstance(sp.piecewise_fold(fun.subs(n, j)), sp.Piecewise) \
            else sp.simplify(fun.subs(n, j) - seq[j]) == 0
    assert sp.simplify(sum(seq) - 1) == 0


@pytest.mark.parametrize("call, match", [
    (lambda: qs.birth_death([1, 2], [1]), "birth_rates has 2 rates and death_rates 1"),
    (lambda: qs.birth_death([1, 2], [1, 1], states=5), "states=5 does not match"),
    (lambda: qs.birth_death([-1], [1]), r"birth_rates\[0\] must be a non-negative rate"),
    (lambda: qs.birth_death([1], [sp.Symbol("x", negative=True)]), r"death_rates\[0\] cannot be a rate"),
    (lambda: qs.birth_death([sp.I], [1]), r"birth_rates\[0\]"),
    (lambda: qs.birth_death([], []), "must not be empty"),
    (lambda: qs.birth_death(lambda i: 1, [1]), "both be sequences or both callables"),
    (lambda: qs.birth_death(lambda i: 1, lambda i: 1), "states"),
    (lambda: qs.MMcK(0, 3), "servers must be an integer >= 1, got 0"),
    (lambda: qs.MMcK(2, 1), "capacity must be >= servers"),
    (lambda: qs.MMcK(2.5, 4), "servers must be an integer"),
    (lambda: qs.Engset(0, 1), "sources must be an integer >= 1"),
    (lambda: qs.ErlangB(True), "servers must be an integer"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_import_queuemath_does_not_load_sympy_but_attribute_does():
    code = ("import sys, queuemath as qm; a = 'sympy' in sys.modules; qm.symbolic; "
            "print(a, 'sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_mm1k_is_built_lazily_and_writes_the_textbook_forms():
    # building the model derives nothing (the numbers measured: 10-13 s
    # before); each quantity is derived on first use
    code = ("import queuemath.symbolic as qs; m = qs.MM1K(); "
            "print(sorted(qs.MM1K._derived)); m.blocking; print(sorted(qs.MM1K._derived))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "['blocking', 'state_probability']"]
    m = qs.MM1K()
    rho, k = m.load, m.capacity
    b = m.textbook("blocking")
    assert b.args[0] == (1 / (k + 1), sp.Eq(rho, 1))
    assert sp.simplify(b.args[1][0] - (1 - rho) * rho**k / (1 - rho ** (k + 1))) == 0
    # Gross & Harris (2008), eq. (2.47): L = rho/(1-rho) - (K+1) rho^(K+1)/(1 - rho^(K+1))
    big_l = m.textbook("mean_in_system")
    assert sp.simplify(big_l.args[0][0] - k / 2) == 0
    assert sp.simplify(big_l.args[1][0] - (rho / (1 - rho) - (k + 1) * rho ** (k + 1)
                                           / (1 - rho ** (k + 1)))) == 0
    assert sp.simplify(m.textbook("mean_queue").args[1][0]
                       - (big_l.args[1][0] - (1 - m.textbook("p_empty").args[1][0]))) == 0
    text = m.latex("blocking", form="textbook")
    assert r"\frac{1}{K + 1}" in text and r"\rho = 1" in text
    with pytest.raises(ValueError, match="form must be"):
        m.latex("blocking", form="fancy")
    with pytest.raises(ValueError, match='form must be "rates"'):
        qs.ErlangB(2).latex("blocking", form="textbook")
