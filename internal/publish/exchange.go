package publish

import "os"

// exchangeByRenames swaps two folders with three renames, for systems
// without an atomic exchange. There is a moment when b does not exist.
func exchangeByRenames(a, b string) error {
	tmp := a + ".old"
	if err := os.Rename(b, tmp); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		_ = os.Rename(tmp, b)
		return err
	}
	return os.Rename(tmp, a)
}
