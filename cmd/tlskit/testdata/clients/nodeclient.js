// A TLS client for tlskit fixtures check: fetch URL with Node's https module.
// Usage: node nodeclient.js CA URL [CERT KEY]
// Exits 0 when the server is accepted and answers, 1 otherwise.
const fs = require("fs");
const https = require("https");

const [ca, url, cert, key] = process.argv.slice(2);
const opts = { ca: fs.readFileSync(ca), timeout: 10000 };
if (cert) {
  opts.cert = fs.readFileSync(cert);
  opts.key = fs.readFileSync(key);
}
https
  .get(url, opts, (res) => {
    res.resume();
    res.on("end", () => process.exit(res.statusCode === 200 ? 0 : 1));
  })
  .on("error", (e) => {
    console.error("rejected:", e.message);
    process.exit(1);
  });
