//! The thread that owns a Verilator model: the model never leaves it, and a panic inside it (a
//! protocol violation, an RTL assertion) is kept as a message for whoever talks to the thread.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::SimError;

/// The message of the model thread's panic, once it has panicked.
pub type PanicSlot = Arc<Mutex<Option<String>>>;

/// Lock, ignoring poisoning: a panic elsewhere must not hide the state.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Start `body` on a thread named `name`, catching its panic into the returned slot.
pub fn spawn_model_thread(
    name: &str,
    body: impl FnOnce() + Send + 'static,
) -> Result<(JoinHandle<()>, PanicSlot), SimError> {
    let slot: PanicSlot = Arc::new(Mutex::new(None));
    let s = slot.clone();
    let thread = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            if let Err(p) = std::panic::catch_unwind(AssertUnwindSafe(body)) {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic with a non-string payload".into());
                *lock(&s) = Some(msg);
            }
        })
        .map_err(SimError::Spawn)?;
    Ok((thread, slot))
}

/// The error for "the model thread is gone", with its panic message once it has one (waits up to
/// five seconds for the thread to finish writing it).
pub fn thread_gone(thread: Option<&JoinHandle<()>>, slot: &PanicSlot) -> SimError {
    let deadline = Instant::now() + Duration::from_secs(5);
    while thread.is_some_and(|t| !t.is_finished()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    SimError::ThreadStopped(lock(slot).clone().unwrap_or_else(|| "it exited".into()))
}
