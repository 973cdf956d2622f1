// Package safefile holds tlskit's two file guarantees: outputs are written
// atomically with their final mode from the first byte (a temp file in the
// same directory, fsync, then linked into place, so an existing file is never
// replaced unless asked and a failed write leaves nothing behind), and inputs
// are read with a size bound, so a wrong file, a directory or /dev/zero is
// refused instead of filling memory.
//
// It is the bottom layer: it imports only the standard library, and every
// other tlskit package may use it.
package safefile
