// Package cmsapi answers the local backend protocol of Decap CMS, the one
// decap-server speaks at /api/v1, on the files of a site, so that the
// editor at /admin/ (package admin) reads and writes them under "serikat
// serve" with no Node, no git and no login.
//
// # The protocol
//
// Every request is a POST of {"action": …, "params": {…}} as JSON; the
// answer is JSON. The actions, as decap-server's local file system mode
// answers them:
//
//	info              {repo, publish_modes: ["simple"], type: "local_fs"}
//	entriesByFolder   folder, extension, depth → [{data, file: {path, id}}]
//	entriesByFiles    files: [{path, label}] → the same
//	getEntry          path → {data, file}
//	persistEntry      entry or dataFiles [{path, raw, newPath}], assets [{path, content, encoding: "base64"}]
//	getMedia          mediaFolder → [{id, content, encoding, path, name}]
//	getMediaFile      path → {id, content, encoding, path, name}
//	persistMedia      asset → the file as getMediaFile
//	deleteFile        path;  deleteFiles  paths
//	getDeployPreview  → null
//
// An id is the SHA-256 of the file's bytes. A file that cannot be read is
// an entry with data null. Anything else gets 422 with {"error": …}.
//
// # What it refuses
//
// It reads and writes only inside the site's content/ folder, where pages
// and their photos (the editor's media folders) live: a path that is
// absolute, climbs out with "..", or leads out through a symbolic link is
// refused with 422, and nothing is written. A request whose Host is not
// one the server answers to, or whose Origin is not that same host, is
// refused with 403: a web page the trainer has open elsewhere must not be
// able to write files through the editor's server (the browser sends
// Origin with every POST, and a DNS name pointed at 127.0.0.1 still sends
// its own Host). A request from another computer is refused too, even when
// serve listens on the network so that a phone can preview: anyone on that
// network could write such headers. Bodies are limited to MaxBody.
package cmsapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// MaxBody is the largest request accepted: a page with a few photos.
const MaxBody = 64 << 20

// Dir is the folder of the site the protocol may read and write.
const Dir = "content"

// Handler answers the protocol for one site.
type Handler struct {
	site  string // the site's folder, absolute, symbolic links resolved
	hosts func(host string) bool
	// Saved, when set, is told the site's files written or removed
	// ("content/modul/a/index.md") after each request that changed any.
	Saved func(files []string)
}

// New answers for the site in dir, to requests whose Host hosts accepts
// (such as "127.0.0.1:1313").
func New(dir string, hosts func(host string) bool) (*Handler, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	return &Handler{site: real, hosts: hosts}, nil
}

type request struct {
	Action string          `json:"action"`
	Params json.RawMessage `json:"params"`
}

// errRefused is a request the protocol refuses (422).
var errRefused = errors.New("refused")

// fromThisComputer reports whether r comes from this computer. serve may
// listen on the network for a phone to preview, but headers are whatever a
// program on that network writes: only a browser here may change files.
func fromThisComputer(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

func refusef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errRefused, fmt.Sprintf(format, args...))
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !fromThisComputer(r) || !h.hosts(r.Host) || r.Header.Get("Origin") != "http://"+r.Host ||
		r.Header.Get("Sec-Fetch-Site") != "" && r.Header.Get("Sec-Fetch-Site") != "same-origin" {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "only the editor at this server's own /admin/ may use this"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "POST only"})
		return
	}
	var req request
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody)).Decode(&req); err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "the body is not a JSON request: " + err.Error()})
		return
	}
	var changed []string
	answer, err := h.do(req, &changed)
	if len(changed) > 0 && h.Saved != nil {
		h.Saved(changed)
	}
	switch {
	case errors.Is(err, errRefused):
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusOK, answer)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type fileRef struct {
	Path  string `json:"path"`
	Label string `json:"label,omitempty"`
	ID    any    `json:"id"`
}

type entry struct {
	Data any     `json:"data"`
	File fileRef `json:"file"`
}

type dataFile struct {
	Path    string `json:"path"`
	Raw     string `json:"raw"`
	NewPath string `json:"newPath"`
}

type asset struct {
	Path     string `json:"path"`
	Content  string `json:"content"`
	Encoding string `json:"encoding"`
}

type mediaFile struct {
	ID       string `json:"id"`
	Content  string `json:"content"`
	Encoding string `json:"encoding"`
	Path     string `json:"path"`
	Name     string `json:"name"`
}

func (h *Handler) do(req request, changed *[]string) (any, error) {
	var p struct {
		Folder      string     `json:"folder"`
		Extension   string     `json:"extension"`
		Depth       int        `json:"depth"`
		Files       []fileRef  `json:"files"`
		Path        string     `json:"path"`
		Paths       []string   `json:"paths"`
		Entry       *dataFile  `json:"entry"`
		DataFiles   []dataFile `json:"dataFiles"`
		Assets      []asset    `json:"assets"`
		Asset       *asset     `json:"asset"`
		MediaFolder string     `json:"mediaFolder"`
	}
	if len(req.Params) > 0 {
		if err := json.Unmarshal(req.Params, &p); err != nil {
			return nil, refusef("params: %v", err)
		}
	}
	switch req.Action {
	case "info":
		return map[string]any{"repo": filepath.Base(h.site), "publish_modes": []string{"simple"}, "type": "local_fs"}, nil
	case "entriesByFolder":
		files, err := h.list(p.Folder, p.Extension, p.Depth)
		if err != nil {
			return nil, err
		}
		refs := make([]fileRef, len(files))
		for i, f := range files {
			refs[i] = fileRef{Path: f}
		}
		return h.entries(refs)
	case "entriesByFiles":
		return h.entries(p.Files)
	case "getEntry":
		e, err := h.entries([]fileRef{{Path: p.Path}})
		if err != nil {
			return nil, err
		}
		return e[0], nil
	case "persistEntry":
		files := p.DataFiles
		if p.Entry != nil {
			files = append(files, *p.Entry)
		}
		for _, f := range files {
			if err := h.write(f.Path, []byte(f.Raw), changed); err != nil {
				return nil, err
			}
		}
		for _, a := range p.Assets {
			if err := h.writeAsset(a, changed); err != nil {
				return nil, err
			}
		}
		for _, f := range files {
			if f.NewPath != "" && f.NewPath != f.Path {
				if err := h.move(f.Path, f.NewPath, changed); err != nil {
					return nil, err
				}
			}
		}
		return map[string]string{"message": "entry persisted"}, nil
	case "getMedia":
		files, err := h.list(p.MediaFolder, "", 1)
		if err != nil {
			return nil, err
		}
		out := []mediaFile{}
		for _, f := range files {
			if m, err := h.media(f); err == nil && !strings.HasSuffix(f, ".md") {
				out = append(out, m)
			}
		}
		return out, nil
	case "getMediaFile":
		return h.media(p.Path)
	case "persistMedia":
		if p.Asset == nil {
			return nil, refusef("persistMedia needs an asset")
		}
		if err := h.writeAsset(*p.Asset, changed); err != nil {
			return nil, err
		}
		return h.media(p.Asset.Path)
	case "deleteFile":
		p.Paths = []string{p.Path}
		fallthrough
	case "deleteFiles":
		for _, f := range p.Paths {
			if err := h.remove(f, changed); err != nil {
				return nil, err
			}
		}
		return map[string]string{"message": "deleted"}, nil
	case "getDeployPreview":
		return nil, nil
	}
	return nil, refusef("unknown action %q", req.Action)
}

// resolve turns a site path into a file path inside content/, refusing
// one that is absolute, climbs out, or leads out through a symbolic link
// (for a path that does not exist yet, through its deepest existing
// folder).
func (h *Handler) resolve(p string) (string, error) {
	if p == "" || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) || path.IsAbs(p) || filepath.IsAbs(p) || filepath.VolumeName(p) != "" {
		return "", refusef("%q: write a path inside %s/", p, Dir)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", refusef("%q leaves %s/", p, Dir)
		}
	}
	clean := path.Clean(p)
	if clean != Dir && !strings.HasPrefix(clean, Dir+"/") {
		return "", refusef("%q is outside %s/", p, Dir)
	}
	full := filepath.Join(h.site, filepath.FromSlash(clean))
	root := filepath.Join(h.site, Dir)
	existing, rest := full, ""
	for {
		real, err := filepath.EvalSymlinks(existing)
		if err == nil {
			if real != root && !strings.HasPrefix(real, root+string(filepath.Separator)) {
				return "", refusef("%q leads out of %s/", p, Dir)
			}
			return filepath.Join(real, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if existing == root || len(existing) <= len(h.site) {
			return "", refusef("%q: the site has no %s/ folder", p, Dir)
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = filepath.Dir(existing)
	}
}

// list returns the files under folder, down to depth levels, whose names
// end in extension, as site paths.
func (h *Handler) list(folder, extension string, depth int) ([]string, error) {
	dir, err := h.resolve(folder)
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(dir, rel string, depth int)
	walk = func(dir, rel string, depth int) {
		if depth <= 0 {
			return
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := path.Join(rel, e.Name())
			switch {
			case e.IsDir():
				walk(filepath.Join(dir, e.Name()), name, depth-1)
			case e.Type().IsRegular() && strings.HasSuffix(e.Name(), extension):
				out = append(out, name)
			}
		}
	}
	walk(dir, path.Clean(folder), depth)
	return out, nil
}

func (h *Handler) entries(files []fileRef) ([]entry, error) {
	out := make([]entry, len(files))
	for i, f := range files {
		out[i] = entry{File: fileRef{Path: f.Path, Label: f.Label}}
		full, err := h.resolve(f.Path)
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(full)
		if err != nil {
			continue // data null, as decap-server answers
		}
		out[i].Data, out[i].File.ID = string(data), sum(data)
	}
	return out, nil
}

func (h *Handler) media(p string) (mediaFile, error) {
	full, err := h.resolve(p)
	if err != nil {
		return mediaFile{}, err
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return mediaFile{}, refusef("%s: %v", p, errors.Unwrap(err))
	}
	return mediaFile{ID: sum(data), Content: base64.StdEncoding.EncodeToString(data), Encoding: "base64",
		Path: p, Name: path.Base(p)}, nil
}

func (h *Handler) writeAsset(a asset, changed *[]string) error {
	if a.Encoding != "base64" {
		return refusef("%s: encoding %q, want base64", a.Path, a.Encoding)
	}
	data, err := base64.StdEncoding.DecodeString(a.Content)
	if err != nil {
		return refusef("%s: %v", a.Path, err)
	}
	return h.write(a.Path, data, changed)
}

// write replaces a file through a temporary file beside it, so the site's
// watcher never reads half of it.
func (h *Handler) write(p string, data []byte, changed *[]string) error {
	full, err := h.resolve(p)
	if err != nil {
		return err
	}
	if strings.HasSuffix(p, "/") {
		return refusef("%q is a folder", p)
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(full), ".cmsapi-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), full)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	*changed = append(*changed, path.Clean(p))
	return nil
}

func (h *Handler) move(from, to string, changed *[]string) error {
	src, err := h.resolve(from)
	if err != nil {
		return err
	}
	dst, err := h.resolve(to)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		return err
	}
	*changed = append(*changed, path.Clean(from), path.Clean(to))
	return nil
}

func (h *Handler) remove(p string, changed *[]string) error {
	full, err := h.resolve(p)
	if err != nil {
		return err
	}
	if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	*changed = append(*changed, path.Clean(p))
	return nil
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}
