package bot

import (
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// Bounds of the memory of handled interactions. Discord may deliver an
// event twice (a resumed session replays what it can't confirm, and
// Discord-compatible servers have been seen to repeat dispatches); a
// repeat comes within seconds, and an interaction can't be acknowledged
// after 3 s anyway, so a minute is plenty.
const (
	seenWindow = time.Minute
	seenSize   = 10000
)

// seenIDs remembers recently handled event IDs so that a repeat is
// dropped. It is a bounded, expiring LRU: old IDs age out and a burst
// can't grow it past seenSize.
type seenIDs struct {
	mu  sync.Mutex
	ids *expirable.LRU[string, struct{}]
}

func newSeenIDs() *seenIDs {
	return &seenIDs{ids: expirable.NewLRU[string, struct{}](seenSize, nil, seenWindow)}
}

// first reports whether id is new, remembering it; false for an ID seen
// within seenWindow. An empty ID is always new.
func (s *seenIDs) first(id string) bool {
	if id == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids.Contains(id) {
		return false
	}
	s.ids.Add(id, struct{}{})
	return true
}
