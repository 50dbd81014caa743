// Package lexicon helps retrieval understand questions as people type
// them: it expands a word or phrase into synonyms, derivations, irregular
// base forms and aliases (Expand), tells whether WordNet knows a word
// (Known), and corrects typos against the corpus vocabulary (Speller).
//
// The expansions come from WordNet 3.0 through a table that
// internal/wngen generates (see go:generate below) and that is embedded
// in the binary as sorted text; lookups binary-search it in place, so
// there is nothing to parse at start-up. The table is derived from
// WordNet, whose licence (Princeton University, WordNet 3.0 Copyright
// 2006) is in the file WORDNET-LICENSE beside it and must ship with it.
package lexicon

//go:generate go run ./internal/wngen -dict /usr/share/wordnet -o table.txt
