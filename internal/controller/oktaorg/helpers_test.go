package oktaorg_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	kstatus "sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func createNamespace(name string, labels map[string]string) {
	Expect(k8sClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}})).To(Succeed())
}

func createSecret(namespace, name, key, value string) *corev1.Secret {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}, Data: map[string][]byte{key: []byte(value)}}
	Expect(k8sClient.Create(ctx, s)).To(Succeed())
	return s
}

func updateSecret(s *corev1.Secret, key, value string) {
	Eventually(func() error {
		if err := k8sClient.Get(ctx, client.ObjectKeyFromObject(s), s); err != nil {
			return err
		}
		s.Data = map[string][]byte{key: []byte(value)}
		return k8sClient.Update(ctx, s)
	}).Should(Succeed())
}

// forceCheck makes the controller check org now, as a user does with
// `kubectl annotate … check=$(date +%s)`.
func forceCheck(org client.Object, value string) {
	Eventually(func() error {
		if err := k8sClient.Get(ctx, client.ObjectKeyFromObject(org), org); err != nil {
			return err
		}
		org.SetAnnotations(map[string]string{"test/recheck": value})
		return k8sClient.Update(ctx, org)
	}).Should(Succeed())
}

func tokenSpec(url, secretName string) v1alpha1.OktaOrgSpec {
	return v1alpha1.OktaOrgSpec{URL: url, AllowInsecureHTTP: true,
		APIToken: &v1alpha1.APITokenAuth{SecretRef: v1alpha1.SecretKeyReference{Name: secretName, Key: "token"}}}
}

func createOktaOrg(namespace, name string, spec v1alpha1.OktaOrgSpec) *v1alpha1.OktaOrg {
	o := &v1alpha1.OktaOrg{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}, Spec: spec}
	Expect(k8sClient.Create(ctx, o)).To(Succeed())
	return o
}

// statusOf reads the current status of an OktaOrg or ClusterOktaOrg.
func statusOf(obj client.Object) func(Gomega) v1alpha1.OktaOrgStatus {
	return func(g Gomega) v1alpha1.OktaOrgStatus {
		g.Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(obj), obj)).To(Succeed())
		switch o := obj.(type) {
		case *v1alpha1.OktaOrg:
			g.Expect(o.Status.ObservedGeneration).To(Equal(o.Generation))
			return o.Status
		case *v1alpha1.ClusterOktaOrg:
			g.Expect(o.Status.ObservedGeneration).To(Equal(o.Generation))
			return o.Status
		}
		panic("not an org")
	}
}

// readyReason returns "True" for a Ready org, else the Ready reason.
func readyReason(obj client.Object) func(Gomega) string {
	return func(g Gomega) string {
		status := statusOf(obj)(g)
		cond := apimeta.FindStatusCondition(status.Conditions, v1alpha1.ConditionReady)
		g.Expect(cond).NotTo(BeNil())
		if cond.Status == metav1.ConditionTrue {
			return "True"
		}
		return cond.Reason
	}
}

func condition(status v1alpha1.OktaOrgStatus, condType string) *metav1.Condition {
	return apimeta.FindStatusCondition(status.Conditions, condType)
}

func ecKey() (*ecdsa.PrivateKey, string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	der, err := x509.MarshalPKCS8PrivateKey(key)
	Expect(err).NotTo(HaveOccurred())
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// kstatusOf is what kstatus (Flux, Argo CD, kubectl wait) makes of the org.
func kstatusOf(obj client.Object) func(Gomega) kstatus.Status {
	return func(g Gomega) kstatus.Status {
		g.Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(obj), obj)).To(Succeed())
		raw, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
		g.Expect(err).NotTo(HaveOccurred())
		res, err := kstatus.Compute(&unstructured.Unstructured{Object: raw})
		g.Expect(err).NotTo(HaveOccurred())
		return res.Status
	}
}

// requestCount returns how many method template requests the simulator
// answered with code.
func requestCount(s *sim, method, template string, code int) int {
	resp, err := http.Get(s.URL + "/_oktasim/requests") //nolint:noctx // test helper against a local server
	Expect(err).NotTo(HaveOccurred())
	defer func() { _ = resp.Body.Close() }()
	var counts []struct {
		Method, Template string
		Status, Count    int
	}
	Expect(json.NewDecoder(resp.Body).Decode(&counts)).To(Succeed())
	for _, c := range counts {
		if c.Method == method && c.Template == template && c.Status == code {
			return c.Count
		}
	}
	return 0
}

func rsaKey() (*rsa.PrivateKey, string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	Expect(err).NotTo(HaveOccurred())
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}
