//! Support of the differential mutation test (`differential_mutations.rs`): payloads and
//! their schema versions, the mutation generator, the two validators, the exceptions file.

pub mod cases;
pub mod exceptions;
pub mod mutate;
pub mod rng;
pub mod schema_view;
pub mod text;
pub mod values;
pub mod verdicts;
