package plan

import (
	"context"
	"net/http"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

const (
	deviceAssurancesPath = "/api/v1/device-assurances"
	postureChecksPath    = "/api/v1/device-posture-checks"
	policiesPath         = "/api/v1/policies"
)

// ListDeviceAssurances reads the org's policies with the plan's writes
// applied.
func (d *DryRun) ListDeviceAssurances(ctx context.Context) ([]okta.DeviceAssuranceResponse, error) {
	base, err := baseList(ctx, d, "device-assurances", d.base.ListDeviceAssurances)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.policies.list(base, func(p okta.DeviceAssuranceResponse) string { return p.ID }), nil
}

// GetDeviceAssurance reads one policy as the plan's writes leave it.
func (d *DryRun) GetDeviceAssurance(ctx context.Context, id string) (*okta.DeviceAssuranceResponse, error) {
	d.mu.Lock()
	p, found, gone := d.policies.get(id)
	d.mu.Unlock()
	switch {
	case gone:
		return nil, notFound(deviceAssurancesPath + "/" + id)
	case found:
		return &p, nil
	}
	return d.base.GetDeviceAssurance(ctx, id)
}

// CreateDeviceAssurance records the create.
func (d *DryRun) CreateDeviceAssurance(ctx context.Context, policy okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodPost, deviceAssurancesPath, policy, nil)
	created := okta.DeviceAssuranceResponse{DeviceAssurance: policy, ID: d.newID()}
	d.policies.put(created.ID, created)
	return &created, nil
}

// ReplaceDeviceAssurance records the replace.
func (d *DryRun) ReplaceDeviceAssurance(ctx context.Context, id string, policy okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	before, err := d.GetDeviceAssurance(ctx, id)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodPut, deviceAssurancesPath+"/"+id, policy, before.DeviceAssurance)
	replaced := *before
	replaced.DeviceAssurance = policy
	d.policies.put(id, replaced)
	return &replaced, nil
}

// DeleteDeviceAssurance records the delete.
func (d *DryRun) DeleteDeviceAssurance(ctx context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodDelete, deviceAssurancesPath+"/"+id, nil, nil)
	d.policies.remove(id)
	return nil
}

// ListPostureChecks reads the org's custom checks with the plan's writes
// applied.
func (d *DryRun) ListPostureChecks(ctx context.Context) ([]okta.PostureCheckResponse, error) {
	base, err := baseList(ctx, d, "device-posture-checks", d.base.ListPostureChecks)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.checks.list(base, func(c okta.PostureCheckResponse) string { return c.ID }), nil
}

// ListDefaultPostureChecks reads Okta's built-in checks, which no write
// changes.
func (d *DryRun) ListDefaultPostureChecks(ctx context.Context) ([]okta.PostureCheckResponse, error) {
	return baseList(ctx, d, "default-posture-checks", d.base.ListDefaultPostureChecks)
}

// GetPostureCheck reads one check as the plan's writes leave it.
func (d *DryRun) GetPostureCheck(ctx context.Context, id string) (*okta.PostureCheckResponse, error) {
	d.mu.Lock()
	c, found, gone := d.checks.get(id)
	d.mu.Unlock()
	switch {
	case gone:
		return nil, notFound(postureChecksPath + "/" + id)
	case found:
		return &c, nil
	}
	return d.base.GetPostureCheck(ctx, id)
}

// CreatePostureCheck records the create.
func (d *DryRun) CreatePostureCheck(ctx context.Context, check okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodPost, postureChecksPath, check, nil)
	created := okta.PostureCheckResponse{PostureCheck: check, ID: d.newID()}
	d.checks.put(created.ID, created)
	return &created, nil
}

// ReplacePostureCheck records the replace.
func (d *DryRun) ReplacePostureCheck(ctx context.Context, id string, check okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	before, err := d.GetPostureCheck(ctx, id)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodPut, postureChecksPath+"/"+id, check, before.PostureCheck)
	replaced := *before
	replaced.PostureCheck = check
	d.checks.put(id, replaced)
	return &replaced, nil
}

// DeletePostureCheck records the delete.
func (d *DryRun) DeletePostureCheck(ctx context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodDelete, postureChecksPath+"/"+id, nil, nil)
	d.checks.remove(id)
	return nil
}

// ListLogEvents reads nothing: a plan has no System Log watcher.
func (d *DryRun) ListLogEvents(context.Context, okta.LogQuery) (*okta.LogPage, error) {
	return &okta.LogPage{}, nil
}

// NextLogEvents reads nothing.
func (d *DryRun) NextLogEvents(context.Context, *okta.LogPage) (*okta.LogPage, error) {
	return &okta.LogPage{}, nil
}

// RateLimits are the org's, as last seen.
func (d *DryRun) RateLimits() map[okta.Bucket]okta.RateLimit { return d.base.RateLimits() }
