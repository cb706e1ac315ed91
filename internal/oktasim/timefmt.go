package oktasim

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// oktaTimeLayout is the timestamp format of every recorded response:
// UTC with a zero millisecond part, e.g. "2026-04-20T03:30:53.000Z"
// (docs/okta-api-behaviour.md, R2).
const oktaTimeLayout = "2006-01-02T15:04:05.000Z"

// formatOktaTime renders t the way Okta stores it: truncated to the second.
func formatOktaTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(oktaTimeLayout)
}

// isoDurationPattern is the TimeDuration pattern of the spec
// (docs/okta-api-behaviour.md §1.4).
var isoDurationPattern = regexp.MustCompile(`^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$`)

// normalizeDuration rewrites an ISO 8601 duration made of weeks, days,
// hours, minutes and seconds into hours (plus minutes and seconds), as the
// org did with "P30D" → "PT720H" (docs/okta-api-behaviour.md, R6,
// tfprov-051/052). Durations with years or months have no fixed length and are
// returned unchanged, as is anything that is not a valid duration.
func normalizeDuration(d string) string {
	m := isoDurationPattern.FindStringSubmatch(d)
	if m == nil || d == "P" || d == "PT" || m[1] != "" || m[2] != "" {
		return d
	}
	hours := number(m[3])*7*24 + number(m[4])*24 + number(m[6])
	minutes, seconds := number(m[7]), number(m[8])
	out := "PT"
	if hours > 0 || (minutes == 0 && seconds == 0) {
		out += fmt.Sprintf("%dH", hours)
	}
	if minutes > 0 {
		out += fmt.Sprintf("%dM", minutes)
	}
	if seconds > 0 {
		out += fmt.Sprintf("%dS", seconds)
	}
	return out
}

// isISODuration reports whether d is a non-empty ISO 8601 duration.
func isISODuration(d string) bool {
	return d != "P" && d != "PT" && isoDurationPattern.MatchString(d) && d[len(d)-1] != 'T'
}

// number parses the digits of a matched duration component like "30D".
func number(component string) int {
	if component == "" {
		return 0
	}
	n, err := strconv.Atoi(component[:len(component)-1])
	if err != nil {
		return 0
	}
	return n
}
