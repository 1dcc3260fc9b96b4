//! What a process loads once and reuses for every document of one language combination: the
//! lexicon (hunspell dictionaries and the `--dict` word lists), idle Tesseract engines, and
//! pages loaded ahead for documents not yet begun.
//! `check` makes one for its document; `batch` keeps one per language combination for the
//! whole manifest, so a collection of one-page letters does not parse its dictionaries or load
//! Tesseract's models again for every letter. It reads no page and weighs nothing.

use crate::error::Result;
use crate::lexicon::Lexicon;
use crate::ocr::{OcrSettings, Tesseract};
use crate::reading::Preloaded;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Pages held loaded ahead at most: one per document being checked side by side is the use.
const MAX_PRELOADED: usize = 8;

pub struct Resources {
    settings: OcrSettings,
    word_lists: Vec<PathBuf>,
    use_lexicon: bool,
    lexicon: OnceLock<Lexicon>,
    /// Held while the lexicon loads, so that documents starting together load it once.
    loading: Mutex<()>,
    /// Engines no document is using: a document takes them (or makes new ones) and gives them
    /// back when done. Each holds its language models (~20 MB for eng, ~0.1 s to load).
    idle: Mutex<Vec<Tesseract>>,
    /// Pages loaded for documents not yet begun (`batch` loads the next document's first page
    /// while this one is read), taken by their document's run.
    preloaded: Mutex<Vec<Preloaded>>,
    // The scoring model is not here: it is parsed once per process already
    // (`Model::default_model`, or `--model`'s file once per run) and shared through
    // `score::Params`, which every document's options clone as an `Arc`.
}

impl Resources {
    /// Nothing is loaded yet: the lexicon on first use, engines when a page needs reading (a
    /// run on cached pages or on OCR text starts none).
    pub fn new(settings: OcrSettings, word_lists: &[PathBuf], use_lexicon: bool) -> Self {
        Resources {
            settings,
            word_lists: word_lists.to_vec(),
            use_lexicon,
            lexicon: OnceLock::new(),
            loading: Mutex::new(()),
            idle: Mutex::new(Vec::new()),
            preloaded: Mutex::new(Vec::new()),
        }
    }

    /// Tesseract languages, e.g. "rus+eng".
    pub fn lang(&self) -> &str {
        &self.settings.lang
    }

    /// How pages are read (the OCR cache's key depends on it).
    pub fn settings(&self) -> &OcrSettings {
        &self.settings
    }

    /// The lexicon, loaded on first use. A load that fails is tried again next time (each
    /// document then reports the error).
    pub fn lexicon(&self) -> Result<&Lexicon> {
        if let Some(lexicon) = self.lexicon.get() {
            return Ok(lexicon);
        }
        let _one_at_a_time = self.loading.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(lexicon) = self.lexicon.get() {
            return Ok(lexicon);
        }
        let lexicon = if self.use_lexicon {
            Lexicon::load(&self.settings.lang, &self.word_lists)?
        } else {
            Lexicon::variants_only(&self.settings.lang)
        };
        Ok(self.lexicon.get_or_init(|| lexicon))
    }

    /// An idle engine, or a new one.
    pub fn engine(&self) -> Result<Tesseract> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(engine) => Ok(engine),
            None => Tesseract::new(&self.settings),
        }
    }

    /// Engines a document is done with, for the next one.
    pub fn give_back(&self, engines: Vec<Tesseract>) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).extend(engines);
    }

    /// Keep a page loaded ahead of its document (`reading::preload`).
    pub fn preload(&self, page: Preloaded) {
        let mut held = self.preloaded.lock().unwrap_or_else(|e| e.into_inner());
        held.push(page);
        // A page whose document never came (its run failed before reading) is not kept for
        // ever: at most a few wait, the oldest dropped first.
        let excess = held.len().saturating_sub(MAX_PRELOADED);
        held.drain(..excess);
    }

    /// The pages loaded ahead for these paths, taken out.
    pub fn take_preloaded(&self, paths: &[PathBuf]) -> Vec<Preloaded> {
        let mut held = self.preloaded.lock().unwrap_or_else(|e| e.into_inner());
        let (mine, others) = std::mem::take(&mut *held).into_iter().partition(|p| paths.iter().any(|q| q == p.path()));
        *held = others;
        mine
    }

    /// Engines waiting to be used again.
    pub fn idle_engines(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}
