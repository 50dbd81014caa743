//go:build !race

package main

// raceEnabled reports whether the tests run under the race detector, which
// makes the bot several times slower: the load test scales its counts down.
const raceEnabled = false
