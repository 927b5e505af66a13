"""Queueing networks: open Jackson networks, finite buffers, closed
product-form networks by MVA.

References are written from first principles in ``tests/mpref.py``: the
product-form law summed over every state, the normalising constants
convolved term by term at 60 digits, the finite-buffer chain built
transition by transition and solved densely; and closed forms that follow
from the definitions (a balanced network's G(N) = C(N+M-1, M-1) D^N, two
stations' geometric sum), which reach populations of 1e5 and 1e6.
"""
import warnings

import mpmath as mp
import numpy as np
import pytest

import queuemath as qm
from queuemath.networks import ClosedNetwork, OpenNetwork

import mpref


def rel(got, ref):
    return abs(float(got) / float(ref) - 1)


# -- closed networks: exactness ------------------------------------------------

STATE_CASES = [
    # demands, servers (None: delay), think, population
    ([0.3, 1.2, 0.7], [1, 1, 1], 2.0, 7),
    ([0.5, 2.0], [3, 1], 0.0, 9),
    ([1.0, 0.25, 4.0], [2, None, 1], 5.0, 8),
    ([2.0, 3.0, 1.0], [1, 1, 1], 4.0, 6),
    ([0.9, 0.9], [4, 4], 1.0, 10),
]


@pytest.mark.parametrize("demands, servers, think, n", STATE_CASES)
def test_exact_mva_is_the_product_form_law_summed_over_every_state(demands, servers, think, n):
    srv = [np.inf if s is None else s for s in servers]
    net = ClosedNetwork(demands, srv, np.arange(1, n + 1), think_time=think)
    for pop in (1, n // 2, n):
        x_ref, q_ref = mpref.closed_network_states(demands, servers, think, pop)
        assert rel(net.throughput[pop - 1], x_ref) < 4e-15
        for i in range(len(demands)):
            assert rel(net.station_mean_in_system[pop - 1, i], q_ref[i]) < 4e-15


@pytest.mark.parametrize("demands, servers, think, n", [
    ([0.1, 0.35, 0.2, 0.05], [1, 2, 1, 8], 3.0, 120),
    ([1.0, 1.0, 0.999], [1, 1, 1], 0.0, 150),
    ([0.02, 0.5], [16, 3], 10.0, 100),
])
def test_larger_populations_against_60_digit_normalising_constants(demands, servers, think, n):
    x_ref, q_ref = mpref.closed_network_convolution(demands, servers, think, n)
    net = ClosedNetwork(demands, servers, n, think_time=think)
    assert rel(net.throughput, x_ref) < 1e-14
    for i in range(len(demands)):
        assert rel(net.station_mean_in_system[i], q_ref[i]) < 1e-13


@pytest.mark.parametrize("m, n", [(2, 10), (5, 1000), (20, 10**5), (3, 10**6)])
def test_balanced_network_at_huge_populations(m, n):
    # G(N) = C(N+M-1, M-1) D^N for M equal single-server stations, so
    # X(N) = G(N-1)/G(N) = N / (D (N + M - 1)) and Q_i = N/M exactly
    d = 0.37
    net = ClosedNetwork([d] * m, 1, n)
    with mp.workdps(40):
        ref = mp.mpf(n) / (mp.mpf(d) * (n + m - 1))
    assert rel(net.throughput, ref) < 1e-13
    # the queue lengths' recursion Q(n) = U(n)(1 + Q(n-1)) carries each
    # step's rounding forward with gain U -> 1: at most N eps in all
    # (measured: 6.6e-12 at N = 1e6, below 1e-13 up to 1e5)
    assert np.allclose(net.station_mean_in_system, n / m, rtol=max(1e-13, n * 2.2e-16), atol=0)


@pytest.mark.parametrize("n", [10, 10**4, 10**5])
def test_two_stations_at_large_populations_against_the_geometric_sum(n):
    # G(N) = sum_k D1^k D2^(N-k) = (D1^(N+1) - D2^(N+1)) / (D1 - D2)
    d1, d2 = 1.0, 1.0 - 1e-4
    with mp.workdps(60 + int(n * 4e-4)):
        a, b = mp.mpf(d1), mp.mpf(d2)

        def g(k):
            return (a ** (k + 1) - b ** (k + 1)) / (a - b)
        x_ref = g(n - 1) / g(n)
        # Q_1 = sum_j (N - j) r^j / sum_j r^j, r = D2/D1: N less a geometric mean
        r = b / a
        q1_ref = n - r * (1 - (n + 1) * r ** n + n * r ** (n + 1)) / ((1 - r) * (1 - r ** (n + 1)))
    net = ClosedNetwork([d1, d2], 1, n)
    assert rel(net.throughput, x_ref) < 1e-13
    assert rel(net.station_mean_in_system[0], q1_ref) < 1e-12


@pytest.mark.parametrize("c, n", [(1, 50), (4, 200), (16, 3000), (170, 5000), (3, 10**5)])
def test_one_station_with_think_time_is_the_finite_source_queue(c, n):
    # a delay station (the clients) and one c-server station: M/M/c//N
    think, demand = 30.0, 0.5 * c * 30.0 / n * 1.9       # near saturation
    net = ClosedNetwork([demand], c, n, think_time=think)
    fs = qm.FiniteSourceMMcK(1 / think, 1 / demand, n, c)
    assert rel(net.throughput, fs.throughput) < 1e-12
    assert rel(net.mean_in_system, fs.mean_in_system) < 1e-12
    assert rel(net.mean_response_time, fs.mean_response_time) < 1e-12


def test_jains_timesharing_example():
    # Jain (1991), example 34.2 and table 34.1 (three decimals)
    net = ClosedNetwork([2.0, 3.0, 1.0], 1, [1, 2, 3, 4, 5, 17, 18, 19, 20], think_time=4.0,
                        visits=[16, 10, 5])
    table = {1: (6.000, 0.100, (0.200, 0.300, 0.100)), 2: (7.400, 0.175, (0.421, 0.684, 0.193)),
             3: (9.088, 0.229, (0.651, 1.158, 0.273)), 4: (11.051, 0.266, (0.878, 1.721, 0.338)),
             5: (13.256, 0.290, (1.088, 2.365, 0.388)),
             17: (47.045, 0.333, (1.974, 13.195, 0.499)),
             18: (50.032, 0.333, (1.981, 14.187, 0.499)),
             19: (53.022, 0.333, (1.987, 15.181, 0.500)),
             20: (56.016, 0.333, (1.991, 16.177, 0.500))}
    for j, pop in enumerate(table):
        r, x, q = table[pop]
        assert round(float(net.mean_response_time[j]), 3) == r
        assert round(float(net.throughput[j]), 3) == x
        assert tuple(np.round(net.station_mean_in_system[j], 3)) == q
    per_visit = net.station_response_time[1]
    assert tuple(np.round(per_visit, 3)) == (0.15, 0.39, 0.22)


def test_little_and_the_response_time_law_hold_at_every_population():
    net = ClosedNetwork([0.2, 1.1, 0.4, 0.0], [1, 3, np.inf, 2], np.arange(0, 400), think_time=2.5)
    n = np.arange(0, 400)
    total = net.mean_in_system + net.throughput * 2.5
    assert np.allclose(total, n, rtol=1e-13, atol=1e-12)
    assert np.all(net.throughput <= 3 / 1.1 * (1 + 1e-15))
    assert np.all(np.diff(net.throughput) >= -1e-15 * net.throughput[1:])
    assert np.all(net.station_utilization[:, [0, 1, 3]] <= 1)
    assert net.bottleneck == 1


def test_every_population_comes_from_one_pass_and_matches_single_calls():
    many = ClosedNetwork([0.3, 0.6], [1, 2], [[5, 50], [500, 0]], think_time=1.0)
    assert many.throughput.shape == (2, 2)
    for pop, x in zip([5, 50, 500, 0], many.throughput.ravel()):
        assert x == ClosedNetwork([0.3, 0.6], [1, 2], pop, think_time=1.0).throughput
    table = ClosedNetwork([0.3, 0.6], [1, 2], 50, think_time=1.0).table()
    assert list(table.index) == list(range(51))
    assert table.loc[50, "throughput"] == many.throughput[0, 1]
    assert (table["balanced_lower"] <= table["throughput"] * (1 + 1e-12)).all()


# -- approximations and bounds -------------------------------------------------

def test_schweitzer_is_close_to_exact_and_exact_at_one_customer():
    for pop in (1, 5, 20, 200):
        ex = ClosedNetwork([0.605, 2.1, 1.35], 1, pop, think_time=15.0)
        ap = ClosedNetwork([0.605, 2.1, 1.35], 1, pop, think_time=15.0, method="schweitzer")
        tol = 1e-13 if pop == 1 else 0.05
        assert rel(ap.throughput, ex.throughput) < tol
    # the answer is the fixed point of Schweitzer's equations
    d, z, n = np.array([2.0, 3.0, 1.0]), 4.0, 20
    big = ClosedNetwork(d, 1, n, think_time=z, method="schweitzer")
    q = big.station_mean_in_system
    r = d * (1 + (n - 1) / n * q)
    assert rel(big.throughput, n / (z + r.sum())) < 1e-12
    assert np.allclose(q, big.throughput * r, rtol=1e-12)
    assert rel(big.throughput, 1 / 3) < 0.02


@pytest.mark.parametrize("seed", range(5))
def test_bounds_hold_at_random_networks(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 8))
    d = rng.exponential(1.0, m)
    z = float(rng.choice([0.0, rng.exponential(5.0)]))
    pops = np.arange(1, 300)
    net = ClosedNetwork(d, 1, pops, think_time=z)
    b = net.bounds()
    x = net.throughput
    slack = 1 + 1e-12
    assert np.all(b["asymptotic_lower"] <= x * slack) and np.all(x <= b["asymptotic_upper"] * slack)
    assert np.all(b["balanced_lower"] <= x * slack) and np.all(x <= b["balanced_upper"] * slack)
    assert np.all(b["balanced_lower"] >= b["asymptotic_lower"] / slack)
    assert np.all(b["balanced_upper"] <= b["asymptotic_upper"] * slack)


def test_multiclass_exact_mva():
    # identical classes are one class of their total population
    one = ClosedNetwork([0.4, 1.0, 0.25], 1, 9, think_time=3.0)
    two = ClosedNetwork([[0.4, 1.0, 0.25]] * 2, 1, [4, 5], think_time=3.0)
    assert rel(two.throughput, one.throughput) < 1e-13
    assert np.allclose(two.class_station_mean_in_system.sum(axis=0), one.station_mean_in_system,
                       rtol=1e-13)
    # a class with nothing in common with the other is a network of its own
    apart = ClosedNetwork([[0.5, 0.0, 1.0], [0.0, 0.7, 0.0]], [1, 1, np.inf], [6, 3],
                          think_time=[1.0, 2.0])
    alone0 = ClosedNetwork([0.5, 1.0], [1, np.inf], 6, think_time=1.0)
    alone1 = ClosedNetwork([0.7], 1, 3, think_time=2.0)
    assert rel(apart.class_throughput[0], alone0.throughput) < 1e-13
    assert rel(apart.class_throughput[1], alone1.throughput) < 1e-13
    ap = ClosedNetwork([[0.4, 1.0, 0.25], [1.0, 0.2, 0.5]], 1, [10, 10], think_time=3.0,
                       method="schweitzer")
    ex = ClosedNetwork([[0.4, 1.0, 0.25], [1.0, 0.2, 0.5]], 1, [10, 10], think_time=3.0)
    assert np.all(np.abs(ap.class_throughput / ex.class_throughput - 1) < 0.05)


# -- open networks -------------------------------------------------------------

@pytest.mark.parametrize("rho", [0.5, 0.9, 0.99, 1 - 1e-9])
def test_tandem_of_mm1_is_a_product_of_mm1_laws(rho):
    mu = np.array([1.0, 2.0, 1.5])
    lam = rho * mu.min()
    net = OpenNetwork([lam, 0, 0], mu, 1, [[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    with mp.workdps(40):
        ref = [mp.mpf(lam) / (mp.mpf(m) - mp.mpf(lam)) for m in mu]
        ref_t = mp.fsum(ref) / mp.mpf(lam)
    for i in range(3):
        assert rel(net.station_mean_in_system[i], ref[i]) < 1e-12
    assert rel(net.mean_response_time, ref_t) < 1e-12


def test_jackson_network_with_feedback_against_its_traffic_equations():
    gamma = [0.7, 0.2, 0.0, 0.1]
    mu = [2.0, 0.5, 1.0, 4.0]
    c = [1, 3, 2, 1]
    p = [[0.0, 0.5, 0.3, 0.0], [0.1, 0.0, 0.4, 0.2], [0.0, 0.3, 0.0, 0.5], [0.2, 0.0, 0.0, 0.0]]
    net = OpenNetwork(gamma, mu, c, p)
    with mp.workdps(40):
        a = mp.eye(4) - mp.matrix(p).T
        lam = mp.lu_solve(a, mp.matrix(gamma))
    for i in range(4):
        assert rel(net.station_arrival_rate[i], lam[i]) < 1e-14
        assert rel(net.station_mean_in_system[i],
                   mpref.mmc_mean_in_system(lam[i], mu[i], c[i])) < 1e-13
    total = mp.fsum(mpref.mmc_mean_in_system(lam[i], mu[i], c[i]) for i in range(4))
    assert rel(net.mean_in_system, total) < 1e-13
    entering = mp.fsum(mp.mpf(g) for g in gamma)        # 1 less a rounding
    assert rel(net.mean_response_time, total / entering) < 1e-13
    assert np.allclose(net.visit_ratios, net.station_arrival_rate, rtol=1e-15)
    assert rel(net.throughput, entering) <= 2.3e-16      # one rounding of the sum


def test_open_network_broadcasts_over_points():
    p = [[0, 1], [0.25, 0]]
    rates = np.array([[1.0, 0.0], [2.0, 0.0], [2.9, 0.0]])
    net = OpenNetwork(rates, [5.0, 4.0], [1, 1], p)
    assert net.shape == (3,)
    for j in range(3):
        one = OpenNetwork(rates[j], [5.0, 4.0], [1, 1], p)
        assert net.mean_response_time[j] == one.mean_response_time
    assert net.summary().shape[0] == 3


@pytest.mark.parametrize("c, k", [(1, 5), (3, 8)])
def test_one_station_with_a_buffer_is_mmck(c, k):
    net = OpenNetwork([3.5], [1.2], c, [[0.0]], capacity=[k])
    ref = qm.MMcK(3.5, 1.2, c, k)
    assert rel(net.blocking, ref.blocking) < 1e-12
    assert rel(net.mean_in_system, ref.mean_in_system) < 1e-12
    assert rel(net.mean_response_time, ref.mean_response_time) < 1e-12
    assert rel(net.throughput, ref.throughput) < 1e-12


def test_finite_buffers_against_the_chain_built_state_by_state():
    gamma, mu, c, k = [1.5, 0.5, 0.0], [2.0, 1.0, 3.0], [1, 2, 1], [3, 4, 2]
    p = [[0.0, 0.6, 0.3], [0.0, 0.2, 0.5], [0.4, 0.0, 0.0]]
    net = OpenNetwork(gamma, mu, c, p, capacity=k)
    states, pi = mpref.open_network_chain(gamma, mu, c, k, p)
    with mp.workdps(30):
        mean = [mp.fsum(w * s[i] for s, w in zip(states, pi)) for i in range(3)]
        exits = mp.fsum(w * mp.fsum(mp.mpf(mu[j]) * min(s[j], c[j]) * (1 - mp.fsum(
            mp.mpf(x) for x in p[j])) for j in range(3)) for s, w in zip(states, pi))
    for i in range(3):
        assert rel(net.station_mean_in_system[i], mean[i]) < 1e-11
    assert rel(net.throughput, exits) < 1e-11
    # what enters either leaves or is lost
    assert rel(net.throughput + net.blocking * 2.0, 2.0) < 1e-12
    assert np.all((net.station_blocking >= 0) & (net.station_blocking <= 1))


def test_large_capacities_reach_the_jackson_values():
    p = [[0, 0.5], [0.2, 0]]
    free = OpenNetwork([1.0, 0.5], [3.0, 2.0], [1, 1], p)
    big = OpenNetwork([1.0, 0.5], [3.0, 2.0], [1, 1], p, capacity=[120, 120])
    assert rel(big.mean_in_system, free.mean_in_system) < 1e-10
    # a sparse LU: probabilities to ~1e-15 absolute, not relative in far tails
    # (the true blocking here is ~1e-60)
    assert 0 <= big.blocking < 1e-14


# -- closed networks with finite buffers ----------------------------------------

@pytest.mark.parametrize("n, c, k", [(20, 2, 5), (50, 1, 8), (200, 4, 30)])
def test_one_station_with_a_buffer_and_thinking_clients_is_mmckn(n, c, k):
    # a refused client thinks again: the M/M/c/K/N queue, exactly
    net = ClosedNetwork([0.5], c, n, think_time=10.0, capacity=[k])
    ref = qm.FiniteSourceMMcK(0.1, 2.0, n, c, k)
    for name in ("blocking", "throughput", "mean_in_system", "mean_response_time"):
        assert rel(getattr(net, name), getattr(ref, name)) < 1e-13, name


def test_the_chain_agrees_with_mva_where_its_first_state_is_rare():
    # room for all 40 at every station: the exact chain must give the product
    # form; its first state (all 40 at the last station) has probability
    # ~1e-20, which once made the stationary solve (pinned there) garbage
    free = ClosedNetwork([0.2, 1.2, 0.3], [1, 2, 1], 40, think_time=16.129)
    chain = ClosedNetwork([0.2, 1.2, 0.3], [1, 2, 1], 40, think_time=16.129,
                          capacity=[40, 40, 40])
    assert rel(chain.throughput, free.throughput) < 1e-10
    assert np.allclose(chain.station_mean_in_system, free.station_mean_in_system, rtol=1e-10)
    assert chain.blocking == 0


def test_the_open_chain_agrees_with_jackson_where_its_empty_state_is_not_the_bulk():
    # the station with 4 servers at 0.83 holds ~6.6 on average: its chain's
    # stationary solve once pinned a rare state and put the mean at 23
    p = [[0, 1], [0.1, 0]]
    free = OpenNetwork([2.7, 0.3], [10.0, 1.0], [1, 4], p)
    roomy = OpenNetwork([2.7, 0.3], [10.0, 1.0], [1, 4], p, capacity=[60, 200])
    assert roomy.closed_form
    assert np.allclose(roomy.station_mean_in_system, free.station_mean_in_system, rtol=1e-10)


def test_a_login_path_with_backlogs():
    route = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    free = ClosedNetwork([0.01, 0.3, 0.05], [1, 4, 1], 30, think_time=2.0, routing=route)
    roomy = ClosedNetwork([0.01, 0.3, 0.05], [1, 4, 1], 30, think_time=2.0, routing=route,
                          capacity=[31, 31, 31])
    # room for everyone: no blocking, and the product form's values
    assert roomy.blocking < 1e-14
    assert rel(roomy.throughput, free.throughput) < 1e-12
    assert np.allclose(roomy.station_mean_in_system, free.station_mean_in_system, rtol=1e-11)
    tight = ClosedNetwork([0.01, 0.3, 0.05], [1, 4, 1], 30, think_time=2.0, routing=route,
                          capacity=[2, 6, 3])
    assert 0 < tight.blocking < 1 and tight.throughput < free.throughput
    # a routing's visits: the workers are visited twice per cycle here
    loop = ClosedNetwork([0.01, 0.3, 0.05], [1, 4, 1], 30, think_time=2.0,
                         routing=[[0, 1, 0], [0, 0.5, 0.5], [0, 0, 0]])
    assert np.allclose(loop.station_throughput / loop.throughput, [1, 2, 1], rtol=1e-14)
    # each cycle started is refused somewhere or completes
    attempts = tight.throughput / (1 - tight.blocking)
    assert rel(tight.station_throughput[0] + attempts * tight.station_blocking[0], attempts) < 1e-9


# -- the model contract: simulation -------------------------------------------

# Each crosscheck below runs at a fixed seed with 99.9 % intervals: over
# seeds, a row falls outside with probability 0.001, so each test (about 10
# rows, positively correlated) fails by chance with probability < 1 %.
NETWORKS = [
    ClosedNetwork([0.4, 1.2, 0.6], [1, 2, 1], 6, think_time=3.0),
    ClosedNetwork([0.01, 0.3, 0.05], [1, 4, 1], 30, think_time=2.0,
                  routing=[[0, 1, 0], [0, 0, 1], [0, 0, 0]], capacity=[2, 6, 3]),
    ClosedNetwork([0.5, 0.5], [1, 1], 4),
    OpenNetwork([2.7, 0.3, 0], [10.0, 1.0, 4.0], [1, 4, np.inf],
                [[0, 1, 0], [0, 0, 0.3], [0, 0.2, 0]]),
    OpenNetwork([1.5, 0.5, 0.0], [2.0, 1.0, 3.0], [1, 2, 1], [[0.0, 0.6, 0.3],
                [0.0, 0.2, 0.5], [0.4, 0.0, 0.0]], capacity=[3, 4, 2]),
]


@pytest.mark.parametrize("net", NETWORKS, ids=lambda n: n.kendall)
def test_simulation_covers_every_row(net):
    cc = qm.crosscheck(net, seed=11, confidence=0.999, rel_precision=0.01)
    assert all(r["covered"] for r in cc.rows), cc
    names = [r["quantity"] for r in cc.rows]
    assert "mean_in_system[0]" in names and "throughput" in names


def test_a_large_open_network_is_simulated_from_empty_with_honest_intervals():
    # 12 stations at load 0.9: far too many states to plan on the chain
    m = 12
    p = np.zeros((m, m))
    for i in range(m - 1):
        p[i, i + 1] = 0.9
    net = OpenNetwork(np.r_[0.9, np.zeros(m - 1)], np.ones(m) * 2.0, 1, p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", qm.montecarlo.SimulationWarning)
        cc = qm.crosscheck(net, seed=5, confidence=0.999, rel_precision=0.02)
    assert all(r["covered"] for r in cc.rows), cc


# -- bad input -----------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: OpenNetwork([1.0, 0], [2.0, 2.0], 1, [[0, 0.7], [0.6, 0.5]]), "routing row 1 sums"),
    (lambda: OpenNetwork([1.0, 0], [2.0, 2.0], 1, [[0, 1.0], [1.0, 0]]), "traps customers"),
    (lambda: OpenNetwork([1.0, 0], [2.0, 2.0], 1, [[0, 1.2], [0, 0]]), "routing must be"),
    (lambda: OpenNetwork([1.0, 0], [2.0, -2.0], 1, [[0, 1], [0, 0]]), "service_rates"),
    (lambda: OpenNetwork([1.0, float("nan")], [2.0, 2.0], 1, [[0, 1], [0, 0]]), "arrival_rates"),
    (lambda: OpenNetwork([0.0, 0.0], [2.0, 2.0], 1, [[0, 1], [0, 0]]), "no customer"),
    (lambda: OpenNetwork([1.0, 0], [2.0, 0.9], 1, [[0, 1], [0, 0]]), "station 1 saturates"),
    (lambda: OpenNetwork([1.0, 0], [2.0, 2.0], [1, 1.5], [[0, 1], [0, 0]]), "servers"),
    (lambda: OpenNetwork([1.0, 0], [2.0, 2.0], [1, 2], [[0, 1], [0, 0]], capacity=[3, 1]),
     "capacity must be >= servers"),
    (lambda: OpenNetwork([1.0, 0], [2.0, 2.0], 1, [[0, 1, 0], [0, 0, 0]]), "2 x 2"),
    (lambda: ClosedNetwork([0.5, -1.0], 1, 3), "service_demands"),
    (lambda: ClosedNetwork([0.5, 1.0], 1, -3), "population"),
    (lambda: ClosedNetwork([0.5, 1.0], 1, 2.5), "population"),
    (lambda: ClosedNetwork([0.5, 1.0], [1, 0], 3), "servers"),
    (lambda: ClosedNetwork([0.0, 0.0], 1, 3), "infinitely fast"),
    (lambda: ClosedNetwork([0.5, 1.0], 1, 3, method="magic"), "method"),
    (lambda: ClosedNetwork([[0.5, 1.0], [0.2, 0.3]], [1, 2], [3, 3]), "exact multi-class"),
    (lambda: ClosedNetwork([[0.5, 1.0], [0.2, 0.3]], 1, [3]), "one count per class"),
    (lambda: ClosedNetwork([0.5, 1.0], 1, 3, capacity=[2, 2]), "think time"),
    (lambda: ClosedNetwork([0.5, 1.0], 1, [3, 4], think_time=1.0, capacity=[2, 2]),
     "one population"),
    (lambda: ClosedNetwork([0.5, 1.0], 1, 3, think_time=1.0, routing=[[0, 0], [0, 0]]),
     "never visits"),
    (lambda: ClosedNetwork([0.5, 0.0], 1, 3, think_time=1.0, routing=[[0, 1], [0, 0]]),
     "no demand"),
    (lambda: ClosedNetwork([0.5, 1.0], 1, 3, think_time=1.0, routing=[[0, 1], [0, 0]],
                           entry=[0.5, 0.6]), "entry must sum to 1"),
    (lambda: ClosedNetwork([0.5, 1.0], [1, 3], 3, think_time=1.0, capacity=[2, 2]),
     "capacity must be >= servers"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_network_too_large_for_its_exact_chain_says_so_and_simulates():
    # 26^4 = 456976 states, beyond the exact chain's 200000
    p = np.diag(np.ones(3), 1)
    net = OpenNetwork([0.9, 0, 0, 0], [1.0] * 4, 1, p, capacity=[25] * 4)
    assert not net.closed_form
    with pytest.raises(ValueError, match="simulate"):
        _ = net.blocking
    table = net.summary(rel_precision=0.05)
    assert 0 < table.loc["blocking", "value"] < 0.1
    assert table.loc["throughput", "low"] < 0.9 * (1 - table.loc["blocking", "low"])
