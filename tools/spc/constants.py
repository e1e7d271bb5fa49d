"""Control-chart constants: d2, d3, c4 and the factors built from them (A2, D3, D4, ...).

Two sets, chosen with ``constants=``:

- ``"qcc"`` (the default): the tables R's qcc uses, so that limits match qcc and the
  textbook examples to the last printed digit. d2 is the classic 3-decimal table
  (d2(2) = 1.128, d2(5) = 2.326) for n = 2..25; d3 is qcc's 7-decimal ``se.R.unscaled``
  table for n = 2..50. Beyond a table the exact value is used (qcc itself stops there).
- ``"exact"``: d2(n) = E[range of n standard normals] and d3(n) = its standard deviation,
  both by numerical integration (scipy, about 1e-10). d2(5) = 2.325929, so sigma = R̄/d2
  moves in the 4th-5th significant digit against the 3-decimal table.

c4(n) = sqrt(2/(n-1)) Γ(n/2)/Γ((n-1)/2) is exact in both sets (qcc computes it too).
Every function accepts a scalar or an array of subgroup sizes and is vectorised.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict
from scipy import integrate, special, stats

from tools.errors import InvalidInput

ConstantsMode = Literal["qcc", "exact"]
CONSTANTS_MODES: tuple[ConstantsMode, ...] = ("qcc", "exact")

# qcc.options("exp.R.unscaled"): d2 for n = 2..25 (index 0 is n = 2).
QCC_D2: tuple[float, ...] = (
    1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336,
    3.407, 3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931,
)
# qcc.options("se.R.unscaled"): d3 for n = 2..50.
QCC_D3: tuple[float, ...] = (
    0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378,
    0.8078413, 0.7970584, 0.7873230, 0.7784873, 0.7704257, 0.7630330, 0.7562217,
    0.7499188, 0.7440627, 0.7386021, 0.7334929, 0.7286980, 0.7241851, 0.7199267,
    0.7158987, 0.7120802, 0.7084528, 0.7050004, 0.7017086, 0.6985648, 0.6955576,
    0.6926770, 0.6899137, 0.6872596, 0.6847074, 0.6822502, 0.6798821, 0.6775973,
    0.6753910, 0.6732584, 0.6711952, 0.6691976, 0.6672619, 0.6653848, 0.6635632,
    0.6617943, 0.6600754, 0.6584041, 0.6567780, 0.6551950, 0.6536532, 0.6521506,
)
_MAX_EXACT_N = 10_000
# Gauss-Legendre nodes on [-12, 12] for the inner integral of the range distribution.
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(400)
_NODES, _WEIGHTS = _NODES * 12.0, _WEIGHTS * 12.0


def _check_mode(constants: str) -> ConstantsMode:
    if constants not in CONSTANTS_MODES:
        raise InvalidInput(f"constants must be 'qcc' or 'exact', not {constants!r}",
                           option="constants")
    return constants


def _sizes(n: ArrayLike) -> NDArray[np.int64]:
    arr = np.asarray(n, dtype=float)
    if arr.size and (not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr))):
        raise InvalidInput("subgroup sizes for chart constants must be whole numbers")
    out = arr.astype(np.int64)
    if out.size and (out.min() < 2 or out.max() > _MAX_EXACT_N):
        raise InvalidInput(f"chart constants need subgroup sizes from 2 to {_MAX_EXACT_N}, "
                           f"got {int(out.min())}..{int(out.max())}")
    return out


@cache
def exact_d2(n: int) -> float:
    """E[range] of n standard normal values: ∫ 1 - Φ(x)^n - (1 - Φ(x))^n dx."""
    def integrand(x: float) -> float:
        return float(1.0 - stats.norm.cdf(x) ** n - stats.norm.sf(x) ** n)
    value, _ = integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-13,
                              limit=200)
    return float(value)


@cache
def exact_d3(n: int) -> float:
    """Standard deviation of the range of n standard normals: sqrt(E[R²] - d2²), with
    E[R²] = 2 ∫ r P(R > r) dr and P(R ≤ r) = n ∫ φ(t) (Φ(t + r) - Φ(t))^(n-1) dt."""
    phi = stats.norm.pdf(_NODES)
    cdf = stats.norm.cdf(_NODES)

    def tail(r: float) -> float:
        inner = np.sum(_WEIGHTS * phi * (stats.norm.cdf(_NODES + r) - cdf) ** (n - 1))
        return float(r * (1.0 - n * inner))

    second, _ = integrate.quad(tail, 0.0, np.inf, epsabs=1e-13, epsrel=1e-12, limit=200)
    return float(np.sqrt(2.0 * second - exact_d2(n) ** 2))


def _lookup(sizes: NDArray[np.int64], table: tuple[float, ...], exact: object,
            constants: ConstantsMode) -> NDArray[np.float64]:
    out = np.empty(sizes.shape, dtype=float)
    for size in np.unique(sizes):
        k = int(size)
        in_table = constants == "qcc" and k - 2 < len(table)
        out[sizes == size] = table[k - 2] if in_table else exact(k)  # type: ignore[operator]
    return out


def d2(n: ArrayLike, constants: str = "qcc") -> NDArray[np.float64]:
    """d2 for each subgroup size in ``n`` (mean range / sigma)."""
    return _lookup(_sizes(n), QCC_D2, exact_d2, _check_mode(constants))


def d3(n: ArrayLike, constants: str = "qcc") -> NDArray[np.float64]:
    """d3 for each subgroup size in ``n`` (standard deviation of the range / sigma)."""
    return _lookup(_sizes(n), QCC_D3, exact_d3, _check_mode(constants))


def c4(n: ArrayLike) -> NDArray[np.float64]:
    """c4 for each subgroup size in ``n``: E[s] = c4 sigma (exact, closed form)."""
    size = np.asarray(n, dtype=float)
    return np.asarray(np.sqrt(2.0 / (size - 1.0))
                      * np.exp(special.gammaln(size / 2.0) - special.gammaln((size - 1.0) / 2.0)))


class ChartConstants(BaseModel):
    """The usual table row for one subgroup size (3-sigma factors)."""

    model_config = ConfigDict(frozen=True)

    n: int
    constants: ConstantsMode
    d2: float
    d3: float
    c4: float
    A2: float
    A3: float
    D3: float
    D4: float
    B3: float
    B4: float
    E2: float


def chart_constants(n: int, constants: str = "qcc") -> ChartConstants:
    """d2, d3, c4 and the derived factors A2 = 3/(d2√n), D3/D4 = 1 ∓ 3 d3/d2 (D3 ≥ 0),
    A3 = 3/(c4√n), B3/B4 = 1 ∓ 3√(1-c4²)/c4 (B3 ≥ 0), E2 = 3/d2."""
    mode = _check_mode(constants)
    dd2 = float(d2(n, mode)[()])
    dd3 = float(d3(n, mode)[()])
    cc4 = float(c4(n)[()])
    spread = 3.0 * np.sqrt(1.0 - cc4 ** 2) / cc4
    return ChartConstants(
        n=n, constants=mode, d2=dd2, d3=dd3, c4=cc4,
        A2=3.0 / (dd2 * np.sqrt(n)), A3=3.0 / (cc4 * np.sqrt(n)),
        D3=max(0.0, 1.0 - 3.0 * dd3 / dd2), D4=1.0 + 3.0 * dd3 / dd2,
        B3=max(0.0, 1.0 - spread), B4=1.0 + spread, E2=3.0 / dd2,
    )
