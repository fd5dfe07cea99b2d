//! Tests of the generator and the generated crate live in `tests/`; this library is empty.
