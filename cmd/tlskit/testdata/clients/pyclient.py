"""A TLS client for tlskit fixtures check: fetch URL with Python's ssl and urllib.

Usage: pyclient.py [--insecure] CA URL [CERT KEY]
Exits 0 when the server is accepted and answers, 1 otherwise. --insecure is
the deliberately broken client: no certificate or host name checks.
"""
import ssl
import sys
import urllib.request

args = sys.argv[1:]
insecure = args[:1] == ["--insecure"]
if insecure:
    args = args[1:]
ca, url = args[0], args[1]
ctx = ssl.create_default_context(cafile=ca)
if insecure:
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
if len(args) == 4:
    ctx.load_cert_chain(args[2], args[3])
try:
    with urllib.request.urlopen(url, context=ctx, timeout=10) as resp:
        resp.read()
except Exception as e:  # any failure is a rejection
    print("rejected:", e, file=sys.stderr)
    sys.exit(1)
print("accepted")
