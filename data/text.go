package data

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// utf8BOM is the byte-order mark Windows tools (Notepad, Excel's "CSV UTF-8",
// some QGIS exports) put at the start of UTF-8 files. It is not part of the
// text: JSON and CSV parsers would otherwise read it as a stray character.
const utf8BOM = "\xef\xbb\xbf"

// trimBOM drops a leading UTF-8 byte-order mark.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte(utf8BOM)) }

// checkText prepares a whole text input (GeoJSON, CSV, dataset.yaml): it
// drops a leading UTF-8 BOM and refuses text that is not UTF-8. Without the
// check a Windows-1258 or TCVN3 export loads with garbled commune names and
// no word of warning; a name that no longer matches is a silently wrong
// result. The problem names the line of the first bad byte and the command
// that converts the file.
func checkText(file string, b []byte) ([]byte, Problem, bool) {
	if isGeoPackage(b) {
		return b, Problem{}, true // binary; its text columns are read as UTF-8 by SQLite
	}
	if p, ok := shapefileProblem(file, b); ok {
		return nil, p, false
	}
	b = trimBOM(b)
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		return nil, Problem{File: file, Msg: "the file is UTF-16 text, onestop reads UTF-8",
			Fix: fmt.Sprintf("convert it, e.g. iconv -f UTF-16 -t UTF-8 %s > converted, or export it again as UTF-8", shellQuote(file))}, false
	}
	if utf8.Valid(b) {
		return b, Problem{}, true
	}
	off := firstInvalidUTF8(b)
	return nil, Problem{File: file,
		Msg: fmt.Sprintf("the file is not UTF-8 text: byte 0x%02x at line %d is not valid UTF-8 (a Windows-1258, TCVN3 or Latin-1 export?); names would come out garbled",
			b[off], lineAt(b, int64(off))),
		Fix: fmt.Sprintf("convert it to UTF-8, e.g. iconv -f CP1258 -t UTF-8 %s > converted (then point dataset.yaml at the converted file), or export it again choosing UTF-8 (Excel: \"CSV UTF-8\")", shellQuote(file))}, false
}

// firstInvalidUTF8 is the offset of the first byte that does not start a
// valid UTF-8 sequence; len(b) when there is none.
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// shellQuote quotes a path for a command the user may paste, when it needs it.
func shellQuote(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '.' || r == '_' || r == '-') {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}
