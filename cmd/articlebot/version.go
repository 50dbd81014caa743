package main

import (
	"runtime/debug"
	"strings"
)

// readBuildInfo is debug.ReadBuildInfo, or nil when the binary has none.
func readBuildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return bi
}

// versionLine is what --version prints: the module version, then the VCS
// revision, its time and whether the work tree was modified, as the Go
// toolchain stamped them into the binary ("go build" inside a checkout).
func versionLine(bi *debug.BuildInfo) string {
	version := "(unknown)"
	if bi != nil && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	line := "articlebot " + version
	if bi == nil {
		return line
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	var vcs []string
	if rev := settings["vcs.revision"]; rev != "" {
		vcs = append(vcs, "revision "+rev)
	}
	if t := settings["vcs.time"]; t != "" {
		vcs = append(vcs, t)
	}
	if settings["vcs.modified"] == "true" {
		vcs = append(vcs, "modified")
	}
	if len(vcs) > 0 {
		line += " (" + strings.Join(vcs, ", ") + ")"
	}
	if bi.GoVersion != "" {
		line += " " + bi.GoVersion
	}
	return line
}
