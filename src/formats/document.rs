//! What a read document does with its source: flags and reviews annotated from its markup, and
//! corrections written back into its bytes, touching only the characters that change.

use super::xml::{self, Escape};
use super::{char_bounds, docx, tei, Document, Edit, TranscriptFormat, WriteOptions};
use crate::types::Flag;
use std::ops::Range;

impl Document {
    /// Give each flag the element id and line coordinates of the text it is about.
    pub fn annotate(&self, flags: &mut [Flag]) {
        for flag in flags {
            if let Some(el) = self.layout.element_at(flag.start..flag.end) {
                flag.element_id = el.id.clone();
                flag.line_bbox = el.line_bbox;
            }
            // A TEI file's own line and column: the text read from it has other lines.
            if self.format == TranscriptFormat::Tei {
                if let Some((line, column)) = self.source_position(flag.start) {
                    (flag.line, flag.column) = (line, column);
                }
            }
        }
    }

    /// Line and column (1-based, column in code points) in the decoded source of the text's
    /// code point `at` (or of the first one after it held by an element).
    pub fn source_position(&self, at: usize) -> Option<(usize, usize)> {
        let segs = &self.layout.segments;
        let seg = &segs[segs.iter().position(|s| at < s.chars.end)?];
        let raw = &self.decoded.text[seg.source.clone()];
        let offsets = match seg.escape {
            Escape::CData => char_bounds(raw),
            _ => xml::unescape(raw, false, false).ok()?.offsets,
        };
        let byte = seg.source.start + offsets.get(at.saturating_sub(seg.chars.start))?;
        let src = &self.decoded.text[..byte];
        let line = src.matches('\n').count() + 1;
        let column = src[src.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
        Some((line, column))
    }

    /// Everything the transcript's own markup says about a finished review: each flag's element
    /// (and, for TEI, its line and column in the file), the pages' names from TEI `<pb n>`, and
    /// no flag for missing text where the edition itself marks a `<gap/>` or `<unclear>`.
    pub fn annotate_review(&self, review: &mut crate::types::Review) {
        self.annotate(&mut review.flags);
        let Some(tei) = &self.tei else { return };
        let text: Vec<char> = self.transcript.text.chars().collect();
        // In the stretch, or separated from it by nothing but spaces and punctuation.
        let near = |at: usize, zone: &Range<usize>| {
            if zone.start <= at && at <= zone.end {
                return true;
            }
            let (a, b) = if at < zone.start { (at, zone.start) } else { (zone.end, at) };
            text.get(a..b).is_some_and(|between| between.iter().all(|c| !c.is_alphanumeric()))
        };
        let before = review.flags.len();
        review.flags.retain(|f| {
            !(f.kind == crate::types::DiscrepancyKind::Delete && tei.quiet.iter().any(|z| near(f.start, z)))
        });
        if review.flags.len() != before {
            review.stats.flags_total = review.flags.len();
            review.stats.flags_shown = review.flags.iter().filter(|f| f.shown).count();
            for p in &mut review.pages {
                p.flags_shown = review.flags.iter().filter(|f| f.shown && f.page == p.page).count();
            }
        }
        // Pages by the scan their <pb facs> names, else in order when the counts agree.
        let breaks = &tei.page_breaks;
        let file_name = |s: &str| s.rsplit(['/', '\\']).next().unwrap_or(s).to_string();
        let pages = review.pages.len();
        for (i, page) in review.pages.iter_mut().enumerate() {
            let name = page.path.file_name().map(|n| n.to_string_lossy().into_owned());
            let by_facs = breaks.iter().find(|b| b.facs.as_deref().map(file_name).is_some_and(|f| Some(f) == name));
            let by_order = (breaks.len() == pages).then(|| &breaks[i]);
            if let Some(n) = by_facs.or(by_order).and_then(|b| b.n.clone()) {
                page.label = Some(n);
            }
        }
    }

    /// The file's bytes with each edit (a code-point span of the transcript text, sorted and
    /// disjoint, and its new text) put in; every other byte stays as it was.
    pub fn rewrite(&self, original: &[u8], edits: &[(Range<usize>, String)]) -> std::result::Result<Vec<u8>, String> {
        let edits: Vec<Edit> = edits
            .iter()
            .map(|(span, text)| Edit {
                span: span.clone(),
                text: text.clone(),
                author: String::new(),
                at: String::new(),
            })
            .collect();
        self.write_corrections(original, &edits, &WriteOptions::default())
    }

    /// `rewrite` with who made each correction and when: a TEI file records them in its
    /// `<choice>`s and `<revisionDesc>`, a Word document in its tracked changes.
    pub fn write_corrections(
        &self,
        original: &[u8],
        edits: &[Edit],
        opts: &WriteOptions,
    ) -> std::result::Result<Vec<u8>, String> {
        let plain = || edits.iter().map(|e| (e.span.clone(), e.text.clone())).collect::<Vec<_>>();
        let source_edits = match self.format {
            TranscriptFormat::Text => {
                let bounds = char_bounds(&self.decoded.text);
                plain()
                    .into_iter()
                    .map(|(r, new)| {
                        let at = |i: usize| bounds.get(i).copied().ok_or("span past the end of the text");
                        Ok((at(r.start)?..at(r.end)?, new))
                    })
                    .collect::<std::result::Result<Vec<_>, String>>()?
            }
            TranscriptFormat::Tei => {
                let info = self.tei.as_ref().ok_or("a TEI document read without its markup")?;
                let text = &self.transcript.text;
                tei::source_edits(&self.decoded.text, text, &self.layout, info, edits, opts.tei_mode, &|e| {
                    self.markup_edits(e)
                })?
            }
            TranscriptFormat::Docx => {
                let info = self.docx.as_ref().ok_or("a Word document read without its runs")?;
                return docx::write_tracked_changes(original, &self.decoded, &self.transcript.text, info, edits);
            }
            _ => self.markup_edits(&plain())?,
        };
        self.decoded.splice(original, &source_edits).map_err(|e| e.to_string())
    }

    /// Turn edits of the transcript text into edits of the XML source: only the characters that
    /// change, inside the elements that hold them, escaped as the source escapes them.
    pub(crate) fn markup_edits(
        &self,
        edits: &[(Range<usize>, String)],
    ) -> std::result::Result<Vec<(Range<usize>, String)>, String> {
        let text = &self.transcript.text;
        let bounds = char_bounds(text);
        // Per segment: (code-point range local to the segment, new text).
        let mut per_segment: std::collections::BTreeMap<usize, Vec<(Range<usize>, String)>> = Default::default();
        for (span, new) in edits {
            let old = text
                .get(
                    *bounds.get(span.start).ok_or("span past the end")?
                        ..*bounds.get(span.end).ok_or("span past the end")?,
                )
                .ok_or("bad span")?;
            for (a, b, insert) in char_hunks(old, new) {
                let (a, b) = (span.start + a, span.start + b);
                self.place_hunk(a, b, &insert, &mut per_segment)?;
            }
        }
        let mut out = Vec::new();
        for (i, mut local) in per_segment {
            let seg = &self.layout.segments[i];
            local.sort_by_key(|(r, _)| (r.start, r.end));
            let raw = &self.decoded.text[seg.source.clone()];
            let offsets = match seg.escape {
                Escape::CData => char_bounds(raw),
                Escape::Text => xml::unescape(raw, false, self.format == TranscriptFormat::Hocr)?.offsets,
                Escape::Attribute(_) => xml::unescape(raw, true, self.format == TranscriptFormat::Hocr)?.offsets,
            };
            let mut last_end = 0;
            for (r, new) in local {
                if r.start < last_end {
                    return Err("two corrections overlap inside one element".into());
                }
                last_end = r.end;
                let (a, b) = (
                    *offsets.get(r.start).ok_or("correction past the element's text")?,
                    *offsets.get(r.end).ok_or("correction past the element's text")?,
                );
                out.push((seg.source.start + a..seg.source.start + b, xml::escape(&new, seg.escape)?));
            }
        }
        out.sort_by_key(|(r, _)| (r.start, r.end));
        if out.windows(2).any(|w| w[1].0.start < w[0].0.end) {
            return Err("two corrections overlap in the XML".into());
        }
        Ok(out)
    }

    /// Put one changed stretch `a..b` (code points of the text) with its new text into the
    /// segments. Inside one element it is a local edit. Across elements (a merge, a word moved
    /// over a line end) the first element takes the joined result and the others are emptied:
    /// the text still reads right, and no element is added or removed.
    fn place_hunk(
        &self,
        a: usize,
        b: usize,
        insert: &str,
        per_segment: &mut std::collections::BTreeMap<usize, Vec<(Range<usize>, String)>>,
    ) -> std::result::Result<(), String> {
        let segs = &self.layout.segments;
        if let Some(i) = segs.iter().position(|s| s.chars.start <= a && b <= s.chars.end) {
            let s = &segs[i];
            per_segment.entry(i).or_default().push((a - s.chars.start..b - s.chars.start, insert.to_string()));
            return Ok(());
        }
        let touched: Vec<usize> = (0..segs.len())
            .filter(|&i| {
                let s = &segs[i].chars;
                (s.start < b && a < s.end) || s.end == a || s.start == b || (a <= s.start && s.end <= b)
            })
            .collect();
        let (Some(&first), Some(&last)) = (touched.first(), touched.last()) else {
            return Err(format!("no element holds the text at {a}..{b}; correct this place by hand"));
        };
        let text = &self.transcript.text;
        let seg_text = |i: usize| -> String {
            let r = &segs[i].chars;
            text.chars().skip(r.start).take(r.len()).collect()
        };
        let (fs, ls) = (&segs[first].chars, &segs[last].chars);
        let keep_head: String = seg_text(first).chars().take(a.saturating_sub(fs.start)).collect();
        let keep_tail: String = seg_text(last).chars().skip(b.saturating_sub(ls.start)).collect();
        let joined = format!("{keep_head}{insert}{keep_tail}");
        for &i in &touched {
            let len = segs[i].chars.len();
            let new = if i == first { joined.clone() } else { String::new() };
            per_segment.entry(i).or_default().push((0..len, new));
        }
        Ok(())
    }
}

/// The changed stretches between `old` and `new`, character by character: (start, end) in code
/// points of `old`, and what replaces them. A correction usually changes a letter or two, and
/// only those should be touched in the XML.
pub(super) fn char_hunks(old: &str, new: &str) -> Vec<(usize, usize, String)> {
    use similar::{Algorithm, DiffOp};
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let ops = similar::capture_diff_slices(Algorithm::Myers, &old_chars, &new_chars);
    let mut hunks: Vec<(usize, usize, String)> = Vec::new();
    for op in ops {
        let (o, n) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete { old_index, old_len, .. } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert { old_index, new_index, new_len } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (old_index..old_index + old_len, new_index..new_index + new_len)
            }
        };
        let ins: String = new_chars[n].iter().collect();
        match hunks.last_mut() {
            // Adjacent changes are one stretch.
            Some(last) if last.1 == o.start => {
                last.1 = o.end;
                last.2.push_str(&ins);
            }
            _ => hunks.push((o.start, o.end, ins)),
        }
    }
    hunks
}
