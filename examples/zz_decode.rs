use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let t = Instant::now();
    let a: seamline::Analysis = serde_json::from_slice(&bytes).unwrap();
    eprintln!("json decode {:?}", t.elapsed());
    let t = Instant::now();
    let packed = rmp_serde::to_vec(&a).unwrap();
    eprintln!("rmp encode {:?} {} bytes", t.elapsed(), packed.len());
    let t = Instant::now();
    let b: seamline::Analysis = rmp_serde::from_slice(&packed).unwrap();
    eprintln!("rmp decode {:?}", t.elapsed());
    let t = Instant::now();
    let named = rmp_serde::to_vec_named(&a).unwrap();
    eprintln!("rmp named encode {:?} {} bytes", t.elapsed(), named.len());
    let t = Instant::now();
    let c: seamline::Analysis = rmp_serde::from_slice(&named).unwrap();
    eprintln!("rmp named decode {:?}", t.elapsed());
    let t = Instant::now();
    let mut out = Vec::new();
    serde_json::to_writer_pretty(&mut out, &b).unwrap();
    eprintln!("json pretty encode {:?} {}", t.elapsed(), out.len());
    eprintln!("positional eq {} named eq {}", a == b, a == c);
    std::mem::forget((a, b, c));
}
