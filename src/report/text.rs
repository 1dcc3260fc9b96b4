//! Terminal report: shown flags grouped by page, with line:column, the transcript's text
//! against the scan's reading, the score and the evidence; a summary last.

use super::TextStyle;
use crate::types::{Favours, Review};
use std::io::{self, Write};

pub fn render(review: &Review, style: &TextStyle, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &str, s: &str| {
        if style.colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let unverified_line = |u: &crate::types::Unverified| {
        format!(
            "  {:>4}:{:<3} {} {}",
            u.line,
            "",
            paint("35", &format!("unverified, {} word(s), proofread by eye:", u.words)),
            u.preview
        )
    };
    for page in &review.pages {
        let flags: Vec<_> = review.shown_flags().filter(|f| f.page == page.page).collect();
        let unverified: Vec<_> = review.unverified.iter().filter(|u| u.page == page.page).collect();
        if flags.is_empty() && unverified.is_empty() {
            continue;
        }
        let turned = match (page.rotation, page.skew) {
            (0, s) if s == 0.0 => String::new(),
            (r, s) => format!(", read turned {r}° and levelled {s:.1}°"),
        };
        writeln!(out, "{}", paint("1", &format!("page {} ({}{turned})", page.page, page.path.display())))?;
        for u in unverified {
            writeln!(out, "{}", unverified_line(u))?;
        }
        for f in flags {
            let scan = if f.ocr.is_empty() { "∅".to_string() } else { f.ocr.clone() };
            let transcript =
                if f.transcript.is_empty() { "∅".to_string() } else { f.transcript.replace('\n', "⏎") };
            writeln!(
                out,
                "  {:>4}:{:<3} {} → {}   {} {}  [{}]",
                f.line,
                f.column,
                paint("31", &transcript),
                paint("32", &scan),
                paint("33", &format!("{:.2}", f.score)),
                f.problem.name(),
                f.id
            )?;
            for e in f.evidence.iter().filter(|e| e.counted()) {
                let sign = match e.favours {
                    Favours::Scan => "+",
                    Favours::Transcript => "-",
                };
                writeln!(out, "        {sign} {}: {}", e.kind, e.note)?;
            }
        }
        writeln!(out)?;
    }
    let between: Vec<_> = review.unverified.iter().filter(|u| u.page == 0).collect();
    if !between.is_empty() {
        writeln!(out, "{}", paint("1", "between pages (a page the scans lack?)"))?;
        for u in between {
            writeln!(out, "{}", unverified_line(u))?;
        }
        writeln!(out)?;
    }
    for failure in &review.failures {
        writeln!(out, "{}", paint("31", &format!("page {} failed: {}", failure.page, failure.error)))?;
    }
    if !review.untranscribed.is_empty() {
        writeln!(out, "scan text not in the transcript: {} place(s)", review.untranscribed.len())?;
        for u in &review.untranscribed {
            let preview: String = u.ocr.chars().take(70).collect();
            writeln!(out, "  page {}: {preview}", u.page)?;
        }
    }
    if !review.not_on_scans.is_empty() {
        writeln!(out, "transcript text not on the scans: {} place(s)", review.not_on_scans.len())?;
        for n in &review.not_on_scans {
            let preview: String = n.preview.chars().take(70).collect();
            writeln!(out, "  chars {}..{}: {preview}", n.start, n.end)?;
        }
    }
    if !review.translation_issues.is_empty() {
        writeln!(
            out,
            "the translation disagrees with the scan: {} place(s), for its editors",
            review.translation_issues.len()
        )?;
        for t in &review.translation_issues {
            writeln!(out, "  page {}: «{}» / «{}»: {}", t.page, t.original, t.translation, t.passage)?;
        }
    }
    let s = &review.stats;
    writeln!(
        out,
        "{} flag(s) shown of {} candidates (threshold {:.2}); {} page(s), OCR CER {:.1}%, WER {:.1}%",
        s.flags_shown,
        s.flags_total,
        review.threshold,
        s.pages,
        s.cer * 100.0,
        s.wer * 100.0
    )?;
    writeln!(out, "policy {}: {}", review.policy.preset.name(), super::policy_line(review))?;
    if review.reading == crate::ocr::Reading::Single {
        writeln!(out, "one reading a page (--reading single): a page read poorly was not read again")?;
    }
    writeln!(
        out,
        "coverage {:.1}%: {} word(s) verified by the scans, {} unverified in {} place(s){}",
        s.coverage * 100.0,
        s.words_verified,
        s.words_unverified,
        review.unverified.len(),
        if s.words_not_on_scans > 0 { format!(", {} not on the scans", s.words_not_on_scans) } else { String::new() }
    )
}
