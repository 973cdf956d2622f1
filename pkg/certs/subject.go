package certs

import (
	"encoding/asn1"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"crypto/x509/pkix"
)

// stringKind is the ASN.1 string type openssl writes for an attribute with its
// default "utf8only" string mask: PrintableString where the standard demands
// it, IA5String for e-mail and domain components, UTF8String otherwise.
type stringKind int

const (
	kindUTF8 stringKind = iota
	kindPrintable
	kindIA5
)

// attribute describes one subject attribute type tlskit understands.
type attribute struct {
	short  string
	oid    asn1.ObjectIdentifier
	kind   stringKind
	maxLen int // RFC 5280 upper bound in characters; 0 means none
}

var attributes = []attribute{
	{"C", asn1.ObjectIdentifier{2, 5, 4, 6}, kindPrintable, 2},
	{"ST", asn1.ObjectIdentifier{2, 5, 4, 8}, kindUTF8, 128},
	{"L", asn1.ObjectIdentifier{2, 5, 4, 7}, kindUTF8, 128},
	{"O", asn1.ObjectIdentifier{2, 5, 4, 10}, kindUTF8, 64},
	{"OU", asn1.ObjectIdentifier{2, 5, 4, 11}, kindUTF8, 64},
	{"CN", asn1.ObjectIdentifier{2, 5, 4, 3}, kindUTF8, 64},
	{"emailAddress", asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, kindIA5, 255},
	{"serialNumber", asn1.ObjectIdentifier{2, 5, 4, 5}, kindPrintable, 64},
	{"DC", asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}, kindIA5, 0},
	{"UID", asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}, kindUTF8, 256},
	{"street", asn1.ObjectIdentifier{2, 5, 4, 9}, kindUTF8, 128},
	{"title", asn1.ObjectIdentifier{2, 5, 4, 12}, kindUTF8, 64},
	{"GN", asn1.ObjectIdentifier{2, 5, 4, 42}, kindUTF8, 32768},
	{"SN", asn1.ObjectIdentifier{2, 5, 4, 4}, kindUTF8, 32768},
	{"postalCode", asn1.ObjectIdentifier{2, 5, 4, 17}, kindUTF8, 40},
}

// longNames are openssl's long attribute names, accepted as aliases.
var longNames = map[string]string{
	"countryname": "C", "stateorprovincename": "ST", "localityname": "L",
	"organizationname": "O", "organizationalunitname": "OU", "commonname": "CN",
	"domaincomponent": "DC", "userid": "UID", "streetaddress": "street",
	"givenname": "GN", "surname": "SN",
}

// lookupAttribute finds an attribute by short name, long name (both
// case-insensitively) or dotted OID.
func lookupAttribute(name string) (attribute, error) {
	if short, ok := longNames[strings.ToLower(name)]; ok {
		name = short
	}
	for _, a := range attributes {
		if strings.EqualFold(a.short, name) {
			return a, nil
		}
	}
	if oid, ok := parseDottedOID(name); ok {
		return attributeForOID(oid), nil
	}
	return attribute{}, fmt.Errorf("unknown attribute %q", name)
}

// attributeForOID returns the known attribute for oid, or a UTF8String
// attribute without a length limit for an OID tlskit has no name for.
func attributeForOID(oid asn1.ObjectIdentifier) attribute {
	for _, a := range attributes {
		if a.oid.Equal(oid) {
			return a
		}
	}
	return attribute{short: oid.String(), oid: oid, kind: kindUTF8}
}

func parseDottedOID(s string) (asn1.ObjectIdentifier, bool) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return nil, false
	}
	oid := make(asn1.ObjectIdentifier, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || p[0] == '+' {
			return nil, false
		}
		oid[i] = n
	}
	// DER can only encode a first arc of 0, 1 or 2 (and < 40 under 0 and 1).
	if oid[0] > 2 || (oid[0] < 2 && oid[1] >= 40) {
		return nil, false
	}
	return oid, true
}

// ParseSubject parses an openssl-style subject such as
// "/C=US/O=Acme, Inc./CN=www.example.com", with \ escapes and multi-valued
// RDNs joined by '+'. Errors wrap ErrInvalidSubject. The sequence keeps the
// order given, values are Go strings; CreateCSR encodes them with the string
// types openssl uses (and, as DER and openssl do, sorts the values inside a
// multi-valued RDN by their encoding).
func ParseSubject(s string) (pkix.RDNSequence, error) {
	rdns, err := parseSubject(s)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %s", ErrInvalidSubject, s, err.Error())
	}
	return rdns, nil
}

func parseSubject(s string) (pkix.RDNSequence, error) {
	if !strings.HasPrefix(s, "/") {
		return nil, fmt.Errorf("must start with '/' as in /C=US/O=Example/CN=www.example.com")
	}
	var seq pkix.RDNSequence
	var set pkix.RelativeDistinguishedNameSET
	sc := subjectScanner{in: s[1:]}
	for !sc.done() {
		atv, sep, err := sc.next()
		if err != nil {
			return nil, err
		}
		set = append(set, atv)
		if sep != '+' {
			seq = append(seq, set)
			set = nil
		}
	}
	if set != nil {
		return nil, fmt.Errorf("nothing after the final '+'")
	}
	if len(seq) == 0 {
		return nil, fmt.Errorf("no attributes")
	}
	return seq, nil
}

// subjectScanner splits "TYPE=VALUE" items separated by unescaped '/' or '+'.
type subjectScanner struct {
	in string
}

func (sc *subjectScanner) done() bool { return sc.in == "" }

// next returns one attribute and the separator that ended it (0 at the end).
func (sc *subjectScanner) next() (pkix.AttributeTypeAndValue, byte, error) {
	name, err := sc.until("=/+")
	if err != nil {
		return pkix.AttributeTypeAndValue{}, 0, err
	}
	switch {
	case strings.TrimSpace(name) == "" && sc.in != "" && sc.in[0] != '=':
		return pkix.AttributeTypeAndValue{}, 0, fmt.Errorf("empty attribute (check for a doubled '/' or '+')")
	case sc.in == "" || sc.in[0] != '=':
		return pkix.AttributeTypeAndValue{}, 0, fmt.Errorf("missing '=' after %q", name)
	}
	sc.in = sc.in[1:]
	value, err := sc.until("/+")
	if err != nil {
		return pkix.AttributeTypeAndValue{}, 0, err
	}
	var sep byte
	if sc.in != "" {
		sep, sc.in = sc.in[0], sc.in[1:]
	}
	atv, err := makeATV(strings.TrimSpace(name), value)
	return atv, sep, err
}

// until consumes and unescapes input up to (not including) an unescaped
// byte from stops.
func (sc *subjectScanner) until(stops string) (string, error) {
	var b strings.Builder
	for sc.in != "" && !strings.ContainsRune(stops, rune(sc.in[0])) {
		c := sc.in[0]
		if c == '\\' {
			if len(sc.in) == 1 {
				return "", fmt.Errorf("trailing '\\' escapes nothing")
			}
			sc.in = sc.in[1:]
			c = sc.in[0]
		}
		b.WriteByte(c)
		sc.in = sc.in[1:]
	}
	return b.String(), nil
}

func makeATV(name, value string) (pkix.AttributeTypeAndValue, error) {
	if name == "" {
		return pkix.AttributeTypeAndValue{}, fmt.Errorf("empty attribute name before %q", "="+value)
	}
	a, err := lookupAttribute(name)
	if err != nil {
		return pkix.AttributeTypeAndValue{}, err
	}
	if err := a.check(value); err != nil {
		return pkix.AttributeTypeAndValue{}, err
	}
	return pkix.AttributeTypeAndValue{Type: a.oid, Value: a.normalize(value)}, nil
}

// check validates value against the attribute's string type and length.
func (a attribute) check(value string) error {
	switch {
	case value == "":
		return fmt.Errorf("empty value for %s", a.short)
	case !utf8.ValidString(value):
		return fmt.Errorf("%s is not valid UTF-8", a.short)
	case a.short == "C" && !isCountryCode(value):
		return fmt.Errorf("country %q is not a 2-letter code such as US", value)
	case a.kind == kindPrintable && !isPrintableString(value):
		return fmt.Errorf("%s %q may only contain letters, digits, spaces and '()+,-./:=?", a.short, value)
	case a.kind == kindIA5 && !isASCII(value):
		return fmt.Errorf("%s %q must be ASCII", a.short, value)
	case a.maxLen > 0 && utf8.RuneCountInString(value) > a.maxLen:
		return fmt.Errorf("%s is %d characters long, the limit is %d",
			a.short, utf8.RuneCountInString(value), a.maxLen)
	}
	return nil
}

// normalize writes a value the way certificates carry it: country codes
// in upper case (ISO 3166: "us" is US). A bad code is left as typed, for
// the error that names it.
func (a attribute) normalize(value string) string {
	if a.short == "C" && isCountryCode(value) {
		return strings.ToUpper(value)
	}
	return value
}

func isCountryCode(s string) bool {
	return len(s) == 2 && isLetter(s[0]) && isLetter(s[1])
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func isPrintableString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !isDigit(c) && !strings.ContainsRune(" '()+,-./:=?", rune(c)) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// SubjectFields are the fields openssl req prompts for; empty ones are skipped.
type SubjectFields struct {
	Country, State, Locality, Organization, OrganizationalUnit, CommonName, Email string
}

// RDNs returns the fields as a subject in openssl's order. It does not
// validate the values; CheckSubject and CreateCSR do.
func (f SubjectFields) RDNs() pkix.RDNSequence {
	fields := []struct {
		short, value string
	}{
		{"C", f.Country}, {"ST", f.State}, {"L", f.Locality}, {"O", f.Organization},
		{"OU", f.OrganizationalUnit}, {"CN", f.CommonName}, {"emailAddress", f.Email},
	}
	var seq pkix.RDNSequence
	for _, fl := range fields {
		if fl.value == "" {
			continue
		}
		a, _ := lookupAttribute(fl.short)
		seq = append(seq, pkix.RelativeDistinguishedNameSET{{Type: a.oid, Value: a.normalize(fl.value)}})
	}
	return seq
}

var oidCommonName = asn1.ObjectIdentifier{2, 5, 4, 3}

// CommonName returns the first CN in a subject, or "".
func CommonName(subject pkix.RDNSequence) string {
	for _, set := range subject {
		for _, atv := range set {
			if s, ok := atv.Value.(string); ok && atv.Type.Equal(oidCommonName) {
				return s
			}
		}
	}
	return ""
}

// CheckSubject validates every value of subject as CreateCSR will, so a bad
// field is refused before a key is read or a passphrase asked. Errors wrap
// ErrInvalidSubject.
func CheckSubject(subject pkix.RDNSequence) error {
	_, err := marshalSubject(subject)
	return err
}

// marshalSubject DER-encodes a subject with the string types openssl uses
// (see stringKind). Encoding the RDNSequence directly, rather than going
// through pkix.Name, keeps multi-valued RDNs and the attribute order.
func marshalSubject(subject pkix.RDNSequence) ([]byte, error) {
	seq := make(pkix.RDNSequence, len(subject))
	for i, set := range subject {
		seq[i] = make(pkix.RelativeDistinguishedNameSET, len(set))
		for j, atv := range set {
			v, err := encodeValue(atv)
			if err != nil {
				return nil, fmt.Errorf("%w: %s", ErrInvalidSubject, err.Error())
			}
			seq[i][j] = pkix.AttributeTypeAndValue{Type: atv.Type, Value: v}
		}
	}
	return asn1.Marshal(seq)
}

// encodeValue turns a string value into a RawValue of the right string type;
// values that are not strings are passed through for asn1 to encode.
func encodeValue(atv pkix.AttributeTypeAndValue) (any, error) {
	s, ok := atv.Value.(string)
	if !ok {
		return atv.Value, nil
	}
	a := attributeForOID(atv.Type)
	if err := a.check(s); err != nil {
		return nil, err
	}
	tag := map[stringKind]int{kindUTF8: asn1.TagUTF8String,
		kindPrintable: asn1.TagPrintableString, kindIA5: asn1.TagIA5String}[a.kind]
	return asn1.RawValue{Tag: tag, Bytes: []byte(s)}, nil
}
