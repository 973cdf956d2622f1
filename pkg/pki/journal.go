package pki

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// JournalFile records, while a bootstrap writes, the files it is writing. A
// run killed half way (a key written, its certificate not yet) leaves it
// behind, and the next run recognises those files as its own and completes
// them; a file the journal does not vouch for is still refused.
const JournalFile = "bootstrap-journal.json"

const journalFormat = "tlskit-bootstrap-journal/1"

// journal maps each file name to the SHA-256 of the content written to it.
type journal struct {
	Format string            `json:"format"`
	Files  map[string]string `json:"files"`
}

func contentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// readJournal parses the journal in state; nil when there is none.
func readJournal(state DirState) (*journal, error) {
	f, ok := state[JournalFile]
	if !ok {
		return nil, nil
	}
	var j journal
	if err := json.Unmarshal(f.Data, &j); err != nil || j.Format != journalFormat {
		return nil, fmt.Errorf("%s: %w: not a tlskit bootstrap journal", JournalFile, ErrForeignFile)
	}
	return &j, nil
}

// vouches reports whether the journal says an interrupted run wrote name as
// it is in state.
func (j *journal) vouches(state DirState, name string) bool {
	f, ok := state[name]
	return j != nil && ok && j.Files[name] == contentHash(f.Data)
}

// nextJournal is the journal of a run about to make writes: those files, and
// the files the old journal vouches for that this run keeps (a key whose
// certificate it is about to write), so that a crash of this run too is
// recovered.
func nextJournal(old *journal, state DirState, writes []pendingWrite) ([]byte, error) {
	j := journal{Format: journalFormat, Files: map[string]string{}}
	if old != nil {
		for _, name := range slices.Sorted(maps.Keys(old.Files)) {
			if old.vouches(state, name) {
				j.Files[name] = old.Files[name]
			}
		}
	}
	for _, w := range writes {
		j.Files[w.name] = contentHash(w.data)
	}
	data, err := json.MarshalIndent(j, "", "  ")
	return append(data, '\n'), err
}
