//! The `seamline` binary: everything lives in the library; this only picks the allocator and turns the
//! library's result into an exit code.

// Parsing and fact extraction allocate millions of small, short-lived objects (tree-sitter subtrees, names,
// call chains); mimalloc serves them faster than the system allocator and returns memory to it sooner.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // tree-sitter's C core allocates through its own hooks: point them at mimalloc too. This must happen before
    // the first parser or tree exists, so that nothing is freed by an allocator other than the one that made it.
    // SAFETY: called once, first thing, before any tree-sitter object is created; the four functions form
    // one consistent allocator.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: libmimalloc_sys::mi_malloc,
            calloc: libmimalloc_sys::mi_calloc,
            realloc: libmimalloc_sys::mi_realloc,
            free: libmimalloc_sys::mi_free,
        }));
    }
    std::process::exit(seamline::cli::run());
}
