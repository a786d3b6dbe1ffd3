//! Dies with the process that started it: an orphaned host would keep proving (minutes of CPU or
//! GPU) for a client that is gone, and no one would collect its result.

/// Asks Linux to SIGKILL this process when its parent dies (PR_SET_PDEATHSIG), and exits at
/// once if the parent named by `ZKVM_HOST_PARENT_PID` is already gone (it died before the call).
#[cfg(target_os = "linux")]
pub fn die_with_parent() {
    use std::os::raw::{c_int, c_ulong};
    extern "C" {
        fn prctl(
            option: c_int,
            arg2: c_ulong,
            arg3: c_ulong,
            arg4: c_ulong,
            arg5: c_ulong,
        ) -> c_int;
        fn getppid() -> c_int;
    }
    const PR_SET_PDEATHSIG: c_int = 1;
    const SIGKILL: c_ulong = 9;
    // SAFETY: prctl(PR_SET_PDEATHSIG) and getppid take plain integers and touch no memory.
    let parent = unsafe {
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        getppid()
    };
    let expected = std::env::var("ZKVM_HOST_PARENT_PID")
        .ok()
        .and_then(|s| s.parse::<c_int>().ok());
    if expected.is_some_and(|p| p != parent) {
        std::process::exit(1);
    }
}

/// Elsewhere the driver's process group kill is the only guard.
#[cfg(not(target_os = "linux"))]
pub fn die_with_parent() {}
