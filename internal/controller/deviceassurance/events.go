package deviceassurance

import (
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func joinFields(fields []string) string {
	return strings.Join(fields, ", ")
}

// audit extracts Okta's audit fields from a response.
func audit(p *okta.DeviceAssuranceResponse) auditFields {
	return auditFields{
		createdDate:   metaTime(p.CreatedDate),
		lastUpdate:    metaTime(p.LastUpdate),
		createdBy:     p.CreatedBy,
		lastUpdatedBy: p.LastUpdatedBy,
	}
}

func metaTime(t *time.Time) *metav1.Time {
	if t == nil {
		return nil
	}
	mt := metav1.NewTime(*t)
	return &mt
}
