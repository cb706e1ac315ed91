package signinrule

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// createOrAdopt gives a binding without a rule ID its rule: the one it was
// told to adopt, the one an interrupted create of its own made, or a new
// one. It never creates a second rule: a create is recorded in the status
// before it is sent, and a pass that finds that record looks in the policy
// first.
func (r *Reconciler) createOrAdopt(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding,
	api okta.PolicyAPI, desired okta.PolicyRule) outcome.Outcome {
	policyID := obj.Status.PolicyID
	if adopt := obj.Spec.Adopt; adopt != nil && adopt.ID != "" {
		return r.adoptByID(ctx, obj, api, desired, adopt.ID)
	}
	name := desired.Name
	ours := obj.Status.PendingCreate != nil
	if ours {
		name = obj.Status.PendingCreate.Name
	}
	matches, err := namedRules(ctx, api, policyID, name)
	if err != nil {
		return outcome.Failed("list the policy's rules", err, r.now())
	}
	adoptByName := obj.Spec.Adopt != nil && obj.Spec.Adopt.ByName
	switch {
	case len(matches) > 1 && (ours || adoptByName):
		return outcome.Stall(ReasonAmbiguousName, fmt.Sprintf("%d rules of Okta policy %s are named %q; rename all but one, or adopt one by id",
			len(matches), policyID, name))
	case len(matches) == 1 && ours:
		// An earlier pass created it but could not record its ID.
		r.Recorder.Eventf(obj, nil, "Normal", "Created", "Create", "Recorded Okta rule %s, created by an interrupted pass", matches[0].ID)
		obj.Status.PendingCreate = nil
		return r.update(ctx, obj, api, desired, &matches[0])
	case len(matches) == 1 && adoptByName:
		return r.adopt(ctx, obj, api, desired, &matches[0])
	case len(matches) > 0:
		return outcome.Waiting(ReasonNameConflict, fmt.Sprintf("rule %s of Okta policy %s is already named %q and this binding did not create it; "+
			"set spec.adopt to manage it, or choose another spec.rule.name", matches[0].ID, policyID, name), nameConflictRecheck)
	}
	return r.create(ctx, obj, api, desired)
}

// create records the intent, sends the POST, and records the ID at once.
func (r *Reconciler) create(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding,
	api okta.PolicyAPI, desired okta.PolicyRule) outcome.Outcome {
	// The intent is patched from a copy, so that the server's answer does
	// not overwrite what this pass recorded in obj; the policy ID goes with
	// it: a deletion must know where to look.
	before := obj.DeepCopy()
	before.Status.PolicyID = ""
	intent := obj.DeepCopy()
	intent.Status.PendingCreate = &assurancev1alpha1.PendingCreate{Name: desired.Name, RequestedAt: metav1.NewTime(r.now())}
	if err := r.Status().Patch(ctx, intent, client.MergeFrom(before)); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, fmt.Errorf("record the create: %w", err))
	}
	obj.Status.PendingCreate = intent.Status.PendingCreate
	obj.ResourceVersion = intent.ResourceVersion
	created, err := api.CreatePolicyRule(ctx, obj.Status.PolicyID, desired, wantsActive(obj))
	if err != nil {
		if okta.Class(err) == okta.ClassInvalid || okta.Class(err) == okta.ClassRateLimited {
			// Okta refused it: nothing was created.
			obj.Status.PendingCreate = nil
		}
		lifecycle.Warn(r.Recorder, obj, "CreateFailed", "Create", err)
		return outcome.Failed("create the rule", err, r.now())
	}
	obj.Status.PendingCreate = nil
	recordObserved(&obj.Status, created)
	r.Recorder.Eventf(obj, nil, "Normal", "Created", "Create", "Created Okta rule %s in policy %s%s",
		created.ID, obj.Status.PolicyID, lifecycle.RequestRef(created.RequestID))
	return r.synced(obj)
}

// recreate replaces a rule that was deleted outside Kubernetes.
func (r *Reconciler) recreate(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding,
	api okta.PolicyAPI, desired okta.PolicyRule) outcome.Outcome {
	r.Recorder.Eventf(obj, nil, "Warning", "Recreating", "Create", "Okta rule %s was deleted outside Kubernetes; creating it again", obj.Status.RuleID)
	obj.Status.RuleID = ""
	obj.Status.Adopted = false
	obj.Status.Priority = nil
	return r.createOrAdopt(ctx, obj, api, desired)
}

func (r *Reconciler) adoptByID(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding,
	api okta.PolicyAPI, desired okta.PolicyRule, id string) outcome.Outcome {
	observed, err := api.GetPolicyRule(ctx, obj.Status.PolicyID, id)
	if okta.IsNotFound(err) {
		return outcome.Stall(ReasonAdoptionFailed, fmt.Sprintf("spec.adopt.id: Okta policy %s has no rule %s", obj.Status.PolicyID, id))
	}
	if err != nil {
		return outcome.Failed("read the rule to adopt", err, r.now())
	}
	return r.adopt(ctx, obj, api, desired, observed)
}

func (r *Reconciler) adopt(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding,
	api okta.PolicyAPI, desired okta.PolicyRule, observed *okta.PolicyRuleResponse) outcome.Outcome {
	obj.Status.Adopted = true
	r.Recorder.Eventf(obj, nil, "Normal", "Adopted", "Adopt", "Adopted Okta rule %s of policy %s", observed.ID, obj.Status.PolicyID)
	return r.update(ctx, obj, api, desired, observed)
}

// namedRules lists the rules of a policy with exactly this name.
func namedRules(ctx context.Context, api okta.PolicyAPI, policyID, name string) ([]okta.PolicyRuleResponse, error) {
	all, err := api.ListPolicyRules(ctx, policyID)
	if err != nil {
		return nil, err
	}
	var matches []okta.PolicyRuleResponse
	for _, rule := range all {
		if rule.Name == name {
			matches = append(matches, rule)
		}
	}
	return matches, nil
}
