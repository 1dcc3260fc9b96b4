//! `render-pages`: type plain text onto page images in varied styles. The command lives in the
//! renderer's crate (tools/render/pages.rs), built optimized even in the dev profile.

fn main() -> std::process::ExitCode {
    scanproof_render::pages::main()
}
