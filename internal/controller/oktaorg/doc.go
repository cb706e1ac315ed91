// Package oktaorg reconciles OktaOrg and ClusterOktaOrg: it checks that the
// org answers an authenticated call with the configured credentials and
// reports it in status (Ready, Stalled, Reconciling, rate limits, granted
// scopes), with what the connection can serve (capabilities): the kinds and
// features whose OAuth scope the access token holds, and the operations Okta
// refused for lack of an admin role permission.
//
// One Reconciler serves both kinds through orgclient.Org; it builds its
// clients with the same orgclient.Cache the other controllers resolve
// orgRefs with, so a rotated Secret is picked up by all of them at once.
//
// A ClusterOktaOrg's Secret, in the operator's namespace, is watched. An
// OktaOrg's, in a tenant namespace, is not (the operator may only get it,
// where the tenant allows): it is read at each check, and a missing or
// forbidden one is looked at again every SecretRecheckInterval.
package oktaorg
