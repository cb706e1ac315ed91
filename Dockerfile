# syntax=docker/dockerfile:1
# The manager image: a static binary on distroless, running as non-root.
#   docker build -t okta-assurance-operator:latest .
# The binary is the same one `make build` writes to bin/manager.

# Build on the builder's own platform and cross-compile for the target, so
# that multi-platform builds (docker buildx --platform) need no emulation.
FROM --platform=$BUILDPLATFORM golang:1.26 AS builder
ARG TARGETOS
ARG TARGETARCH

WORKDIR /workspace
# Dependencies first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

# The manager's sources only (see .dockerignore).
COPY api/ api/
COPY cmd/ cmd/
COPY internal/ internal/

RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags "-s -w" -o /out/manager ./cmd

# distroless/static has no shell and no libc: the binary must be static
# (CGO_ENABLED=0). The nonroot variant's user is 65532.
FROM gcr.io/distroless/static:nonroot
WORKDIR /
COPY --from=builder /out/manager /manager
USER 65532:65532
ENTRYPOINT ["/manager"]
