package layout

import (
	"slices"
	"text/template/parse"
)

// Files returns the template files t runs: its own, its base template and
// every partial it may call, directly or through other partials. A partial
// named at run time rather than by a constant makes every partial count.
// A change to any of them can change what t renders; a change to anything
// else cannot.
func (t *Template) Files() []string { return t.files }

// closure computes Files for every leaf, once, after parsing.
func (s *Set) closure() {
	all := slices.Sorted(func(yield func(string) bool) {
		for name := range s.sources {
			if len(name) > len(Dir+"/partials/") && name[:len(Dir+"/partials/")] == Dir+"/partials/" && !yield(name) {
				return
			}
		}
	})
	for _, leaf := range s.leaves {
		files := map[string]bool{leaf.Name: true, leaf.entry: true}
		var queue []*parse.Tree
		for _, tt := range leaf.tmpl.Templates() {
			if tt.Tree != nil {
				queue = append(queue, tt.Tree)
			}
		}
		dynamic := false
		for len(queue) > 0 {
			tree := queue[0]
			queue = queue[1:]
			for _, name := range partialCalls(tree.Root, &dynamic) {
				full := Dir + "/partials/" + name
				if files[full] {
					continue
				}
				files[full] = true
				if p := s.partials.Lookup(full); p != nil && p.Tree != nil {
					queue = append(queue, p.Tree)
				}
			}
		}
		if dynamic {
			for _, name := range all {
				files[name] = true
			}
		}
		leaf.files = slices.Sorted(func(yield func(string) bool) {
			for f := range files {
				if !yield(f) {
					return
				}
			}
		})
	}
}

// partialCalls lists the constant names given to partial in a template,
// and sets dynamic when a name is not a constant.
func partialCalls(n parse.Node, dynamic *bool) []string {
	var names []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for i, a := range n.Args {
				if id, ok := a.(*parse.IdentifierNode); ok && id.Ident == "partial" {
					if i == 0 && len(n.Args) > 1 {
						if s, ok := n.Args[1].(*parse.StringNode); ok {
							names = append(names, s.Text)
							continue
						}
					}
					*dynamic = true
				}
				walk(a)
			}
		}
	}
	walk(n)
	return names
}
