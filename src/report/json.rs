//! JSON report: the `Review` itself, the contract other tools read.

use crate::types::Review;
use std::io::{self, Write};

pub fn render(review: &Review, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, review)?;
    writeln!(out)
}
