r"""Symbolic derivations with sympy: from balance equations to closed forms.

The models' quantities here are not typed in: each model builds its
birth-death chain, :func:`birth_death` solves the chain's balance equations,
and every quantity (blocking, mean number, ...) is derived from the resulting
stationary distribution.  They serve three purposes: the report's equations
(:func:`latex`), an independent check of the numeric core (``lambdify``), and
analysis (limits and sensitivities).

sympy is imported with this module only; ``import queuemath`` does not load it
(``qm.symbolic`` imports it on first use).

Symbols are named like the numeric API and print as the textbook letters:
``arrival_rate`` :math:`\lambda`, ``service_rate`` :math:`\mu`, ``capacity``
:math:`K`, ``servers`` :math:`c`, ``idle_source_load`` :math:`\beta`, and
``load`` :math:`\rho = \lambda/\mu` (per server for one server).

References
----------
.. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals of
   Queueing Theory," 4th ed., Wiley, 2008, sec. 2.1 (birth-death processes)
   and 2.5 (finite queues).
.. [2] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
   Technical University of Denmark, 2015, ch. 4 and 8.
"""
import numbers

import sympy as sp

__all__ = ["birth_death", "MM1K", "MMcK", "ErlangB", "Engset", "latex", "symbols"]


def symbols():
    """The shared symbols, as a dict named like the numeric API.

    See Also
    --------
    birth_death : Builds chains in these symbols.

    References
    ----------
    .. [1] A. Meurer et al., "SymPy: symbolic computing in Python," PeerJ
       Computer Science 3, 2017, e103.  doi:10.7717/peerj-cs.103
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       ch. 3 (birth-death queues).

    Examples
    --------
    >>> s = symbols()
    >>> s["arrival_rate"], s["service_rate"], s["capacity"]
    (lambda, mu, K)
    >>> s["arrival_rate"].is_positive
    True
    """
    return dict(
        arrival_rate=sp.Symbol("lambda", positive=True),
        service_rate=sp.Symbol("mu", positive=True),
        capacity=sp.Symbol("K", integer=True, positive=True),
        servers=sp.Symbol("c", integer=True, positive=True),
        idle_source_load=sp.Symbol("beta", positive=True),
        load=sp.Symbol("rho", positive=True),
        offered_load=sp.Symbol("A", positive=True),
    )


_S = symbols()
_N = sp.Symbol("n", integer=True, nonnegative=True)


def _check_rate(name, index, rate):
    rate = sp.sympify(rate)
    if rate.is_number:
        if not (rate.is_real and rate.is_nonnegative):
            raise ValueError(f"{name}[{index}] must be a non-negative rate, got {rate}")
    elif rate.is_nonnegative is False or rate.is_real is False:
        raise ValueError(f"{name}[{index}] cannot be a rate (it is negative or not real): {rate}")
    return rate


def _count(name, value, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def birth_death(birth_rates, death_rates, states=None):
    r"""Stationary distribution of a finite birth-death chain, symbolically.

    Parameters
    ----------
    birth_rates : sequence of sympy expressions, or callable
        :math:`\lambda_0, \dots, \lambda_{N-1}`: rate from state n to n+1.
        A callable ``f(n)`` gives the rate for a symbolic n (then ``states``
        is the number of the last state, possibly a symbol).
    death_rates : sequence of sympy expressions, or callable
        :math:`\mu_1, \dots, \mu_N`: rate from state n to n-1 (the first is
        the rate out of state 1).
    states : int or sympy Symbol, optional
        With sequences, the number of states N+1 (checked against the
        sequences' lengths); with callables, the last state N (required).

    Returns
    -------
    list of sympy expressions (sequences) or sympy expression in ``n`` (callables)
        :math:`p_0, \dots, p_N`, normalised.

    See Also
    --------
    MMcK, ErlangB, Engset, MM1K : Models derived with it.
    queuemath.birth_death_transient : The numerical transient of such a chain.

    Notes
    -----
    The global balance equations of a birth-death chain,
    :math:`(\lambda_n + \mu_n) p_n = \lambda_{n-1} p_{n-1} + \mu_{n+1} p_{n+1}`,
    telescope to the cut equations :math:`\lambda_n p_n = \mu_{n+1} p_{n+1}`;
    with sequences the global balance equations are solved front to back
    (the system is tridiagonal) and the last one, implied by the others, is
    checked; with callables the cut equations give
    :math:`p_n = p_0 \prod_{i<n} \lambda_i/\mu_{i+1}`, normalised by a
    symbolic sum.

    References
    ----------
    .. [1] A. Meurer et al., "SymPy: symbolic computing in Python," PeerJ
       Computer Science 3, 2017, e103.  doi:10.7717/peerj-cs.103
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       ch. 3 (birth-death queues).

    Examples
    --------
    >>> lam, mu = symbols()["arrival_rate"], symbols()["service_rate"]
    >>> p = birth_death([lam, lam], [mu, mu])
    >>> sp.simplify(p[2] - lam**2 / (lam**2 + lam*mu + mu**2))
    0
    """
    if callable(birth_rates) or callable(death_rates):
        if not (callable(birth_rates) and callable(death_rates)):
            raise ValueError("birth_rates and death_rates must both be sequences or both callables")
        if states is None:
            raise ValueError("states (the last state N) is required with rate functions")
        i = sp.Symbol("i", integer=True, nonnegative=True)
        ratio = sp.simplify(_check_rate("birth_rates", "i", birth_rates(i))
                            / _check_rate("death_rates", "i+1", death_rates(i + 1)))
        weight = sp.product(ratio, (i, 0, _N - 1))
        total = sp.summation(weight, (_N, 0, states))
        return sp.simplify(weight / total)
    births = [_check_rate("birth_rates", k, r) for k, r in enumerate(birth_rates)]
    deaths = [_check_rate("death_rates", k, r) for k, r in enumerate(death_rates)]
    if len(births) != len(deaths):
        raise ValueError(f"birth_rates has {len(births)} rates and death_rates {len(deaths)}; "
                         "a chain on states 0..N needs N of each")
    if not births:
        raise ValueError("birth_rates must not be empty")
    if states is not None and _count("states", states, 2) != len(births) + 1:
        raise ValueError(f"states={states} does not match {len(births)} birth and death rates "
                         f"(expected states={len(births) + 1})")
    size = len(births) + 1
    # Global balance for state n: (lambda_n + mu_n) p_n = lambda_{n-1} p_{n-1}
    # + mu_{n+1} p_{n+1}.  Solved front to back for p_{n+1} (the matrix is
    # tridiagonal), starting from an unnormalised p_0 = 1; the last state's
    # equation is then implied, and is checked.
    def lam(n):
        return births[n] if n < size - 1 else 0

    def mu(n):   # rate out of state n downwards
        return deaths[n - 1] if n > 0 else 0

    q = [sp.Integer(1)]
    for n in range(size - 1):
        inflow_below = lam(n - 1) * q[n - 1] if n > 0 else 0
        q.append(sp.cancel(((lam(n) + mu(n)) * q[n] - inflow_below) / mu(n + 1)))
    last = size - 1
    residual = sp.cancel((lam(last) + mu(last)) * q[last] - lam(last - 1) * q[last - 1])
    if residual != 0:   # pragma: no cover - holds for every birth-death chain
        raise ValueError("the balance equations are inconsistent")
    total = sp.cancel(sum(q))
    return [sp.factor(sp.cancel(v / total)) for v in q]


def latex(expr):
    r"""LaTeX of a sympy expression, as the report uses it.

    Products are written with ``\cdot``: ``\mu \left(...\right)`` reads
    as a function application to LaTeX parsers (sympy's among them).

    See Also
    --------
    MM1K.latex : A model's quantity, in the rates or the textbook form.

    References
    ----------
    .. [1] A. Meurer et al., "SymPy: symbolic computing in Python," PeerJ
       Computer Science 3, 2017, e103.  doi:10.7717/peerj-cs.103
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       ch. 3 (birth-death queues).

    Examples
    --------
    >>> s = symbols()
    >>> latex(s["service_rate"] * (s["arrival_rate"] + 1))
    '\\mu \\cdot \\left(\\lambda + 1\\right)'
    """
    return sp.latex(expr, mul_symbol="dot")


class _Model:
    quantities = ()

    def _quantity(self, name):
        """The expression of quantity ``name``; a ValueError lists the
        quantities this model has where ``name`` is not one of them."""
        if name not in self.quantities:
            raise ValueError(f"name must be a quantity of {self!r}: one of "
                             f"{', '.join(self.quantities)}; got {name!r}")
        return getattr(self, name)

    def latex(self, name, form="rates"):
        r"""LaTeX of quantity ``name`` (see :func:`latex`): in the rates
        (``form="rates"``), or as textbooks write it (``form="textbook"``:
        in the load, each branch simplified; models with a ``textbook``
        method).

        Examples
        --------
        >>> print(ErlangB(servers=1).latex("blocking"))
        \frac{\lambda}{\lambda + \mu}
        """
        if form == "rates":
            return latex(self._quantity(name))
        if form == "textbook" and hasattr(self, "textbook"):
            return latex(self.textbook(name))
        forms = '"rates" or "textbook"' if hasattr(self, "textbook") else '"rates"'
        raise ValueError(f"form must be {forms} for {self!r}, got {form!r}")

    def lambdify(self, name, modules="numpy"):
        """Quantity ``name`` as a function of the model's free symbols, in the
        order of ``self.parameters`` (names as in the numeric API).

        Examples
        --------
        A numerical function of the derived formula, checked against the exact
        kernel:

        >>> import math
        >>> import queuemath as qm
        >>> f = MM1K().lambdify('blocking')
        >>> math.isclose(float(f(45.0, 50.0, 6)), qm.MM1K(45.0, 50.0, 6).blocking, rel_tol=1e-12)
        True
        """
        args = [self._symbols[p] for p in self.parameters]
        return sp.lambdify(args, self._quantity(name), modules=modules)

    def sensitivity(self, name, parameter="arrival_rate"):
        """Exact derivative of quantity ``name`` with respect to a parameter
        (one of ``self.parameters``).

        Examples
        --------
        The derivative of Erlang B in the arrival rate, as a sympy expression:

        >>> s = symbols()
        >>> lam, mu = s['arrival_rate'], s['service_rate']
        >>> sp.simplify(ErlangB(1).sensitivity('blocking') - mu / (lam + mu) ** 2)
        0
        """
        if parameter not in self.parameters:
            raise ValueError(f"parameter must be one of {', '.join(self.parameters)} for "
                             f"{self!r}; got {parameter!r}")
        return sp.simplify(sp.diff(self._quantity(name), self._symbols[parameter]))

    def __getattr__(self, item):
        # The symbols are attributes named like the numeric API.
        symbols_ = self.__dict__.get("_symbols", {})
        if item in symbols_:
            return symbols_[item]
        raise AttributeError(item)


class _FiniteChain(_Model):
    """Quantities of a queue from its finite chain's distribution p."""

    quantities = ("blocking", "p_wait", "p_empty", "throughput", "utilization",
                  "mean_in_system", "mean_queue", "mean_wait", "mean_response_time")

    def in_offered_load(self, expr):
        r"""``expr`` with :math:`\lambda = A\mu` (and simplified): the textbook
        form in the offered load A (``offered_load``).

        Examples
        --------
        Erlang B for two servers in the offered load A:

        >>> e = ErlangB(2)
        >>> e.in_offered_load(e.blocking)
        A**2/(A**2 + 2*A + 2)
        """
        a = _S["offered_load"]
        return sp.simplify(sp.sympify(expr).subs(_S["arrival_rate"], a * _S["service_rate"]))

    def _derive(self, p, c, lam):
        k = len(p) - 1
        self.state_probabilities = p
        self.blocking = p[k]
        # admitted and waiting: found every server busy and a free place
        self.p_wait = sp.factor(sp.cancel(sum(p[n] for n in range(c, k))))
        self.p_empty = p[0]
        self.throughput = sp.factor(sp.cancel(lam * (1 - p[k])))
        busy = sp.cancel(sum(min(n, c) * p[n] for n in range(k + 1)))
        self.utilization = sp.factor(busy / c)
        self.mean_in_system = sp.factor(sp.cancel(sum(n * p[n] for n in range(k + 1))))
        self.mean_queue = sp.factor(sp.cancel(sum(max(n - c, 0) * p[n] for n in range(k + 1))))
        # Little's law on the admitted stream.
        self.mean_wait = sp.factor(sp.cancel(self.mean_queue / self.throughput))
        self.mean_response_time = sp.factor(sp.cancel(self.mean_in_system / self.throughput))


class MMcK(_FiniteChain):
    r"""M/M/c/K with given integers c and K, derived from its chain.

    Parameters
    ----------
    servers : int
        c, at least 1.
    capacity : int
        K >= c.

    Attributes
    ----------
    arrival_rate, service_rate : sympy Symbol
        :math:`\lambda`, :math:`\mu`.
    blocking, p_wait, p_empty, throughput, utilization, mean_in_system,
    mean_queue, mean_wait, mean_response_time : sympy expression in λ and μ
    state_probabilities : list of sympy expressions

    See Also
    --------
    queuemath.MMcK : The exact numerical model.
    MM1K : One server with a symbolic capacity.

    References
    ----------
    .. [1] A. Meurer et al., "SymPy: symbolic computing in Python," PeerJ
       Computer Science 3, 2017, e103.  doi:10.7717/peerj-cs.103
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       ch. 3 (birth-death queues).

    Examples
    --------
    >>> m = MMcK(servers=2, capacity=2)
    >>> m.in_offered_load(m.blocking)     # Erlang B(2, A)
    A**2/(A**2 + 2*A + 2)
    """

    parameters = ("arrival_rate", "service_rate")

    def __init__(self, servers, capacity):
        c = _count("servers", servers)
        k = _count("capacity", capacity)
        if k < c:
            raise ValueError(f"capacity must be >= servers, got capacity={k} with servers={c}")
        self.servers, self.capacity = c, k
        self._symbols = {"arrival_rate": _S["arrival_rate"], "service_rate": _S["service_rate"],
                         "offered_load": _S["offered_load"]}
        lam, mu = _S["arrival_rate"], _S["service_rate"]
        p = birth_death([lam] * k, [min(n, c) * mu for n in range(1, k + 1)])
        self._derive(p, c, lam)

    def __repr__(self):
        return f"symbolic.MMcK(servers={self.servers}, capacity={self.capacity})"


class ErlangB(MMcK):
    r"""Erlang's loss system M/M/c/c with a given integer c.

    :meth:`in_offered_load` rewrites an expression in the offered load A.

    See Also
    --------
    queuemath.erlang_b : The exact numerical blocking.
    MMcK : With waiting places.

    References
    ----------
    .. [1] A. Meurer et al., "SymPy: symbolic computing in Python," PeerJ
       Computer Science 3, 2017, e103.  doi:10.7717/peerj-cs.103
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       ch. 3 (birth-death queues).
    .. [3] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 4.

    Examples
    --------
    >>> ErlangB(servers=2).in_offered_load(ErlangB(servers=2).blocking)
    A**2/(A**2 + 2*A + 2)
    """

    def __init__(self, servers):
        super().__init__(servers, servers)

    def __repr__(self):
        return f"symbolic.ErlangB(servers={self.servers})"


class Engset(_Model):
    r"""Engset's finite-source loss system with given integers N and c.

    Derived from the chain with birth rates :math:`(N-i)\beta\mu` and death
    rates :math:`i\mu`.  ``blocking`` is the call congestion: the request
    rate met in state c over the total request rate,
    :math:`\lambda_c p_c / \sum_i \lambda_i p_i`; ``time_congestion`` is
    :math:`p_c`; ``carried_load`` is :math:`\sum_i i p_i`.

    See Also
    --------
    queuemath.Engset : The exact numerical model.
    ErlangB : Infinitely many sources.

    References
    ----------
    .. [1] A. Meurer et al., "SymPy: symbolic computing in Python," PeerJ
       Computer Science 3, 2017, e103.  doi:10.7717/peerj-cs.103
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       ch. 3 (birth-death queues).
    .. [3] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 8.

    Examples
    --------
    >>> Engset(sources=2, servers=1).blocking
    beta/(beta + 1)
    """

    quantities = ("blocking", "time_congestion", "carried_load")
    parameters = ("idle_source_load",)

    def __init__(self, sources, servers):
        n = _count("sources", sources)
        c = _count("servers", servers)
        self.sources, self.servers = n, c
        beta, mu = _S["idle_source_load"], _S["service_rate"]
        self._symbols = {"idle_source_load": beta}
        top = min(c, n)
        births = [(n - i) * beta * mu for i in range(top)]
        p = birth_death(births, [i * mu for i in range(1, top + 1)])
        self.state_probabilities = p
        rates = births + [(n - top) * beta * mu]
        self.time_congestion = sp.factor(p[top]) if c <= n else sp.Integer(0)
        offered = sp.cancel(sum(r * q for r, q in zip(rates, p)))
        self.blocking = (sp.factor(sp.cancel(rates[top] * p[top] / offered))
                         if c < n else sp.Integer(0))
        self.carried_load = sp.factor(sp.cancel(sum(i * p[i] for i in range(top + 1))))

    def __repr__(self):
        return f"symbolic.Engset(sources={self.sources}, servers={self.servers})"


class MM1K(_Model):
    r"""M/M/1/K with a symbolic capacity K.

    The chain has K + 1 states; the cut equations give
    :math:`p_n = p_0 \rho^n` and the normalising sum is taken symbolically,
    so the results are piecewise in :math:`\rho = 1`.  ``blocking`` etc. are
    those piecewise expressions; :meth:`generic` picks the branch
    :math:`\rho \ne 1`; ``latex(name, form="textbook")`` writes a quantity
    in :math:`\rho` with both branches simplified.

    Each quantity is derived on first use and kept for the process, so
    ``MM1K()`` itself costs nothing.  The mean number uses the normalising
    sum's generating function, :math:`\sum_n n x^n = x Z'(x)` with
    :math:`Z(x) = \sum_{n=0}^{K} x^n` (a symbolic sum of :math:`n p_n` took
    sympy 12 s), and the mean queue :math:`E[(N-1)^+] = E[N] - (1 - p_0)`.

    See Also
    --------
    queuemath.MM1K : The exact numerical model.
    MMcK : Several servers, given integers.

    References
    ----------
    .. [1] A. Meurer et al., "SymPy: symbolic computing in Python," PeerJ
       Computer Science 3, 2017, e103.  doi:10.7717/peerj-cs.103
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       ch. 3 (birth-death queues).

    Examples
    --------
    >>> m = MM1K()
    >>> m.in_load(m.generic(m.blocking))
    rho**K*(rho - 1)/(rho**(K + 1) - 1)
    >>> m.blocking_at_unit_load()
    1/(K + 1)
    >>> text = m.latex("blocking", form="textbook")
    >>> text.startswith(r"\begin{cases} \frac{1}{K + 1} & \text{for}\: \rho = 1")
    True
    """

    parameters = ("arrival_rate", "service_rate", "capacity")
    quantities = ("blocking", "p_empty", "throughput", "mean_in_system", "mean_queue")

    _derived = {}     # name -> expression, for the process

    def __init__(self):
        lam, mu, k = _S["arrival_rate"], _S["service_rate"], _S["capacity"]
        self._symbols = {"arrival_rate": lam, "service_rate": mu, "capacity": k,
                         "load": _S["load"]}

    def _get(self, name):
        if name not in MM1K._derived:
            MM1K._derived[name] = getattr(self, "_derive_" + name)()
        return MM1K._derived[name]

    @property
    def state_probability(self):
        r""":math:`p_n`, an expression in n (piecewise in :math:`\rho = 1`).

        Examples
        --------
        >>> p = MM1K().state_probability
        >>> p.args[0]                                  # at rho = 1 every state is equally likely
        ((lambda/mu)**n/(K + 1), Eq(lambda/mu, 1))
        >>> MM1K.generic(p)
        lambda**n*mu**(K - n)*(lambda - mu)/(lambda**(K + 1) - mu**(K + 1))
        """
        return self._get("state_probability")

    @property
    def blocking(self):
        """:math:`p_K`.

        Examples
        --------
        The state law at n = K:

        >>> m = MM1K()
        >>> n = next(x for x in m.state_probability.free_symbols if x.name == 'n')
        >>> sp.simplify(m.blocking - m.state_probability.subs(n, symbols()['capacity'])) == 0
        True
        """
        return self._get("blocking")

    @property
    def p_empty(self):
        """:math:`p_0`.

        Examples
        --------
        >>> m = MM1K()
        >>> n = next(x for x in m.state_probability.free_symbols if x.name == 'n')
        >>> sp.simplify(m.p_empty - m.state_probability.subs(n, 0)) == 0
        True
        """
        return self._get("p_empty")

    @property
    def throughput(self):
        r""":math:`\lambda (1 - p_K)`.

        Examples
        --------
        >>> m = MM1K()
        >>> s = symbols()
        >>> sp.simplify(m.throughput - s['arrival_rate'] * (1 - m.blocking)) == 0
        True
        """
        return self._get("throughput")

    @property
    def mean_in_system(self):
        r""":math:`\sum_n n p_n`.

        Examples
        --------
        At K = 1 the mean is the chance the server is busy, lambda/(lambda + mu):

        >>> m = MM1K()
        >>> s = symbols()
        >>> lam, mu = s['arrival_rate'], s['service_rate']
        >>> sp.simplify(MM1K.generic(m.mean_in_system).subs(s['capacity'], 1) - lam / (lam + mu))
        0
        """
        return self._get("mean_in_system")

    @property
    def mean_queue(self):
        r""":math:`\sum_n (n-1)^+ p_n`.

        Examples
        --------
        Nobody waits with room for one:

        >>> m = MM1K()
        >>> s = symbols()
        >>> sp.simplify(MM1K.generic(m.mean_queue).subs(s['capacity'], 1))
        0
        """
        return self._get("mean_queue")

    def _derive_state_probability(self):
        lam, mu, k = _S["arrival_rate"], _S["service_rate"], _S["capacity"]
        return birth_death(lambda i: lam, lambda i: mu, states=k)

    def _derive_blocking(self):
        return self.state_probability.subs(_N, _S["capacity"])

    def _derive_p_empty(self):
        return self.state_probability.subs(_N, 0)

    def _derive_throughput(self):
        return _S["arrival_rate"] * (1 - self.blocking)

    def _derive_mean_in_system(self):
        lam, mu, k = _S["arrival_rate"], _S["service_rate"], _S["capacity"]
        x = sp.Symbol("x", positive=True)
        z = sp.summation(x ** _N, (_N, 0, k))                       # Z(x), piecewise
        generic = self.generic(z)
        # sum_n n x^n / Z(x) = x Z'(x) / Z(x); at x = 1 every state has 1/(K+1)
        mean = sp.simplify(x * sp.diff(generic, x) / generic).subs(x, lam / mu)
        at_one = sp.summation(_N, (_N, 0, k)) / (k + 1)
        return sp.Piecewise((sp.simplify(at_one), sp.Eq(lam / mu, 1)), (sp.factor(mean), True))

    def _derive_mean_queue(self):
        return sp.piecewise_fold(self.mean_in_system - (1 - self.p_empty))

    def textbook(self, name):
        r"""Quantity ``name`` in the load :math:`\rho`, each branch simplified:
        ``Piecewise((value at rho = 1, Eq(rho, 1)), (the rest, True))``.

        Examples
        --------
        >>> m = MM1K()
        >>> m.textbook('blocking').args[0][0]      # the rho = 1 branch
        1/(K + 1)
        """
        rho = _S["load"]
        expr = self._quantity(name)
        generic = self.in_load(self.generic(expr))
        at_one = sp.simplify(sp.limit(generic, rho, 1))
        return sp.Piecewise((at_one, sp.Eq(rho, 1)), (generic, True))

    def in_load(self, expr):
        r"""``expr`` with :math:`\lambda = \rho\mu` (and simplified): the
        textbook form in the load :math:`\rho` (``load``).

        Examples
        --------
        >>> s = symbols()
        >>> MM1K().in_load(s['arrival_rate'] / s['service_rate'])
        rho
        """
        rho = _S["load"]
        return sp.simplify(sp.sympify(expr).subs(_S["arrival_rate"], rho * _S["service_rate"]))

    @staticmethod
    def generic(expr):
        """The branch of a piecewise expression that holds for rho != 1.

        Examples
        --------
        >>> m = MM1K()
        >>> MM1K.generic(m.textbook('blocking'))
        rho**K*(rho - 1)/(rho**(K + 1) - 1)
        """
        expr = sp.piecewise_fold(sp.sympify(expr))
        if isinstance(expr, sp.Piecewise):
            return sp.simplify(expr.args[-1][0])
        return expr

    def blocking_at_unit_load(self):
        r"""The limit of blocking as :math:`\rho \to 1`: :math:`1/(K+1)`.

        Examples
        --------
        >>> MM1K().blocking_at_unit_load()
        1/(K + 1)
        """
        rho = _S["load"]
        return sp.simplify(sp.limit(self.in_load(self.generic(self.blocking)), rho, 1))

    def large_capacity_limit(self, name):
        r"""Limit of quantity ``name`` as K grows, for :math:`\rho < 1`: the
        M/M/1 value (e.g. mean_in_system tends to :math:`\rho/(1-\rho)`).

        Examples
        --------
        As K grows the M/M/1/K mean tends to the M/M/1 one, rho/(1 - rho):

        >>> MM1K().large_capacity_limit('mean_in_system')
        -rho/(rho - 1)
        """
        rho = sp.Symbol("rho", positive=True)
        expr = self.in_load(self.generic(getattr(self, name))).subs(_S["load"], rho)
        # rho < 1 is what makes rho**K vanish; sympy needs it as a fact.
        r = sp.Symbol("r", positive=True)
        expr = expr.subs(rho, r / (1 + r))
        out = sp.limit(expr, _S["capacity"], sp.oo)
        return sp.simplify(out.subs(r, rho / (1 - rho)))

    def __repr__(self):
        return "symbolic.MM1K()"
