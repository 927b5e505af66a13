"""Regularised incomplete gamma functions P(a, x), Q(a, x) for large a near
the transition point x ~ a (private kernel).

scipy's ``gammainc``/``gammaincc`` lose up to 3e-7 relative (Q) and 30 %
(the small tail P) for a above ~2e5 a few standard deviations from x = a
(measured against Poisson sums at 40 digits, a up to 1e8);
Erlang B at a million servers takes its cdf from there.  In that band this
module evaluates Temme's uniform asymptotic expansion [1]_, [2]_

    Q(a, x) = erfc(y)/2 + R,   P(a, x) = erfc(-y)/2 - R,
    y = sign(x - a) sqrt(bd0(a, x)),   eta = y sqrt(2/a),
    R = exp(-y**2) / sqrt(2 pi a) * sum_k c_k(eta) a**-k,

computing whichever of P and Q is the smaller tail directly, so that each
keeps its relative precision.  ``bd0(a, x) = a eta**2/2`` is the deviance
(the exponent), free of cancellation as x -> a.

Error bound on the route (a >= 2e4, |x/a - 1| <= 0.2, so |eta| <= 0.22):
the c_k are power series in eta with radius of convergence 2 sqrt(pi), and
the table's coefficients fall below 0.34 (2 sqrt(pi))**-n, so cutting them
after eta**16 leaves < 0.34 (0.22/3.54)**17 < 1e-21; the a-series is cut
after k = 4, leaving |c_5| a**-5 < 4e-4 * (2e4)**-5 < 1e-25, both relative
to c_0 ~ 1/3.  Of that table only the terms above 1e-19 of c_0 on the band
are summed (``_TEMME_TERMS``): what is left out stays below 3e-19.  The
rest is rounding: a few ulps of bd0 amplified by 2 y**2 in erfc(y), which
matters only while the tail is a double (y < 27), measured at most 3.1e-14
relative against 40-digit sums over the band (tests/test_temme.py).

The coefficients c_k(eta) (k < 5, powers eta**0 .. eta**16) are generated
in exact rational arithmetic from their definition [1]_ (eq. 8.12.9-11) by
``tests/test_temme.py``, which checks this table against them.

References
----------
.. [1] NIST Digital Library of Mathematical Functions, sec. 8.12,
   https://dlmf.nist.gov/8.12 (uniform asymptotic expansions for large a).
.. [2] N. M. Temme, "Special Functions: An Introduction to the Classical
   Functions of Mathematical Physics", Wiley, 1996, sec. 11.2.
"""
import numpy as np
from scipy import special

from . import special as _special   # (bd0; special imports this module)

__all__ = ["TEMME_COEF", "TEMME_MIN_A", "gamma_pq", "gamma_p", "gamma_q"]

# Below this a scipy is accurate to ~1e-14 across the band (measured); above
# it the expansion is exact to rounding.
TEMME_MIN_A = 2e4
_TEMME_BAND = 0.2

TEMME_COEF = np.array([
    [-0.3333333333333333, 0.08333333333333333, -0.014814814814814815, 0.0011574074074074073,
     0.0003527336860670194, -0.0001787551440329218, 3.919263178522438e-05, -2.185448510679992e-06,
     -1.85406221071516e-06, 8.296711340953087e-07, -1.7665952736826078e-07, 6.707853543401498e-09,
     1.0261809784240309e-08, -4.382036018453353e-09, 9.14769958223679e-10, -2.5514193994946248e-11,
     -5.830772132550426e-11],
    [-0.001851851851851852, -0.003472222222222222, 0.0026455026455026454, -0.0009902263374485596,
     0.00020576131687242798, -4.018775720164609e-07, -1.8098550334489977e-05, 7.64916091608111e-06,
     -1.6120900894563446e-06, 4.647127802807434e-09, 1.378633446915721e-07, -5.752545603517705e-08,
     1.1951628599778148e-08, -1.7543241719747647e-11, -1.0091543710600413e-09, 4.162792991842583e-10,
     -8.56390702649298e-11],
    [0.004133597883597883, -0.0026813271604938273, 0.0007716049382716049, 2.0093878600823047e-06,
     -0.0001073665322636516, 5.2923448829120125e-05, -1.2760635188618728e-05, 3.423578734096138e-08,
     1.3721957309062934e-06, -6.298992138380055e-07, 1.4280614206064242e-07, -2.0477098421990866e-10,
     -1.409252991086752e-08, 6.228974084922022e-09, -1.3670488396617114e-09, 9.428356159014678e-13,
     1.2872252400089318e-10],
    [0.0006494341563786008, 0.00022947209362139917, -0.0004691894943952557, 0.00026772063206283885,
     -7.561801671883977e-05, -2.396505113867297e-07, 1.1082654115347302e-05, -5.6749528269915965e-06,
     1.4230900732435883e-06, -2.7861080291528143e-11, -1.6958404091930278e-07, 8.099464905388083e-08,
     -1.9111168485973655e-08, 2.3928620439808118e-12, 2.0620131815488797e-09, -9.460496661855133e-10,
     2.1541049775774907e-10],
    [-0.0008618882909167117, 0.0007840392217200666, -0.0002990724803031902, -1.4638452578843418e-06,
     6.641498215465122e-05, -3.968365047179435e-05, 1.1375726970678419e-05, 2.507497226237533e-10,
     -1.6954149536558305e-06, 8.907507532205309e-07, -2.292934834000805e-07, 2.956794137544049e-11,
     2.8865829742708783e-08, -1.4189739437803219e-08, 3.4463580499464896e-09, -2.3024517174528067e-13,
     -3.9409233028046403e-10],
])


#: Terms of each c_k(eta) evaluated, and the rows: on the band (a >= 2e4,
#: |eta| <= 0.22) every term left out is below 1e-19 of c_0 (the largest,
#: row 4 entire: 2e-20), so the sum moves by less than 3e-19 of itself
#: (tests/test_temme.py checks this against the whole table); 38
#: multiply-adds a point instead of 85.
_TEMME_TERMS = (15, 12, 7, 4)


def _temme(a, x):
    y = np.sign(x - a) * np.sqrt(_special.bd0(a, x))
    eta = y * np.sqrt(2.0 / a)
    inv_a = 1.0 / a
    total = np.zeros(a.shape)
    for row, terms in zip(TEMME_COEF[len(_TEMME_TERMS) - 1::-1], _TEMME_TERMS[::-1]):
        ck = np.full(a.shape, row[terms - 1])
        for coef in row[terms - 2::-1]:
            ck *= eta
            ck += coef
        total *= inv_a
        total += ck
    r = np.exp(-y * y) / np.sqrt(2 * np.pi * a) * total
    return y, r


def gamma_pq(a, x):
    """(P(a, x), Q(a, x)) for a > 0, x >= 0, float arrays of one shape.

    Each of the two keeps its relative precision also where it is the small
    tail (within the Temme band; elsewhere as scipy gives it).
    """
    return _gamma(a, x, (True, True))


def gamma_p(a, x):
    """P(a, x) alone, as gamma_pq gives it (half the cost off the band:
    scipy computes each of the two separately)."""
    return _gamma(a, x, (True, False))[0]


def gamma_q(a, x):
    """Q(a, x) alone, as gamma_pq gives it."""
    return _gamma(a, x, (False, True))[1]


def _gamma(a, x, want):
    a = np.asarray(a, dtype=float)
    x = np.asarray(x, dtype=float)
    p = np.empty(a.shape) if want[0] else None
    q = np.empty(a.shape) if want[1] else None
    band = (a >= TEMME_MIN_A) & (np.abs(x - a) <= _TEMME_BAND * a)
    idx = np.flatnonzero(band.ravel())
    rest = np.flatnonzero(~band.ravel())
    af, xf = a.reshape(-1), x.reshape(-1)
    if idx.size:
        ai, xi = af[idx], xf[idx]
        y, r = _temme(ai, xi)
        below = xi < ai      # P is the small tail
        small = np.where(below, 0.5 * special.erfc(-y) - r, 0.5 * special.erfc(y) + r)
        if want[0]:
            p.reshape(-1)[idx] = np.where(below, small, 1.0 - small)
        if want[1]:
            q.reshape(-1)[idx] = np.where(below, 1.0 - small, small)
    if rest.size:
        if want[0]:
            p.reshape(-1)[rest] = special.gammainc(af[rest], xf[rest])
        if want[1]:
            q.reshape(-1)[rest] = special.gammaincc(af[rest], xf[rest])
    return p, q
