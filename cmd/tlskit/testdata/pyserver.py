import socket, ssl, sys, threading

# A TLS echo server on 127.0.0.1 with Python's ssl module: prints its port,
# then echoes each client until it closes. argv: cert key [client-ca] [max-version]
cert, key = sys.argv[1], sys.argv[2]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
if len(sys.argv) > 3 and sys.argv[3]:
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(sys.argv[3])
if len(sys.argv) > 4 and sys.argv[4] == "1.2":
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)

def echo(raw):
    try:
        with ctx.wrap_socket(raw, server_side=True) as c:
            while True:
                data = c.recv(65536)
                if not data:
                    break
                c.sendall(data)
    except (ssl.SSLError, OSError):
        pass

while True:
    raw, _ = srv.accept()
    threading.Thread(target=echo, args=(raw,), daemon=True).start()
