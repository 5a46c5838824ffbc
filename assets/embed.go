// Package assets embeds the default theme's stylesheets and scripts, so that
// "serikat init" can hand a new federation a working site.
package assets

import "embed"

// FS holds every file of this folder. The Go file is skipped when copied.
//
//go:embed *
var FS embed.FS
