fn main() {
    let path = std::env::args().nth(1).unwrap();
    let src = std::fs::read_to_string(&path).unwrap();
    let lang = seamline::model::Language::from_path(&path).unwrap();
    let mut p = tree_sitter::Parser::new();
    p.set_language(&lang.grammar()).unwrap();
    println!("{}", p.parse(&src, None).unwrap().root_node().to_sexp());
}
