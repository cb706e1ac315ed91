package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes, as Terraform's plan -detailed-exitcode.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2
)

// userAgent identifies the command's requests in the org's System Log.
const userAgent = "okta-assurance-cli"

// exitError carries an exit code other than ExitError up to Main.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs the command with args and returns its exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	var exit exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &exit):
		return exit.code
	default:
		_, _ = fmt.Fprintln(stderr, "okta-assurance:", err)
		return ExitError
	}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "okta-assurance",
		Short:         "Export, plan and render the operator's Okta device assurance objects; reads Okta, never writes",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	for _, add := range subcommands {
		root.AddCommand(add())
	}
	return root
}

// subcommands are added by the files that define them.
var subcommands []func() *cobra.Command
