package echo_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"os/signal"

	"github.com/tlskit/tlskit/pkg/echo"
)

// A server that runs until interrupted, then lets its clients finish.
func ExampleServer() {
	cert, err := tls.LoadX509KeyPair("server.crt", "server.key")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	srv, err := echo.NewServer(echo.Config{
		Addr:        "localhost:4433",
		Certificate: &cert,
		Logger:      slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := srv.ListenAndServe(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

// A client that checks the echo of one message.
func ExampleDial() {
	pem, err := os.ReadFile("ca.crt")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	cfg := echo.ClientConfig{Addr: "localhost:4433", RootCAs: roots}
	conn, err := echo.Dial(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // wraps echo.ErrConnect or echo.ErrHandshake
		return
	}
	defer conn.Close()
	s := echo.Summarize(conn, cfg)
	fmt.Println(s.Version, s.CipherSuite, s.Group)
	got, err := echo.Exchange(conn, []byte("hello"))
	fmt.Printf("%s %v\n", got, err)
}
