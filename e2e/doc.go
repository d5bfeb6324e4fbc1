// Package e2e holds the browser tests: they drive Debian's Chromium
// (headless, through chromedp) against the embedded web client, once with
// canned views for every screen (layout_test.go) and once against the whole
// server, playing a hole by clicking (browser_test.go).
//
// They skip when Chromium is not installed, unless GOLF_REQUIRE_SERVICES=1.
// Screenshots go to $GOLF_ARTIFACTS, or testartifacts/ at the module root.
package e2e
