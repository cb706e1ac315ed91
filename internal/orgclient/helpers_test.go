package orgclient

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// plantedToken is a credential that must never show up in an error.
const plantedToken = "00PLANTED-api-token-DO-NOT-LEAK"

const operatorNamespace = "okta-system"

func newScheme(t *testing.T) *runtime.Scheme {
	t.Helper()
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	if err := v1alpha1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func newFakeClient(t *testing.T, objs ...client.Object) client.Client {
	t.Helper()
	return fake.NewClientBuilder().WithScheme(newScheme(t)).WithObjects(objs...).
		WithStatusSubresource(&v1alpha1.OktaOrg{}, &v1alpha1.ClusterOktaOrg{}).Build()
}

func secret(namespace, name string, data map[string]string) *corev1.Secret {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, UID: types.UID("uid-secret-" + name)}, Data: map[string][]byte{}}
	for k, v := range data {
		s.Data[k] = []byte(v)
	}
	return s
}

func tokenSpec(url, secretName, key string) v1alpha1.OktaOrgSpec {
	return v1alpha1.OktaOrgSpec{URL: url, APIToken: &v1alpha1.APITokenAuth{SecretRef: v1alpha1.SecretKeyReference{Name: secretName, Key: key}}}
}

func oktaOrg(namespace, name string, spec v1alpha1.OktaOrgSpec) *v1alpha1.OktaOrg {
	return &v1alpha1.OktaOrg{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, UID: types.UID("uid-org-" + name), Generation: 1}, Spec: spec}
}

func clusterOktaOrg(name string, spec v1alpha1.OktaOrgSpec, selector *metav1.LabelSelector) *v1alpha1.ClusterOktaOrg {
	return &v1alpha1.ClusterOktaOrg{
		ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID("uid-corg-" + name), Generation: 1},
		Spec:       v1alpha1.ClusterOktaOrgSpec{OktaOrgSpec: spec, NamespaceSelector: selector},
	}
}

func markReady(status *v1alpha1.OktaOrgStatus) {
	const generation = 1
	status.ObservedGeneration = generation
	status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Connected",
		LastTransitionTime: metav1.Now(), ObservedGeneration: generation}}
}

func ecKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}
