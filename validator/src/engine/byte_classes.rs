//! The classes of sixteen bytes at once, as bit masks: what the input check needs to pass
//! over printable ASCII, tabs and line feeds quickly (SSE2 on x86_64, where every CPU has
//! it; a plain loop elsewhere).

/// How many bytes [`classes`] looks at.
pub(crate) const LANES: usize = 16;

/// Bit masks over the bytes of a chunk (bit `i`: byte `i`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Classes {
    /// Bytes below 0x20 or from 0x80 up: everything but printable ASCII.
    pub unusual: u32,
    /// Line feeds.
    pub feeds: u32,
    /// Tabs.
    pub tabs: u32,
}

/// The classes of `chunk`'s bytes.
#[inline]
pub(crate) fn classes(chunk: &[u8; LANES]) -> Classes {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 CPU has it, and the
        // function reads nothing but `chunk`.
        unsafe { classes_sse2(chunk) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        classes_portable(chunk)
    }
}

/// [`classes`] with SSE2 compares (signed: bytes from 0x80 up are negative, so "below 0x20"
/// takes them too).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn classes_sse2(chunk: &[u8; LANES]) -> Classes {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_movemask_epi8};
    use std::arch::x86_64::{_mm_set1_epi8, _mm_set_epi64x};
    let (low, high) = chunk.split_at(8);
    let word = |b: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        i64::from_le_bytes(w)
    };
    let v = _mm_set_epi64x(word(high), word(low));
    let mask = |m| _mm_movemask_epi8(m) as u32;
    Classes {
        unusual: mask(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))),
        feeds: mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))),
        tabs: mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\t' as i8))),
    }
}

/// [`classes`] one byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classes_portable(chunk: &[u8; LANES]) -> Classes {
    let mut c = Classes {
        unusual: 0,
        feeds: 0,
        tabs: 0,
    };
    for (i, &b) in chunk.iter().enumerate() {
        c.unusual |= u32::from(!(0x20..0x80).contains(&b)) << i;
        c.feeds |= u32::from(b == b'\n') << i;
        c.tabs |= u32::from(b == b'\t') << i;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value in every lane is classed as the byte-at-a-time loop classes it.
    #[test]
    fn agrees_with_the_portable_loop() {
        for b in 0..=255u8 {
            for lane in 0..LANES {
                let mut chunk = [b'a'; LANES];
                chunk[lane] = b;
                chunk[(lane + 5) % LANES] = b'\n';
                assert_eq!(classes(&chunk), classes_portable(&chunk), "{b:#x} in {lane}");
            }
        }
        let all: [u8; LANES] = std::array::from_fn(|i| (i * 17) as u8);
        assert_eq!(classes(&all), classes_portable(&all));
        let c = classes(b"<a>\tx\n\x80\x1f~\x7f y z12");
        assert_eq!((c.unusual, c.feeds, c.tabs), (0b1110_1000, 0b10_0000, 0b1000));
    }
}
