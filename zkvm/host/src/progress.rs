//! Progress events: one JSON object per line on stderr.

use serde_json::{json, Value};

use crate::failure::Failure;

/// Writes one event line; stderr is unbuffered, so lines never interleave mid-way.
pub fn emit(event: Value) {
    eprintln!("{event}");
}

/// A finished phase with its duration and optional extra fields.
pub fn phase(name: &str, ms: f64, extra: Value) {
    let mut event = json!({ "event": "phase", "phase": name, "ms": round_ms(ms) });
    if let (Some(obj), Value::Object(more)) = (event.as_object_mut(), extra) {
        obj.extend(more);
    }
    emit(event);
}

/// The terminal error event.
pub fn error(f: &Failure) {
    emit(json!({ "event": "error", "kind": f.kind, "code": f.code, "message": f.message }));
}

/// Rounds to microseconds so reports stay readable.
pub fn round_ms(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}
