//! Transcription policy: which of an edition's parallel readings is compared with the scan. A
//! diplomatic transcription keeps what the page shows (`sic`, `orig`, `abbr`); a normalized one
//! the editor's form (`corr`, `reg`, `expan`). Formats that carry both (TEI) read the one the
//! policy names; plain text is whatever it is. The policy's rules say which differences from
//! the page count as errors (case, spelling variants, …); `scanproof.toml` states them once for
//! a collection. Nothing here compares anything.

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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

/// Something an edition may change on purpose. A flag that only such a change explains counts
/// as an error when the policy keeps that thing as the page has it; otherwise it is not shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rule {
    /// The words themselves: letters, words and lines left out, added or changed. Always counts.
    #[default]
    Text,
    /// Capitals.
    Case,
    /// Spelling variants of one word (British / American, older / modern spellings).
    Spelling,
    /// The typist's own slips, corrected in the transcription («ih» typed, «in» transcribed).
    Slips,
    /// Historical letters (long s, ligatures, ß, ѣ і ѳ ъ) written in their modern form.
    Letters,
    /// Spaces around punctuation and dashes.
    Spacing,
}

impl Rule {
    pub const ALL: [Rule; 6] = [Rule::Text, Rule::Case, Rule::Spelling, Rule::Slips, Rule::Letters, Rule::Spacing];

    pub fn name(self) -> &'static str {
        match self {
            Rule::Text => "text",
            Rule::Case => "case",
            Rule::Spelling => "spelling",
            Rule::Slips => "slips",
            Rule::Letters => "letters",
            Rule::Spacing => "spacing",
        }
    }
}

/// Which differences from the page count as errors: a preset, with what a collection's
/// `scanproof.toml` says about single rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// The preset the rules start from; it also chooses TEI readings.
    pub preset: Policy,
    pub case: bool,
    pub spelling: bool,
    pub slips: bool,
    pub letters: bool,
    pub spacing: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules::of(Policy::Diplomatic)
    }
}

impl Rules {
    /// A diplomatic transcription keeps case, spelling, the typist's slips and old letters; a
    /// normalized one changes them on purpose. Both tolerate spacing, which few guidelines keep.
    pub fn of(preset: Policy) -> Rules {
        let keep = preset == Policy::Diplomatic;
        Rules { preset, case: keep, spelling: keep, slips: keep, letters: keep, spacing: false }
    }

    /// Whether a difference that `rule` explains counts as an error.
    pub fn counts(&self, rule: Rule) -> bool {
        match rule {
            Rule::Text => true,
            Rule::Case => self.case,
            Rule::Spelling => self.spelling,
            Rule::Slips => self.slips,
            Rule::Letters => self.letters,
            Rule::Spacing => self.spacing,
        }
    }

    /// The rules that do not count, by name, for reports («case, spelling»).
    pub fn tolerated(&self) -> Vec<&'static str> {
        Rule::ALL.iter().filter(|r| !self.counts(**r)).map(|r| r.name()).collect()
    }
}

/// The name of the file a collection states its policy in, looked for beside the transcript.
pub const CONFIG_FILE: &str = "scanproof.toml";

/// What the command line says about the policy; both parts optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    /// `--policy`: wins over the file's preset.
    pub preset: Option<Policy>,
    /// `--config FILE`; without it, `scanproof.toml` beside the transcript when there is one.
    pub config: Option<PathBuf>,
}

/// A `scanproof.toml` as far as the policy goes; other tables are for other tools' use.
#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    policy: Option<PolicyTable>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyTable {
    preset: Option<Policy>,
    case: Option<bool>,
    spelling: Option<bool>,
    slips: Option<bool>,
    letters: Option<bool>,
    spacing: Option<bool>,
}

impl Choice {
    /// The rules for `transcript`: the preset (command line, else the file's, else `fallback`),
    /// then the file's single rules over it.
    pub fn rules_for(&self, transcript: &Path, fallback: Policy) -> Result<Rules, Error> {
        let beside = transcript.parent().map(|d| d.join(CONFIG_FILE)).filter(|p| p.is_file());
        let table = match self.config.as_ref().or(beside.as_ref()) {
            Some(path) => read_table(path)?,
            None => PolicyTable::default(),
        };
        let mut rules = Rules::of(self.preset.or(table.preset).unwrap_or(fallback));
        let set = |slot: &mut bool, v: Option<bool>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut rules.case, table.case);
        set(&mut rules.spelling, table.spelling);
        set(&mut rules.slips, table.slips);
        set(&mut rules.letters, table.letters);
        set(&mut rules.spacing, table.spacing);
        Ok(rules)
    }
}

fn read_table(path: &Path) -> Result<PolicyTable, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound { path: path.to_path_buf() },
        _ => Error::io(path, e),
    })?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| Error::BadInput {
        path: path.to_path_buf(),
        reason: format!("not a valid scanproof.toml: {e}"),
    })?;
    Ok(file.policy.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_differ_in_what_an_edition_changes_on_purpose() {
        let (d, n) = (Rules::of(Policy::Diplomatic), Rules::of(Policy::Normalized));
        assert!(d.counts(Rule::Case) && d.counts(Rule::Spelling) && !d.counts(Rule::Spacing));
        assert!(!n.counts(Rule::Case) && !n.counts(Rule::Spelling) && !n.counts(Rule::Slips));
        assert!(n.counts(Rule::Text));
        assert_eq!(n.tolerated(), ["case", "spelling", "slips", "letters", "spacing"]);
    }

    #[test]
    fn the_file_beside_the_transcript_sets_single_rules_and_the_command_line_the_preset() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("letter.txt");
        std::fs::write(dir.path().join(CONFIG_FILE), "[policy]\npreset = \"normalized\"\ncase = true\n").unwrap();
        let rules = Choice::default().rules_for(&t, Policy::Diplomatic).unwrap();
        assert_eq!(rules.preset, Policy::Normalized);
        assert!(rules.case && !rules.spelling);
        let cli = Choice { preset: Some(Policy::Diplomatic), config: None };
        let rules = cli.rules_for(&t, Policy::Diplomatic).unwrap();
        assert!(rules.case && rules.spelling, "--policy diplomatic, the file's case = true");

        std::fs::write(dir.path().join(CONFIG_FILE), "[policy]\ncolour = true\n").unwrap();
        let err = Choice::default().rules_for(&t, Policy::Diplomatic).unwrap_err().to_string();
        assert!(err.contains(CONFIG_FILE) && err.contains("colour"), "{err}");
        let missing = Choice { preset: None, config: Some(dir.path().join("none.toml")) };
        assert!(missing.rules_for(&t, Policy::Diplomatic).unwrap_err().to_string().contains("none.toml"));
    }
}
