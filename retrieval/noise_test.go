package retrieval

import "testing"

func TestDropIdioms(t *testing.T) {
	for in, want := range map[string]string{
		"explain that last bit like im 5":   "explain that last bit  ",
		"ELI5 the sanctions part":           "  the sanctions part",
		"say it like i'm five":              "say it  ",
		"say it like i’m five":              "say it  ",
		"like i am a kid, why do they care": " , why do they care",
		"5 reasons they like each other":    "5 reasons they like each other",
	} {
		t.Run(in, func(t *testing.T) {
			if got := dropIdioms(in); got != want {
				t.Errorf("dropIdioms(%q) = %q, want %q", in, got, want)
			}
		})
	}
}
