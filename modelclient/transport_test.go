package modelclient

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"None", nil, 0},
		{"Seconds", map[string]string{"Retry-After": "1"}, time.Second},
		{"FractionalSeconds", map[string]string{"Retry-After": "0.25"}, 250 * time.Millisecond},
		{"Milliseconds", map[string]string{"Retry-After-Ms": "1500", "Retry-After": "9"}, 1500 * time.Millisecond},
		{"HTTPDate", map[string]string{"Retry-After": now.Add(3 * time.Second).Format(http.TimeFormat)}, 3 * time.Second},
		{"PastDate", map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{"Zero", map[string]string{"Retry-After": "0"}, 0},
		{"Negative", map[string]string{"Retry-After": "-4"}, 0},
		{"Garbage", map[string]string{"Retry-After": "soon"}, 0},
		{"Huge", map[string]string{"Retry-After": "99999999"}, maxRetryAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got, want := parseRetryAfter(h, now), tt.want; got != want {
				t.Errorf("parseRetryAfter(%v) = %v, want %v", tt.header, got, want)
			}
		})
	}
}
