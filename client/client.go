// Package client holds the browser client: static HTML, CSS and JavaScript
// modules, embedded in the binary and served by package web at "/" and
// "/r/{code}". There is no build step: what is in this directory is what the
// browser loads.
package client

import (
	"embed"
	"io/fs"
)

//go:embed index.html style.css stats.css replay.css favicon.svg js i18n
var files embed.FS

// FS is the web client, rooted so that index.html is at its top. It is
// read-only; package web serves it as it is.
var FS fs.FS = files
