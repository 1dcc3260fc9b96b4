//! A flag's problem in a reviewer's words (typo, misreading, omitted word or line, and the rest),
//! with the names the reports and filters write it by. Which problem a flag shows is
//! `crate::problem`'s to say.

use serde::{Deserialize, Serialize};

/// A flag's problem as a reviewer names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// A transcript word that is no word, a letter or two from the page's.
    Typo,
    /// Another word than the page's (a real word, a name, a number).
    #[default]
    Misreading,
    /// A word the page shows that the transcript lacks.
    OmittedWord,
    /// A whole line (or two) the page shows that the transcript lacks.
    OmittedLine,
    /// Transcript words the page does not show.
    AddedWord,
    /// Only capitals differ.
    Case,
    /// Another spelling of the page's word: a modern or regional spelling, modern letters, or
    /// the typist's own slip corrected.
    Normalized,
    /// Only spaces or punctuation between words differ.
    Spacing,
}

impl Problem {
    pub const ALL: [Problem; 8] = [
        Problem::Typo,
        Problem::Misreading,
        Problem::OmittedWord,
        Problem::OmittedLine,
        Problem::AddedWord,
        Problem::Case,
        Problem::Normalized,
        Problem::Spacing,
    ];

    /// The words a reviewer uses.
    pub fn name(self) -> &'static str {
        match self {
            Problem::Typo => "typo",
            Problem::Misreading => "misreading",
            Problem::OmittedWord => "omitted word",
            Problem::OmittedLine => "omitted line",
            Problem::AddedWord => "added word",
            Problem::Case => "case",
            Problem::Normalized => "normalized spelling",
            Problem::Spacing => "spacing",
        }
    }

    /// Its name as JSON, CSV and HTML filters write it («omitted-line»).
    pub fn slug(self) -> &'static str {
        match self {
            Problem::Typo => "typo",
            Problem::Misreading => "misreading",
            Problem::OmittedWord => "omitted-word",
            Problem::OmittedLine => "omitted-line",
            Problem::AddedWord => "added-word",
            Problem::Case => "case",
            Problem::Normalized => "normalized",
            Problem::Spacing => "spacing",
        }
    }
}
