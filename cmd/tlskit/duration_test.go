package main

import (
	"errors"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"30d", 30 * day},
		{"1d12h", 36 * time.Hour},
		{"0.5d", 12 * time.Hour},
		{"90s", 90 * time.Second},
		{"1h30m", 90 * time.Minute},
		{"-30d", -30 * day},
		{"0s", 0},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "30", "d", "30x", "NaNd", "Infd", "0x1p4d", "1d-2h", "1d2", "200000d", "1.2.3d", "30dd"} {
		if _, err := parseDuration(bad); !errors.Is(err, errDurationSyntax) {
			t.Errorf("parseDuration(%q) = %v, want errDurationSyntax", bad, err)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{30 * day, "30d"},
		{36 * time.Hour, "1d12h"},
		{5 * time.Minute, "5m"},
		{time.Hour, "1h"},
		{90 * time.Minute, "1h30m"},
		{10 * time.Second, "10s"},
		{1500 * time.Millisecond, "1.5s"},
		{0, "0s"},
		{-2 * day, "-2d"},
		{day + time.Second, "1d1s"},
	}
	for _, tt := range tests {
		if got := formatDuration(tt.in); got != tt.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := parseDuration(formatDuration(tt.in)); err != nil || back != tt.in {
			t.Errorf("parseDuration(formatDuration(%v)) = %v, %v", tt.in, back, err)
		}
	}
}
