//go:build !linux && !darwin

package main

import (
	"errors"
	"os"
)

func echoOff(*os.File) (func(), error) {
	return nil, errors.New("hidden input is not supported on this system")
}
