//! Transcription policy: which of an edition's parallel readings is compared with the scan. A
//! diplomatic transcription keeps what the page shows (`sic`, `orig`, `abbr`); a normalized one
//! the editor's form (`corr`, `reg`, `expan`). Formats that carry both (TEI) read the one the
//! policy names; plain text is whatever it is. Nothing here reads or compares anything.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// What the page shows: `sic`, `orig`, `abbr`; editorial additions left out.
    #[default]
    Diplomatic,
    /// The editor's forms: `corr`, `reg`, `expan`, and supplied text.
    Normalized,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::Diplomatic => "diplomatic",
            Policy::Normalized => "normalized",
        }
    }
}
