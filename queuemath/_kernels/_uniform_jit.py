"""The uniformization sweep of ``transient.uniformized`` in compiled code
(numba, imported only when a transient is solved; compiled once per machine,
``cache=True``): one pass over the states per step does the step and both
accumulations, where numpy makes six."""
import numba
import numpy as np

__all__ = ["sweep"]


@numba.njit(cache=True, nogil=True)
def sweep(v, stay, up, down, weight, after):
    """(sum_i weight[i] v P^i, sum_i after[i] v P^i) for the tridiagonal P =
    diag(stay) + up on the superdiagonal + down on the subdiagonal."""
    size = v.size
    law = np.zeros(size)
    area = np.zeros(size)
    cur = v.copy()
    new = np.empty(size)
    for i in range(weight.size):
        w = weight[i]
        a = after[i]
        for n in range(size):
            x = cur[n]
            law[n] += w * x
            area[n] += a * x
            y = x * stay[n]
            if n > 0:
                y += cur[n - 1] * up[n - 1]
            if n < size - 1:
                y += cur[n + 1] * down[n]
            new[n] = y
        cur, new = new, cur
    return law, area
