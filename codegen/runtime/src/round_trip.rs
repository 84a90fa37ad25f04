//! Parse → write → parse, for tests and tools that check a document type end to end.

use std::fmt::Debug;

use crate::error::FromXmlError;

/// Why a round trip failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RoundTripError {
    /// The input did not read.
    #[error("reading the input: {0}")]
    Read(FromXmlError),
    /// The written XML did not read back.
    #[error("reading the written XML: {error}\n--- written ---\n{written}")]
    Reread {
        /// What was written.
        written: String,
        /// The error.
        error: FromXmlError,
    },
    /// The value read back differs from the first one.
    #[error(
        "the value changed in the round trip\n--- first ---\n{first}\n--- second ---\n{second}"
    )]
    Changed {
        /// What was written.
        written: String,
        /// `{:#?}` of the first value.
        first: String,
        /// `{:#?}` of the value read back.
        second: String,
    },
}

/// Read `xml` with `from`, write it with `to`, read that again and compare. Returns the
/// written XML.
pub fn round_trip<T: PartialEq + Debug>(
    xml: &str,
    from: fn(&str) -> Result<T, FromXmlError>,
    to: fn(&T) -> String,
) -> Result<String, RoundTripError> {
    let first = from(xml).map_err(RoundTripError::Read)?;
    let written = to(&first);
    let second = match from(&written) {
        Ok(v) => v,
        Err(error) => return Err(RoundTripError::Reread { written, error }),
    };
    if first == second {
        Ok(written)
    } else {
        Err(RoundTripError::Changed {
            written,
            first: format!("{first:#?}"),
            second: format!("{second:#?}"),
        })
    }
}
