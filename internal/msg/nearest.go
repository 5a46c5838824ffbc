package msg

import "strings"

// distance is the Levenshtein distance between a and b, counting a swap
// of two neighbouring letters ("wieght") as one edit.
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range y {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// Nearest returns the name in names closest to name, or "" when none is
// within a few edits: for messages that ask "did you mean …?".
func Nearest(name string, names []string) string {
	best, bestDist := "", 0
	for _, n := range names {
		d := distance(strings.ToLower(name), strings.ToLower(n))
		if best == "" || d < bestDist {
			best, bestDist = n, d
		}
	}
	if best == "" || bestDist > max(2, len([]rune(name))/4) {
		return ""
	}
	return best
}
