//! Memory allocation: points tree-sitter's C allocations at mimalloc, the allocator the binaries use for Rust.
//!
//! Takes nothing; call [`use_mimalloc_for_tree_sitter`] and [`disable_transparent_huge_pages`] first thing in
//! `main`, beside `#[global_allocator] static GLOBAL: mimalloc::MiMalloc`.

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

/// Asks Linux not to back this process's memory with transparent huge pages (elsewhere: does nothing).
///
/// mimalloc marks its arenas for huge pages and later returns freed parts of them to the kernel. Each such
/// return splits a 2 MiB page, and the next allocation there faults in a whole new one that the kernel zeroes:
/// on the 30,000-module benchmark that zeroing cost 5–6 s of system time (2–2.6 s without huge pages), about
/// 2.5 s of a 25 s run, with a higher peak (see BENCHMARKS.md). Best effort: a kernel that refuses changes
/// nothing but speed.
pub fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag on this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
