package signinrule

import (
	"runtime"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func binding(namespace, name string, created time.Time, policy assurancev1alpha1.SignInPolicyReference, policyID string) *assurancev1alpha1.SignInRuleBinding {
	b := &assurancev1alpha1.SignInRuleBinding{}
	b.Namespace, b.Name, b.CreationTimestamp = namespace, name, metav1.NewTime(created)
	b.Spec.Policy, b.Status.PolicyID = policy, policyID
	return b
}

func TestEarlierAndSamePolicy(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	byName := assurancev1alpha1.SignInPolicyReference{Name: "Okta Dashboard"}
	byID := assurancev1alpha1.SignInPolicyReference{ID: "rst1"}
	old := binding("a", "z", t0, byName, "rst1")
	young := binding("a", "a", t0.Add(time.Second), byName, "")
	sameSecond := binding("b", "a", t0, byID, "")
	if !earlier(old, young) || earlier(young, old) {
		t.Error("the older binding comes first")
	}
	if !earlier(old, sameSecond) || earlier(sameSecond, old) {
		t.Error("within one second, namespace then name decide")
	}
	tests := []struct {
		name        string
		other, self *assurancev1alpha1.SignInRuleBinding
		want        bool
	}{
		{"recorded policy", old, young, true},
		{"recorded other policy", binding("a", "x", t0, byName, "rst2"), young, false},
		{"not yet recorded, same id", sameSecond, young, true},
		{"not yet recorded, same name", young, old, true},
		{"not yet recorded, other name", binding("a", "x", t0, assurancev1alpha1.SignInPolicyReference{Name: "Other"}, ""), old, false},
	}
	for _, tt := range tests {
		if got := samePolicy(tt.other, tt.self, "rst1"); got != tt.want {
			t.Errorf("%s: samePolicy = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestPolicyLocksSerialize: holders of one key never overlap; other keys
// are not blocked.
func TestPolicyLocksSerialize(t *testing.T) {
	var locks policyLocks
	var mu sync.Mutex
	inside, most := 0, 0
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			unlock := locks.lock("org/rst1")
			defer unlock()
			mu.Lock()
			inside++
			most = max(most, inside)
			mu.Unlock()
			runtime.Gosched()
			mu.Lock()
			inside--
			mu.Unlock()
		})
	}
	unlock := locks.lock("org/rst2")
	unlock()
	wg.Wait()
	if most != 1 {
		t.Errorf("%d passes held one policy's lock at once", most)
	}
}
