// Package publish puts a build's files in its destination folder (public/)
// so that readers of the folder see the old site or the new one, never half
// of each, and a failed build leaves the old site exactly as it was.
//
// # Fresh and incremental builds
//
// A fresh build (Open with no previous files) writes every file into a new
// folder beside the destination, .public-build-*, and Commit swaps it in
// with one rename: an atomic exchange on Linux (renameat2), three renames
// elsewhere.
//
// An incremental build is given what the last build left in the
// destination (from the build cache) after Unchanged has checked that the
// folder still holds exactly that, file by file, by size and modification
// time; a folder edited by hand since then gets a fresh build. Keep marks a
// file whose bytes did not change, and nothing is written for it; Put
// stages a changed file in .public-stage-* beside the destination, on the
// same file system. Commit renames each staged file into place, then
// removes the last build's files the new build no longer has, and the
// folders they leave empty.
//
// Until Commit nothing touches the destination; Abort removes what was
// staged. Commit's Result is what the destination then holds, for the
// next build's cache.
//
// # What it does not do
//
// It does not decide which files a build makes, nor whether one changed
// (the caller compares hashes, see package buildcache), and it does not
// save the build cache. InMemory gives a Writer with the same rules that
// keeps the files in memory, for a build that only checks a site.
package publish
