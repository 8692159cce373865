//! The `seamline` binary: everything lives in the library; this only picks the allocator and turns the
//! library's result into an exit code.

// Parsing and fact extraction allocate millions of small, short-lived objects (tree-sitter subtrees, names,
// call chains); mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    seamline::alloc::use_mimalloc_for_tree_sitter();
    seamline::alloc::disable_transparent_huge_pages();
    std::process::exit(seamline::cli::run());
}
