//! SQLite's own allocations through mimalloc. SQLite calls malloc and free itself, past Rust's
//! global allocator: for every page it caches, every bound value and every row. The writer
//! thread spent 5–8% of its time in the system allocator and in the mutex SQLite takes to count
//! its memory.

use std::ffi::{c_int, c_void};

use libmimalloc_sys as mi;
use libsqlite3_sys as ffi;

unsafe extern "C" fn malloc(n: c_int) -> *mut c_void {
    // SAFETY: mimalloc's malloc takes any size; SQLite never asks for a negative one.
    unsafe { mi::mi_malloc(usize::try_from(n).unwrap_or(0)) }
}

unsafe extern "C" fn free(p: *mut c_void) {
    // SAFETY: SQLite frees only what `malloc` or `realloc` above returned.
    unsafe { mi::mi_free(p) }
}

unsafe extern "C" fn realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    // SAFETY: as for `free`; SQLite passes a positive size.
    unsafe { mi::mi_realloc(p, usize::try_from(n).unwrap_or(0)) }
}

unsafe extern "C" fn size(p: *mut c_void) -> c_int {
    // SAFETY: `p` came from `malloc` or `realloc` above.
    c_int::try_from(unsafe { mi::mi_usable_size(p) }).unwrap_or(c_int::MAX)
}

unsafe extern "C" fn roundup(n: c_int) -> c_int {
    // SAFETY: a pure size computation.
    c_int::try_from(unsafe { mi::mi_good_size(usize::try_from(n).unwrap_or(0)) }).unwrap_or(n)
}

unsafe extern "C" fn init(_: *mut c_void) -> c_int {
    ffi::SQLITE_OK
}

unsafe extern "C" fn shutdown(_: *mut c_void) {}

/// Points SQLite's allocator at mimalloc and turns off its memory statistics. Takes effect only
/// before SQLite is first used in the process (SQLite answers `SQLITE_MISUSE` after), so it runs
/// first thing in `main`; if it cannot, SQLite keeps the system allocator.
pub fn use_mimalloc() {
    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(malloc),
        xFree: Some(free),
        xRealloc: Some(realloc),
        xSize: Some(size),
        xRoundup: Some(roundup),
        xInit: Some(init),
        xShutdown: Some(shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: both options are set before sqlite3_initialize; SQLite copies `methods`.
    unsafe {
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MALLOC, &raw const methods);
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int);
    }
}
