//! The renderers' engine: typed pages with typewriter wear, ink and scan. `pages::main` is the
//! `render-pages` command; `render-sample` (tools/render_sample.rs) uses the strike, paper and
//! encoding modules so the sample scans and synthetic pages share one typewriter.

pub mod doc;
pub mod encode;
pub mod fonts;
pub mod ink;
pub mod layout;
pub mod manifest;
pub mod noise;
pub mod pages;
pub mod paper;
pub mod scan;
pub mod strike;
pub mod style;
