# wabaform as a container image: the static release binary on a minimal Debian, run as a non-root
# user. Build it from a checkout (README.md, "Install"):
#
#   docker build --build-arg VERSION="$(scripts/version.sh)" -t wabaform:"$(scripts/version.sh)" .
#
# VERSION is required: it is stamped into the binary (`wabaform --version`) and the image's
# org.opencontainers.image.version label, so the two always agree. The build commands are the ones
# scripts/check-release-binary.sh proves make a binary that runs without a Swift toolchain.

# The builder and the runtime are the same Debian release, so the binary's C libraries (libc,
# libstdc++, libgcc_s, libz) are the ones it was linked against.
FROM swift:6.3.1-bookworm AS build
ARG VERSION
WORKDIR /src
COPY . .
RUN test -n "$VERSION" || { echo "error: pass --build-arg VERSION=X.Y.Z (scripts/version.sh prints it)" >&2; exit 1; } \
    && scripts/version.sh --stamp "$VERSION" /src \
    && swift build -c release --static-swift-stdlib --product wabaform \
    && mkdir -p /out \
    && strip -o /out/wabaform .build/release/wabaform \
    && test "$(/out/wabaform --version)" = "$VERSION"

FROM debian:bookworm-slim
ARG VERSION
LABEL org.opencontainers.image.title="wabaform" \
      org.opencontainers.image.description="Declarative configuration for 360dialog Partner Hubs: webhooks, redirect URLs and local storage as code" \
      org.opencontainers.image.version="${VERSION}"
# ca-certificates: wabaform always verifies TLS certificates. Debian's stable archive pins the
# versions of a release, so the package is not pinned here.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir /work \
    && chown 65532:65532 /work
COPY --from=build /out/wabaform /usr/local/bin/wabaform
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/wabaform"]
CMD ["--help"]
