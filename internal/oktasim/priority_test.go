package oktasim

import (
	"fmt"
	"testing"
)

func TestPlaceRule(t *testing.T) {
	for _, tt := range []struct {
		others    []int
		p         int
		wantAt    int
		wantMoved []int
	}{
		{nil, 5, 5, nil},
		{[]int{1, 5}, 2, 2, []int{1, 5}},             // a free slot: nothing moves, gaps stay
		{[]int{1, 2, 3, 7}, 2, 2, []int{1, 3, 4, 7}}, // the colliding run moves down by one
		{[]int{0, 1}, 0, 0, []int{1, 2}},
		{[]int{97, 98}, 97, 0, []int{1, 2}}, // a shift would reach the catch-all's 99: renumbered in order
	} {
		at, moved := PlaceRule(tt.others, tt.p)
		if at != tt.wantAt || fmt.Sprint(moved) != fmt.Sprint(tt.wantMoved) && len(moved)+len(tt.wantMoved) > 0 {
			t.Errorf("PlaceRule(%v, %d) = %d, %v; want %d, %v", tt.others, tt.p, at, moved, tt.wantAt, tt.wantMoved)
		}
	}
}
