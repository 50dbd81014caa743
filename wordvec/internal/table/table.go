// Package table is the binary layout of wordvec's table, shared by the
// generator that writes it and the package that reads it.
//
// Layout, little-endian: Magic; dims uint16; count uint32; count+1 uint32
// offsets into the word bytes; the word bytes, words sorted; count uint32
// frequency ranks (1 = most frequent); count float32 scales; count*dims
// int8 components. A word's vector is its components times its scale.
package table

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Magic starts every table; it changes with the layout.
const Magic = "ABWV1"

// Dims is the size of every vector.
const Dims = 100

// Entry is one word of a table being built.
type Entry struct {
	Word   string
	Rank   int
	Vector []float64 // Dims values
}

// Encode returns the table of entries, which must have distinct words and
// vectors of Dims values.
func Encode(entries []Entry) ([]byte, error) {
	es := slices.Clone(entries)
	slices.SortFunc(es, func(a, b Entry) int { return strings.Compare(a.Word, b.Word) })
	for i, e := range es {
		if len(e.Vector) != Dims {
			return nil, fmt.Errorf("word %q has %d values, want %d", e.Word, len(e.Vector), Dims)
		}
		if i > 0 && es[i-1].Word == e.Word {
			return nil, fmt.Errorf("word %q twice", e.Word)
		}
	}
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString(Magic)
	b.Write(le.AppendUint16(nil, Dims))
	b.Write(le.AppendUint32(nil, uint32(len(es))))
	off := uint32(0)
	for _, e := range es {
		b.Write(le.AppendUint32(nil, off))
		off += uint32(len(e.Word))
	}
	b.Write(le.AppendUint32(nil, off))
	for _, e := range es {
		b.WriteString(e.Word)
	}
	for _, e := range es {
		b.Write(le.AppendUint32(nil, uint32(e.Rank)))
	}
	scales := make([]float32, len(es))
	for i, e := range es {
		var m float64
		for _, x := range e.Vector {
			m = max(m, math.Abs(x))
		}
		scales[i] = float32(m / 127)
		b.Write(le.AppendUint32(nil, math.Float32bits(scales[i])))
	}
	for i, e := range es {
		for _, x := range e.Vector {
			q := 0.0
			if scales[i] > 0 {
				q = math.Round(x / float64(scales[i]))
			}
			b.WriteByte(byte(int8(max(-127, min(127, q)))))
		}
	}
	return b.Bytes(), nil
}

// Table reads an encoded table in place.
type Table struct {
	n       int
	offsets []byte
	words   []byte
	ranks   []byte
	scales  []byte
	comps   []byte
}

// Parse checks the layout of raw and returns a Table reading it in place.
func Parse(raw []byte) (*Table, error) {
	le := binary.LittleEndian
	head := len(Magic) + 6
	if len(raw) < head || string(raw[:len(Magic)]) != Magic {
		return nil, errors.New("not a word vector table")
	}
	if d := le.Uint16(raw[len(Magic):]); d != Dims {
		return nil, fmt.Errorf("vectors of %d dimensions, want %d", d, Dims)
	}
	p := raw[head:]
	n := uint64(le.Uint32(raw[len(Magic)+2:]))
	if uint64(len(p)) < 4*(n+1) {
		return nil, errors.New("truncated")
	}
	t := &Table{n: int(n)}
	t.offsets, p = p[:4*(n+1)], p[4*(n+1):]
	wlen := uint64(le.Uint32(t.offsets[4*n:]))
	if want := wlen + n*(4+4+Dims); uint64(len(p)) != want {
		return nil, fmt.Errorf("%d bytes after the offsets, want %d", len(p), want)
	}
	t.words, p = p[:wlen], p[wlen:]
	t.ranks, p = p[:4*n], p[4*n:]
	t.scales, t.comps = p[:4*n], p[4*n:]
	// Lookups slice words by the offsets: check them here, so that a
	// damaged table fails to parse rather than panicking later.
	// (Checking the words' order too would cost a millisecond in every
	// process; Sorted does it, for tests.)
	if le.Uint32(t.offsets) != 0 {
		return nil, errors.New("the first word doesn't start at 0")
	}
	for i := range t.n {
		if le.Uint32(t.offsets[4*i:]) >= le.Uint32(t.offsets[4*i+4:]) {
			return nil, fmt.Errorf("word %d is empty or out of order", i)
		}
	}
	return t, nil
}

// Sorted reports whether the words are in strictly increasing order, as
// Find's binary search needs: an error naming the first that isn't.
func (t *Table) Sorted() error {
	for i := 1; i < t.n; i++ {
		if bytes.Compare(t.word(i-1), t.word(i)) >= 0 {
			return fmt.Errorf("word %d (%q) is not after %q", i, t.Word(i), t.Word(i-1))
		}
	}
	return nil
}

// Len is the number of words.
func (t *Table) Len() int { return t.n }

// Word returns the i-th word in sorted order.
func (t *Table) Word(i int) string { return string(t.word(i)) }

// word is the i-th word's bytes, in place.
func (t *Table) word(i int) []byte {
	le := binary.LittleEndian
	return t.words[le.Uint32(t.offsets[4*i:]):le.Uint32(t.offsets[4*i+4:])]
}

// Find returns the index of w, or -1. It allocates nothing.
func (t *Table) Find(w string) int {
	lo, hi := 0, t.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if string(t.word(m)) < w {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < t.n && t.Word(lo) == w {
		return lo
	}
	return -1
}

// Rank returns the frequency rank of word i.
func (t *Table) Rank(i int) int { return int(binary.LittleEndian.Uint32(t.ranks[4*i:])) }

// AddTo adds weight times the vector of word i to dst.
func (t *Table) AddTo(dst []float32, i int, weight float32) {
	s := weight * math.Float32frombits(binary.LittleEndian.Uint32(t.scales[4*i:]))
	c := t.comps[i*Dims : (i+1)*Dims]
	for d := range dst[:Dims] {
		dst[d] += s * float32(int8(c[d]))
	}
}
