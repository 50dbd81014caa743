package answer

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/articlebot/articlebot/corpus"
)

// markerGroup is a run of citation markers such as "[1]", "[1][2]",
// "[1, 2]" or "[1] [2]": brackets holding only numbers and commas,
// separated by nothing but spaces.
type markerGroup struct {
	start, end int   // byte span of the run in the text
	nums       []int // the numbers in written order; 0 for one too large to parse
}

// maxMarkerLen bounds the inside of a bracket that can be a marker, so a
// long bracketed aside is never scanned as one.
const maxMarkerLen = 40

// parseMarkers returns the marker groups of text in order. Brackets holding
// anything but digits, commas and spaces, such as "[a]" or "[1-3]", are not
// markers and are left as they are.
func parseMarkers(text string) []markerGroup {
	var groups []markerGroup
	for i := 0; i < len(text); i++ {
		if text[i] != '[' {
			continue
		}
		end, nums := parseMarker(text, i)
		if end < 0 {
			continue
		}
		if n := len(groups); n > 0 && strings.Trim(text[groups[n-1].end:i], " ") == "" {
			groups[n-1].end = end
			groups[n-1].nums = append(groups[n-1].nums, nums...)
		} else {
			groups = append(groups, markerGroup{start: i, end: end, nums: nums})
		}
		i = end - 1
	}
	return groups
}

// parseMarker parses the bracket opening at text[i]. It returns the end of
// the marker and its numbers, or -1 when the bracket is not a marker.
func parseMarker(text string, i int) (int, []int) {
	j := strings.IndexByte(text[i:], ']')
	if j < 0 || j-1 > maxMarkerLen {
		return -1, nil
	}
	inner := text[i+1 : i+j]
	var nums []int
	for _, part := range strings.Split(inner, ",") {
		part = strings.TrimSpace(part)
		if part == "" || strings.TrimFunc(part, isASCIIDigit) != "" {
			return -1, nil
		}
		n, err := strconv.Atoi(part)
		if err != nil {
			n = 0 // too large: a marker pointing nowhere
		}
		nums = append(nums, n)
	}
	return i + j + 1, nums
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// renumber checks the markers of text against k passages numbered 1..k.
// Numbers outside 1..k are dropped, and a group left empty is removed with
// the space before it. The rest are renumbered 1..m by first use, and every
// group is rewritten as adjacent single markers in ascending order without
// repeats: "[3, 1]" becomes "[1][2]" when 3 was cited first. It returns the
// new text and order, where order[i] is the 0-based passage index of the
// new number i+1.
func renumber(text string, k int) (string, []int) {
	groups := parseMarkers(text)
	if len(groups) == 0 {
		return text, []int{}
	}
	newNum := map[int]int{} // old number -> new number
	order := []int{}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, g := range groups {
		var nums []int
		for _, n := range g.nums {
			if n < 1 || n > k {
				continue
			}
			if newNum[n] == 0 {
				order = append(order, n-1)
				newNum[n] = len(order)
			}
			nums = append(nums, newNum[n])
		}
		slices.Sort(nums)
		nums = slices.Compact(nums)
		b.WriteString(text[last:g.start])
		last = g.end
		if len(nums) == 0 {
			dropSpaceBefore(&b, text[g.end:])
			continue
		}
		for _, n := range nums {
			b.WriteString("[" + strconv.Itoa(n) + "]")
		}
	}
	b.WriteString(text[last:])
	return b.String(), order
}

// dropSpaceBefore removes the spaces that end b when a removed marker was
// followed by punctuation, white space or the end of the text, so that
// "claim [9]." becomes "claim." and not "claim .".
func dropSpaceBefore(b *strings.Builder, after string) {
	r := []rune(after + " ")[0]
	if !unicode.IsPunct(r) && !unicode.IsSpace(r) {
		return
	}
	s := b.String()
	t := strings.TrimRight(s, " \t")
	if len(t) < len(s) {
		b.Reset()
		b.WriteString(t)
	}
}

// CheckCitations checks the [n] markers of an answer against passages,
// numbered [1]..[k] in the given order, as the model saw them. It drops
// markers that point to no passage, renumbers the rest 1..m by first use,
// rewrites every group ("[1, 2]", "[1,2]", "[1] [2]") as adjacent markers
// ("[1][2]"), and returns the new text with one Citation per number, in
// order. Each Citation quotes the sentence of its passage that best
// supports the answer sentences citing it (see BestQuote). The citations
// are empty, never nil, when no valid marker is left.
func CheckCitations(text string, passages []corpus.Passage) (string, []Citation) {
	text, order := renumber(mergeDuplicates(text, passages), len(passages))
	return text, buildCitations(text, order, passages)
}

// mergeDuplicates rewrites the markers of text that cite a passage whose
// text repeats an earlier one of passages (the same article in two files)
// as markers of that earlier passage, so that identical passages give one
// citation. renumber then joins the markers of a group and numbers the
// citations contiguously. Markers outside 1..len(passages) are left for
// renumber to drop.
func mergeDuplicates(text string, passages []corpus.Passage) string {
	first := make(map[string]int, len(passages))
	canon := make([]int, len(passages)) // 0-based passage -> 1-based marker
	dup := false
	for i, p := range passages {
		j, seen := first[p.Text]
		if !seen {
			first[p.Text], j = i, i
		}
		canon[i] = j + 1
		dup = dup || seen
	}
	if !dup {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, g := range parseMarkers(text) {
		b.WriteString(text[last:g.start])
		last = g.end
		for _, n := range g.nums {
			if n >= 1 && n <= len(passages) {
				n = canon[n-1]
			}
			b.WriteString("[" + strconv.Itoa(n) + "]")
		}
	}
	b.WriteString(text[last:])
	return b.String()
}

// buildCitations makes the citations of text, whose markers are already
// renumbered so that [i+1] cites passages[order[i]].
func buildCitations(text string, order []int, passages []corpus.Passage) []Citation {
	claims := claimsByNumber(text)
	cits := make([]Citation, 0, len(order))
	for i, pi := range order {
		p := passages[pi]
		quote := BestQuote(p.Text, claims[i+1])
		cits = append(cits, Citation{
			N:        i + 1,
			ID:       p.ID,
			Document: p.Document,
			Section:  p.Section,
			Quote:    quote,
			Text:     p.Text,
			URL:      FragmentURL(p.URL, quote),
		})
	}
	return cits
}

// claimsByNumber maps each marker number of text to the text, without
// markers, of the sentences citing it. A marker group that opens a sentence
// ("Claim. [1] Next claim.") belongs to the sentence before it, since
// models put markers after the claim they support.
func claimsByNumber(text string) map[int]string {
	groups := parseMarkers(text)
	claims := map[int]string{}
	spans := corpus.Sentences(text)
	gi := 0
	for si, sp := range spans {
		sentence := strings.TrimSpace(stripMarkers(text[sp.Start:sp.End], groups, sp.Start))
		for ; gi < len(groups) && groups[gi].start < sp.End; gi++ {
			g := groups[gi]
			target := sentence
			if si > 0 && strings.TrimSpace(text[sp.Start:g.start]) == "" {
				prev := spans[si-1]
				target = strings.TrimSpace(stripMarkers(text[prev.Start:prev.End], groups, prev.Start))
			}
			for _, n := range g.nums {
				claims[n] = strings.TrimSpace(claims[n] + " " + target)
			}
		}
	}
	return claims
}

// stripMarkers returns s, which starts at byte offset off of the text that
// groups were parsed from, without the marker groups inside it.
func stripMarkers(s string, groups []markerGroup, off int) string {
	var b strings.Builder
	last := 0
	for _, g := range groups {
		start, end := g.start-off, g.end-off
		if end <= 0 || start >= len(s) {
			continue
		}
		start, end = max(start, 0), min(end, len(s))
		b.WriteString(s[last:start])
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// DefuseMarkers rewrites bracketed numbers in source text, such as the
// footnote "[7]" of a quoted sentence, as "(7)", so that the only [n] in an
// answer are its own citations.
func DefuseMarkers(text string) string {
	groups := parseMarkers(text)
	if len(groups) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, g := range groups {
		b.WriteString(text[last:g.start])
		b.WriteString(strings.NewReplacer("[", "(", "]", ")").Replace(text[g.start:g.end]))
		last = g.end
	}
	b.WriteString(text[last:])
	return b.String()
}
