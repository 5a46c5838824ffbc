// Package theme checks the default theme as workers meet it, on this
// repository's own site (content/, layouts/, assets/ at the module root):
// page-weight budgets, scripts that never block rendering, no web fonts and
// no request to another host (budget_test.go), accessibility and
// screenshots in headless Chromium (browser_test.go), and, there too, that
// a phone keeps no trace of signing up (evidence_test.go).
//
// The budgets, in gzip-compressed bytes of a page's HTML with its inlined
// CSS: 14,600 for the home, join and campaign pages (one round trip on a
// slow connection), 30,000 for module pages; JavaScript at most 10 KB
// compressed in all.
package theme
