package driftwatch

import (
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// observeOutOfBand counts an event not caused by the operator.
func observeOutOfBand(org orgclient.Org, eventType string) {
	metrics.OutOfBandChanges.WithLabelValues(metrics.OrgLabel(org.String()), metrics.EventTypeLabel(eventType)).Inc()
}
