// Command okta-assurance reads an Okta org and the operator's manifests:
// export writes the org's device assurance objects as manifests, plan says
// what applying manifests would change in the org, render prints the Okta
// bodies the operator would send. It never writes to Okta. Installed on the
// PATH as kubectl-okta_assurance it is also `kubectl okta-assurance`.
package main

import (
	"os"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
