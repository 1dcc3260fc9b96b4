//! Markdown report: a `Review` in, a correction report for editors out: the counts, then one
//! table per page of the shown flags with their context, ready to paste into a ticket.

use crate::types::{Favours, Flag, Review};
use std::io::{self, Write};

/// Text made inert in Markdown (and in a table cell): the characters that would open
/// formatting, a link, a code span, HTML or a new cell are escaped, line breaks shown as ⏎.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push_str(" ⏎ "),
            _ => out.push(c),
        }
    }
    out
}

fn or_nothing(s: &str) -> String {
    if s.trim().is_empty() {
        "∅".to_string()
    } else {
        escape(s.trim())
    }
}

fn percent(x: f32) -> String {
    format!("{:.1} %", x * 100.0)
}

fn context(f: &Flag) -> String {
    let span = if f.transcript.is_empty() { "‸".to_string() } else { format!("**{}**", escape(&f.transcript)) };
    format!("…{}{span}{}…", escape(&f.context_before), escape(&f.context_after))
}

fn evidence(f: &Flag) -> String {
    f.evidence
        .iter()
        .filter(|e| e.counted())
        .map(|e| {
            let sign = match e.favours {
                Favours::Scan => "+",
                Favours::Transcript => "−",
            };
            format!("{sign} {}", escape(&e.note))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn render(review: &Review, out: &mut dyn Write) -> io::Result<()> {
    let s = &review.stats;
    let pages_with_flags = review.pages.iter().filter(|p| p.flags_shown > 0).count();
    writeln!(out, "# Correction report: {}\n", escape(&review.transcript.path.display().to_string()))?;
    writeln!(
        out,
        "- Flags to review: **{}** on {} of {} page(s) ({} candidates, shown from score {:.2})",
        s.flags_shown, pages_with_flags, s.pages, s.flags_total, review.threshold
    )?;
    writeln!(
        out,
        "- Scan reading against the transcript: CER {}, WER {} ({} transcript words, {} OCR words)",
        percent(s.cer),
        percent(s.wer),
        s.transcript_words,
        s.ocr_words
    )?;
    writeln!(
        out,
        "- Scan text missing from the transcript: {} place(s); transcript text not on the scans: {} place(s)",
        review.untranscribed.len(),
        review.not_on_scans.len()
    )?;
    writeln!(
        out,
        "- Coverage: {} of the transcript words expected on the scans verified; **{}** unverified passage(s) ({} words) to proofread by eye",
        percent(s.coverage),
        review.unverified.len(),
        s.words_unverified
    )?;
    writeln!(
        out,
        "- Transcription policy: **{}**, {}",
        review.policy.preset.name(),
        escape(&super::policy_line(review))
    )?;
    if !review.failures.is_empty() {
        writeln!(out, "- Pages that could not be read: {}", review.failures.len())?;
    }
    writeln!(out)?;

    writeln!(out, "| Page | Scan | Flags | Coverage | CER | WER |")?;
    writeln!(out, "|---:|---|---:|---:|---:|---:|")?;
    for p in &review.pages {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            p.page,
            escape(&p.path.display().to_string()),
            p.flags_shown,
            percent(p.coverage),
            percent(p.cer),
            percent(p.wer)
        )?;
    }
    for f in &review.failures {
        writeln!(
            out,
            "| {} | {} | could not be read: {} | | | |",
            f.page,
            escape(&f.path.display().to_string()),
            escape(&f.error)
        )?;
    }

    for p in &review.pages {
        let flags: Vec<&Flag> = review.shown_flags().filter(|f| f.page == p.page).collect();
        let unverified: Vec<_> = review.unverified.iter().filter(|u| u.page == p.page).collect();
        if flags.is_empty() && unverified.is_empty() {
            continue;
        }
        writeln!(out, "\n## Page {} ({})\n", p.page, escape(&p.path.display().to_string()))?;
        if !unverified.is_empty() {
            writeln!(out, "Unverified: the scan gave no usable reading here; proofread by eye.\n")?;
            writeln!(out, "| Line | Words | Transcript |")?;
            writeln!(out, "|---:|---:|---|")?;
            for u in &unverified {
                writeln!(out, "| {} | {} | {} |", u.line, u.words, escape(&u.preview))?;
            }
            writeln!(out)?;
        }
        if flags.is_empty() {
            continue;
        }
        writeln!(out, "| Line:col | Problem | Transcript | Scan | Suggestion | Context | Score | Evidence | Id |")?;
        writeln!(out, "|---|---|---|---|---|---|---:|---|---|")?;
        for f in flags {
            writeln!(
                out,
                "| {}:{} | {} | {} | {} | {} | {} | {:.2} | {} | `{}` |",
                f.line,
                f.column,
                f.problem.name(),
                or_nothing(&f.transcript),
                or_nothing(&f.ocr),
                or_nothing(&f.suggestion),
                context(f),
                f.score,
                evidence(f),
                f.id.replace('`', "")
            )?;
        }
    }

    let between: Vec<_> = review.unverified.iter().filter(|u| u.page == 0).collect();
    if !between.is_empty() {
        writeln!(out, "\n## Unverified between pages (a page the scans lack?)\n")?;
        for u in between {
            writeln!(out, "- line {}, {} words: {}", u.line, u.words, escape(&u.preview))?;
        }
    }
    if !review.untranscribed.is_empty() {
        writeln!(out, "\n## Scan text missing from the transcript\n")?;
        for u in &review.untranscribed {
            writeln!(out, "- page {}: {}", u.page, escape(&u.ocr))?;
        }
    }
    if !review.not_on_scans.is_empty() {
        writeln!(out, "\n## Transcript text not on the scans\n")?;
        for n in &review.not_on_scans {
            writeln!(out, "- characters {}–{}: {}", n.start, n.end, escape(&n.preview))?;
        }
    }
    if !review.translation_issues.is_empty() {
        writeln!(out, "\n## Where the translation disagrees with the scan\n")?;
        for t in &review.translation_issues {
            let (o, w, p) = (escape(&t.original), escape(&t.translation), escape(&t.passage));
            writeln!(out, "- page {}: «{o}» / «{w}»: {p}", t.page)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_makes_cells_inert() {
        let cases = [
            ("a|b", r"a\|b"),
            ("`code`", r"\`code\`"),
            ("<script>", "&lt;script&gt;"),
            ("line\nnext", "line ⏎ next"),
            ("**bold** [link](x)", r"\*\*bold\*\* \[link\](x)"),
            ("Тетера", "Тетера"),
        ];
        for (raw, want) in cases {
            assert_eq!(escape(raw), want, "{raw:?}");
        }
    }
}
