package main

// The openssl equivalents of the key subcommands, for --explain. Keys are
// written under umask 377, as tlskit writes them 0400.

import (
	"fmt"
	"strings"

	"github.com/tlskit/tlskit/pkg/keys"
)

// explainKeyDecrypt is key decrypt: the key as plain PKCS#8.
func explainKeyDecrypt(in, passin, out string) string {
	return fmt.Sprintf("(umask 377 && openssl pkey -in %s%s -out %s)", shQuote(in), passArg("-passin", passin), shQuote(out))
}

// explainTopk8 is key encrypt: the key as PKCS#8 encrypted like genkey's.
func explainTopk8(in, passin, passout string, enc keys.Encryption, out string) string {
	return fmt.Sprintf("(umask 377 && openssl pkcs8 -topk8 -in %s%s %s -out %s)",
		shQuote(in), passArg("-passin", passin), pbes2Args(passout, enc), shQuote(out))
}

// pbes2Args are openssl pkcs8 -topk8's options for genkey's encryption.
func pbes2Args(passout string, enc keys.Encryption) string {
	kdf := fmt.Sprintf("-v2prf hmacWithSHA256 -iter %d", iterations(enc))
	if strings.EqualFold(enc.KDF, "scrypt") {
		kdf = "-scrypt"
	}
	return "-v2 aes-256-cbc " + kdf + passArg("-passout", passout)
}

// explainKeyPasswd is key passwd: openssl cannot rewrite its input, so the
// new file is written next to it and moved into place.
func explainKeyPasswd(path, passin, passout string, enc keys.Encryption) string {
	return explainTopk8(path, passin, passout, enc, path+".new") + " && mv " + shQuote(path+".new") + " " + shQuote(path)
}

// explainKeyConvert is key convert.
func explainKeyConvert(in, passin, to string, der, encrypt bool, passout string, enc keys.Encryption, out string) string {
	if to == keys.FormatPKCS8 && !der {
		if encrypt {
			return explainTopk8(in, passin, passout, enc, out)
		}
		return explainKeyDecrypt(in, passin, out)
	}
	opts := ""
	if to != keys.FormatPKCS8 {
		opts += " -traditional"
	}
	if der {
		opts += " -outform DER"
	}
	return fmt.Sprintf("(umask 377 && openssl pkey -in %s%s%s -out %s)", shQuote(in), passArg("-passin", passin), opts, shQuote(out))
}

// explainKeyPub is key pub.
func explainKeyPub(in, passin string, der bool, out string) string {
	cmd := fmt.Sprintf("openssl pkey -in %s%s -pubout", shQuote(in), passArg("-passin", passin))
	if der {
		cmd += " -outform DER"
	}
	if out != "-" {
		cmd += " -out " + shQuote(out)
	}
	return cmd
}

// explainKeyMatch is key match: the two public keys compared byte for byte.
func explainKeyMatch(key, passin, cert string) string {
	return fmt.Sprintf("cmp <(openssl pkey -in %s%s -pubout) <(openssl x509 -in %s -noout -pubkey)",
		shQuote(key), passArg("-passin", passin), shQuote(cert))
}
