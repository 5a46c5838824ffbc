package layout

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"text/template/parse"
)

// fragmentFunc and eachFunc are the functions a fragment's call site
// invokes: a site-only part of a template, or the body of a range that
// reads only its element.
const (
	fragmentFunc = "__serikat_fragment"
	eachFunc     = "__serikat_each"
)

// Options tunes how a Set runs its templates.
type Options struct {
	// SiteField is the field of a page that leads only to what is the same
	// for every page of a site ("Site"). Empty: no fragments are made.
	SiteField string
	// Fragment runs a fragment with data. It may return what an earlier
	// call with the same id returned instead: for a site-only fragment
	// (shared), whenever data's site is the same; for a range's body, when
	// data (the element) is the same too. nil: every fragment runs.
	Fragment func(id string, shared bool, data any, run func(data any) (template.HTML, error)) (template.HTML, error)
}

// fragmentsOf turns the site-only parts of every template in t, and the
// bodies of ranges that read only their element, into fragments, then
// undoes those that turn out not to sit in HTML text. prefix keeps ids
// unique across sets.
func (s *Set) fragmentsOf(t *template.Template, prefix string, entries []string) {
	if s.opts.SiteField == "" {
		return
	}
	undo := map[string]func(){}
	// add makes body a fragment called by fn in place of n; undo puts n back
	add := func(tt *template.Template, fn string, n parse.Node, body *parse.ListNode) (*parse.ActionNode, string, bool) {
		id := fmt.Sprintf("%s#%d", prefix, len(undo)+1)
		call, err := fragmentCall(fn, id, n)
		if err != nil {
			return nil, "", false
		}
		tree := &parse.Tree{Name: fragmentFunc + id, ParseName: tt.Tree.ParseName, Root: body}
		if _, err := t.AddParseTree(tree.Name, tree); err != nil {
			return nil, "", false
		}
		s.fragments[id] = t
		return call, id, true
	}
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil || strings.HasPrefix(tt.Name(), fragmentFunc) {
			continue
		}
		// root: whether the dot is still the page where list stands
		var visit func(list *parse.ListNode, root bool)
		visit = func(list *parse.ListNode, root bool) {
			if list == nil {
				return
			}
			for i, n := range list.Nodes {
				if root && s.siteOnly(n) {
					body := &parse.ListNode{NodeType: parse.NodeList, Pos: n.Position(), Nodes: []parse.Node{n}}
					if call, id, ok := add(tt, fragmentFunc, n, body); ok {
						list.Nodes[i] = call
						undo[id] = func() { list.Nodes[i] = n }
						continue
					}
				}
				switch n := n.(type) {
				case *parse.IfNode:
					visit(n.List, root)
					visit(n.ElseList, root)
				case *parse.WithNode:
					visit(n.List, false)
					visit(n.ElseList, root)
				case *parse.RangeNode:
					visit(n.ElseList, root)
					if s.elementOnly(n) {
						body := n.List
						if call, id, ok := add(tt, eachFunc, body, body); ok {
							n.List = &parse.ListNode{NodeType: parse.NodeList, Pos: body.Position(), Nodes: []parse.Node{call}}
							undo[id] = func() { n.List = body }
							continue
						}
					}
					visit(n.List, false)
				}
			}
		}
		visit(tt.Tree.Root, true)
	}
	if len(undo) == 0 {
		return
	}
	for id := range s.outsideText(t, entries) {
		undo[id]()
		delete(s.fragments, id)
	}
}

// outsideText escapes a copy of t from each entry and returns the ids of
// fragment calls that html/template escapes as anything but HTML text.
func (s *Set) outsideText(t *template.Template, entries []string) map[string]bool {
	bad := map[string]bool{}
	probe, err := t.Clone()
	if err != nil { // no copy to escape: undo them all
		fragmentCalls(t, func(id string, _ []*parse.CommandNode) { bad[id] = true })
		return bad
	}
	// No function may run while escaping is triggered: each one fails at
	// once, and so does the first field of the missing data.
	stubs := template.FuncMap{}
	for name := range s.funcs {
		stubs[name] = func(...any) (string, error) { return "", errProbe }
	}
	stubs[fragmentFunc] = func(...any) (string, error) { return "", errProbe }
	stubs[eachFunc] = stubs[fragmentFunc]
	probe.Funcs(stubs)
	for _, e := range entries {
		_ = probe.ExecuteTemplate(io.Discard, e, nil)
	}
	fragmentCalls(probe, func(id string, escapers []*parse.CommandNode) {
		if len(escapers) != 1 || !isIdent(escapers[0], "_html_template_htmlescaper") {
			bad[id] = true
		}
	})
	return bad
}

// fragmentCalls calls fn for each fragment call in t's templates, with the
// commands that follow it in its pipeline (the escapers html/template added).
func fragmentCalls(t *template.Template, fn func(id string, after []*parse.CommandNode)) {
	for _, tt := range t.Templates() {
		if tt.Tree == nil {
			continue
		}
		eachAction(tt.Tree.Root, func(a *parse.ActionNode) {
			if len(a.Pipe.Cmds) == 0 {
				return
			}
			if id, ok := fragmentID(a.Pipe.Cmds[0]); ok {
				fn(id, a.Pipe.Cmds[1:])
			}
		})
	}
}

// eachAction calls fn for every action in the tree under n.
func eachAction(n parse.Node, fn func(*parse.ActionNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, m := range n.Nodes {
				eachAction(m, fn)
			}
		}
	case *parse.ActionNode:
		fn(n)
	case *parse.IfNode:
		eachAction(n.List, fn)
		eachAction(n.ElseList, fn)
	case *parse.WithNode:
		eachAction(n.List, fn)
		eachAction(n.ElseList, fn)
	case *parse.RangeNode:
		eachAction(n.List, fn)
		eachAction(n.ElseList, fn)
	}
}

var errProbe = fmt.Errorf("layout: escaping probe")

// fragmentCall is the action {{ fn "id" . }} in place of n.
func fragmentCall(fn, id string, n parse.Node) (*parse.ActionNode, error) {
	trees, err := parse.Parse("fragment", fmt.Sprintf("{{%s %q .}}", fn, id), "", "", map[string]any{fn: true})
	if err != nil {
		return nil, err
	}
	a := trees["fragment"].Root.Nodes[0].(*parse.ActionNode)
	a.Pos, a.Line = n.Position(), 0
	return a, nil
}

func fragmentID(c *parse.CommandNode) (string, bool) {
	if len(c.Args) != 3 || !isIdent(c, fragmentFunc) && !isIdent(c, eachFunc) {
		return "", false
	}
	s, ok := c.Args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return s.Text, true
}

func isIdent(c *parse.CommandNode, name string) bool {
	if len(c.Args) == 0 {
		return false
	}
	id, ok := c.Args[0].(*parse.IdentifierNode)
	return ok && id.Ident == name
}

// runFragment and runEach are the functions behind fragments' call sites.
func (s *Set) runFragment(id string, data any) (template.HTML, error) { return s.run(id, true, data) }
func (s *Set) runEach(id string, data any) (template.HTML, error)     { return s.run(id, false, data) }

func (s *Set) run(id string, shared bool, data any) (template.HTML, error) {
	t := s.fragments[id]
	if t == nil {
		return "", fmt.Errorf("no fragment %q", id)
	}
	run := func(data any) (template.HTML, error) {
		var buf bufferWriter
		if err := t.ExecuteTemplate(&buf, fragmentFunc+id, data); err != nil {
			return "", err
		}
		return template.HTML(buf), nil
	}
	if s.opts.Fragment == nil {
		return run(data)
	}
	return s.opts.Fragment(id, shared, data, run)
}

type bufferWriter []byte

func (b *bufferWriter) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }

// siteOnly reports whether n is a range, with or if, worth sharing, that
// reaches the page (the dot where n stands) only through its site field.
func (s *Set) siteOnly(n parse.Node) bool {
	switch n.(type) {
	case *parse.RangeNode, *parse.WithNode, *parse.IfNode:
	default:
		return false
	}
	c := &siteCheck{field: s.opts.SiteField, declared: map[string]bool{}}
	c.node(n, true)
	return c.ok && (c.ranges > 0 || c.reads >= 3)
}

// elementOnly reports whether the body of the range n, worth sharing,
// reads nothing but its element and the site: the same element shows the
// same wherever it is listed.
func (s *Set) elementOnly(n *parse.RangeNode) bool {
	if n.Pipe == nil || len(n.Pipe.Decl) > 0 {
		return false // $i and $e differ from one place to the next
	}
	// in the fragment, $ is the element: the page's $ cannot be used
	c := &siteCheck{field: s.opts.SiteField, declared: map[string]bool{}, noDollar: true}
	c.node(n.List, false)
	return c.ok && c.reads >= 2
}

// siteCheck walks a candidate fragment. root is whether the dot is still
// the page; declared are the variables the fragment itself declares.
type siteCheck struct {
	field    string
	declared map[string]bool
	ok       bool
	started  bool
	ranges   int
	reads    int
	noDollar bool // $ is not the page where the fragment runs
}

func (c *siteCheck) node(n parse.Node, root bool) {
	if !c.started {
		c.started, c.ok = true, true
	}
	if !c.ok || n == nil {
		return
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, m := range n.Nodes {
			c.node(m, root)
		}
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	case *parse.ActionNode:
		c.pipe(n.Pipe, root)
	case *parse.IfNode:
		c.pipe(n.Pipe, root)
		c.node(n.List, root)
		c.node(n.ElseList, root)
	case *parse.WithNode:
		c.pipe(n.Pipe, root)
		c.node(n.List, false)
		c.node(n.ElseList, root)
	case *parse.RangeNode:
		c.ranges++
		c.pipe(n.Pipe, root)
		c.node(n.List, false)
		c.node(n.ElseList, root)
	case *parse.TemplateNode:
		c.pipe(n.Pipe, root)
	default:
		c.ok = false
	}
}

func (c *siteCheck) pipe(p *parse.PipeNode, root bool) {
	if p == nil || !c.ok {
		return
	}
	for _, cmd := range p.Cmds {
		for _, arg := range cmd.Args {
			c.arg(arg, root)
		}
	}
	for _, v := range p.Decl {
		if p.IsAssign && !c.declared[v.Ident[0]] {
			c.ok = false // assigns to a variable outside the fragment
		}
		c.declared[v.Ident[0]] = true
	}
}

func (c *siteCheck) arg(n parse.Node, root bool) {
	switch n := n.(type) {
	case *parse.FieldNode:
		c.reads++
		if root && n.Ident[0] != c.field {
			c.ok = false
		}
	case *parse.DotNode:
		if root {
			c.ok = false
		}
	case *parse.VariableNode:
		c.reads++
		if n.Ident[0] == "$" {
			if c.noDollar || len(n.Ident) < 2 || n.Ident[1] != c.field {
				c.ok = false
			}
		} else if !c.declared[n.Ident[0]] {
			c.ok = false
		}
	case *parse.ChainNode:
		c.reads++
		c.arg(n.Node, root)
	case *parse.PipeNode:
		c.pipe(n, root)
	case *parse.IdentifierNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
	default:
		c.ok = false
	}
}
