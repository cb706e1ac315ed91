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
GO_TEST_FLAGS ?=

export KUBEBUILDER_ASSETS := $(K8S_BIN)

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate the CRDs and RBAC from the Go markers.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd paths="./..." output:crd:artifacts:config=config/crd/bases

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
test: manifests generate fmt vet k8s-binaries ## Run the unit tests and the envtest suites against a real kube-apiserver and etcd.
	go test ./... $(GO_TEST_FLAGS) -coverprofile cover.out

.PHONY: test-e2e
test-e2e: manifests generate k8s-binaries ## Run the end-to-end tests: manager and oktasim as processes, driven with kubectl only.
	go test -tags e2e ./test/e2e/... -timeout 30m -count=1

.PHONY: bench
bench: k8s-binaries ## Run the Go benchmarks.
	go test ./... -run '^$$' -bench . -benchmem

.PHONY: verify
verify: manifests generate ## Regenerate code, tidy modules, and fail if anything changed.
	go mod tidy
	cd hack/tools && go mod tidy
	cd hack/tools/envtest && go mod tidy
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
	go build -o $(LOCALBIN)/manager ./cmd

##@ Tools

$(CONTROLLER_GEN): hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && go build -o $@ sigs.k8s.io/controller-tools/cmd/controller-gen

$(GOLANGCI_LINT): hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && go build -o $@ github.com/golangci/golangci-lint/v2/cmd/golangci-lint

K8S_LDFLAGS := -X k8s.io/component-base/version.gitVersion=v$(K8S_VERSION)

.PHONY: k8s-binaries
k8s-binaries: $(K8S_BIN)/.complete ## Build kube-apiserver, kubectl and etcd from the Go module proxy (once per version).

$(K8S_BIN)/.complete: hack/tools/envtest/go.mod hack/tools/envtest/go.sum
	@mkdir -p $(K8S_BIN)
	cd hack/tools/envtest && go build -o $(K8S_BIN)/etcd go.etcd.io/etcd/server/v3
	cd hack/tools/envtest && go build -ldflags "$(K8S_LDFLAGS)" -o $(K8S_BIN)/kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
	cd hack/tools/envtest && go build -ldflags "$(K8S_LDFLAGS)" -o $(K8S_BIN)/kubectl k8s.io/kubernetes/cmd/kubectl
	@touch $@
