//! Deterministic noise shared by the renderers: a hash and smooth value noise. Pure functions of
//! position, so a texture does not depend on the order things are drawn in.

pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A value in 0..1 fixed for each integer lattice point.
fn lattice(seed: u64, x: i64, y: i64) -> f32 {
    let h = splitmix64(seed ^ splitmix64(x as u64 ^ splitmix64(y as u64)));
    (h >> 40) as f32 / (1u64 << 24) as f32
}

/// Smooth value noise in 0..1: lattice values blended with a smoothstep.
pub fn value_noise(seed: u64, x: f32, y: f32) -> f32 {
    let (xf, yf) = (x.floor(), y.floor());
    let (xi, yi) = (xf as i64, yf as i64);
    let s = |t: f32| t * t * (3.0 - 2.0 * t);
    let (u, v) = (s(x - xf), s(y - yf));
    let a = lattice(seed, xi, yi);
    let b = lattice(seed, xi + 1, yi);
    let c = lattice(seed, xi, yi + 1);
    let d = lattice(seed, xi + 1, yi + 1);
    let top = a + (b - a) * u;
    let bottom = c + (d - c) * u;
    top + (bottom - top) * v
}
