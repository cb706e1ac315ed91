# Everything a fresh clone needs is built by these targets: the code
# generators and linter (pinned in hack/tools/go.mod) and the real Kubernetes
# control plane the tests run (pinned in hack/tools/envtest/go.mod).

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

LOCALBIN ?= $(CURDIR)/bin
K8S_VERSION ?= 1.37.2
K8S_BIN ?= $(LOCALBIN)/k8s/$(K8S_VERSION)
CONTROLLER_GEN ?= $(LOCALBIN)/controller-gen
GOLANGCI_LINT ?= $(LOCALBIN)/golangci-lint
HELM ?= $(LOCALBIN)/helm
# The version helm reports is the one hack/tools/helm/go.mod pins.
HELM_VERSION = $(shell cd hack/tools/helm && go list -m -f '{{.Version}}' helm.sh/helm/v4)
# Helm 3, which the chart is tested with too.
HELM3 ?= $(LOCALBIN)/helm3
HELM3_VERSION = $(shell cd hack/tools/helm3 && go list -m -f '{{.Version}}' helm.sh/helm/v3)
# Helm 3's default Kubernetes version (helm template, lint) is set at build
# time, as Helm's own Makefile does, from the client-go it is built with.
HELM3_K8S_MINOR = $(shell cd hack/tools/helm3 && go list -m -f '{{.Version}}' k8s.io/client-go | cut -d. -f2)
GO_TEST_FLAGS ?=

export KUBEBUILDER_ASSETS := $(K8S_BIN)
export HELM HELM3

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate the CRDs and RBAC from the Go markers.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd paths="./..." output:crd:artifacts:config=config/crd/bases

.PHONY: chart
chart: ## Generate the Helm chart's CRDs, RBAC, admission policies, alerts and dashboard from config/ (hack/chart).
	go run ./hack/chart

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate the DeepCopy methods.
	$(CONTROLLER_GEN) object paths="./..."

.PHONY: fmt
fmt: ## Run go fmt.
	go fmt ./...

.PHONY: vet
vet: ## Run go vet.
	go vet ./...

.PHONY: lint
lint: $(GOLANGCI_LINT) ## Run golangci-lint (configuration in .golangci.yml).
	$(GOLANGCI_LINT) run ./...

.PHONY: test
test: manifests generate chart fmt vet k8s-binaries $(HELM) $(HELM3) ## Run the unit tests, the envtest suites against a real kube-apiserver and etcd, the chart's lint and server-side dry run, and the alert tests.
	go test ./... $(GO_TEST_FLAGS) -coverprofile cover.out
	cd test/monitoring && go vet ./... && go test -count=1 ./... $(GO_TEST_FLAGS)

.PHONY: test-e2e
test-e2e: manifests generate k8s-binaries ## Run the end-to-end tests: manager and oktasim as processes, driven with kubectl only.
	go test -tags e2e ./test/e2e/... -timeout 30m -count=1

# Flags of test/bench, e.g. BENCH_FLAGS='-policies 100 -bindings 20 -sizes 100,1000 -idle 1m'
# (go run ./test/bench -help lists them; docs/performance.md explains them).
BENCH_FLAGS ?=

.PHONY: bench
bench: k8s-binaries ## Measure convergence, rate-limit cost, latency, memory and drift against oktasim with real limits (BENCH_FLAGS; docs/performance.md).
	go run ./test/bench $(BENCH_FLAGS)

.PHONY: bench-go
bench-go: k8s-binaries ## Run the Go benchmarks (testing.B).
	go test ./... -run '^$$' -bench . -benchmem

.PHONY: verify
verify: manifests generate chart ## Regenerate code and the chart, tidy modules, and fail if anything changed.
	go mod tidy
	cd hack/tools && go mod tidy
	cd hack/tools/envtest && go mod tidy
	cd hack/tools/helm && go mod tidy
	cd hack/tools/helm3 && go mod tidy
	cd test/monitoring && go mod tidy
	@if [ -n "$$(git status --porcelain)" ]; then \
		echo "Generated files or go.mod are out of date; run 'make verify' and commit:"; \
		git status --porcelain; git --no-pager diff; exit 1; \
	fi

##@ Run

.PHONY: demo
demo: k8s-binaries ## Walk Okta's device assurance guide on a local control plane and Okta org simulator (DEMO_KEEP=1 keeps it running).
	go run ./hack/demo

##@ Build

.PHONY: build
build: manifests generate fmt vet ## Build the manager binary.
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o $(LOCALBIN)/manager ./cmd

.PHONY: cli
cli: ## Build the okta-assurance command (plan, render, export), also as the kubectl plugin kubectl-okta_assurance.
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o $(LOCALBIN)/okta-assurance ./cmd/okta-assurance
	ln -sf okta-assurance $(LOCALBIN)/kubectl-okta_assurance

# The image's architecture, or several separated by commas (amd64,arm64) for
# one multi-platform image (an OCI image index).
IMAGE_ARCH ?= $(shell go env GOARCH)

.PHONY: image
image: ## Write the manager image as an OCI image archive, bin/okta-assurance-operator.oci.tar, without Docker (IMG names it; IMAGE_ARCH=amd64,arm64 for several platforms).
	@set -e; binaries=""; for arch in $$(echo "$(IMAGE_ARCH)" | tr ',' ' '); do \
		echo "build the manager for linux/$$arch"; \
		CGO_ENABLED=0 GOOS=linux GOARCH=$$arch go build -trimpath -ldflags "-s -w" -o $(LOCALBIN)/manager-linux-$$arch ./cmd; \
		binaries="$$binaries -binary $$arch=$(LOCALBIN)/manager-linux-$$arch"; \
	done; \
	go run ./hack/image $$binaries -tag $(IMG) \
		-out $(LOCALBIN)/okta-assurance-operator.oci.tar -revision "$$(git rev-parse HEAD 2>/dev/null)" \
		-version "$$(git describe --tags --always 2>/dev/null || echo dev)"

# The manager image that dist/install.yaml deploys (the Dockerfile builds it).
IMG ?= okta-assurance-operator:latest
# kubectl of the pinned control plane; its built-in kustomize renders config/.
KUBECTL ?= $(K8S_BIN)/kubectl

.PHONY: chart-package
chart-package: chart $(HELM) ## Package the Helm chart into dist/ (helm push it to an OCI registry, or serve it from a chart repository).
	@mkdir -p dist
	$(HELM) package charts/okta-assurance-operator -d dist

.PHONY: build-installer
build-installer: manifests k8s-binaries ## Write dist/install.yaml (CRDs, RBAC, uninstall guard, tenancy admission policy, manager with image IMG).
	@mkdir -p dist
	@overlay=$$(mktemp -d dist/.installer.XXXXXX); trap 'rm -rf "$$overlay"' EXIT; \
	printf '%s\n' \
		'# Generated by make build-installer.' \
		'resources:' \
		'- ../../config/default' \
		'patches:' \
		'- target: {group: apps, kind: Deployment, name: okta-assurance-controller-manager}' \
		'  patch: |-' \
		'    - op: replace' \
		'      path: /spec/template/spec/containers/0/image' \
		'      value: "$(IMG)"' > "$$overlay/kustomization.yaml"; \
	$(KUBECTL) kustomize "$$overlay" > dist/install.yaml
	@echo "wrote dist/install.yaml (image $(IMG))"

##@ Tools

$(CONTROLLER_GEN): hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && go build -o $@ sigs.k8s.io/controller-tools/cmd/controller-gen

$(GOLANGCI_LINT): hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && go build -o $@ github.com/golangci/golangci-lint/v2/cmd/golangci-lint

$(HELM): hack/tools/helm/go.mod hack/tools/helm/go.sum
	cd hack/tools/helm && go build -ldflags "-X helm.sh/helm/v4/internal/version.version=$(HELM_VERSION)" -o $@ helm.sh/helm/v4/cmd/helm

.PHONY: helm
helm: $(HELM) ## Build helm (pinned in hack/tools/helm/go.mod) into bin/.

$(HELM3): hack/tools/helm3/go.mod hack/tools/helm3/go.sum
	cd hack/tools/helm3 && go build -ldflags "-X helm.sh/helm/v3/internal/version.version=$(HELM3_VERSION) \
		-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(HELM3_K8S_MINOR) -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$(HELM3_K8S_MINOR)" \
		-o $@ helm.sh/helm/v3/cmd/helm

.PHONY: helm3
helm3: $(HELM3) ## Build Helm 3 (pinned in hack/tools/helm3/go.mod) into bin/helm3: the chart is tested with Helm 3 and 4.

K8S_LDFLAGS := -X k8s.io/component-base/version.gitVersion=v$(K8S_VERSION)

.PHONY: k8s-binaries
k8s-binaries: $(K8S_BIN)/.complete ## Build kube-apiserver, kubectl and etcd from the Go module proxy (once per version).

$(K8S_BIN)/.complete: hack/tools/envtest/go.mod hack/tools/envtest/go.sum
	@mkdir -p $(K8S_BIN)
	cd hack/tools/envtest && go build -o $(K8S_BIN)/etcd go.etcd.io/etcd/server/v3
	cd hack/tools/envtest && go build -ldflags "$(K8S_LDFLAGS)" -o $(K8S_BIN)/kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
	cd hack/tools/envtest && go build -ldflags "$(K8S_LDFLAGS)" -o $(K8S_BIN)/kubectl k8s.io/kubernetes/cmd/kubectl
	@touch $@
