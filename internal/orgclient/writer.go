package orgclient

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
)

type writerKey struct{}

// WithWriter marks the Okta calls made with ctx as made for the object
// with uid, so that the System Log watcher can tell which object made each
// of the operator's writes.
func WithWriter(ctx context.Context, uid types.UID) context.Context {
	return context.WithValue(ctx, writerKey{}, uid)
}

// WriterFrom returns the object WithWriter put in ctx, empty if none.
func WriterFrom(ctx context.Context) types.UID {
	uid, _ := ctx.Value(writerKey{}).(types.UID)
	return uid
}
