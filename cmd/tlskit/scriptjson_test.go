package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdJSONDoc runs "json-doc" and fails unless the last command's stdout is
// exactly one JSON document, as a json.load reader needs.
func cmdJSONDoc(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: json-doc")
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(ts.ReadFile("stdout"))))
	var doc any
	if err := dec.Decode(&doc); err != nil {
		ts.Fatalf("stdout is not JSON: %v", err)
	}
	if err := dec.Decode(&doc); !errors.Is(err, io.EOF) {
		ts.Fatalf("stdout holds more than one JSON document (%v)", err)
	}
}
