package okta

import "net/http"

// BucketConcurrency holds the figures of the last concurrency 429: the
// org-wide limit of simultaneous requests (docs/okta-api-behaviour.md §6), not
// a per-minute bucket. Its Limit and Remaining are always 0 and its Reset is
// Okta's suggestion of when to try again. Recording it apart keeps the figures
// of the request's own bucket, which a concurrency 429 says nothing about.
const BucketConcurrency Bucket = "concurrency"

// recordedBucket is where the rate-limit headers of resp are recorded.
func recordedBucket(path string, resp *http.Response) Bucket {
	if resp.StatusCode == http.StatusTooManyRequests {
		limit, _ := headerInt(resp.Header, "X-Rate-Limit-Limit")
		remaining, _ := headerInt(resp.Header, "X-Rate-Limit-Remaining")
		if limit == 0 && remaining == 0 {
			return BucketConcurrency
		}
	}
	return bucketOf(path)
}
