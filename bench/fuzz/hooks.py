"""Schemathesis hooks for fuzzing the ISU GraphQL API (loaded through SCHEMATHESIS_HOOKS by
bench/fuzz.sh).

1. Strategies for the `Decimal` scalar (schemathesis knows `Date` and `DateTime` but not
   `Decimal`), and a wider one for `Date` than its built-in (which only makes valid dates):
   both mix well-formed values with near misses and arbitrary text, so that the scalars'
   parsers and the validators behind them get garbage too.

2. The server's refusals are client errors, not server errors. Schemathesis' GraphQL
   `not_a_server_error` check trusts the `extensions.code` of Apollo-style errors and knows
   `BAD_USER_INPUT` and `BAD_REQUEST` as refusals, but not the other codes of this API's
   contract (README, "API conventions"): `UNAUTHENTICATED`, `FORBIDDEN` and `NOT_FOUND`, which
   it would report as "GraphQL server error" (ST113) for every anonymous query. They are added
   to its client-error markers here. `INTERNAL_SERVER_ERROR` stays a server error (it is in
   schemathesis' server markers, which win over client ones), and so does any resolver error
   without a code. Should a later schemathesis rename the module this patches, the hook fails
   loudly (and so would the check, by reporting every refusal), never silently.
"""

from hypothesis import strategies as st

import schemathesis
from schemathesis.graphql import nodes
from schemathesis.specs.graphql import validation

# The contract's refusal codes (src/error.rs, src/http.rs); INTERNAL_SERVER_ERROR is not one.
REFUSAL_CODES = frozenset({"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"})

if not hasattr(validation, "CLIENT_ERROR_MARKERS"):
    raise RuntimeError(
        "schemathesis.specs.graphql.validation.CLIENT_ERROR_MARKERS is gone: "
        "update bench/fuzz/hooks.py for this schemathesis version"
    )
validation.CLIENT_ERROR_MARKERS = frozenset(validation.CLIENT_ERROR_MARKERS | REFUSAL_CODES)

_decimals = st.one_of(
    # Amounts as a client would send them, some with too many decimals, some negative.
    st.decimals(
        min_value=-(10**13), max_value=10**13, places=2, allow_nan=False, allow_infinity=False
    ).map(str),
    st.from_regex(r"-?[0-9]{1,32}(\.[0-9]{1,30})?", fullmatch=True),
    # Exponents, signs, separators, specials: what `Decimal`'s parser must refuse or bound.
    st.sampled_from(
        ["0", "-0", "0.00", "1e3", "1E+30", "NaN", "inf", "-inf", "1,5", "1.2.3", " 1", "+1",
         "79228162514264337593543950335", "79228162514264337593543950336", "0.0000000000000000000000000001",
         "-79228162514264337593543950335.5", ""]
    ),
    st.text(max_size=24),
)
schemathesis.graphql.scalar("Decimal", _decimals.map(nodes.String))

_dates = st.one_of(
    st.dates().map(str),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.sampled_from(
        ["2024-02-30", "2023-02-29", "2010-08-01", "0000-01-01", "9999-12-31", "+10000-01-01",
         "-0001-01-01", "2024-1-5", " 2024-01-05", "2024-01-05T00:00:00Z", "01/08/2010", ""]
    ),
    st.text(max_size=12),
)
schemathesis.graphql.scalar("Date", _dates.map(nodes.String))
