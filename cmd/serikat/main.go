// Command serikat builds a union's training and campaign site from Markdown.
//
// Usage:
//
//	serikat                    (serve the site here and open its editor; offer to make one)
//	serikat build [-s DIR] [-d DIR] [--drafts] [--future] [--base-url URL] [--no-minify] [--quiet]
//	serikat check [-s DIR] [--format text|json] [--external]
//	serikat serve [-s DIR]
//	serikat join serve|keygen|export|delete|stats
//	serikat init DIR
//	serikat new module|campaign|news "Judul"
//	serikat version
//
// See the README for the whole manual.
package main

import (
	"os"
)

func main() {
	if err := Execute(os.Args[1:]); err != nil {
		os.Exit(1)
	}
}
