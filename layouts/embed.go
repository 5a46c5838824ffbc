// Package layouts embeds the default theme's templates, so that
// "serikat init" can hand a new federation a working site. The templates
// themselves are documented in the README's "Template API" section.
package layouts

import "embed"

// FS holds every file of this folder. The Go file is skipped when copied.
//
//go:embed *
var FS embed.FS
