// Package sitefs is the file system a build reads a site from: os.DirFS,
// with ReadFile, Stat and ReadDir answered without opening an *os.File
// where the platform allows. A build reads every page of a site each time,
// and os.Open prepares each file for the network poller, which costs more
// system calls than reading a small page does.
package sitefs

import (
	"io/fs"
	"os"
	"path/filepath"
)

// FS reads the folder it was made for.
type FS struct {
	dir string
	fs.FS
}

var (
	_ fs.ReadFileFS = FS{}
	_ fs.StatFS     = FS{}
	_ fs.ReadDirFS  = FS{}
)

// New returns an FS for dir.
func New(dir string) FS { return FS{dir: dir, FS: os.DirFS(dir)} }

func (f FS) path(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(f.dir, filepath.FromSlash(name)), nil
}

// Stat is os.Stat inside the folder.
func (f FS) Stat(name string) (fs.FileInfo, error) {
	p, err := f.path("stat", name)
	if err != nil {
		return nil, err
	}
	return os.Stat(p)
}

// ReadDir is os.ReadDir inside the folder.
func (f FS) ReadDir(name string) ([]fs.DirEntry, error) {
	p, err := f.path("readdir", name)
	if err != nil {
		return nil, err
	}
	return os.ReadDir(p)
}

// ReadFile reads a whole file inside the folder.
func (f FS) ReadFile(name string) ([]byte, error) {
	p, err := f.path("open", name)
	if err != nil {
		return nil, err
	}
	data, err := readFile(p)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}
