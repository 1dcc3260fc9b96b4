//! Character encodings of transcripts: bytes in, decoded text out, with the encoding it was
//! read in (BOM, XML declaration, valid UTF-8, or detected among the legacy Cyrillic and Latin
//! code pages), and the way back: corrected text spliced into the original bytes in the same
//! encoding. It does not know about XML structure or tokens.

use crate::error::{Error, Result};
use encoding_rs::{
    Encoding, IBM866, ISO_8859_5, KOI8_R, KOI8_U, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1251, WINDOWS_1252,
};
use std::ops::Range;
use std::path::Path;

/// How the encoding was found; only a guess is worth a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    /// A byte-order mark said so.
    Bom,
    /// The XML declaration named it.
    Declared,
    /// No mark, and the bytes are valid UTF-8.
    Utf8,
    /// Not UTF-8: a detector guessed it from the byte statistics.
    Guessed,
    /// The user named it (`--encoding`).
    Forced,
}

/// A file's text and how to put corrected text back into its bytes.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark at the start of the bytes (kept as it was on write).
    pub bom: usize,
    pub detection: Detection,
}

/// The encodings a guess may land on: the legacy Cyrillic code pages archives hold, and the
/// Western one for the German and English pages. Anything else a detector says is more likely
/// a misreading of binary data than a real transcript.
const GUESSABLE: [&Encoding; 6] = [WINDOWS_1251, KOI8_R, KOI8_U, IBM866, ISO_8859_5, WINDOWS_1252];

/// The name a user knows an encoding by (encoding_rs uses the WHATWG names).
pub fn display_name(e: &'static Encoding) -> &'static str {
    if e == IBM866 {
        "CP866"
    } else {
        e.name()
    }
}

/// An encoding from a label such as `utf-8`, `windows-1251`, `cp1251`, `koi8-r`, `cp866`, `utf-16le`.
pub fn by_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase();
    // A few spellings archives use that the WHATWG label list does not have.
    let l = match l.as_str() {
        "cp-1251" | "win-1251" | "win1251" => "windows-1251",
        "cp-866" | "dos-866" | "ibm-866" => "ibm866",
        "utf8" => "utf-8",
        other => other,
    };
    let e = Encoding::for_label(l.as_bytes())?;
    // `replacement` and `x-user-defined` are WHATWG devices, not encodings a file is in.
    (e != encoding_rs::REPLACEMENT && e != encoding_rs::X_USER_DEFINED).then_some(e)
}

/// Decode `bytes` (named by `path` in errors). `forced` skips detection.
pub fn decode(path: &Path, bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded> {
    if let Some(enc) = forced {
        let bom = match enc {
            e if e == UTF_8 && bytes.starts_with(b"\xEF\xBB\xBF") => 3,
            e if e == UTF_16LE && bytes.starts_with(b"\xFF\xFE") => 2,
            e if e == UTF_16BE && bytes.starts_with(b"\xFE\xFF") => 2,
            _ => 0,
        };
        return decode_as(path, bytes, enc, bom, Detection::Forced);
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return decode_as(path, bytes, UTF_8, 3, Detection::Bom);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return decode_as(path, bytes, UTF_16LE, 2, Detection::Bom);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return decode_as(path, bytes, UTF_16BE, 2, Detection::Bom);
    }
    // XML may be UTF-16 without a mark: its first character is '<' (XML 1.0, appendix F).
    if bytes.starts_with(b"<\0?\0") {
        return decode_as(path, bytes, UTF_16LE, 0, Detection::Declared);
    }
    if bytes.starts_with(b"\0<\0?") {
        return decode_as(path, bytes, UTF_16BE, 0, Detection::Declared);
    }
    if let Some(label) = xml_declared_encoding(bytes) {
        let enc = by_label(&label).ok_or_else(|| Error::BadInput {
            path: path.to_path_buf(),
            reason: format!("its XML declaration names the encoding {label:?}, which scanproof does not know"),
        })?;
        // A UTF-16 declaration in a file that reads as ASCII is wrong; the bytes win.
        if enc != UTF_16LE && enc != UTF_16BE {
            return decode_as(path, bytes, enc, 0, Detection::Declared);
        }
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok(Decoded { text: s.to_string(), encoding: UTF_8, bom: 0, detection: Detection::Utf8 }),
        Err(e) => e.valid_up_to(),
    };
    let undetected = || Error::UndetectedEncoding { path: path.to_path_buf(), offset: utf8_error };
    let enc = guess(bytes).ok_or_else(undetected)?;
    let decoded = decode_as(path, bytes, enc, 0, Detection::Guessed).map_err(|_| undetected())?;
    if !plausible_text(&decoded.text) {
        return Err(undetected());
    }
    Ok(decoded)
}

/// The detector's guess, if it is one of the encodings a transcript may be in.
fn guess(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, false);
    let enc = if enc == KOI8_U && !bytes.iter().any(|b| KOI8_U_ONLY.contains(b)) {
        // KOI8-U adds Ukrainian letters where KOI8-R has box drawing; Russian text uses
        // neither, and Russian archives are KOI8-R, so that is the name to give.
        KOI8_R
    } else {
        enc
    };
    GUESSABLE.contains(&enc).then_some(enc)
}

const KOI8_U_ONLY: [u8; 8] = [0xA4, 0xA6, 0xA7, 0xAD, 0xB4, 0xB6, 0xB7, 0xBD];

/// Text a person typed: no control characters but line ends, tabs and form feeds, and mostly
/// letters and digits among the other characters. A guess that yields anything else was a
/// guess about binary data.
fn plausible_text(text: &str) -> bool {
    let (mut letters, mut others) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}') {
            return false;
        }
        if c.is_alphanumeric() {
            letters += 1;
        } else if !c.is_whitespace() {
            others += 1;
        }
    }
    letters > 0 && letters >= others
}

/// The `encoding="…"` of an XML declaration at the very start of ASCII-compatible bytes.
fn xml_declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.strip_prefix(b"<?xml")?;
    let end = head.iter().take(400).position(|&b| b == b'>')?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// Decode strictly as `enc` after a BOM of `bom` bytes: a malformed sequence is an error that
/// names its byte offset, never a replacement character (which would shift every offset).
fn decode_as(path: &Path, bytes: &[u8], enc: &'static Encoding, bom: usize, detection: Detection) -> Result<Decoded> {
    let body = &bytes[bom..];
    let text =
        if enc == UTF_8 {
            match std::str::from_utf8(body) {
                Ok(s) => s.to_string(),
                Err(e) => return Err(Error::InvalidUtf8 { path: path.to_path_buf(), offset: bom + e.valid_up_to() }),
            }
        } else if enc == UTF_16LE || enc == UTF_16BE {
            decode_utf16(body, enc == UTF_16BE).map_err(|at| Error::BadEncoding {
                path: path.to_path_buf(),
                encoding: enc.name().to_string(),
                offset: bom + at,
            })?
        } else {
            let text = enc.decode_without_bom_handling_and_without_replacement(body).ok_or_else(|| {
                Error::BadEncoding { path: path.to_path_buf(), encoding: display_name(enc).to_string(), offset: bom }
            })?;
            // Splicing maps one character to one byte in these code pages; refuse anything else
            // rather than write corrections to the wrong place.
            if !enc.is_single_byte() || text.chars().count() != body.len() {
                return Err(Error::BadInput {
                    path: path.to_path_buf(),
                    reason: format!("{} is not a single-byte encoding scanproof can write back", display_name(enc)),
                });
            }
            text.into_owned()
        };
    Ok(Decoded { text, encoding: enc, bom, detection })
}

/// UTF-16 without replacement: an unpaired surrogate or an odd final byte is an error at its
/// byte offset.
fn decode_utf16(body: &[u8], big_endian: bool) -> std::result::Result<String, usize> {
    if !body.len().is_multiple_of(2) {
        return Err(body.len() - 1);
    }
    let units = body.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut at = 0;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                at += c.len_utf16() * 2;
                text.push(c);
            }
            Err(_) => return Err(at),
        }
    }
    Ok(text)
}

/// A character the file's encoding has no byte for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrepresentable {
    pub ch: char,
    pub encoding: &'static str,
}

impl std::fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} (U+{:04X}) cannot be written in {}", self.ch, self.ch as u32, self.encoding)
    }
}

impl Decoded {
    /// `s` in this file's encoding.
    pub fn encode(&self, s: &str) -> std::result::Result<Vec<u8>, Unrepresentable> {
        let enc = self.encoding;
        if enc == UTF_8 {
            return Ok(s.as_bytes().to_vec());
        }
        if enc == UTF_16LE || enc == UTF_16BE {
            let be = enc == UTF_16BE;
            return Ok(s.encode_utf16().flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() }).collect());
        }
        let mut out = Vec::with_capacity(s.len());
        for c in s.chars() {
            let mut buf = [0u8; 4];
            let (bytes, _, unmappable) = enc.encode(c.encode_utf8(&mut buf));
            if unmappable || bytes.len() != 1 {
                return Err(Unrepresentable { ch: c, encoding: display_name(enc) });
            }
            out.push(bytes[0]);
        }
        Ok(out)
    }

    /// How many bytes `s` takes in this file's encoding (for text read from it, so it fits).
    fn encoded_len(&self, s: &str) -> usize {
        let enc = self.encoding;
        if enc == UTF_8 {
            s.len()
        } else if enc == UTF_16LE || enc == UTF_16BE {
            s.encode_utf16().count() * 2
        } else {
            s.chars().count()
        }
    }

    /// The original bytes with each edit (a byte range of `text`, sorted and disjoint, and
    /// its new text) put in; every other byte is copied as it was, the BOM included.
    pub fn splice(
        &self,
        original: &[u8],
        edits: &[(Range<usize>, String)],
    ) -> std::result::Result<Vec<u8>, Unrepresentable> {
        let mut out = Vec::with_capacity(original.len() + 64);
        let mut text_at = 0; // in `text`
        let mut byte_at = self.bom; // in `original`, at the same place
        out.extend_from_slice(&original[..self.bom]);
        for (range, new) in edits {
            let keep = self.encoded_len(&self.text[text_at..range.start]);
            out.extend_from_slice(&original[byte_at..byte_at + keep]);
            out.extend_from_slice(&self.encode(new)?);
            byte_at += keep + self.encoded_len(&self.text[range.clone()]);
            text_at = range.end;
        }
        out.extend_from_slice(&original[byte_at..]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Decoded> {
        decode(Path::new("t.txt"), bytes, None)
    }

    const RUSSIAN: &str = "Товарищ Багиров, мы просим вашей помощи в деле беженцев.\nМосква, 1946 год.\n";

    #[test]
    fn legacy_cyrillic_is_detected_and_named() {
        for (enc, name) in [(WINDOWS_1251, "windows-1251"), (KOI8_R, "KOI8-R"), (IBM866, "CP866")] {
            let (bytes, _, _) = enc.encode(RUSSIAN);
            let d = read(&bytes).unwrap();
            assert_eq!((d.text.as_str(), display_name(d.encoding), d.detection), (RUSSIAN, name, Detection::Guessed));
        }
    }

    #[test]
    fn boms_and_declarations() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(RUSSIAN.encode_utf16().flat_map(u16::to_le_bytes));
        let d = read(&le).unwrap();
        assert_eq!((d.text.as_str(), d.encoding, d.bom), (RUSSIAN, UTF_16LE, 2));
        let mut be = vec![0xFE, 0xFF];
        be.extend(RUSSIAN.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(read(&be).unwrap().encoding, UTF_16BE);
        let d = read(b"\xEF\xBB\xBFabc").unwrap();
        assert_eq!((d.text.as_str(), d.bom), ("abc", 3));
        let xml = [b"<?xml version='1.0' encoding='KOI8-R'?><a>".as_slice(), &KOI8_R.encode("Ёж").0].concat();
        let d = read(&xml).unwrap();
        assert_eq!((d.encoding, d.detection), (KOI8_R, Detection::Declared));
        assert!(d.text.ends_with("Ёж"));
    }

    #[test]
    fn garbage_and_forced_utf8_name_the_byte_offset() {
        let garbage: Vec<u8> = (0..200u32).map(|i| (i * 7919 % 251) as u8).collect();
        let err = read(&garbage).unwrap_err().to_string();
        assert!(err.contains("t.txt") && err.contains("byte offset"), "{err}");
        let err = decode(Path::new("t.txt"), b"ab\xFFc", Some(UTF_8)).unwrap_err().to_string();
        assert!(err.contains("UTF-8") && err.contains("byte offset 2"), "{err}");
    }

    #[test]
    fn splice_keeps_every_other_byte_and_refuses_what_it_cannot_write() {
        for enc in [UTF_8, WINDOWS_1251, KOI8_R, IBM866, UTF_16LE, UTF_16BE] {
            let original = match enc {
                e if e == UTF_16LE => {
                    [vec![0xFF, 0xFE], RUSSIAN.encode_utf16().flat_map(u16::to_le_bytes).collect()].concat()
                }
                e if e == UTF_16BE => {
                    [vec![0xFE, 0xFF], RUSSIAN.encode_utf16().flat_map(u16::to_be_bytes).collect()].concat()
                }
                e => e.encode(RUSSIAN).0.into_owned(),
            };
            let d = decode(Path::new("t"), &original, Some(enc)).unwrap();
            assert_eq!(d.splice(&original, &[]).unwrap(), original);
            let at = d.text.find("Багиров").unwrap();
            let edited = d.splice(&original, &[(at..at + "Багиров".len(), "Бахиров".into())]).unwrap();
            let back = decode(Path::new("t"), &edited, Some(enc)).unwrap();
            assert_eq!(back.text, RUSSIAN.replace("Багиров", "Бахиров"));
            if enc != UTF_8 && enc != UTF_16LE && enc != UTF_16BE {
                let err = d.splice(&original, &[(at..at + 2, "漢".into())]).unwrap_err();
                assert_eq!(err.ch, '漢');
            }
        }
    }

    #[test]
    fn labels() {
        assert_eq!(by_label("cp1251"), Some(WINDOWS_1251));
        assert_eq!(by_label("CP866"), Some(IBM866));
        assert_eq!(by_label("koi8-r"), Some(KOI8_R));
        assert_eq!(by_label("utf8"), Some(UTF_8));
        assert_eq!(by_label("klingon"), None);
    }
}
