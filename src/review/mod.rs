//! Review stage: a reviewer's decisions on the flags (`decisions`), their application to the
//! transcript (`apply`), and the local review page that records them (`server`).

pub mod apply;
pub mod decisions;
pub mod server;

/// A small `Review` for the review stage's unit tests: three flags on two pages.
#[cfg(test)]
pub(crate) fn sample_review() -> crate::types::Review {
    let flag = |id: &str, page: usize, start: usize, before: &str, after: &str, shown: bool| {
        serde_json::json!({
            "id": id, "page": page, "line": 1, "column": start + 1, "start": start,
            "end": start + before.chars().count(), "transcript": before, "ocr": after,
            "suggestion": after, "kind": "substitute", "score": if shown { 0.9 } else { 0.1 },
            "bbox": [10, 10, 50, 20], "ocr_confidence": 0.5, "shown": shown,
            "context_before": "", "context_after": "", "evidence": []
        })
    };
    let page = |n: usize| {
        serde_json::json!({
            "page": n, "path": format!("page-{n}.png"), "width": 100, "height": 100,
            "ocr_confidence": 0.9, "transcript_start": 0, "transcript_end": 10, "ocr_words": 5,
            "cer": 0.0, "wer": 0.0, "flags_shown": 1
        })
    };
    serde_json::from_value(serde_json::json!({
        "version": 1,
        "transcript": {"path": "t.txt", "sha256": "new"},
        "languages": "rus", "threshold": 0.5,
        "pages": [page(1), page(2)],
        "flags": [flag("a", 1, 0, "Бахиров", "Багиров", true), flag("b", 1, 8, "мецлис", "меджлис", false),
                  flag("c", 2, 15, "эндумен", "энджумен", true)],
        "untranscribed": [], "not_on_scans": [],
        "stats": {"pages": 2, "transcript_words": 3, "ocr_words": 3, "cer": 0.0, "wer": 0.0,
                  "flags_shown": 2, "flags_total": 3}
    }))
    .expect("the sample review deserializes")
}
