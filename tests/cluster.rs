//! Issue 16: the README's Slurm job array and GNU parallel lines, run for real by
//! `scripts/slurm_local.sh` (a single-node Slurm on 127.0.0.1, started and stopped by the
//! script) over a collection of small real pages, must give what one `batch` process gives.

use std::path::Path;
use std::process::Command;

#[test]
fn issue16_readme_slurm_array_and_gnu_parallel_match_one_process() {
    let dir = tempfile::tempdir().unwrap();
    // Eight one-page documents over the tops of the sample's first four pages (real
    // typescript, read in well under a second each): each page in two documents.
    let mut manifest = String::from("id,scans,transcript,lang\n");
    for i in 1..=4 {
        let page = image::open(format!("scans/bagirov-1946/page-{i}.png")).unwrap().into_luma8();
        let (w, h) = page.dimensions();
        image::imageops::crop_imm(&page, 0, 0, w, h / 5)
            .to_image()
            .save(dir.path().join(format!("top-{i}.png")))
            .unwrap();
        for copy in ["a", "b"] {
            manifest.push_str(&format!("top-{i}{copy},top-{i}.png,telegram.txt,rus\n"));
        }
    }
    std::fs::copy("transcripts/bagirov-1946.txt", dir.path().join("telegram.txt")).unwrap();
    std::fs::write(dir.path().join("manifest.csv"), manifest).unwrap();

    let out = Command::new(Path::new("scripts/slurm_local.sh"))
        .env("SCANPROOF", env!("CARGO_BIN_EXE_scanproof"))
        .env("COLLECTION", dir.path())
        .output()
        .expect("the script runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("{stderr}\n{stdout}");
    assert!(out.status.success(), "scripts/slurm_local.sh failed");
    assert!(stderr.contains("8 COMPLETED 0:0"), "every array task completed");
    for run in ["slurm job array", "GNU parallel"] {
        assert!(stderr.contains(&format!("{run}: merged summary of 8 documents equals the single process's")), "{run}");
    }
}
