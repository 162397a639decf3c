# syntax=docker/dockerfile:1

# Staffroom container image.
#
# Build:  docker build -t staffroom .
# Run:    see docker-compose.yml and docs/deploying.md.
#
# The build uses BuildKit cache mounts (BuildKit is the default builder since
# Docker 23, and Docker Compose always uses it). Downloaded crates and compiled
# dependencies are kept between builds, so a change to Staffroom's own code
# only recompiles Staffroom.

# ---------------------------------------------------------------------------
# Build stage
# ---------------------------------------------------------------------------
FROM rust:1.95-bookworm AS builder

WORKDIR /src

# The whole workspace: every crate, the migrations and Cargo.lock.
# .dockerignore keeps target/, data/, .git/ and local secrets out.
COPY . .

# The target directory lives in a cache mount, which is not part of the
# image, so the binary is copied out in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked -p staffroom \
 && cp target/release/staffroom /usr/local/bin/staffroom

# ---------------------------------------------------------------------------
# Runtime stage
# ---------------------------------------------------------------------------
FROM debian:bookworm-slim

# ca-certificates: TLS to other servers. curl: the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

# A fixed UID and GID, so files in a volume keep the right owner when the
# image is rebuilt.
RUN groupadd --system --gid 10001 staffroom \
 && useradd --system --uid 10001 --gid staffroom \
      --home-dir /var/lib/staffroom --no-create-home \
      --shell /usr/sbin/nologin staffroom \
 && install -d -o staffroom -g staffroom -m 0750 /var/lib/staffroom

COPY --from=builder /usr/local/bin/staffroom /usr/local/bin/staffroom

USER staffroom
WORKDIR /var/lib/staffroom

ENV STAFFROOM_BIND=0.0.0.0:8080 STAFFROOM_DATA_DIR=/var/lib/staffroom

# glibc's allocator gives large blocks (each password hash takes 19 MiB) back to
# the system at once instead of keeping them in its per-thread arenas: without
# this, a burst of sign-ins leaves the process some hundreds of MiB larger (see
# docs/benchmarks.md).
ENV MALLOC_MMAP_THRESHOLD_=4194304

EXPOSE 8080

# /readyz answers 200 when the server and its database are up, 503 otherwise.
# If you change STAFFROOM_BIND, change the port here too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/readyz || exit 1

ENTRYPOINT ["staffroom"]
CMD ["serve"]
