//go:build e2e

package e2e_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The uninstall guard (config/uninstall-guard, part of config/default): the
// API server refuses to delete the operator's CRDs, which would delete every
// object and, with deletionPolicy: Delete, the org's policies, unless the CRD
// is annotated. Deletions here are server-side dry runs only: the other
// specs need the CRDs.
var _ = Describe("the uninstall guard", Ordered, func() {
	const allow = "assurance.okta-operator.dev/allow-uninstall"
	crds := []string{
		"deviceassurancepolicies.assurance.okta-operator.dev",
		"deviceposturechecks.assurance.okta-operator.dev",
		"signinrulebindings.assurance.okta-operator.dev",
		"oktaorgs.assurance.okta-operator.dev",
		"clusteroktaorgs.assurance.okta-operator.dev",
	}
	var guard string

	BeforeAll(func() {
		guard = file("config", "uninstall-guard")
		kubectl("apply", "--server-side", "-k", guard)
		DeferCleanup(func() {
			kubectl("delete", "-k", guard, "--ignore-not-found", "--wait=true")
		})
	})

	// refusal returns kubectl's output if it refused to delete the CRD,
	// "" if the dry run was accepted.
	refusal := func(crd string) string {
		out, err := env.Kubectl(ctx, "", "delete", "crd", crd, "--dry-run=server")
		if err == nil {
			return ""
		}
		return out
	}

	It("refuses to delete the operator's CRDs, saying how to uninstall safely", func() {
		// The API server loads a new policy asynchronously.
		Eventually(func() string { return refusal(crds[0]) }).Should(ContainSubstring("denied request"))
		for _, crd := range crds {
			Expect(refusal(crd)).To(SatisfyAll(
				ContainSubstring("ValidatingAdmissionPolicy"),
				ContainSubstring("deleting CustomResourceDefinition "+crd+" deletes every object of that kind"),
				ContainSubstring("set spec.deletionPolicy: Orphan"),
				ContainSubstring("delete those objects first"),
				ContainSubstring("kubectl annotate crd "+crd+" "+allow+"=true"),
			))
		}

		// Also the way an uninstall usually starts.
		out, err := env.Kubectl(ctx, "", "delete", "-k", file("config", "crd"), "--dry-run=server")
		Expect(err).To(HaveOccurred())
		Expect(strings.Count(out, "denied request")).To(Equal(len(crds)), out)
	})

	It("leaves other CRDs alone", func() {
		const widgets = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object}}
`
		_, err := env.Kubectl(ctx, widgets, "apply", "-f", "-")
		Expect(err).NotTo(HaveOccurred())
		kubectl("delete", "crd", "widgets.example.com", "--wait=true", "--timeout=60s")
	})

	It("allows the deletion once the CRD is annotated, and only with the value true", func() {
		crd := "crd/" + crds[1]
		DeferCleanup(func() { kubectl("annotate", crd, allow+"-") })

		kubectl("annotate", crd, allow+"=yes")
		Expect(refusal(crds[1])).To(ContainSubstring("denied request"))

		kubectl("annotate", "--overwrite", crd, allow+"=true")
		Expect(refusal(crds[1])).To(BeEmpty())
		// The other CRDs are still guarded.
		Expect(refusal(crds[0])).To(ContainSubstring("denied request"))
	})
})
