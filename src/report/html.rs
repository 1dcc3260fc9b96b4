//! HTML report: a `Review` and its page images in, one self-contained HTML file out (pictures
//! as data URIs, inline CSS and a few lines of inline script, nothing fetched from anywhere).
//! Built with maud, which escapes every value it inserts, so transcript text is always text.

use super::crops::{self, CropParams, Picture, Pictures, Shot};
use crate::policy::Rule;
use crate::types::{DiscrepancyKind, Favours, Flag, Problem, Review};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::PathBuf;

/// What the HTML report needs beyond the review.
#[derive(Debug, Clone)]
pub struct HtmlOptions {
    /// Folder the review's page paths are relative to: the folder `check` ran in.
    pub base: PathBuf,
    pub crops: CropParams,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions { base: PathBuf::from("."), crops: CropParams::default() }
    }
}

pub fn render(review: &Review, opts: &HtmlOptions, out: &mut dyn Write) -> io::Result<()> {
    let pictures = crops::cut_pictures(review, &opts.base, |_| true, &opts.crops);
    out.write_all(page(review, &pictures).into_string().as_bytes())
}

/// What the flag is, for the reviewer: the problem and, when the policy has a rule for it, the
/// rule («case — the policy keeps case»).
fn problem_words(f: &Flag) -> String {
    match f.rule {
        Rule::Text => f.problem.name().to_string(),
        rule => format!("{} (policy rule: {})", f.problem.name(), rule.name()),
    }
}

fn percent(x: f32) -> String {
    format!("{:.1} %", x * 100.0)
}

/// A correction as a pattern: both sides without surrounding punctuation, cut a few letters
/// after the change, so that inflected forms of one misspelt word («Тетераном», «Тетерана»)
/// share the pattern «Тетера → Тегера». The flag is `true` when something was cut.
fn pattern(transcript: &str, suggestion: &str) -> (String, String, bool) {
    /// Letters kept after the change: enough to tell words apart, short of most endings.
    const KEEP_AFTER: usize = 3;
    let core = |s: &str| s.trim_matches(|c: char| !c.is_alphanumeric()).chars().collect::<Vec<char>>();
    let (t, s) = (core(transcript), core(suggestion));
    if t.is_empty() || s.is_empty() {
        return (t.iter().collect(), s.iter().collect(), false);
    }
    let prefix = t.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let suffix = t[prefix..].iter().rev().zip(s[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let cut = suffix.saturating_sub(KEEP_AFTER);
    let (t_len, s_len) = (t.len() - cut, s.len() - cut);
    (t[..t_len].iter().collect(), s[..s_len].iter().collect(), cut > 0)
}

/// Flags of the same pattern (see `pattern`) and kind are shown as one group, in the order of
/// their first occurrence.
fn group_flags(review: &Review) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<(DiscrepancyKind, String, String), usize> = HashMap::new();
    for (i, f) in review.flags.iter().enumerate() {
        let (t, s, _) = pattern(&f.transcript, &f.suggestion);
        match index.get(&(f.kind, t.clone(), s.clone())) {
            Some(&g) => groups[g].push(i),
            None => {
                index.insert((f.kind, t, s), groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups
}

fn or_nothing(s: &str) -> Markup {
    let t = s.trim();
    html! {
        @if t.is_empty() { span.nothing title="nothing" { "∅" } } @else { (t) }
    }
}

/// Text with its line breaks shown as ⏎, so a context stays on one line.
fn inline_text(s: &str) -> Markup {
    html! {
        @for (i, part) in s.split('\n').enumerate() {
            @if i > 0 { span.nl { "⏎ " } }
            (part)
        }
    }
}

fn picture(shot: Option<&Shot>, alt: &str, class: &str) -> Markup {
    html! {
        @match shot {
            Some(Ok(Picture { uri, display_width, display_height, .. })) => {
                img class=(class) src=(uri) width=(display_width) height=(display_height) alt=(alt);
            }
            Some(Err(why)) => { p.missing { (why) } }
            None => { p.missing { "no crop" } }
        }
    }
}

fn page(review: &Review, pictures: &Pictures) -> Markup {
    let groups = group_flags(review);
    let title = format!(
        "scanproof review: {}",
        review.transcript.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    );
    let problems: Vec<Problem> =
        Problem::ALL.into_iter().filter(|p| review.flags.iter().any(|f| f.problem == *p)).collect();
    let rules: Vec<Rule> = Rule::ALL.into_iter().filter(|r| review.flags.iter().any(|f| f.rule == *r)).collect();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                // Nothing may be fetched: the report must open the same in an air-gapped archive.
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top {
                    h1 { (title) }
                    nav {
                        a href="#flags-section" { "Flags" }
                        a href="#unverified" { "Unverified (" (review.unverified.len()) ")" }
                        a href="#untranscribed" { "Scan text not transcribed (" (review.untranscribed.len()) ")" }
                        a href="#not-on-scans" { "Transcript not on scans (" (review.not_on_scans.len()) ")" }
                        a href="#page-views" { "Page views" }
                    }
                }
                (summary(review))
                (unverified(review, pictures))
                section #flags-section {
                    h2 { "Flags" }
                    form #filters {
                        label { "Page "
                            select #f-page {
                                option value="" { "all" }
                                @for p in &review.pages { option value=(p.page) { (p.page) } }
                            }
                        }
                        label { "Problem "
                            select #f-kind {
                                option value="" { "all" }
                                @for p in &problems { option value=(p.slug()) { (p.name()) } }
                            }
                        }
                        label title="The rule of the transcription policy under which a difference counts (text: always)." {
                            "Rule "
                            select #f-rule {
                                option value="" { "all" }
                                @for r in &rules { option value=(r.name()) { (r.name()) } }
                            }
                        }
                        label title="Flags at or above this score are listed; the check showed those at or above its threshold." {
                            "Score ≥ "
                            input #f-score type="number" min="0" max="1" step="0.05" value=(review.threshold);
                        }
                        label { "Sort "
                            select #f-sort {
                                option value="order" { "transcript order" }
                                option value="score" { "score, highest first" }
                                option value="repeats" { "repeated patterns first" }
                            }
                        }
                        output #f-count { (review.stats.flags_shown) " of " (review.flags.len()) " flags" }
                    }
                    p.legend {
                        "Each flag: the scan with the word boxed, the transcript around it with the span "
                        mark { "marked" } ", and the evidence, weighed "
                        span.ew.scan { "+" } " towards a transcript error or "
                        span.ew.transcript { "−" } " towards an OCR misread. Boxes on the page views link here."
                    }
                    @if review.stats.flags_shown == 0 {
                        p.quiet { "No flag reached the threshold: nothing to review. Lower the score filter to see the candidates." }
                    }
                    div #flags {
                        @for (order, members) in groups.iter().enumerate() {
                            (group(review, pictures, order, members))
                        }
                    }
                }
                (untranscribed(review, pictures))
                (not_on_scans(review))
                (page_views(review, pictures))
                footer { "Made by scanproof " (env!("CARGO_PKG_VERSION")) ". Everything in this file is in this file: it opens offline." }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

fn summary(review: &Review) -> Markup {
    let s = &review.stats;
    html! {
        section #summary {
            dl.stats {
                div { dt { "Flags to review" } dd.big { (s.flags_shown) } dd { "of " (s.flags_total) " candidates, shown from score " (format!("{:.2}", review.threshold)) } }
                div { dt { "Pages" } dd.big { (s.pages) } dd { (s.transcript_words) " transcript words, " (s.ocr_words) " OCR words" } }
                div { dt { "OCR vs transcript" } dd.big { "CER " (percent(s.cer)) } dd { "WER " (percent(s.wer)) } }
                div { dt { "Policy" } dd.big { (review.policy.preset.name()) } dd { (super::policy_line(review)) } }
                div { dt { "Coverage" } dd.big { (percent(s.coverage)) } dd { (s.words_unverified) " word(s) unverified in " (review.unverified.len()) " place(s)" } }
                div { dt { "Transcript" } dd { code { (review.transcript.path.display()) } } dd.hash title=(review.transcript.sha256) { "sha256 " (review.transcript.sha256.get(..12).unwrap_or(&review.transcript.sha256)) "…" } dd { "languages " (review.languages) } }
            }
            @if !review.failures.is_empty() {
                div.failures {
                    h3 { "Pages that could not be read" }
                    ul { @for f in &review.failures { li { "page " (f.page) " (" (f.path.display()) "): " (f.error) } } }
                }
            }
            table.pages {
                thead { tr { th { "Page" } th { "Scan" } th.num { "Flags" } th.num { "Coverage" } th.num { "CER" } th.num { "WER" } th.num { "OCR confidence" } } }
                tbody {
                    @for p in &review.pages {
                        tr {
                            td { a href={ "#page-" (p.page) } { (p.page) } }
                            td { (p.path.display()) }
                            td.num { (p.flags_shown) }
                            td.num { (percent(p.coverage)) }
                            td.num { (percent(p.cer)) }
                            td.num { (percent(p.wer)) }
                            td.num { (percent(p.ocr_confidence)) }
                        }
                    }
                }
            }
        }
    }
}

fn group(review: &Review, pictures: &Pictures, order: usize, members: &[usize]) -> Markup {
    let first = &review.flags[members[0]];
    let best = members.iter().map(|&i| review.flags[i].score).fold(0.0f32, f32::max);
    let shown = members.iter().filter(|&&i| review.flags[i].shown).count();
    // One flag, or all alike: its own words; else the pattern they share.
    let alike = members.iter().all(|&i| {
        let f = &review.flags[i];
        (f.transcript.trim(), f.suggestion.trim()) == (first.transcript.trim(), first.suggestion.trim())
    });
    let (was, now) = if alike {
        (first.transcript.clone(), first.suggestion.clone())
    } else {
        match pattern(&first.transcript, &first.suggestion) {
            (t, s, true) => (format!("{t}…"), format!("{s}…")),
            (t, s, false) => (t, s),
        }
    };
    html! {
        article.group data-order=(order) data-score=(best) hidden[shown == 0] {
            header {
                span.pair {
                    span.was { (or_nothing(&was)) }
                    " → "
                    span.now { (or_nothing(&now)) }
                }
                span.count { @if shown > 1 { "×" (shown) } }
                span.kind title=(problem_words(first)) { (first.problem.name()) }
            }
            @for &i in members { (occurrence(review, pictures, i)) }
        }
    }
}

fn occurrence(review: &Review, pictures: &Pictures, i: usize) -> Markup {
    let f: &Flag = &review.flags[i];
    let alt = format!("scan of page {} around «{}»", f.page, f.ocr.trim());
    html! {
        // The score in full, so the filter at the threshold lists exactly the shown flags.
        div.occ.below[!f.shown] id={ "f-" (f.id) } data-page=(f.page) data-kind=(f.problem.slug()) data-rule=(f.rule.name())
            data-score=(f.score) data-decided[f.decision.is_some()] hidden[!f.shown] {
            div.crop {
                @match f.iiif.as_ref().and_then(|r| r.region_url.as_deref()) {
                    // The crop opens the same place at full resolution on the image server.
                    Some(url) => { a.iiif href=(url) title="this place on the IIIF image server" { (picture(pictures.flags[i].as_ref(), &alt, "crop")) } }
                    None => { (picture(pictures.flags[i].as_ref(), &alt, "crop")) }
                }
            }
            div.facts {
                p.where {
                    a href={ "#page-" (f.page) } { "page " (f.page) }
                    " · line " (f.line) ", column " (f.column)
                    " · " span.kindw { (problem_words(f)) }
                    " · id " code { (f.id) }
                }
                p.ctx {
                    "…" (inline_text(&f.context_before))
                    @if f.transcript.is_empty() { mark.gap title="the scan has words here" { "‸" } }
                    @else { mark { (inline_text(&f.transcript)) } }
                    (inline_text(&f.context_after)) "…"
                }
                dl.readings {
                    dt { "Transcript" } dd.was { (or_nothing(&f.transcript)) }
                    dt { "Scan reads" } dd { (or_nothing(&f.ocr)) span.conf { " OCR confidence " (percent(f.ocr_confidence)) } }
                    dt { "Suggestion" } dd.now { (or_nothing(&f.suggestion)) }
                    dt { "Score" } dd {
                        meter min="0" max="1" value=(f.score) {}
                        " " strong { (format!("{:.2}", f.score)) }
                        @if let Some(d) = &f.decision { span.quiet { " decided: " (d) } }
                        @else if f.shown { " shown" } @else { span.quiet { " below the threshold" } }
                    }
                }
                @if f.evidence.iter().any(|e| e.counted()) {
                    ul.evidence {
                        @for e in f.evidence.iter().filter(|e| e.counted()) {
                            @let (class, words) = match e.favours {
                                Favours::Scan => ("scan", "points to a transcript error"),
                                Favours::Transcript => ("transcript", "points to an OCR misread"),
                            };
                            li class=(class) {
                                span.ek { (e.kind) } " "
                                span.ew title=(words) { (format!("{:+.2}", e.weight)) }
                                " " (e.note)
                            }
                        }
                    }
                }
            }
        }
    }
}

fn untranscribed(review: &Review, pictures: &Pictures) -> Markup {
    html! {
        section #untranscribed {
            h2 { "Scan text not in the transcript" }
            @if review.untranscribed.is_empty() {
                p.quiet { "None: every word read on the scans has its place in the transcript." }
            }
            div.runs {
                @for (i, u) in review.untranscribed.iter().enumerate() {
                    div.run {
                        p.where { a href={ "#page-" (u.page) } { "page " (u.page) } }
                        (picture(pictures.untranscribed.get(i), &format!("scan of page {}", u.page), "crop"))
                        p.ocr { (u.ocr) }
                    }
                }
            }
        }
    }
}

/// Text the scans gave no usable reading for: as prominent as the flags, since a person must
/// proofread it by eye.
fn unverified(review: &Review, pictures: &Pictures) -> Markup {
    html! {
        section #unverified {
            h2 { "Unverified: proofread by eye (" (review.unverified.len()) ")" }
            @if review.unverified.is_empty() {
                p.quiet { "None: every transcript word expected on the scans was checked against a reading." }
            } @else {
                p.legend { "The OCR read nothing usable here, so nothing was checked: these passages are neither right nor wrong for scanproof." }
            }
            div.runs {
                @for (i, u) in review.unverified.iter().enumerate() {
                    div.run.unverified {
                        p.where {
                            @if u.page > 0 { a href={ "#page-" (u.page) } { "page " (u.page) } } @else { "between pages" }
                            " · line " (u.line) " · " (u.words) " word(s)"
                        }
                        (picture(pictures.unverified.get(i), &format!("scan of page {}", u.page), "crop"))
                        p.ctx { (u.preview) }
                    }
                }
            }
        }
    }
}

fn not_on_scans(review: &Review) -> Markup {
    html! {
        section #not-on-scans {
            h2 { "Transcript text not on the scans" }
            @if review.not_on_scans.is_empty() {
                p.quiet { "None: the whole transcript was found on the scans." }
            }
            ul {
                @for n in &review.not_on_scans {
                    li { span.where { "characters " (n.start) "–" (n.end) } " " span.ctx { (n.preview) } }
                }
            }
        }
    }
}

fn page_views(review: &Review, pictures: &Pictures) -> Markup {
    html! {
        section #page-views {
            h2 { "Page views" }
            p.quiet { "Red: shown flags; grey: candidates below the threshold; blue: scan text not in the transcript; purple: unverified transcript text. A box links to its flag." }
            @for (i, p) in review.pages.iter().enumerate() {
                figure.page id={ "page-" (p.page) } {
                    figcaption {
                        strong { "Page " (p.page) } " · " (p.path.display())
                        " · CER " (percent(p.cer)) " · WER " (percent(p.wer)) " · " (p.flags_shown) " flag(s)"
                    }
                    @match pictures.pages.get(i) {
                        Some(Ok(view)) => {
                            div.view {
                                img.pageimg src=(view.uri) width=(view.width) height=(view.height) alt={ "page " (p.page) };
                                svg viewBox={ "0 0 " (p.width) " " (p.height) } preserveAspectRatio="none" {
                                    @for u in review.untranscribed.iter().filter(|u| u.page == p.page) {
                                        rect.run x=(u.bbox.x) y=(u.bbox.y) width=(u.bbox.w) height=(u.bbox.h) {}
                                    }
                                    @for u in review.unverified.iter().filter(|u| u.page == p.page && u.bbox.w > 0) {
                                        rect.unverified x=(u.bbox.x) y=(u.bbox.y) width=(u.bbox.w) height=(u.bbox.h) {}
                                    }
                                    @for f in review.flags.iter().filter(|f| f.page == p.page && f.bbox.w > 0) {
                                        a href={ "#f-" (f.id) } {
                                            rect.box.below[!f.shown] data-flag={ "f-" (f.id) } x=(f.bbox.x) y=(f.bbox.y) width=(f.bbox.w) height=(f.bbox.h) {
                                                title { (f.transcript.trim()) " → " (f.suggestion.trim()) " (" (format!("{:.2}", f.score)) ")" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        Some(Err(why)) => { p.missing { (why) } }
                        None => { p.missing { "no page view" } }
                    }
                }
            }
        }
    }
}

const CSS: &str = r#"
:root { --ink: #1d1d1f; --muted: #6b6b72; --line: #dcdce0; --bg: #f6f6f4; --scan: #c00; --tr: #1f6f3a; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: #23262e; color: #fff; padding: 10px 20px; display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 24px; }
header.top h1 { font-size: 18px; margin: 0; font-weight: 600; }
header.top nav a { color: #cfd6ff; margin-right: 16px; text-decoration: none; }
section { padding: 8px 20px; }
h2 { font-size: 18px; margin: 18px 0 8px; }
.quiet { color: var(--muted); }
dl.stats { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
dl.stats > div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 180px; }
dl.stats dt { color: var(--muted); font-size: 13px; }
dl.stats dd { margin: 0; }
dl.stats dd.big { font-size: 24px; font-weight: 600; }
dl.stats dd.hash { color: var(--muted); font-size: 12px; }
.failures { background: #fff1f0; border: 1px solid #f3b8b3; border-radius: 8px; padding: 4px 14px; }
table.pages { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
table.pages th, table.pages td { padding: 3px 12px; border-bottom: 1px solid var(--line); text-align: left; }
table.pages .num { text-align: right; font-variant-numeric: tabular-nums; }
form#filters { position: sticky; top: 0; z-index: 2; background: var(--bg); padding: 8px 0; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; }
form#filters input { width: 5em; }
#f-count { color: var(--muted); margin-left: auto; }
article.group { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 12px 0; overflow: hidden; }
article.group > header { display: flex; align-items: baseline; gap: 12px; padding: 6px 14px; background: #fafafa; border-bottom: 1px solid var(--line); }
.pair { font-size: 18px; }
.was { color: var(--scan); }
.now { color: var(--tr); font-weight: 600; }
.count { font-weight: 700; color: #7a4b00; }
.kind { margin-left: auto; font-size: 12px; color: var(--muted); border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; }
.occ { display: grid; grid-template-columns: minmax(0, 700px) minmax(320px, 1fr); gap: 6px 18px; padding: 10px 14px; border-top: 1px dashed var(--line); }
.occ:first-of-type { border-top: 0; }
.occ.below { background: #fbfbfb; }
.crop img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
.missing { color: #8a5a00; background: #fff8e6; border: 1px solid #f0d9a0; border-radius: 6px; padding: 6px 10px; margin: 0; max-width: 520px; }
.facts p { margin: 0 0 6px; }
.where { color: var(--muted); font-size: 13px; }
.where a { color: inherit; }
.ctx { font-family: ui-serif, Georgia, "Noto Serif", serif; font-size: 16px; }
mark { background: #ffe27a; padding: 0 2px; border-radius: 3px; }
mark.gap { background: #ffb3b3; }
.nl { color: #aaa; }
.nothing { color: var(--muted); }
dl.readings { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
dl.readings dt { color: var(--muted); }
dl.readings dd { margin: 0; }
.conf { color: var(--muted); font-size: 13px; }
meter { width: 90px; }
ul.evidence { margin: 4px 0 0; padding-left: 0; list-style: none; font-size: 14px; }
ul.evidence li { padding: 1px 0 1px 8px; border-left: 3px solid #bbb; margin: 2px 0; }
ul.evidence li.scan { border-color: var(--scan); }
ul.evidence li.transcript { border-color: var(--tr); }
.ek { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.ew { font-variant-numeric: tabular-nums; font-weight: 600; }
li.scan .ew, .ew.scan { color: var(--scan); }
li.transcript .ew, .ew.transcript { color: var(--tr); }
.legend { color: var(--muted); font-size: 13px; margin: 6px 0; }
.runs { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.run { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; max-width: 560px; }
.run img { display: block; max-width: 100%; max-height: 420px; width: auto; height: auto; }
.run .ocr { font-size: 14px; }
#not-on-scans li { margin: 4px 0; }
figure.page { margin: 16px 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; display: inline-block; vertical-align: top; max-width: 100%; }
.view { position: relative; }
.view img { display: block; max-width: 100%; height: auto; }
.view svg { position: absolute; inset: 0; width: 100%; height: 100%; }
rect { fill: rgba(255, 0, 0, .08); stroke: #d00; stroke-width: 2px; vector-effect: non-scaling-stroke; }
rect.below { fill: none; stroke: #999; stroke-dasharray: 4 3; }
rect.run { fill: rgba(0, 80, 255, .06); stroke: #2a5bd7; stroke-dasharray: 6 3; }
rect.unverified { fill: rgba(140, 0, 200, .08); stroke: #8a2be2; stroke-width: 3; }
.run.unverified { border: 2px solid #8a2be2; }
rect.off { display: none; }
:target { outline: 3px solid #ffb000; }
footer { color: var(--muted); font-size: 12px; padding: 20px; }
@media (max-width: 900px) { .occ { grid-template-columns: 1fr; } }
"#;

/// Filter by page, problem, policy rule and score; sort groups; keep the ×N counts and page boxes in step.
const SCRIPT: &str = r#"
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var list = $('flags'), page = $('f-page'), kind = $('f-kind'), rule = $('f-rule'), score = $('f-score'), sort = $('f-sort'), count = $('f-count');
  var groups = Array.prototype.slice.call(list.children);
  var boxes = {};
  document.querySelectorAll('rect[data-flag]').forEach(function (b) { boxes[b.dataset.flag] = b; });
  var total = list.querySelectorAll('.occ').length;
  function apply() {
    var min = parseFloat(score.value) || 0, n = 0;
    groups.forEach(function (g) {
      var v = 0;
      g.querySelectorAll('.occ').forEach(function (o) {
        // A decided flag is done with; it stays out of the list whatever the filters.
        var ok = !('decided' in o.dataset) && (!page.value || o.dataset.page === page.value) && (!kind.value || o.dataset.kind === kind.value) && (!rule.value || o.dataset.rule === rule.value) && parseFloat(o.dataset.score) >= min;
        o.hidden = !ok;
        if (boxes[o.id]) boxes[o.id].classList.toggle('off', !ok);
        if (ok) v++;
      });
      g.hidden = v === 0;
      g.dataset.visible = v;
      g.querySelector('.count').textContent = v > 1 ? '\u00d7' + v : '';
      n += v;
    });
    count.textContent = n + ' of ' + total + ' flags';
    var key = function (g) {
      return sort.value === 'score' ? -parseFloat(g.dataset.score) : sort.value === 'repeats' ? -g.dataset.visible : 0;
    };
    groups.slice().sort(function (a, b) { return key(a) - key(b) || a.dataset.order - b.dataset.order; })
      .forEach(function (g) { list.appendChild(g); });
  }
  [page, kind, rule, score, sort].forEach(function (c) { c.addEventListener('input', apply); });
  $('filters').addEventListener('submit', function (e) { e.preventDefault(); });
  apply();
})();
"#;

#[cfg(test)]
mod tests {
    use super::pattern;

    #[test]
    fn pattern_keeps_the_change_and_a_few_letters_after_it() {
        let cases = [
            (("Тетераном,", "Тегераном,"), ("Тетера", "Тегера", true)),
            (("Тетерана,", "Тегерана,"), ("Тетера", "Тегера", true)),
            (("мецлис", "меджлис"), ("мецлис", "меджлис", false)),
            (("жить", "жит"), ("жить", "жит", false)),
            (("еже часно", "ежечасно"), ("еже час", "ежечас", true)),
            (("", " 43"), ("", "43", false)),
            (("Великого", "великого"), ("Вели", "вели", true)),
        ];
        for ((t, s), (want_t, want_s, cut)) in cases {
            assert_eq!(pattern(t, s), (want_t.to_string(), want_s.to_string(), cut), "{t} → {s}");
        }
    }
}
