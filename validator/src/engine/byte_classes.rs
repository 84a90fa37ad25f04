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
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_set1_epi8};
    let v = vector(chunk);
    let mask = |m| _mm_movemask_epi8(m) as u32;
    Classes {
        unusual: mask(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))),
        feeds: mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))),
        tabs: mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\t' as i8))),
    }
}

/// How many of the first bytes of `bytes` are spaces, tabs or line feeds (the layout between
/// elements), sixteen bytes at a time.
#[inline]
pub(crate) fn leading_layout(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + LANES).and_then(|c| c.try_into().ok()) {
        let layout = layout_mask(chunk);
        if layout != FULL {
            return i + layout.trailing_ones() as usize;
        }
        i += LANES;
    }
    let rest = bytes.get(i..).unwrap_or_default();
    i + rest.iter().take_while(|&&b| is_layout(b)).count()
}

/// Every bit of a chunk's mask.
const FULL: u32 = (1 << LANES) - 1;

/// A space, a tab or a line feed.
fn is_layout(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n')
}

/// Bit `i` set when `chunk[i]` is a space, a tab or a line feed.
#[inline]
fn layout_mask(chunk: &[u8; LANES]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: as in `classes`: SSE2 is part of the x86_64 baseline.
        unsafe { layout_mask_sse2(chunk) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        layout_mask_portable(chunk)
    }
}

/// [`layout_mask`] with SSE2 compares.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn layout_mask_sse2(chunk: &[u8; LANES]) -> u32 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
    let v = vector(chunk);
    let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
    let layout = _mm_or_si128(_mm_or_si128(is(b' '), is(b'\t')), is(b'\n'));
    _mm_movemask_epi8(layout) as u32
}

/// [`layout_mask`] one byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn layout_mask_portable(chunk: &[u8; LANES]) -> u32 {
    chunk
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &b)| mask | (u32::from(is_layout(b)) << i))
}

/// The sixteen bytes as one SSE2 vector.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn vector(chunk: &[u8; LANES]) -> std::arch::x86_64::__m128i {
    let (low, high) = chunk.split_at(8);
    let word = |b: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        i64::from_le_bytes(w)
    };
    std::arch::x86_64::_mm_set_epi64x(word(high), word(low))
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
                assert_eq!(
                    classes(&chunk),
                    classes_portable(&chunk),
                    "{b:#x} in {lane}"
                );
            }
        }
        let all: [u8; LANES] = std::array::from_fn(|i| (i * 17) as u8);
        assert_eq!(classes(&all), classes_portable(&all));
        for b in 0..=255u8 {
            for lane in 0..LANES {
                let mut chunk = [b' '; LANES];
                chunk[lane] = b;
                assert_eq!(layout_mask(&chunk), layout_mask_portable(&chunk), "{b:#x}");
            }
        }
        let c = classes(b"<a>\tx\n\x80\x1f~\x7f y z12");
        assert_eq!(
            (c.unusual, c.feeds, c.tabs),
            (0b1110_1000, 0b10_0000, 0b1000)
        );
    }

    /// Layout runs of every length, ending inside a chunk, at its end or at the bytes' end.
    #[test]
    fn leading_layout_counts_spaces_tabs_and_line_feeds() {
        for n in 0..50 {
            for end in [&b"<x/>"[..], b"\r", b"a", b""] {
                let mut bytes: Vec<u8> = (0..n).map(|i| [b' ', b'\t', b'\n'][i % 3]).collect();
                bytes.extend_from_slice(end);
                bytes.extend_from_slice(b"   ");
                assert_eq!(
                    leading_layout(&bytes),
                    n + if end.is_empty() { 3 } else { 0 }
                );
            }
        }
    }
}
