package v1alpha1

// Unavailable returns the status's capability entry for name when it says
// that the org cannot serve name. An org without such an entry (not
// checked yet, or by an older operator) is not known to lack anything: the
// Okta calls tell.
func (s *OktaOrgStatus) Unavailable(name OrgCapabilityName) (OrgCapability, bool) {
	for _, c := range s.Capabilities {
		if c.Name == name && !c.Available {
			return c, true
		}
	}
	return OrgCapability{}, false
}

// DriftDetectionTurnedOff says whether spec turns the System Log watcher off for
// its org.
func DriftDetectionTurnedOff(spec *OktaOrgSpec) bool {
	return spec.DriftDetection != nil && spec.DriftDetection.Mode == DriftDetectionOff
}

// SystemLogRead says whether the System Log watcher reads the org's log,
// as far as the org object tells: drift detection is on and its access
// token holds okta.logs.read. The watcher also needs the org Ready and a
// manager that runs it.
func SystemLogRead(spec *OktaOrgSpec, status *OktaOrgStatus) bool {
	_, unavailable := status.Unavailable(CapabilityDriftDetection)
	return !DriftDetectionTurnedOff(spec) && !unavailable
}
