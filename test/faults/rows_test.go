package faults_test

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

// Messages that name the cause of a transport failure, as Go's net/http
// and the okta client word them.
var (
	transportCauses = []string{"EOF", "connection reset", "connection refused", "server closed", "broken pipe", "unreachable", "Unreachable"}
	timeoutCauses   = []string{"deadline exceeded", "Timeout", "timeout"}
)

// recordedID tells whether a status being written carries the Okta ID of
// the object: the write that records the outcome of a create.
func recordedID(obj client.Object) bool {
	switch o := obj.(type) {
	case *assurancev1alpha1.DeviceAssurancePolicy:
		return o.Status.ID != ""
	case *assurancev1alpha1.SignInRuleBinding:
		return o.Status.RuleID != ""
	}
	return false
}

var _ = Describe("the fault matrix", func() {
	// injectAndObserve is the common row: a fault of the simulated org
	// that lasts d, injected before the objects are created.
	injectAndObserve := func(name string, fault oktasim.Fault, d time.Duration, reasons, causes []string) *env {
		e := newEnv(name)
		e.start(nil)
		e.waitOrgReady()
		fault.For = d
		e.org.InjectFault(fault)
		end := time.Now().Add(d)
		e.createObjects()
		// A pass that started while the fault lasted may report it a little
		// after its end.
		e.row.DuringFault = e.observeNotReady(end, end.Add(3*time.Second), reasons, causes)
		time.Sleep(time.Until(end))
		e.row.DuringFault += fmt.Sprintf("; %d requests faulted", e.org.Faults()[0].Hits)
		e.waitAllReady(end)
		e.checkOkta()
		return e
	}

	// Every row accepts a policy with no status written at all while the
	// fault lasts (counted in the matrix, and at least one must report):
	// with Concurrency 2 and the okta client retrying each GET up to 4
	// times, a new object's first pass may not have ended (or started)
	// before the fault does, more so on a loaded machine.
	It("1. 5xx burst: 503 on every device assurance call", func() {
		const d = 10 * time.Second
		injectAndObserve(fmt.Sprintf("503 on every %s call for %v", daPath, d),
			oktasim.Fault{Status: 503, Path: daPath}, d,
			[]string{"OktaUnavailable", "OrgNotReady"}, []string{"HTTP 503"})
	})

	It("2. slow responses past the request deadline", func() {
		// Long enough for one pass: the okta client tries a GET 4 times,
		// each cut at requestTimeout, before the pass reports anything.
		const d = 15 * time.Second
		injectAndObserve(fmt.Sprintf("every %s call delayed 3s (> OktaRequestTimeout %v) for %v", daPath, requestTimeout, d),
			oktasim.Fault{Effect: oktasim.EffectDelay, Delay: 3 * time.Second, Path: daPath}, d,
			[]string{"OktaUnavailable", "OrgNotReady"}, timeoutCauses)
	})

	It("3. POST committed but its response lost", func() {
		const d = 6 * time.Second
		e := injectAndObserve(fmt.Sprintf("drop-response on POST %s (created, no answer) for %v", daPath, d),
			oktasim.Fault{Effect: oktasim.EffectDropResponse, Method: "POST", Path: daPath}, d,
			[]string{"OktaUnavailable"}, transportCauses)
		Expect(e.org.Faults()[0].Hits).To(BeNumerically(">=", 1), "a POST was committed and its answer lost")
	})

	It("4. 429 storm on everything", func() {
		const d = 5 * time.Second
		injectAndObserve(fmt.Sprintf("429 E0000047 on every call for %v (X-Rate-Limit-Reset = its end)", d),
			oktasim.Fault{Status: 429}, d,
			// A pass whose GET waits for the reset inside the Okta client
			// reports nothing until it succeeds.
			[]string{"RateLimited", "OrgNotReady"}, []string{"429", "rate limit", "requests left"})
	})

	It("5. the Kubernetes status write fails after the Okta write", func() {
		const d = 8 * time.Second
		e := newEnv(fmt.Sprintf("status writes that record an Okta ID fail for %v (client interceptor)", d))
		var failUntil atomic.Int64
		var refused atomic.Int64
		e.start(func(obj client.Object, _ func()) error {
			if recordedID(obj) && time.Now().UnixNano() < failUntil.Load() {
				refused.Add(1)
				return errors.New("fault matrix: injected status write failure")
			}
			return nil
		})
		e.waitOrgReady()
		end := time.Now().Add(d)
		failUntil.Store(end.UnixNano())
		e.createObjects()
		time.Sleep(time.Until(end))
		Expect(refused.Load()).To(BeNumerically(">=", len(e.policies)), "each policy's status write after its create failed")
		e.row.DuringFault = fmt.Sprintf("not observable in the status (the writes fail); %d status writes refused after %d POSTs",
			refused.Load(), e.posts.Load())
		e.waitAllReady(end)
		e.checkOkta()
	})

	It("6. the manager is killed between the POST and the status write", func() {
		e := newEnv("manager killed at the first status write after a POST; a fresh manager takes over")
		var killed atomic.Bool
		e.start(func(obj client.Object, kill func()) error {
			if _, ok := obj.(*assurancev1alpha1.DeviceAssurancePolicy); ok && recordedID(obj) && e.posts.Load() > 0 && killed.CompareAndSwap(false, true) {
				kill()
				return errors.New("fault matrix: the manager died before writing the status")
			}
			return nil
		})
		e.waitOrgReady()
		e.createObjects()
		Eventually(killed.Load).WithTimeout(30 * time.Second).Should(BeTrue())
		e.stop()
		posts := e.posts.Load()
		unrecorded := 0
		for _, p := range e.policies {
			Expect(k8s.Get(suiteCtx, client.ObjectKeyFromObject(p), p)).To(Succeed())
			if p.Status.ID == "" {
				unrecorded++
			}
		}
		e.row.DuringFault = fmt.Sprintf("killed after %d POSTs, with %d/%d policies without status.id in Kubernetes", posts, unrecorded, len(e.policies))
		restarted := time.Now()
		e.start(nil)
		e.waitAllReady(restarted)
		e.checkOkta()
	})

	It("7. Okta unreachable for a while, then back", func() {
		const d = 20 * time.Second
		injectAndObserve(fmt.Sprintf("unreachable (connection closed, nothing served) on every call for %v", d),
			oktasim.Fault{Effect: oktasim.EffectUnreachable}, d,
			[]string{"OktaUnavailable", "OrgNotReady"}, transportCauses)
	})

	It("8. Okta unreachable while every object is Ready (steady state)", func() {
		const d = 10 * time.Second
		e := newEnv(fmt.Sprintf("unreachable on every call for %v, objects Ready before it", d))
		e.start(nil)
		e.waitOrgReady()
		e.createObjects()
		e.waitAllReady(time.Now())
		e.mu.Lock()
		clear(e.written)
		e.mu.Unlock()
		e.org.InjectFault(oktasim.Fault{Effect: oktasim.EffectUnreachable, For: d})
		end := time.Now().Add(d)
		// Each Ready policy resyncs within resync (+10% jitter) and finds
		// the org gone.
		e.row.DuringFault = e.observeNotReady(end, end.Add(3*time.Second),
			[]string{"OktaUnavailable", "OrgNotReady"}, transportCauses)
		time.Sleep(time.Until(end))
		e.row.DuringFault += fmt.Sprintf("; %d requests faulted", e.org.Faults()[0].Hits)
		e.waitAllReady(end)
		e.checkOkta()
	})
	It("9. 423 policy lock on the sign-in policy's rule writes", func() {
		const d = 6 * time.Second
		e := newEnv(fmt.Sprintf("423 E0000239 (policy priorities being reconciled) on POST/PUT /api/v1/policies… for %v", d))
		e.start(nil)
		e.waitOrgReady()
		e.org.InjectFault(oktasim.Fault{Status: 423, Method: "POST|PUT", Path: "/api/v1/policies", For: d})
		end := time.Now().Add(d)
		e.createObjects()
		locked := func() *write {
			e.mu.Lock()
			defer e.mu.Unlock()
			for _, w := range e.written[e.binding.Name] {
				if w.Status == metav1.ConditionFalse && strings.Contains(w.Message, "423") {
					return &w
				}
			}
			return nil
		}
		Eventually(locked).WithTimeout(time.Until(end.Add(3*time.Second))).ShouldNot(BeNil(),
			"the binding says it is not Ready because of the 423")
		seen := locked()
		msg := seen.Message
		if len(msg) > 160 {
			msg = msg[:160] + "…"
		}
		e.row.DuringFault = fmt.Sprintf("binding Ready=False %s (%q)", seen.Reason, msg)
		time.Sleep(time.Until(end))
		e.row.DuringFault += fmt.Sprintf("; %d requests faulted", e.org.Faults()[0].Hits)
		e.waitAllReady(end)
		e.checkOkta()
	})
})
