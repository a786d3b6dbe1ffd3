//! What crosses the zkVM boundary, shared by the guest and the host's risc0 backend.
//!
//! * Input (host → guest): the prover input in a flat, length-prefixed binary form. The guest
//!   reads it as one frame and slices every byte string out of that one buffer without copying,
//!   so decoding costs a few cycles per item instead of a serde walk over hex or u32 words.
//! * Report (guest → host, on the guest's stdout): per-phase cycle counts on success, or the
//!   executor's error (kind, code, message) on rejection, so the host can tell an invalid block
//!   (exit 3) from a crash. The report is informational; only the journal is proven.
//!
//! All integers are little-endian; a byte string is a `u32` length followed by its bytes, a list
//! is a `u32` count followed by its items.

use alloy_primitives::Bytes;
use zkvm_executor::{InputWire, WitnessWire};

/// Leading bytes of an encoded input; bump the digit when the layout changes.
pub const INPUT_MAGIC: [u8; 4] = *b"ZKI2";

/// Why an encoded input or report could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// Encodes the wire input for the guest (`keys` are dropped: the executor never reads them).
pub fn encode_input(wire: &InputWire) -> Vec<u8> {
    // Destructured exhaustively so that a new InputWire field fails to compile here rather
    // than silently not reaching the guest.
    let InputWire {
        version,
        chain_id,
        fork,
        block,
        blocks,
        witness:
            WitnessWire {
                state,
                codes,
                keys: _,
                headers,
            },
        quirks,
    } = wire;
    // A version-1 input travels as the batch of one it is.
    let single = block.as_ref().map(std::slice::from_ref);
    let blocks = single.unwrap_or(blocks);
    let size = 64
        + [blocks, state, codes, headers]
            .iter()
            .flat_map(|l| l.iter())
            .map(|b| b.len() + 4)
            .sum::<usize>();
    let mut out = Writer(Vec::with_capacity(size));
    out.0.extend_from_slice(&INPUT_MAGIC);
    out.u64(if block.is_some() { 2 } else { *version });
    out.u64(*chain_id);
    out.bytes(fork.as_bytes());
    for list in [blocks, state, codes, headers] {
        out.u32(list.len());
        for item in list {
            out.bytes(item);
        }
    }
    out.u32(quirks.len());
    for q in quirks {
        out.bytes(q.as_bytes());
    }
    out.0
}

/// Decodes an input produced by [`encode_input`]; byte strings share `buf`'s allocation.
pub fn decode_input(buf: Bytes) -> Result<InputWire, DecodeError> {
    let mut r = Reader { buf, pos: 0 };
    if r.take(4)?.as_ref() != INPUT_MAGIC {
        return Err(DecodeError("not a guest input (bad magic)".into()));
    }
    let version = r.u64()?;
    let chain_id = r.u64()?;
    let fork = r.string()?;
    let blocks = r.list(Reader::bytes)?;
    let state = r.list(Reader::bytes)?;
    let codes = r.list(Reader::bytes)?;
    let headers = r.list(Reader::bytes)?;
    let quirks = r.list(Reader::string)?;
    r.finish()?;
    Ok(InputWire {
        version,
        chain_id,
        fork,
        block: None,
        blocks,
        witness: WitnessWire {
            state,
            codes,
            keys: Vec::new(),
            headers,
        },
        quirks,
    })
}

/// The guest's account of one run, written to its stdout for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuestReport {
    /// The block checked out and the journal was committed; cycles spent per phase, in order.
    Ok(Vec<(String, u64)>),
    /// The executor rejected the input or block; the guest then panics, committing nothing.
    Rejected {
        /// `true` for bad input (exit 2), `false` for an invalid block (exit 3).
        bad_input: bool,
        /// Stable CamelCase name of the error (`ExecError::code`).
        code: String,
        /// One-line description.
        message: String,
    },
}

impl GuestReport {
    /// Encodes the report for the guest's stdout.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Writer(Vec::new());
        match self {
            GuestReport::Ok(phases) => {
                out.0.push(0);
                out.u32(phases.len());
                for (name, cycles) in phases {
                    out.bytes(name.as_bytes());
                    out.u64(*cycles);
                }
            }
            GuestReport::Rejected {
                bad_input,
                code,
                message,
            } => {
                out.0.push(1);
                out.0.push(u8::from(*bad_input));
                out.bytes(code.as_bytes());
                out.bytes(message.as_bytes());
            }
        }
        out.0
    }

    /// Decodes a report written by [`GuestReport::encode`].
    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader {
            buf: Bytes::copy_from_slice(buf),
            pos: 0,
        };
        let report = match r.take(1)?[0] {
            0 => GuestReport::Ok(r.list(|r| Ok((r.string()?, r.u64()?)))?),
            1 => GuestReport::Rejected {
                bad_input: r.take(1)?[0] != 0,
                code: r.string()?,
                message: r.string()?,
            },
            tag => return Err(DecodeError(format!("unknown report tag {tag}"))),
        };
        r.finish()?;
        Ok(report)
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: usize) {
        let n = u32::try_from(n).expect("guest input items are below 4 GiB");
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len());
        self.0.extend_from_slice(b);
    }
}

struct Reader {
    buf: Bytes,
    pos: usize,
}

impl Reader {
    fn take(&mut self, n: usize) -> Result<Bytes, DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.buf.len())
            .ok_or_else(|| DecodeError(format!("truncated at byte {}", self.pos)))?;
        let out = Bytes(self.buf.0.slice(self.pos..end));
        self.pos = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<usize, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes(b[..].try_into().expect("4 bytes")) as usize)
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b[..].try_into().expect("8 bytes")))
    }

    fn bytes(&mut self) -> Result<Bytes, DecodeError> {
        let n = self.u32()?;
        self.take(n)
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        let b = self.bytes()?;
        String::from_utf8(b.to_vec()).map_err(|_| DecodeError("string is not UTF-8".into()))
    }

    fn list<T>(
        &mut self,
        item: impl Fn(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        let n = self.u32()?;
        // Never trust a count for preallocation: each item takes at least 4 bytes.
        let mut out = Vec::with_capacity(n.min((self.buf.len() - self.pos) / 4));
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }

    fn finish(&self) -> Result<(), DecodeError> {
        if self.pos == self.buf.len() {
            Ok(())
        } else {
            Err(DecodeError(format!(
                "{} trailing bytes",
                self.buf.len() - self.pos
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> InputWire {
        InputWire {
            version: 2,
            chain_id: 31337,
            fork: "prague".into(),
            block: None,
            blocks: vec![
                Bytes::from_static(&[0xc0, 1, 2]),
                Bytes::from_static(&[0xc1]),
            ],
            witness: WitnessWire {
                state: vec![Bytes::from_static(&[1; 40]), Bytes::new()],
                codes: vec![Bytes::from_static(&[0x60, 0x00])],
                keys: Vec::new(),
                headers: vec![Bytes::from_static(&[0xf9; 3])],
            },
            quirks: vec!["anvil".into()],
        }
    }

    #[test]
    fn input_round_trips() {
        let wire = sample();
        let enc = encode_input(&wire);
        assert_eq!(decode_input(Bytes::from(enc)).unwrap(), wire);
    }

    #[test]
    fn input_rejects_truncation_and_trailing_bytes() {
        let enc = encode_input(&sample());
        for cut in 0..enc.len() {
            assert!(decode_input(Bytes::copy_from_slice(&enc[..cut])).is_err());
        }
        let mut long = enc.clone();
        long.push(0);
        assert!(decode_input(Bytes::from(long)).is_err());
    }

    #[test]
    fn version_one_travels_as_a_batch_of_one() {
        let mut wire = sample();
        wire.version = 1;
        wire.block = Some(wire.blocks.remove(1));
        wire.blocks.clear();
        let back = decode_input(Bytes::from(encode_input(&wire))).unwrap();
        assert_eq!(back.version, 2);
        assert_eq!(back.blocks, vec![Bytes::from_static(&[0xc1])]);
    }

    #[test]
    fn input_drops_keys() {
        let mut wire = sample();
        wire.witness.keys = vec![Bytes::from_static(&[7; 20])];
        let back = decode_input(Bytes::from(encode_input(&wire))).unwrap();
        assert!(back.witness.keys.is_empty());
    }

    #[test]
    fn reports_round_trip() {
        for report in [
            GuestReport::Ok(vec![("decode".into(), 12), ("execute".into(), 1 << 40)]),
            GuestReport::Rejected {
                bad_input: false,
                code: "StateRootMismatch".into(),
                message: "post-state root mismatch".into(),
            },
        ] {
            assert_eq!(GuestReport::decode(&report.encode()).unwrap(), report);
        }
        assert!(GuestReport::decode(&[9]).is_err());
    }
}
