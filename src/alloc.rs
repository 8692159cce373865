//! Memory allocation: points tree-sitter's C allocations at mimalloc, the allocator the binaries use for Rust.
//!
//! Takes nothing; call [`use_mimalloc_for_tree_sitter`] first thing in `main`, beside
//! `#[global_allocator] static GLOBAL: mimalloc::MiMalloc`.

/// Routes tree-sitter's `malloc`/`calloc`/`realloc`/`free` to mimalloc. Parsing allocates millions of small,
/// short-lived subtrees; mimalloc serves them faster than the system allocator.
///
/// Must run before the first tree-sitter parser, tree or query exists, so that nothing is freed by an allocator
/// other than the one that made it; later calls would break that, which is why only `main` should call it.
pub fn use_mimalloc_for_tree_sitter() {
    // SAFETY: the four functions form one consistent allocator, and the caller runs this before any tree-sitter
    // object is created (see above).
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: libmimalloc_sys::mi_malloc,
            calloc: libmimalloc_sys::mi_calloc,
            realloc: libmimalloc_sys::mi_realloc,
            free: libmimalloc_sys::mi_free,
        }));
    }
}
