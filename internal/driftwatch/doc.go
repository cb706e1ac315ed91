// Package driftwatch notices changes made to managed Okta objects outside
// the operator (an admin in the Okta console, another tool) within one
// poll interval, instead of at the next full resync.
//
// One Watcher polls the System Log of every Ready org in polling mode: an
// ascending query with an opaque `after` cursor, persisted in the org's
// status.driftWatch so that a restarted operator reads on where it stopped.
// Each read costs one request of the logs bucket whatever the number of
// objects, which is what lets the full resync be rare. Events caused by the
// operator itself (the transaction id of one of its own writes, or its
// OAuth client as actor) are skipped; every other device assurance, posture
// check or policy rule event enqueues the objects whose Okta ID it names and
// is recorded in their status.lastOutOfBandChange.
package driftwatch
