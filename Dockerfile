# syntax=docker/dockerfile:1

# ---- build ------------------------------------------------------------------------------------
FROM rust:1.95-bookworm AS builder
WORKDIR /build

# What the release binary needs; data/states.csv is embedded at compile time. Cargo.toml names
# its test and bench targets by path, so tests/ and bench/ must exist too.
COPY Cargo.toml Cargo.lock ./
COPY entity ./entity
COPY migration ./migration
COPY src ./src
COPY data ./data
COPY contract ./contract
COPY schema.graphql ./
COPY tests ./tests
COPY bench ./bench

# The caches speed up rebuilds; the binary is copied out of the cached target dir in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked --bin ccm-isu \
 && cp target/release/ccm-isu /usr/local/bin/ccm-isu

# ---- run --------------------------------------------------------------------------------------
FROM debian:bookworm-slim

# ca-certificates for TLS to the database; curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 ccm-isu \
 && useradd --system --uid 10001 --gid ccm-isu --no-log-init \
      --home-dir /var/lib/ccm-isu --create-home --shell /usr/sbin/nologin ccm-isu

COPY --from=builder /usr/local/bin/ccm-isu /usr/local/bin/ccm-isu

USER 10001:10001
# Writable working directory, should anyone run it with the default SQLite DATABASE_URL.
WORKDIR /var/lib/ccm-isu

ENV ISU_LISTEN=0.0.0.0:8080
EXPOSE 8080

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1

ENTRYPOINT ["ccm-isu"]
CMD ["serve"]
