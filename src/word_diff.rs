//! Word diff for texts of any length: two word sequences in, `similar`'s `DiffOp`s out (equal
//! runs and replaced stretches, with adjacent changes joined into one op). It matches words
//! only by equality; how a replaced stretch pairs up is `align`'s business.
//!
//! Patience diff as Bram Cohen describes it: anchor on words that occur exactly once in both
//! ranges, keep the longest run of anchors in the same order on both sides, and diff each gap
//! between anchors the same way; only a gap with no such word is left to Myers' algorithm,
//! under the deadline. `similar`'s own Patience runs Myers over every word unique to *either*
//! side, and OCR misreadings are mostly unique to the OCR side, so on a book-length text it
//! spends O(N·D) there (minutes for 300,000 words); this stays near-linear.

use similar::{Algorithm, DiffOp};
use std::collections::HashMap;
use std::hash::Hash;
use std::ops::Range;
use std::time::Instant;

/// Diff `old` against `new`. Ops cover both sequences in order; no two changes are adjacent.
pub fn diff<T: Hash + Eq + Ord>(old: &[T], new: &[T], deadline: Option<Instant>) -> Vec<DiffOp> {
    let mut raw = Vec::new();
    // An explicit stack instead of recursion: a text without anchors could nest deeply.
    let mut stack = vec![Task::Diff(0..old.len(), 0..new.len())];
    while let Some(task) = stack.pop() {
        match task {
            Task::Equal { old, new, len } => raw.push(DiffOp::Equal { old_index: old, new_index: new, len }),
            Task::Diff(o, n) => split_range(old, new, o, n, deadline, &mut raw, &mut stack),
        }
    }
    join_adjacent(raw)
}

enum Task {
    Diff(Range<usize>, Range<usize>),
    Equal { old: usize, new: usize, len: usize },
}

/// One step: strip the common ends, then either push the gaps between anchors (last first,
/// since the stack pops in reverse) or, with no anchor, diff the range with Myers.
fn split_range<T: Hash + Eq + Ord>(
    old: &[T],
    new: &[T],
    mut o: Range<usize>,
    mut n: Range<usize>,
    deadline: Option<Instant>,
    out: &mut Vec<DiffOp>,
    stack: &mut Vec<Task>,
) {
    let head = o.clone().zip(n.clone()).take_while(|&(i, j)| old[i] == new[j]).count();
    if head > 0 {
        out.push(DiffOp::Equal { old_index: o.start, new_index: n.start, len: head });
        o.start += head;
        n.start += head;
    }
    let tail = o.clone().rev().zip(n.clone().rev()).take_while(|&(i, j)| old[i] == new[j]).count();
    o.end -= tail;
    n.end -= tail;
    // Pushed first, so emitted after everything this range holds.
    if tail > 0 {
        stack.push(Task::Equal { old: o.end, new: n.end, len: tail });
    }
    if o.is_empty() && n.is_empty() {
        return;
    }
    if o.is_empty() || n.is_empty() {
        out.push(change(o, n));
        return;
    }
    let anchors = unique_anchors(old, new, o.clone(), n.clone());
    if anchors.is_empty() {
        out.extend(similar::capture_diff_deadline(Algorithm::Myers, old, o, new, n, deadline));
        return;
    }
    // Gaps between anchors, pushed last-first.
    let mut tasks = Vec::with_capacity(anchors.len() * 2 + 1);
    let (mut oi, mut ni) = (o.start, n.start);
    for &(a, b) in &anchors {
        tasks.push(Task::Diff(oi..a, ni..b));
        tasks.push(Task::Equal { old: a, new: b, len: 1 });
        (oi, ni) = (a + 1, b + 1);
    }
    tasks.push(Task::Diff(oi..o.end, ni..n.end));
    stack.extend(tasks.into_iter().rev());
}

fn change(o: Range<usize>, n: Range<usize>) -> DiffOp {
    match (o.is_empty(), n.is_empty()) {
        (false, true) => DiffOp::Delete { old_index: o.start, old_len: o.len(), new_index: n.start },
        (true, false) => DiffOp::Insert { old_index: o.start, new_index: n.start, new_len: n.len() },
        _ => DiffOp::Replace { old_index: o.start, old_len: o.len(), new_index: n.start, new_len: n.len() },
    }
}

/// Words that occur once in `old[o]` and once in `new[n]`, as (old, new) index pairs: the
/// longest chain of them increasing on both sides (patience sorting, O(k log k)).
fn unique_anchors<T: Hash + Eq>(old: &[T], new: &[T], o: Range<usize>, n: Range<usize>) -> Vec<(usize, usize)> {
    // (count in old, index in old, count in new, index in new)
    let mut seen: HashMap<&T, (u32, usize, u32, usize)> = HashMap::with_capacity(o.len());
    for i in o {
        let e = seen.entry(&old[i]).or_insert((0, i, 0, 0));
        e.0 += 1;
    }
    for j in n {
        if let Some(e) = seen.get_mut(&new[j]) {
            e.2 += 1;
            e.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> =
        seen.into_values().filter(|e| e.0 == 1 && e.2 == 1).map(|e| (e.1, e.3)).collect();
    pairs.sort_unstable();
    longest_increasing(&pairs)
}

/// The longest subsequence of `pairs` (sorted by old index) whose new indices increase.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tops[k]: index into pairs of the smallest tail of an increasing run of length k+1.
    let mut tops: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (i, &(_, b)) in pairs.iter().enumerate() {
        let k = tops.partition_point(|&t| pairs[t].1 < b);
        prev[i] = k.checked_sub(1).map(|k| tops[k]);
        if k == tops.len() {
            tops.push(i);
        } else {
            tops[k] = i;
        }
    }
    let mut chain = Vec::with_capacity(tops.len());
    let mut at = tops.last().copied();
    while let Some(i) = at {
        chain.push(pairs[i]);
        at = prev[i];
    }
    chain.reverse();
    chain
}

/// Join adjacent ops of the same kind (equal with equal, any change with any change), so
/// that every replaced stretch reaches `align` whole.
fn join_adjacent(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        let (o, n) = (op.old_range(), op.new_range());
        if o.is_empty() && n.is_empty() {
            continue;
        }
        let is_equal = matches!(op, DiffOp::Equal { .. });
        match out.last_mut() {
            Some(last) if matches!(last, DiffOp::Equal { .. }) == is_equal => {
                let (lo, ln) = (last.old_range(), last.new_range());
                debug_assert!(lo.end == o.start && ln.end == n.start, "ops out of order");
                *last = if is_equal {
                    DiffOp::Equal { old_index: lo.start, new_index: ln.start, len: lo.len() + o.len() }
                } else {
                    change(lo.start..o.end, ln.start..n.end)
                };
            }
            _ => out.push(op),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Apply ops to rebuild `new` from `old`, checking they cover both in order.
    fn check_cover(old: &[&str], new: &[&str], ops: &[DiffOp]) {
        let (mut oi, mut ni) = (0, 0);
        for (k, op) in ops.iter().enumerate() {
            let (o, n) = (op.old_range(), op.new_range());
            assert_eq!((o.start, n.start), (oi, ni), "op {k} {op:?} out of order");
            if let DiffOp::Equal { .. } = op {
                assert_eq!(old[o.clone()], new[n.clone()]);
            } else if let Some(DiffOp::Equal { .. }) | None = ops.get(k + 1) {
            } else {
                panic!("adjacent changes {op:?} {:?}", ops[k + 1]);
            }
            (oi, ni) = (o.end, n.end);
        }
        assert_eq!((oi, ni), (old.len(), new.len()));
    }

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn ops_cover_both_sides_and_find_the_changes() {
        let cases = [
            ("a b c d e", "a b c d e"),
            ("a b c d e", "a x c d e"),
            ("a b c", ""),
            ("", "a b"),
            ("the cat the dog the end", "the cat a dog the end"),
            ("x y z the the the", "the the the x y z"),
            ("a b a b a b c", "a b a b c"),
        ];
        for (a, b) in cases {
            let (a, b) = (words(a), words(b));
            check_cover(&a, &b, &diff(&a, &b, None));
        }
        let (a, b) = (words("one two three four five"), words("one too three four fife"));
        let changed: Vec<_> = diff(&a, &b, None)
            .into_iter()
            .filter(|op| !matches!(op, DiffOp::Equal { .. }))
            .map(|op| op.old_range())
            .collect();
        assert_eq!(changed, [1..2, 4..5]);
    }

    #[test]
    fn anchors_are_unique_in_both_and_in_order() {
        let old = words("a u b v c w");
        let new = words("v a b u c w w");
        // Unique in both: a, u, b, v, c (w is twice in new); longest in order: a b c.
        let got = unique_anchors(&old, &new, 0..old.len(), 0..new.len());
        assert_eq!(got, [(0, 1), (2, 2), (4, 4)]);
    }

    #[test]
    fn long_corrupted_text_is_mostly_equal() {
        let truth = crate::synthetic::book(200, 3);
        let ocr = crate::synthetic::corrupt(&truth, 0.05, 4);
        let (a, b) = (words(&truth), words(&ocr));
        let ops = diff(&a, &b, None);
        check_cover(&a, &b, &ops);
        let equal: usize =
            ops.iter().filter(|op| matches!(op, DiffOp::Equal { .. })).map(|op| op.old_range().len()).sum();
        assert!(equal as f64 > 0.6 * a.len() as f64, "{equal} of {} words equal", a.len());
        // Its speed (60,000 words: ~0.05 s, where similar's Patience took ~4 s) is measured by
        // scripts/bench_align.sh, not here: a loaded machine would fail a timed test.
    }
}
