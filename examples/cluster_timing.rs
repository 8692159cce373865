use std::time::Instant;
fn main() {
    let t = Instant::now();
    let text = std::io::read_to_string(std::io::stdin()).unwrap();
    let file: seamline::cluster::GraphFile = serde_json::from_str(&text).unwrap();
    println!("parse json {:?}", t.elapsed());
    let t = Instant::now();
    let graph = file.graph().unwrap();
    println!("build graph {:?}", t.elapsed());
    let t = Instant::now();
    let levels = seamline::cluster::detect(&graph, 1.0, 1, &vec![None; graph.len()]);
    println!("detect {:?} ({} levels)", t.elapsed(), levels.len());
}
